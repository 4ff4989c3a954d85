#!/usr/bin/env bash
# Runs the suite. pytest exits 5 when it collected nothing: that means the suite is broken
# (a bad path or an import error hidden by a filter), so say so instead of a bare failure.
set -u
cd "$(dirname "$0")/.."
# The whole suite (no arguments) runs on every CPU, slow tests first taken by idle workers.
if [ $# -eq 0 ]; then
    set -- -n "${PYTEST_WORKERS:-auto}" --dist worksteal --durations=15
fi
DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest "$@"
status=$?
if [ $status -eq 5 ]; then
    echo "pytest collected no tests: check tests/ and the options passed ($*)." >&2
fi
exit $status
