"""
Reading values from a request's query string or form: a malformed value never ends in a server
error. Where a screen has a sensible default (today, the usual threshold), the default is used and
the user is told with a warning; where it has none (the record to act on), the answer is 400.
Also where to go back to after a form (`next_url`), never to another site.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MSG_BAD_DATE = _("The date “%(value)s” is not valid; %(default)s was used instead.")
MSG_BAD_DATE_IGNORED = _("The date “%(value)s” is not valid and was ignored.")
MSG_BAD_NUMBER = _("The number “%(value)s” is not valid; %(default)s was used instead.")
MSG_BAD_ID = _("The request names a record that cannot exist.")

#: Dates outside this range are refused: the screens compute months and years around them.
MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2200, 12, 31)
#: The largest id a database integer key holds (PostgreSQL `integer`).
MAX_ID = 2**31 - 1
#: Values quoted back in a message are cut to this length.
_QUOTE_LIMIT = 40


def _quote(value: str) -> str:
    return value if len(value) <= _QUOTE_LIMIT else value[:_QUOTE_LIMIT] + "…"


def parse_date_value(value) -> datetime.date | None:
    """`value` (yyyy-mm-dd) as a date in MIN_DATE…MAX_DATE, or None when it is not one."""
    try:
        day = parse_date(str(value).strip())
    except ValueError:  # well formed but impossible, e.g. 2026-13-45
        return None
    return day if day is not None and MIN_DATE <= day <= MAX_DATE else None


def date_param(request, name: str, default: datetime.date | None, *, data=None) -> datetime.date | None:
    """
    The date `name` of `data` (request.GET by default). Blank gives `default` silently; a malformed
    value gives `default` with a warning message (with default None: "ignored").
    """
    data = request.GET if data is None else data
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    day = parse_date_value(raw)
    if day is not None:
        return day
    if default is None:
        messages.warning(request, MSG_BAD_DATE_IGNORED % {"value": _quote(raw)})
    else:
        messages.warning(request, MSG_BAD_DATE % {"value": _quote(raw), "default": f"{default:%d/%m/%Y}"})
    return default


def int_param(request, name: str, default: int, *, minimum: int = 0, maximum: int = MAX_ID, data=None) -> int:
    """The whole number `name` of `data` (request.GET by default) in minimum…maximum; else `default`, with a warning."""
    data = request.GET if data is None else data
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    number = parse_int(raw, minimum=minimum, maximum=maximum)
    if number is None:
        messages.warning(request, MSG_BAD_NUMBER % {"value": _quote(raw), "default": default})
        return default
    return number


def parse_int(value, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`value` as a whole number in minimum…maximum, or None. ASCII digits only ("²".isdigit() is true)."""
    text = str(value).strip()
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
    if not digits or len(digits) > 18 or not (digits.isascii() and digits.isdigit()):
        return None
    number = sign * int(digits)
    return number if minimum <= number <= maximum else None


def id_param(data, name: str, *, required: bool = True) -> int | None:
    """The record id `name` of `data` (request.GET or request.POST); 400 when it cannot be an id."""
    raw = (data.get(name) or "").strip()
    if not raw and not required:
        return None
    number = parse_int(raw, minimum=1)
    if number is None:
        raise BadRequest(MSG_BAD_ID)
    return number


def next_url(request, default: str, *, name: str = "next") -> str:
    """Where to go after a form: `next` from the form or query when it stays on this site, else `default`."""
    target = request.POST.get(name) or request.GET.get(name)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
