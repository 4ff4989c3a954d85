"""Models of the QMS journey. Import from here: `from recognition.models import ManagementReview`."""

from .announcements import ConformityAnnouncement
from .cycle import CycleReminderLog
from .performance import PerformanceNonconformity, PerformanceTrigger
from .reviews import ManagementReview, ReviewAction, ReviewActionKind

__all__ = [
    "ConformityAnnouncement",
    "CycleReminderLog",
    "ManagementReview",
    "PerformanceNonconformity",
    "PerformanceTrigger",
    "ReviewAction",
    "ReviewActionKind",
]
