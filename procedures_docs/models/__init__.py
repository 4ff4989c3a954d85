"""Controlled documents and forms (ISO 9001 7.5). Import from here: `from procedures_docs.models import …`."""

from .pages import SECTIONED_TYPES, ControlledDocumentPage, DocumentLibraryPage, DocumentType, add_months
from .records import (
    Acknowledgement,
    DocumentWithdrawal,
    IssuedRevision,
    LibraryAccessGroup,
    ReviewDemand,
    ReviewReminder,
)
from .workflow import DOCUMENT_WORKFLOW_NAME, UnitRoleApprovalTask

__all__ = [
    "DOCUMENT_WORKFLOW_NAME",
    "SECTIONED_TYPES",
    "Acknowledgement",
    "ControlledDocumentPage",
    "DocumentLibraryPage",
    "DocumentType",
    "DocumentWithdrawal",
    "IssuedRevision",
    "LibraryAccessGroup",
    "ReviewDemand",
    "ReviewReminder",
    "UnitRoleApprovalTask",
    "add_months",
]
