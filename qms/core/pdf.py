"""
PDF rendering for every printable document (master lists, reading copies, audit reports,
Biểu 06): a Django template rendered to HTML, then to PDF by xhtml2pdf with a serif font that
covers Vietnamese embedded in all four faces (STACK.md: with only the regular face, bold is lost;
with the default fonts, ấ ế ư ơ Đ become black boxes).

The font is DejaVu Serif from matplotlib's wheel, so a fresh machine needs no system fonts.
An install that holds Times New Roman (Decree 30/2020) sets QMS_PDF_FONTS to its four files.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from django.conf import settings
from django.template.loader import render_to_string
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


class PdfRenderError(RuntimeError):
    """xhtml2pdf reported an error: the PDF would be wrong, so none is returned."""


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
    """Render `template_name` (which extends "core/pdf/base.html") to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context, request=request))
