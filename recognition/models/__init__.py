"""Models of the QMS journey. Import from here: `from recognition.models import ManagementReview`."""

from .announcements import ConformityAnnouncement
from .performance import PerformanceNonconformity, PerformanceTrigger
from .reviews import ManagementReview, ReviewAction, ReviewActionKind

__all__ = [
    "ConformityAnnouncement",
    "ManagementReview",
    "PerformanceNonconformity",
    "PerformanceTrigger",
    "ReviewAction",
    "ReviewActionKind",
]
