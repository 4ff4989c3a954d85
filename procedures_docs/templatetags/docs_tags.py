"""Template helpers of controlled documents: the issuing body's name, the place name, body grouping."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qms.core.models import UnitKind

register = template.Library()

#: Unit kinds that are administrations with a People's Committee (Ủy ban nhân dân).
_ADMINISTRATIONS = {UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD}
_KIND_WORDS = ("Thị trấn ", "Phường ", "Huyện ", "Tỉnh ", "Xã ", "Thành phố ", "Quận ", "Thị xã ")


@register.filter
def issuer(unit) -> str:
    """ "Xã Yên Thế" → "Ủy ban nhân dân xã Yên Thế"; an office keeps its own name."""
    if unit is None:
        return ""
    if unit.kind in _ADMINISTRATIONS:
        return f"Ủy ban nhân dân {unit.name[:1].lower()}{unit.name[1:]}"
    return unit.name


@register.filter
def issuer_lines(unit) -> str:
    """The issuer in capitals on two lines, as ISO headers print it: "ỦY BAN NHÂN DÂN<br>XÃ YÊN THẾ"."""
    if unit is None:
        return ""
    if unit.kind in _ADMINISTRATIONS:
        return format_html("ỦY BAN NHÂN DÂN<br>{}", unit.name.upper())
    return unit.name.upper()


@register.filter
def place_name(unit) -> str:
    """ "Xã Yên Thế" → "Yên Thế": the place in "Yên Thế, ngày … tháng … năm …"."""
    if unit is None:
        return ""
    for word in _KIND_WORDS:
        if unit.name.startswith(word):
            return unit.name[len(word):]
    return unit.name


@register.filter
def body_groups(body):
    """
    The StreamField body with consecutive process steps gathered into one table:
    [{"steps": [(label, value), …]} | {"block": block}, …]. A step without its own label gets
    the next number.
    """
    groups, number = [], 0
    for block in body or []:
        if block.block_type == "process_step":
            number += 1
            if not groups or "steps" not in groups[-1]:
                groups.append({"steps": []})
            groups[-1]["steps"].append((block.value.get("step") or str(number), block.value))
        else:
            groups.append({"block": block})
    return groups


@register.filter
def two_digits(number) -> str:
    """Revision numbers print as 01, 02… in ISO headers."""
    return f"{int(number):02d}" if number not in (None, "") else ""


_LIST_TAG = re.compile(r"<(/?)(ul|ol|li)\b[^>]*>", re.IGNORECASE)


@register.filter
def pdf_lists(html) -> str:
    """
    Lists rewritten as paragraphs with their markers as text ("–", "1."), for xhtml2pdf: it draws list
    markers in Helvetica and Symbol, which are not embedded and carry no Vietnamese, so a PDF with a
    list would fail the fonts-embedded check.
    """
    out, position, stack, open_item = [], 0, [], False
    for match in _LIST_TAG.finditer(str(html)):
        out.append(html[position:match.start()])
        position = match.end()
        closing, tag = match.group(1), match.group(2).lower()
        if open_item and (tag in ("ul", "ol") or closing):
            out.append("</p>")
            open_item = False
        if tag in ("ul", "ol"):
            if closing and stack:
                stack.pop()
            elif not closing:
                stack.append([tag, 0])
        elif not closing:
            kind = stack[-1] if stack else ["ul", 0]
            kind[1] += 1
            marker = f"{kind[1]}." if kind[0] == "ol" else "–"
            out.append(f'<p class="list-item" style="margin-left: {6 * max(len(stack), 1)}mm">{marker} ')
            open_item = True
    out.append(str(html)[position:])
    if open_item:
        out.append("</p>")
    return mark_safe("".join(out))  # noqa: S308 - rewrites tags of already-safe rich text, adds none of its own input
