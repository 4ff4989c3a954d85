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
Issuer, place and signature come from `qms.core.printing`.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from fontTools.ttLib import TTFont as FontFile
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import tables
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

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
    "(docs/reporting.md#fonts)."
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


def html_to_pdf(html: str) -> bytes:
    """Convert finished HTML (NFC-normalised here) to PDF bytes; only the font files may be read."""
    fonts = pdf_fonts()
    check_fonts(fonts)
    _use_serif_as_base_font(fonts["regular"])
    policy = ResourceAccessPolicy(
        allow_remote=False,
        base_dir=None,
        extra_roots=tuple({path.parent for path in fonts.values()}),
    )
    out = io.BytesIO()
    status = pisa.CreatePDF(
        nfc(html), dest=out, encoding="utf-8", link_callback=_link_callback, resource_policy=policy
    )
    if status.err:
        raise PdfRenderError(f"xhtml2pdf reported {status.err} error(s)")
    return out.getvalue()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """Render `template_name` (which extends "core/pdf/base.html") to PDF bytes, in Vietnamese."""
    with translation.override("vi"):
        return html_to_pdf(render_to_string(template_name, context, request=request))
