"""Models of the internal audit app. Import from here: `from audits.models import Nonconformity`."""

from .audits import (
    NC_KINDS,
    Audit,
    AuditStatus,
    ChecklistItem,
    ChecklistResult,
    Finding,
    FindingKind,
    QuestionBankItem,
    audits_on_team,
)
from .base import HistoryStep
from .evidence import EvidenceCollection, EvidenceFile
from .nonconformities import (
    CauseCategory,
    CorrectiveAction,
    NcSeverity,
    NcSource,
    NcStatus,
    Nonconformity,
    ReminderKind,
    ReminderLog,
)
from .programmes import AuditProgramme, ProgrammeStatus

__all__ = [
    "NC_KINDS",
    "Audit",
    "AuditProgramme",
    "AuditStatus",
    "CauseCategory",
    "ChecklistItem",
    "ChecklistResult",
    "CorrectiveAction",
    "EvidenceCollection",
    "EvidenceFile",
    "Finding",
    "FindingKind",
    "HistoryStep",
    "NcSeverity",
    "NcSource",
    "NcStatus",
    "Nonconformity",
    "ProgrammeStatus",
    "QuestionBankItem",
    "ReminderKind",
    "ReminderLog",
    "audits_on_team",
]
