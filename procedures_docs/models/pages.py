"""
The page tree of controlled documents: HomePage → DocumentLibraryPage (one per owning unit) →
ControlledDocumentPage (policy, objectives, manual, procedure, instruction, external document) →
ControlledDocumentPage of type form (biểu mẫu, under the procedure that uses it).

Drafts, revisions, locking and the review-and-approval workflow are Wagtail's own; publishing a
revision through the workflow is the issue of a new revision number (`IssuedRevision`). What is
not content (the issue register, withdrawal, acknowledgements, review demands) lives in
`records.py`, outside the revisions, so that editing a draft can never rewrite it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from procedures_docs.blocks import ATTACHMENT_BLOCKS, BODY_BLOCKS, RECORD_BLOCKS, RICH_FEATURES
from procedures_docs.forms import ControlledDocumentForm
from qms.core.models.pages import permission_tester
from qms.core.models.units import per_request, unit_of_request

#: The status tag of a withdrawn document in the admin (Wagtail's would say "live").
STATUS_OBSOLETE = _("obsolete")

#: Shown when a code is already used by another document of the same owning unit.
MSG_CODE_TAKEN = _("Another document of this unit already has the code “%(code)s”.")
MSG_FORM_UNDER_DOCUMENT = _("A document placed under another document must be of type form.")
MSG_FORM_PARENT = _("Forms belong under the procedure or instruction that uses them, not under another form.")
MSG_NO_LIBRARY = _("A controlled document must be placed inside a document library.")
MSG_LIBRARY_UNIT_TAKEN = _("This unit already has a document library.")
MSG_DELETE_BANNED = _("A document that was ever in force cannot be deleted: withdraw it to make it obsolete.")


#: The `per_request` key of `withdrawn_document_ids` (dropped when a withdrawal is saved: procedures_docs.receivers).
WITHDRAWN_KEY = "withdrawn documents"


def withdrawn_document_ids() -> frozenset[int]:
    """Ids of the obsolete documents, read once per request: a page listing documents through Wagtail (the
    dashboard's recent edits and workflows) asks each row whether it is obsolete."""
    from procedures_docs.models.records import DocumentWithdrawal

    return per_request(WITHDRAWN_KEY, lambda: frozenset(DocumentWithdrawal.objects.values_list("document_id", flat=True)))


class NeverDeletedOnceIssued:
    """
    Refuses to delete a page holding a document that was ever in force, before the tree is touched
    (treebeard updates the parent's child count first; the database's PROTECT would refuse only after).
    """

    def delete(self, *args, **kwargs):
        from procedures_docs.permissions import ever_issued

        if ever_issued(self):
            raise ProtectedError(str(MSG_DELETE_BANNED), set())
        return super().delete(*args, **kwargs)


class DocumentType(models.TextChoices):
    POLICY = "policy", _("Quality policy")
    OBJECTIVES = "objectives", _("Quality objectives")
    MANUAL = "manual", _("QMS manual")
    PROCEDURE = "procedure", pgettext_lazy("document type", "Procedure")
    INSTRUCTION = "instruction", _("Work instruction")
    FORM = "form", _("Form")
    EXTERNAL = "external", _("External document")


#: Sections 1–6 of DOMAIN.md's procedure layout are printed for these types; the others print their body only.
SECTIONED_TYPES = {DocumentType.PROCEDURE, DocumentType.INSTRUCTION, DocumentType.MANUAL}


def add_months(day, months: int):
    """`day` plus `months` calendar months, clamped to the month's last day (31/1 + 1 → 28/2)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class DocumentLibraryPage(NeverDeletedOnceIssued, RoutablePageMixin, Page):
    """
    The documents of one owning unit (the district, or a commune). Admin: Pages → the library.
    Creating one (service `library_create`, or the page editor) also creates the unit's role groups
    that carry the page permissions, and attaches the review-and-approval workflow.
    """

    unit = models.OneToOneField(
        "core.Unit", on_delete=models.PROTECT, related_name="document_library", verbose_name=_("owning unit")
    )
    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    #: The library and its documents belong to this unit (qms.core.pagescope).
    owning_unit_field = "unit"
    parent_page_types = ["core.HomePage"]
    subpage_types = ["procedures_docs.ControlledDocumentPage"]
    content_panels = [*Page.content_panels, FieldPanel("unit"), FieldPanel("intro")]
    template = "procedures_docs/document_library_page.html"

    class Meta:
        verbose_name = _("document library")
        verbose_name_plural = _("document libraries")

    def clean(self):
        super().clean()
        if self.unit_id and DocumentLibraryPage.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk).exists():
            raise ValidationError({"unit": MSG_LIBRARY_UNIT_TAKEN})

    def permissions_for_user(self, user):
        from procedures_docs.permissions import LibraryPermissionTester

        return permission_tester(self, user, LibraryPermissionTester)

    def serve(self, request, *args, **kwargs):
        from procedures_docs.views import site

        return site.guard(request, self) or super().serve(request, *args, **kwargs)

    @path("")
    def index_route(self, request):
        from procedures_docs.views import site

        return site.library_index(request, self)

    @path("danh-muc/")
    def master_list_route(self, request):
        from procedures_docs.views import site

        return site.master_list(request, library=self, fmt="html")

    @path("danh-muc/pdf/")
    def master_list_pdf_route(self, request):
        from procedures_docs.views import site

        return site.master_list(request, library=self, fmt="pdf")

    @path("danh-muc/xlsx/")
    def master_list_xlsx_route(self, request):
        from procedures_docs.views import site

        return site.master_list(request, library=self, fmt="xlsx")


class ControlledDocumentPage(NeverDeletedOnceIssued, RoutablePageMixin, Page):
    """
    A controlled document (ISO 9001 7.5): its content is revisioned by Wagtail; each revision
    published through the workflow is an issue (lần ban hành) recorded in `IssuedRevision`.
    Staff read the issue in force on the site; the admin shows drafts, history and the register.
    """

    code = models.CharField(_("document code"), max_length=32, help_text=_("e.g. QT-07, or BM-07-01 for a form."))
    doc_type = models.CharField(_("type"), max_length=16, choices=DocumentType.choices, default=DocumentType.PROCEDURE)
    #: Set from the library the document lives in; never edited by hand.
    owner_unit = models.ForeignKey(
        "core.Unit", on_delete=models.PROTECT, related_name="owned_documents", editable=False,
        verbose_name=_("owning unit"),
    )
    applies_to = ParentalManyToManyField(
        "core.Unit", blank=True, related_name="applicable_documents", verbose_name=_("applies to units"),
        help_text=_("Staff of these units read and acknowledge the document. Forms follow their procedure."),
    )
    iso_clauses = ParentalManyToManyField(
        "core.IsoClause", blank=True, related_name="documents", verbose_name=_("ISO 9001 clauses")
    )
    procedures = ParentalManyToManyField(
        "core.AdministrativeProcedure", blank=True, related_name="documents", verbose_name=_("TTHC governed"),
        help_text=_("When the legal basis of one of these changes, the document is due for review within 3 months."),
    )
    purpose = RichTextField(_("1. Purpose"), blank=True, features=RICH_FEATURES)
    scope = RichTextField(_("2. Scope"), blank=True, features=RICH_FEATURES)
    references = RichTextField(_("3. References (legal basis)"), blank=True, features=RICH_FEATURES)
    definitions = RichTextField(_("4. Definitions and abbreviations"), blank=True, features=RICH_FEATURES)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("5. Content"))
    records = StreamField(RECORD_BLOCKS, blank=True, verbose_name=_("6. Records to keep"))
    attachments = StreamField(ATTACHMENT_BLOCKS, blank=True, verbose_name=_("attached originals"))
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12, help_text=_("The next review is due this long after the effective date.")
    )
    change_summary = models.TextField(
        _("change summary"), blank=True,
        help_text=_("What this revision changes (for the first issue: “Ban hành lần đầu”). Required to submit for review."),
    )
    change_location = models.CharField(
        _("where changed"), max_length=200, blank=True, help_text=_("e.g. “Mục 5.3, bước B2”. Leave empty for the first issue.")
    )

    parent_page_types = ["procedures_docs.DocumentLibraryPage", "procedures_docs.ControlledDocumentPage"]
    subpage_types = ["procedures_docs.ControlledDocumentPage"]
    template = "procedures_docs/controlled_document_page.html"
    base_form_class = ControlledDocumentForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("code", boost=3),
        #: The admin's page search and choosers autocomplete: "QT-06" or "qt06" finds the document by its code.
        index.AutocompleteField("code"),
        index.SearchField("body"),
        #: The sections and records (the search backend folds every indexed text, qms/core/search.py).
        index.SearchField("search_sections"),
        index.FilterField("owner_unit"),
        index.FilterField("doc_type"),
    ]

    content_panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("doc_type")]),
        TitleFieldPanel("title", heading=pgettext_lazy("document", "Title"), targets=[],  # the address comes from the code
                        help_text=_("e.g. “Quy trình giải quyết thủ tục đăng ký khai sinh”.")),
        MultiFieldPanel(
            [FieldPanel("change_summary"), FieldPanel("change_location")],
            heading=_("This revision"),
        ),
        FieldPanel("purpose"),
        FieldPanel("scope"),
        FieldPanel("references"),
        FieldPanel("definitions"),
        FieldPanel("body"),
        FieldPanel("records"),
        FieldPanel("attachments"),
    ]
    classification_panels = [
        FieldPanel("applies_to"),
        FieldPanel("procedures"),
        FieldPanel("iso_clauses"),
        FieldPanel("review_interval_months"),
    ]
    promote_panels = [FieldPanel("slug")]
    edit_handler = TabbedInterface([
        ObjectList(content_panels, heading=_("Content")),
        ObjectList(classification_panels, heading=_("Applies to and review")),
        ObjectList(promote_panels, heading=_("Address")),
    ])

    class Meta:
        verbose_name = _("controlled document")
        verbose_name_plural = _("controlled documents")
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "code"], name="document_code_unique_per_owner"),
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1) & Q(review_interval_months__lte=60),
                name="document_review_interval_1_to_60_months",
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_admin_display_title(self):
        """The admin's name of the page (explorer, choosers, the reviewer's queue, workflow history): code,
        title and owning unit, since the same TTHC gives the same title in every commune and a procedure's
        forms often share one ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả")."""
        deferred = self.get_deferred_fields() & {"code", "owner_unit_id"}
        if deferred:  # Wagtail's listings name a page by its `specific_deferred`: both columns in one query
            self.refresh_from_db(fields=["code", "owner_unit"])
        title = f"{self.code} – {self.draft_title or self.title}" if self.code else super().get_admin_display_title()
        if not self.owner_unit_id:
            return title
        return f"{title} · {(unit_of_request(self.owner_unit_id) or self.owner_unit).label}"

    # --- structure -------------------------------------------------------------------------

    def _parent(self):
        """The parent page, also while the admin validates a page that is not in the tree yet."""
        parent = self.get_parent() if self.path else None
        return (parent.specific if parent else None) or getattr(self, "_parent_for_clean", None)

    @property
    def is_form(self) -> bool:
        return self.doc_type == DocumentType.FORM

    @property
    def has_sections(self) -> bool:
        return self.doc_type in SECTIONED_TYPES

    @property
    def filled_sections(self) -> list[tuple[str, str]]:
        """(heading, rich text) of sections 1–4 that a document without the numbered layout (a form) was
        given: its reading copy shows them rather than dropping what its author typed."""
        sections = [("MỤC ĐÍCH", self.purpose), ("PHẠM VI", self.scope), ("TÀI LIỆU VIỆN DẪN", self.references),
                    ("ĐỊNH NGHĨA / VIẾT TẮT", self.definitions)]
        return [(heading, text) for heading, text in sections if text and text.strip()]

    @cached_property
    def library(self) -> DocumentLibraryPage | None:
        parent = self._parent()
        while parent is not None and not isinstance(parent, DocumentLibraryPage):
            parent = parent.get_parent().specific if parent.depth > 1 else None
        return parent

    def parent_document(self) -> ControlledDocumentPage | None:
        parent = self._parent()
        return parent if isinstance(parent, ControlledDocumentPage) else None

    def clean(self):
        super().clean()
        library = self.library
        if library is None:
            raise ValidationError(MSG_NO_LIBRARY)
        self.owner_unit_id = library.unit_id
        parent = self.parent_document()
        if parent is not None:
            if parent.is_form:
                raise ValidationError(MSG_FORM_PARENT)
            if not self.is_form:
                raise ValidationError({"doc_type": MSG_FORM_UNDER_DOCUMENT})
        self.code = (self.code or "").strip()
        taken = ControlledDocumentPage.objects.filter(owner_unit_id=self.owner_unit_id, code__iexact=self.code)
        if self.pk:
            taken = taken.exclude(pk=self.pk)
        if self.code and taken.exists():
            raise ValidationError({"code": MSG_CODE_TAKEN % {"code": self.code}})

    # --- search ----------------------------------------------------------------------------

    def search_sections(self) -> str:
        """Sections 1–4 and the records to keep, as plain text for the search index."""
        parts = [self.purpose, self.scope, self.references, self.definitions]
        parts += [str(block.block.get_searchable_content(block.value)) for block in self.records]
        return strip_tags(" ".join(str(p) for p in parts if p))

    # --- records kept outside the revisions --------------------------------------------------

    @cached_property
    def current_issue(self):
        """The issue in force (the latest IssuedRevision), or None before the first approval."""
        return self.issues.order_by("-number").first() if self.pk else None

    @cached_property
    def withdrawal_record(self):
        from procedures_docs.models.records import DocumentWithdrawal

        return DocumentWithdrawal.objects.filter(document_id=self.pk).first() if self.pk else None

    @property
    def is_obsolete(self) -> bool:
        known = getattr(self, "qms_obsolete", None)  # annotated by a listing (selectors.with_issue_facts)
        if known is not None:
            return known
        if "withdrawal_record" in self.__dict__:
            return self.withdrawal_record is not None
        return self.pk in withdrawn_document_ids()

    @property
    def status_string(self):
        """The status tag of the admin's explorer and editor: an obsolete document stays live (readers may
        open it, marked TÀI LIỆU LỖI THỜI) but is no longer "published" in force."""
        return STATUS_OBSOLETE if self.is_obsolete else super().status_string

    # --- permissions and serving ---------------------------------------------------------------

    def permissions_for_user(self, user):
        from procedures_docs.permissions import DocumentPermissionTester

        return permission_tester(self, user, DocumentPermissionTester)

    def serve(self, request, *args, **kwargs):
        from procedures_docs.views import site

        return site.guard(request, self) or super().serve(request, *args, **kwargs)

    @path("")
    def index_route(self, request):
        from procedures_docs.views import site

        return site.document_read(request, self)

    @path("pdf/")
    def pdf_route(self, request):
        from procedures_docs.views import site

        return site.document_pdf(request, self)

    @path("lan-ban-hanh/<int:number>/")
    def issue_route(self, request, number):
        from procedures_docs.views import site

        return site.document_read(request, self, number=number)

    @path("lan-ban-hanh/<int:number>/pdf/")
    def issue_pdf_route(self, request, number):
        from procedures_docs.views import site

        return site.document_pdf(request, self, number=number)

    @path("da-doc/")
    def acknowledge_route(self, request):
        from procedures_docs.views import site

        return site.document_acknowledge(request, self)
