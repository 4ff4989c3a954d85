"""
What every printed paper shares (Decree 30/2020/NĐ-CP, Appendix I; DOMAIN.md "How printed documents
look"): who issues it and where, and who signs it. One place, so that no template works out an
issuer of its own (a body that had ceased, an empty heading, ", ngày …" without a place).

- `issuing_body(*, units, on)`: the body in force on the paper's date for the units it speaks for,
  with its parent body above it. Units are data with validity dates and successions: a commune
  merged on 1/7/2025 issues nothing after that day; its successor does.
- `issuing_bodies_offered(*, user, units, on)`: what a user may pick as `choice` (the Biểu 06 form).
- `signature(...)`: the Decree 30 signature block (TM./KT./Q./TL., position, name, room to sign and
  seal) for `templates/core/pdf/_signature.html`.
Rendering itself is `qms.core.pdf`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString

from qms.core.models import Unit, UnitKind
from qms.core.models.units import member_unit_ids, unit_graph

#: Kinds of unit headed by a People's Committee (Ủy ban nhân dân): they issue administrative papers.
COMMITTEE_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD})
COMMITTEE = "Ủy ban nhân dân"
COMMITTEE_SHORT = "UBND"
_PLACE_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Tỉnh ", "Huyện ", "Quận ", "Phường ", "Xã ")
NBSP = "\u00a0"
#: The number of a paper not yet entered in the register: "Số:      /BC-UBND", filled in by hand when issued.
NUMBER_BLANK = NBSP * 8
#: The word drawn across every page of a copy that must not be used (`watermark` in a PDF's context).
WATERMARK_OBSOLETE = "LỖI THỜI"
WATERMARK_DRAFT = "DỰ THẢO"


class NoIssuingBody(ValueError):  # noqa: N818 (a state, not a programming error)
    """No unit of the paper is (or was succeeded by) a body in force on its date."""


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _unbreakable(text: str) -> str:
    """A name the line-breaker must not split ("HUYỆN YÊN / THẾ" was printed)."""
    return text.replace(" ", NBSP)


def place_of(unit: Unit) -> str:
    """ "Thị trấn Phồn Xương" → "Phồn Xương": the place in "Phồn Xương, ngày … tháng … năm …"."""
    for prefix in _PLACE_PREFIXES:
        if unit.name.startswith(prefix):
            return unit.name.removeprefix(prefix)
    return unit.name


@dataclass(frozen=True)
class IssuingBody:
    """
    The body a paper is issued by, as Decree 30 heads it: the parent body (which alone may be
    abbreviated) over the body's own name written in full, and the place of the date line.
    """

    unit: Unit
    parent: Unit | None
    on: datetime.date
    candidates: tuple[Unit, ...] = field(default=(), compare=False)

    @property
    def is_committee(self) -> bool:
        return self.unit.kind in COMMITTEE_KINDS

    @property
    def name(self) -> str:
        """ "Ủy ban nhân dân xã Yên Thế" (in full; an office keeps its own name)."""
        if self.is_committee:
            return f"{COMMITTEE} {_lower_first(self.unit.name)}"
        return self.unit.name

    @property
    def name_lines(self) -> SafeString:
        """The name in capitals as the heading prints it, each line unbreakable: "ỦY BAN NHÂN DÂN<br>XÃ YÊN THẾ"."""
        if self.is_committee:
            return format_html("{}<br>{}", _unbreakable(COMMITTEE.upper()), _unbreakable(self.unit.name.upper()))
        return format_html("{}", _unbreakable(self.unit.name.upper()))

    @property
    def parent_name(self) -> str:
        """The parent body, abbreviated as Decree 30 allows: "UBND TỈNH BẮC NINH"."""
        if self.parent is None:
            return ""
        if self.parent.kind in COMMITTEE_KINDS:
            return _unbreakable(f"{COMMITTEE_SHORT} {self.parent.name}".upper())
        return _unbreakable(self.parent.name.upper())

    @property
    def place(self) -> str:
        return place_of(self.unit)

    def heading(self) -> dict:
        """The context `templates/core/pdf/_admin_header.html` reads."""
        return {"body": self, "issuer_parent": self.parent_name, "issuer": self.name_lines, "place": self.place}


def _administration(unit: Unit) -> Unit:
    """An office or department issues nothing of its own: the committee it belongs to does."""
    while unit.kind not in COMMITTEE_KINDS and unit.parent_id:
        unit = unit.parent
    return unit


def bodies_in_force(unit: Unit, on: datetime.date, *, graph=None) -> list[Unit]:
    """
    The bodies that speak for `unit` on `on`: itself while in force, else its successors in force
    (the one that carries its history first; a reorganised district has several). Read from the unit
    graph (`graph`, else the request's), so it costs no query.
    """
    graph = graph or unit_graph()
    unit = _administration(graph.units.get(unit.pk, unit))
    if unit.is_in_force(on):
        return [unit]
    seen, out, todo = {unit.pk}, [], [unit]
    while todo:
        current = todo.pop(0)
        successions = sorted(
            ((graph.units[pk], primary) for pk, effective, primary in graph.successions.get(current.pk, ()) if effective <= on),
            key=lambda pair: (not pair[1], pair[0].code),
        )
        for successor, _primary in successions:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            (out.append(successor) if successor.is_in_force(on) else todo.append(successor))
    return out


def _is_ancestor(unit: Unit, of: Unit) -> bool:
    parent = of.parent
    while parent is not None:
        if parent.pk == unit.pk:
            return True
        parent = parent.parent
    return False


def issuing_body(*, units: Iterable[Unit], on: datetime.date, choice: Unit | None = None) -> IssuingBody:
    """
    The body that issues a paper dated `on` for `units`:
    1. each unit stands for its body in force on `on` (itself, else its successors);
    2. `choice` (the user's pick) wins when it is one of those bodies or above them all;
    3. a body above all the others issues for them (the district for its communes before 1/7/2025);
    4. else, of several bodies side by side, the successor that keeps the name of a reorganised
       body the units belonged to (xã Yên Thế for the former huyện Yên Thế), else the first by code.
    Raises NoIssuingBody when no unit is or was succeeded by a body in force.
    """
    graph = unit_graph()
    units = [graph.units.get(unit.pk, unit) for unit in units]  # their parents come without a query
    candidates: list[Unit] = []
    for unit in units:
        for body in bodies_in_force(unit, on, graph=graph):
            if body.pk not in {c.pk for c in candidates}:
                candidates.append(body)
    if not candidates:
        raise NoIssuingBody(f"no body in force on {on:%d/%m/%Y}")
    chosen = None
    if choice is not None:
        choice = graph.units.get(choice.pk, choice)
    if choice is not None and choice.is_in_force(on) and any(
        choice.pk == c.pk or _is_ancestor(choice, c) for c in candidates
    ):
        chosen = choice
    tops = [c for c in candidates if not any(_is_ancestor(other, c) for other in candidates)]
    if chosen is None and len(tops) == 1:
        chosen = tops[0]
    if chosen is None:
        chosen = _namesake_successor(tops, units) or sorted(tops, key=lambda u: u.code)[0]
    parent = chosen.parent if chosen.parent is not None and chosen.parent.is_in_force(on) else None
    return IssuingBody(unit=chosen, parent=parent, on=on, candidates=tuple(candidates))


def _depth(unit: Unit) -> int:
    depth, parent = 0, unit.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth


def _namesake_successor(tops: list[Unit], units: Iterable[Unit]) -> Unit | None:
    """Of bodies side by side, the one that succeeded a reorganised body of the same place name."""
    graph = unit_graph()
    predecessors = set()
    for unit in units:
        current = _administration(graph.units.get(unit.pk, unit))
        while current is not None:
            predecessors.add(current.pk)
            current = current.parent
    top_ids = {top.pk for top in tops}
    reorganised = [
        (graph.units[pred], graph.units[succ])
        for pred in predecessors
        for succ, _effective, _primary in graph.successions.get(pred, ())
        if succ in top_ids
    ]
    # The highest body first: huyện Yên Thế's namesake wins over thị trấn Bố Hạ's.
    for predecessor, successor in sorted(reorganised, key=lambda pair: (_depth(pair[0]), pair[1].code)):
        if place_of(predecessor) == place_of(successor):
            return successor
    return None


def _units_of(user) -> list[Unit]:
    """The units a user's papers speak for: their memberships' units; a superuser without any, every committee.
    In code order, from the request's unit graph (no query of units; the report form asks twice)."""
    graph = unit_graph()
    mine = member_unit_ids(user)
    units = [unit for pk, unit in graph.units.items() if pk in mine]
    if not units and user.is_superuser:
        units = [unit for unit in graph.units.values() if unit.kind in COMMITTEE_KINDS and unit.kind != UnitKind.PROVINCE]
    return units


def issuing_body_for_user(user, *, on: datetime.date, choice: Unit | None = None) -> IssuingBody | None:
    """The body a user's paper is issued by when it names no unit: their units' body in force (admin: every unit)."""
    try:
        return issuing_body(units=_units_of(user), on=on, choice=choice)
    except NoIssuingBody:
        return None


def issuing_bodies_offered(*, user, units: Iterable[Unit], on: datetime.date) -> list[Unit]:
    """
    The bodies `user` may pick (`choice`) to issue a paper for `units` dated `on`: those `issuing_body`
    would accept — the bodies in force for the units and the bodies above them, in force — limited to
    the user's own units (another unit's body is never offered). No units: the user's memberships'.
    """
    try:
        candidates = issuing_body(units=list(units) or _units_of(user), on=on).candidates
    except NoIssuingBody:
        return []
    ids = set()
    for body in candidates:
        while body is not None:
            ids.add(body.pk)
            body = body.parent
    return list(Unit.objects.for_user(user).in_force(on).filter(pk__in=ids, kind__in=COMMITTEE_KINDS).order_by("code"))


# --- signature -------------------------------------------------------------------------------------

#: Decree 30, Art. 13: how a paper is signed on another's behalf.
ON_BEHALF_OF_BODY = "TM."  # the head for a collective body (the committee)
DEPUTY = "KT."  # a deputy for the head
ACTING = "Q."  # an acting head
BY_ORDER = "TL."  # by order of the head
SIGN = "(Ký, ghi rõ họ tên)"
SIGN_AND_SEAL = "(Ký, ghi rõ họ tên và đóng dấu)"


def signature(*, title: str, name: str = "", authority: str = "", seal: bool = True, role: str = "") -> dict:
    """
    One signature block: `authority` above `title` in bold capitals ("TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH",
    "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"), room to sign (and seal), the name in bold. `role` names the
    signer on papers signed by several ("THƯ KÝ", "CHỦ TRÌ") and stands in for `title` when that is empty.
    """
    return {
        "authority": authority.upper(),
        "title": (title or role).upper(),
        "hint": SIGN_AND_SEAL if seal else SIGN,
        "name": name,
        "seal": seal,
    }


def signature_lines(block: dict) -> list[str]:
    """The lines of a block above the room to sign, as printed: authority (if any), title, hint."""
    return [line for line in (block["authority"], block["title"], block["hint"]) if line]


def head_signature(*, body: IssuingBody, signer_title: str, name: str, collective: bool = True) -> dict:
    """
    The head's block for a paper of `body`: the chairman signs "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" for the
    committee (or "CHỦ TỊCH" alone when the paper is issued in his own name, `collective=False`); a
    deputy signs "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"; an acting chairman "Q. CHỦ TỊCH".
    """
    title = (signer_title or "Chủ tịch").strip()
    folded = title.lower()
    if folded.startswith("phó"):
        return signature(authority=f"{DEPUTY} {title[4:].strip()}", title=title, name=name)
    if folded.startswith("quyền"):
        return signature(authority="", title=f"{ACTING} {title[6:].strip()}", name=name)
    authority = f"{ON_BEHALF_OF_BODY} {COMMITTEE}" if collective and body.is_committee else ""
    return signature(authority=authority, title=title, name=name)


# --- measuring -------------------------------------------------------------------------------------

_PT_PER_MM = 72 / 25.4


def text_lines(text: str, *, width_mm: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes in the PDF font at `size` pt in a column `width_mm` wide."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from qms.core.pdf import pdf_fonts

    face = "bold" if bold else "regular"
    name = f"QmsMeasure-{face}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(pdf_fonts()[face])))
    return max(1, len(simpleSplit(text, name, size, width_mm * _PT_PER_MM)))


#: The ISO header of a reading copy (templates/procedures_docs/_iso_header.html): column widths of the
#: A4 portrait frame (165 mm) less the cell padding, type sizes and line height.
ISO_TITLE_MM, ISO_UNIT_MM = 165 * 0.38 - 3, 165 * 0.28 - 3
ISO_TITLE_PT, ISO_UNIT_PT, ISO_META_PT, ISO_NOTE_PT = 12, 10.5, 10, 8
_LINE = 1.3


def iso_header_height(title: str, *, pdf_rows: int = 4, unit_lines: int = 3) -> int:
    """
    The height (mm) of the static frame that holds the ISO header on every page, from its content:
    a fixed frame shrank a long title's header to 5–6 pt type (xhtml2pdf fits a static frame's
    content by scaling it down). The title, its marking line, the unit's lines and the meta rows
    (code, revision, date, page) are measured; the tallest column and the printed-at note decide.
    """
    title_pt = (text_lines(title.upper(), width_mm=ISO_TITLE_MM, size=ISO_TITLE_PT, bold=True) * ISO_TITLE_PT
                + ISO_META_PT) * _LINE
    unit_pt = unit_lines * ISO_UNIT_PT * _LINE
    meta_pt = pdf_rows * (ISO_META_PT * _LINE + 6)
    note_pt = 2 * ISO_NOTE_PT * _LINE + 4
    # Whole millimetres: a float would print as "41,3" in a Vietnamese template and break the CSS.
    return math.ceil((max(title_pt + 8, unit_pt + 8, meta_pt) + note_pt) / _PT_PER_MM * 1.15 + 4)


def text_width_mm(text: str, *, size: float, bold: bool = False) -> float:
    """The width of `text` on one line in the PDF font."""
    from reportlab.pdfbase import pdfmetrics

    text_lines("", width_mm=1, size=size, bold=bold)  # registers the measuring font
    return pdfmetrics.stringWidth(text, f"QmsMeasure-{'bold' if bold else 'regular'}", size) / _PT_PER_MM


def fit_columns(widths: list[float], columns: list[list[str]], *, frame_mm: float, size: float,
                padding_mm: float = 4.5) -> list[int]:
    """
    Column widths (percent) that give every column room for its longest word (a date, a code such as
    "KPH-2025-001"), taken from the columns with room to spare: a cell breaks a word only when the
    word is wider than the whole table could give it. `columns` holds each column's texts, header first.
    """
    need = []
    for texts in columns:
        words = [w for text in texts for w in str(text or "").split()]
        longest = max((text_width_mm(w, size=size) for w in words), default=0)
        need.append(min(100.0, (longest + padding_mm) / frame_mm * 100))
    total = sum(widths) or 100
    out = [w * 100 / total for w in widths]
    short = sum(max(0.0, n - w) for n, w in zip(need, out, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, out, strict=True))
    if short <= 0 or spare <= 0:
        return [round(w) for w in out]
    take = min(1.0, short / spare)
    fitted = [n if n > w else w - (w - n) * take for n, w in zip(need, out, strict=True)]
    return [round(w) for w in fitted]
