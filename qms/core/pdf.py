"""
PDF rendering for every printable document (master lists, reading copies, audit reports,
Biểu 06): a Django template rendered to HTML, then to PDF by xhtml2pdf with a serif font that
covers Vietnamese embedded in all four faces (STACK.md: with only the regular face, bold is lost;
with the default fonts, ấ ế ư ơ Đ become black boxes).

The font is DejaVu Serif from matplotlib's wheel, so a fresh machine needs no system fonts.
An install that holds Times New Roman (Decree 30/2020) sets QMS_PDF_FONTS to its four files; a
font that lacks Vietnamese letters is refused before anything is drawn (an old Liberation Serif
dropped every accented letter and the PDF still came out).

Every paper is Vietnamese whoever prints it: rendering runs under `translation.override("vi")`,
so choice labels and dates in the template never come out in the reader's admin language.
Issuer, place and signature come from `qms.core.printing`. A copy that must not be used (obsolete,
withdrawn, draft) passes `watermark` in its context: the word is drawn across every page (`_draw_watermark`).
"""

from __future__ import annotations

import io
import math
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

import matplotlib
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTFont as FontFile
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables
from reportlab.platypus.flowables import Flowable, KeepTogether, Spacer, _listWrapOn
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy
from xhtml2pdf.xhtml2pdf_reportlab import PmlBaseDoc

from qms.core.text import nfc

_MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
DEFAULT_FONTS = {
    "regular": _MPL_FONTS / "DejaVuSerif.ttf",
    "bold": _MPL_FONTS / "DejaVuSerif-Bold.ttf",
    "italic": _MPL_FONTS / "DejaVuSerif-Italic.ttf",
    "bolditalic": _MPL_FONTS / "DejaVuSerif-BoldItalic.ttf",
}
FONT_SCHEME = "font://"
#: Letters a font must draw for Vietnamese papers: every vowel with its marks, in both cases, and Đ.
VIETNAMESE_LETTERS = (
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)
MSG_FONT_LACKS_GLYPHS = _(
    "The PDF font %(file)s cannot draw Vietnamese letters (%(missing)s): the document would lose its "
    "diacritics, so it was not printed. Set QMS_PDF_FONTS to a font with full Vietnamese coverage "
    "(docs/printing.md#fonts)."
)


class PdfRenderError(RuntimeError):
    """xhtml2pdf reported an error: the PDF would be wrong, so none is returned."""


class PdfFontError(PdfRenderError):
    """A configured font lacks Vietnamese letters; the message (Vietnamese) names the file and the letters."""


@lru_cache(maxsize=16)
def _missing_letters(path: str, mtime: float) -> str:
    cmap = FontFile(path, lazy=True).getBestCmap() or {}
    return "".join(c for c in VIETNAMESE_LETTERS if ord(c) not in cmap)


def check_fonts(fonts: dict[str, Path] | None = None) -> None:
    """Raise PdfFontError unless every face draws every Vietnamese letter (checked in the font's cmap)."""
    for path in (fonts or pdf_fonts()).values():
        missing = _missing_letters(str(path), path.stat().st_mtime)
        if missing:
            with translation.override("vi"):
                raise PdfFontError(str(MSG_FONT_LACKS_GLYPHS % {"file": path.name, "missing": " ".join(missing[:12])}))


def pdf_fonts() -> dict[str, Path]:
    return {face: Path(path) for face, path in getattr(settings, "QMS_PDF_FONTS", DEFAULT_FONTS).items()}


#: The word drawn across every page of the PDF being built (set by `html_to_pdf` for the build only).
_watermark: ContextVar[str] = ContextVar("pdf_watermark", default="")
WATERMARK_FONT = "QmsSerifWatermark"
#: Light enough that the text printed over it stays readable, dark enough to survive a photocopy.
WATERMARK_GREY = Color(0.78, 0.78, 0.78)


def _draw_watermark(canvas, text: str) -> None:
    """`text` in bold capitals along the page's diagonal, as large as 80 % of the diagonal allows (≤ 96 pt)."""
    width, height = canvas._pagesize
    diagonal = math.hypot(width, height)
    size = min(96.0, 0.8 * diagonal / pdfmetrics.stringWidth(text, WATERMARK_FONT, 1))
    canvas.saveState()
    canvas.setFillColor(WATERMARK_GREY)
    canvas.setFont(WATERMARK_FONT, size)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(math.degrees(math.atan2(height, width)))
    canvas.drawCentredString(0, -size / 3, text)
    canvas.restoreState()


def _with_watermark(before_draw_page, text: str):
    """A page template's `beforeDrawPage` that also draws the watermark, under the page's text."""
    def draw(canvas, doc):
        before_draw_page(canvas, doc)
        _draw_watermark(canvas, text)
    return draw


def _link_callback(uri: str, rel: str) -> str:
    if uri.startswith(FONT_SCHEME):
        return str(pdf_fonts()[uri.removeprefix(FONT_SCHEME)])
    return uri


def _use_serif_as_base_font(regular: Path) -> None:
    """reportlab starts every canvas and table cell in Helvetica, which then shows up, unembedded,
    in the PDF's font list although no text uses it; start them in our serif instead."""
    if "QmsSerifBase" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("QmsSerifBase", str(regular)))
    rl_config.canvas_basefontname = "QmsSerifBase"
    tables.CellStyle.fontname = "QmsSerifBase"


class KeepWithPrevious(Flowable):
    """
    A block that must not start a page on its own (a signature block: a `.keep` element, which
    xhtml2pdf turns into a KeepTogether) and the flowable before it. Where both do not fit, the
    previous one is split so that its last part (the last rows of a table, the last lines of a
    paragraph) goes over with the block. ReportLab's keepWithNext would move the whole previous
    flowable instead: a long table then left a page almost empty, or started on a page of its own.
    """

    def __init__(self, previous: list[Flowable], block: Flowable):
        super().__init__()
        self.previous, self.block = previous, block

    def wrap(self, aW, aH):
        return aW, 0xFFFFFF  # as KeepTogether does: always asked to split, which lays the parts out

    def split(self, aW, aH):
        main, *spacers = self.previous
        heights = [_height(f, self.canv, aW, aH) for f in (*self.previous, self.block)]
        if sum(heights) <= aH:
            return [*self.previous, self.block]
        # When the previous one ends on this page but the block does not fit under it, its last part goes
        # over; when it runs over the page anyway, it is split where the page ends and the rest decides again.
        room = min(aH - sum(heights[1:]), heights[0] - 1) if heights[0] <= aH else aH
        parts = main.splitOn(self.canv, aW, room) if room > 0 else []
        if len(parts) < 2:
            return []  # nothing to split off: the frame moves the whole group to the next page
        first, *rest = parts
        return [first, KeepWithPrevious([*rest, *spacers], self.block)]

    def draw(self):  # never drawn: always split into its parts
        pass


def _height(flowable, canv, aW, aH) -> float:
    """The height a flowable takes, spaces included (a KeepTogether: its content's)."""
    if isinstance(flowable, KeepTogether):
        return _listWrapOn(flowable._content, aW, canv)[1]
    return flowable.wrapOn(canv, aW, aH)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()


def keep_blocks_with_previous(story: list) -> list:
    """Pair every `.keep` block (a KeepTogether in xhtml2pdf's story) with the flowable before it."""
    out: list = []
    for flowable in story:
        if isinstance(flowable, KeepTogether) and out:
            spacers = []
            while out and isinstance(out[-1], Spacer):
                spacers.insert(0, out.pop())
            if out:
                previous = [out.pop(), *spacers]
                # A single line before the block (a note, a date) would make a page of its own with it:
                # the paragraph before that goes too, so the page carries some of the text it signs.
                if not isinstance(previous[0], tables.Table) and out and not isinstance(out[-1], (Spacer, KeepTogether)):
                    previous.insert(0, out.pop())
                out.append(KeepWithPrevious(previous, flowable))
                continue
            out.extend(spacers)
        out.append(flowable)
    return out


_build = PmlBaseDoc.build


def _build_keeping_blocks(self, flowables, *args, **kwargs):
    if text := _watermark.get():
        for template in self.pageTemplates:  # every page, whichever template (first, later, landscape) it uses
            template.beforeDrawPage = _with_watermark(template.beforeDrawPage, text)
    return _build(self, keep_blocks_with_previous(flowables), *args, **kwargs)


PmlBaseDoc.build = _build_keeping_blocks  # every PDF of the project goes through here (html_to_pdf)


def html_to_pdf(html: str, *, watermark: str = "") -> bytes:
    """Convert finished HTML (NFC-normalised here) to PDF bytes; only the font files may be read.
    `watermark`: a word drawn across every page (an obsolete or draft copy)."""
    fonts = pdf_fonts()
    check_fonts(fonts)
    _use_serif_as_base_font(fonts["regular"])
    if WATERMARK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(WATERMARK_FONT, str(fonts["bold"])))
    policy = ResourceAccessPolicy(
        allow_remote=False,
        base_dir=None,
        extra_roots=tuple({path.parent for path in fonts.values()}),
    )
    out = io.BytesIO()
    token = _watermark.set(nfc(watermark))
    try:
        status = pisa.CreatePDF(
            nfc(html), dest=out, encoding="utf-8", link_callback=_link_callback, resource_policy=policy
        )
    finally:
        _watermark.reset(token)
    if status.err:
        raise PdfRenderError(f"xhtml2pdf reported {status.err} error(s)")
    return out.getvalue()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render `template_name` (which extends "core/pdf/base.html") to PDF bytes, in Vietnamese;
    `context["watermark"]`, if any, is drawn across every page."""
    with translation.override("vi"):
        html = render_to_string(template_name, context, request=request)
        return html_to_pdf(html, watermark=str(context.get("watermark") or ""))
