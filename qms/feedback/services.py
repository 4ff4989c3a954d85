"""State changes of citizen feedback."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.feedback.models import CitizenFeedback, FeedbackPage

MSG_DAILY_LIMIT = _(
    "Thank you! We have already received %(limit)s answers from this device for this unit today. "
    "If you have more to tell us, please come back tomorrow."
)
MSG_DOSSIER_ANSWERED = _(
    "We have already received an answer about this dossier, thank you. Each dossier is counted once."
)


class FeedbackRefused(Exception):
    """An answer the survey does not store; `message` is for the citizen, `status` for the page."""

    def __init__(self, message, *, status: int = 200):
        super().__init__(message)
        self.message, self.status = message, status


def feedback_build(
    *,
    rating: int,
    page: FeedbackPage | None = None,
    unit=None,
    comment: str = "",
    dossier_code: str = "",
    is_complaint: bool = False,
    submitted_at: datetime.datetime | None = None,
    client_hash: str = "",
) -> CitizenFeedback:
    """An unsaved answer with its derived fields set; `feedback_submit` validates and saves it."""
    submitted_at = submitted_at or timezone.now()
    return CitizenFeedback(
        unit=unit or page.unit,
        page=page,
        rating=rating,
        comment=comment.strip(),
        # Codes are printed in capitals on the receipt; "h05-…" typed on a phone is the same dossier.
        dossier_code=dossier_code.strip().upper(),
        is_complaint=is_complaint,
        submitted_at=submitted_at,
        submitted_on=timezone.localtime(submitted_at).date(),
        client_hash=client_hash,
    )


def feedback_submit(**values) -> CitizenFeedback:
    """Record one citizen's answer for `page`'s unit (or `unit`, for answers collected on paper).
    Takes the keyword arguments of `feedback_build`; `client_hash` (the survey page passes it) limits
    one client to `QMS_FEEDBACK_DAILY_LIMIT` answers per unit and local day. Raises `FeedbackRefused`
    over that limit or for a dossier code already answered; nothing is stored then."""
    feedback = feedback_build(**values)
    limit = settings.QMS_FEEDBACK_DAILY_LIMIT
    if feedback.client_hash:
        today = CitizenFeedback.objects.filter(
            unit=feedback.unit, client_hash=feedback.client_hash, submitted_on=feedback.submitted_on
        )
        if today.count() >= limit:
            raise FeedbackRefused(MSG_DAILY_LIMIT % {"limit": limit}, status=429)
    if feedback.dossier_code and CitizenFeedback.objects.filter(
        unit=feedback.unit, dossier_code=feedback.dossier_code
    ).exists():
        raise FeedbackRefused(MSG_DOSSIER_ANSWERED)
    # The unique constraint is checked above with the citizen's message; full_clean would repeat it in English.
    feedback.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            feedback.save()
    except IntegrityError:
        # The same dossier answered at the same moment by another request: the database kept one.
        if feedback.dossier_code:
            raise FeedbackRefused(MSG_DOSSIER_ANSWERED) from None
        raise
    return feedback
