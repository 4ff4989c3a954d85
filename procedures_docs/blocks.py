"""StreamField blocks of controlled documents: the process step is the main one (DOMAIN.md, section 5)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link"]


class ProcessStepBlock(blocks.StructBlock):
    """One row of the process table: TT | Trình tự | Trách nhiệm | Thời gian | Biểu mẫu/Kết quả."""

    step = blocks.CharBlock(
        label=_("Step"), required=False, max_length=20,
        help_text=_("e.g. B1. Left empty, steps are numbered in order."),
    )
    action = blocks.RichTextBlock(label=_("What is done"), features=RICH_FEATURES)
    responsible = blocks.CharBlock(label=pgettext_lazy("process step", "Responsible"), max_length=300)
    time_limit = blocks.CharBlock(label=_("Time limit"), required=False, max_length=100)
    output = blocks.CharBlock(label=_("Form or record produced"), required=False, max_length=300)
    form = blocks.PageChooserBlock(
        label=_("Form used"), required=False, page_type="procedures_docs.ControlledDocumentPage",
        help_text=_("A form (biểu mẫu) attached to this procedure."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Process step")
        template = "procedures_docs/blocks/process_step.html"


class RecordBlock(blocks.StructBlock):
    """A record to keep (hồ sơ cần lưu): what, who keeps it, where, for how long."""

    record = blocks.CharBlock(label=_("Record"), max_length=300)
    keeper = blocks.CharBlock(label=_("Kept by"), max_length=200)
    place = blocks.CharBlock(label=_("Where kept"), required=False, max_length=200)
    retention = blocks.CharBlock(label=_("Retention period"), max_length=100)

    class Meta:
        icon = "folder-inverse"
        label = _("Record")


BODY_BLOCKS = [
    ("heading", blocks.CharBlock(label=_("Heading"), max_length=200, icon="title", form_classname="title")),
    ("paragraph", blocks.RichTextBlock(label=_("Paragraph"), features=RICH_FEATURES)),
    ("process_step", ProcessStepBlock()),
    ("table", TableBlock(label=_("Table"))),
]

RECORD_BLOCKS = [("record", RecordBlock())]

ATTACHMENT_BLOCKS = [("original", DocumentChooserBlock(label=_("Original file (Word, PDF)")))]
