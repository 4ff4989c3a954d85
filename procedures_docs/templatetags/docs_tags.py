"""Template helpers of controlled documents: the issuing body's name, the place name, body grouping."""

from django import template

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
