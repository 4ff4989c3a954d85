"""Template helpers for Vietnamese administrative documents."""

import datetime

from django import template

from qms.core import text

register = template.Library()


def vn_date(value: datetime.date) -> str:
    """ "ngày 05 tháng 02 năm 2024", "ngày 10 tháng 6 năm 2020": Decree 30 pads days below 10 and months 1–2."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


@register.simple_tag
def place_date(place: str, value: datetime.date) -> str:
    """The place-and-date line under the motto: "Yên Thế, ngày 10 tháng 6 năm 2020"."""
    return f"{place}, {vn_date(value)}"


@register.simple_tag
def vn_date_phrase(value: datetime.date) -> str:
    """ "ngày 10 tháng 6 năm 2020" inside a sentence."""
    return vn_date(value)


@register.filter
def vn_number(value, decimals: int = 0) -> str:
    """1234567.5 → "1.234.567,5": Vietnamese digit grouping."""
    if value is None or value == "":
        return ""
    text = f"{float(value):,.{int(decimals)}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@register.filter
def person_name(user) -> str:
    """ {{ user|person_name }} → "Nguyễn Thị Hoa" (family name first)."""
    return text.person_name(user)


@register.filter
def lowerfirst(value: str) -> str:
    """ "Xã Yên Thế" → "xã Yên Thế": a unit's name inside a sentence."""
    return value[:1].lower() + value[1:] if value else value


@register.filter
def percent(value, decimals: int = 1) -> str:
    """0.9518 → "95,2%"; None → "–" (a rate without a denominator)."""
    if value is None or value == "":
        return "–"
    return f"{float(value) * 100:.{int(decimals)}f}".replace(".", ",") + "%"


@register.inclusion_tag("core/_sort_header.html", takes_context=False)
def sort_header(key: str, label: str, current: str, on=None):
    """A sortable column header: clicking sorts by `key`, clicking again reverses."""
    return {"label": label, "key": key, "next": f"-{key}" if current == key else key,
            "active": current.lstrip("-") == key, "descending": current.startswith("-"), "on": on}
