#!/usr/bin/env bash
# Installs Debian's Chromium (browser tests) and poppler-utils (PDF text and font checks) when
# they are missing and we may: as root, with apt. Otherwise says loudly what will be skipped.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing ${missing[*]} from Debian for the browser and PDF tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
    echo "apt-get could not install ${missing[*]}." >&2
fi
cat >&2 <<MSG

############################################################################
#  WARNING: ${missing[*]} missing and not installable here (not root or no apt).
#  Browser tests (tests/e2e) and PDF text checks will be SKIPPED.
#  Install them with: sudo apt-get install chromium poppler-utils
############################################################################

MSG
exit 0
