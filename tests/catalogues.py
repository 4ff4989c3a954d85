"""
Reading gettext catalogues in tests: enough of the .po format to check that a catalogue is
complete, not fuzzy, and that its compiled .mo holds what the .po says. Used for the project's own
catalogue (locale/vi) and for the Vietnamese catalogue of Wagtail's strings (locale/wagtail/vi).
"""

import gettext
import re
from pathlib import Path
from typing import NamedTuple

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


class Entry(NamedTuple):
    msgctxt: str | None
    msgid: str
    msgid_plural: str | None
    msgstrs: list[str]
    flags: str


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)


def entries(text: str):
    """Every entry of a .po file's text, the header (msgid "") included, obsolete ones (#~) left out."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        parts: dict[str, list[str]] = {}
        msgstrs: list[list[str]] = []
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            keyword = line.split(" ", 1)[0]
            if keyword.startswith("msgstr"):
                msgstrs.append([])
                current = msgstrs[-1]
            elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                current = parts.setdefault(keyword, [])
            if current is not None and '"' in line:
                current.append(_unquote(line[line.index('"') + 1 : line.rindex('"')]))
        if "msgid" in parts:
            yield Entry(
                msgctxt="".join(parts["msgctxt"]) if "msgctxt" in parts else None,
                msgid="".join(parts["msgid"]),
                msgid_plural="".join(parts["msgid_plural"]) if "msgid_plural" in parts else None,
                msgstrs=["".join(s) for s in msgstrs],
                flags=flags,
            )


def read(po: Path) -> list[Entry]:
    """The entries of a .po file, without its header."""
    return [entry for entry in entries(po.read_text(encoding="utf-8")) if entry.msgid]


def untranslated(po: Path) -> list[str]:
    """msgids of `po` with an empty translation or marked fuzzy."""
    return [e.msgid for e in read(po) if not all(e.msgstrs) or "fuzzy" in e.flags]


def stale(po: Path) -> list[str]:
    """msgids whose translation in the .mo next to `po` differs from the .po (the .mo was not rebuilt)."""
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    differ = []
    for e in read(po):
        if e.msgid_plural is None:
            got = compiled.pgettext(e.msgctxt, e.msgid) if e.msgctxt else compiled.gettext(e.msgid)
            wanted = e.msgstrs[0]
        else:
            # Each plural form the catalogue's Plural-Forms picks for n = 1, 2 and 5.
            got = [
                compiled.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                if e.msgctxt else compiled.ngettext(e.msgid, e.msgid_plural, n)
                for n in (1, 2, 5)
            ]
            wanted = [e.msgstrs[compiled.plural(n)] for n in (1, 2, 5)]
        if got != wanted:
            differ.append(e.msgid)
    return differ
