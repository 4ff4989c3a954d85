"""State changes of citizen feedback."""

from __future__ import annotations

import datetime

from django.utils import timezone

from qms.feedback.models import CitizenFeedback, FeedbackPage


def feedback_build(
    *,
    rating: int,
    page: FeedbackPage | None = None,
    unit=None,
    comment: str = "",
    dossier_code: str = "",
    is_complaint: bool = False,
    submitted_at: datetime.datetime | None = None,
) -> CitizenFeedback:
    """An unsaved answer with its derived fields set; `feedback_submit` validates and saves it."""
    submitted_at = submitted_at or timezone.now()
    return CitizenFeedback(
        unit=unit or page.unit,
        page=page,
        rating=rating,
        comment=comment.strip(),
        dossier_code=dossier_code.strip(),
        is_complaint=is_complaint,
        submitted_at=submitted_at,
        submitted_on=timezone.localtime(submitted_at).date(),
    )


def feedback_submit(**values) -> CitizenFeedback:
    """Record one citizen's answer for `page`'s unit (or `unit`, for answers collected on paper).
    Takes the keyword arguments of `feedback_build`."""
    feedback = feedback_build(**values)
    feedback.full_clean()
    feedback.save()
    return feedback
