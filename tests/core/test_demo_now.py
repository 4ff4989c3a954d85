"""
The demo has nothing after "now": no dossier received, resolved or returned later than the moment it was
loaded, and back-dated document revisions stay in the order they were saved, so Wagtail's editor does not
warn that saving "will overwrite a newer version" on the first edit of a demo document.
"""

import datetime
import io
import json
import re

import pandas as pd
import pytest
from django.core.management import call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.models import EditingSession
from wagtail.models import Revision

from procedures_docs.models import ControlledDocumentPage
from qms.dossiers.demo import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    return timezone.now()


def test_no_dossier_is_received_resolved_or_returned_after_now():
    """Generated in the morning: today's dossiers were received, resolved and returned before now."""
    now = datetime.datetime(2026, 11, 30, 10, 15)
    frame = generate(3000, start=datetime.date(2026, 9, 1), now=now)
    assert (frame["ngay_tiep_nhan"].str[:10] == "30/11/2026").any()  # today has dossiers
    for column in ("ngay_tiep_nhan", "ngay_ket_thuc_xu_ly", "ngay_tra_ket_qua"):
        times = pd.to_datetime(frame[column], format="%d/%m/%Y %H:%M:%S", errors="coerce")
        assert times.max() <= now, column


def test_demo_revisions_are_dated_in_the_order_they_were_saved(demo, client):
    pages = ControlledDocumentPage.objects.filter(latest_revision__isnull=False)
    assert pages.filter(issues__number=2).exists()  # back-dated revisions of several issues are there
    for page in pages:
        newest = Revision.objects.filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk)).aggregate(
            newest=Max("created_at"))["newest"]
        assert newest == page.latest_revision.created_at, page.code

    # As the editor sees it: it asks whether a revision newer than the one it loaded exists.
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    page = pages.filter(owner_unit__code="BN-YENTHE", code="QT-06").get()
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    created_at = re.search(r'name="revision_created_at" value="([^"]+)"', editor).group(1)
    session = EditingSession.objects.filter(object_id=str(page.pk)).latest("pk")
    ping = client.post(
        reverse("wagtailadmin_editing_sessions:ping", args=["procedures_docs", "controlleddocumentpage", page.pk, session.pk]),
        {"revision_id": page.latest_revision_id, "revision_created_at": created_at, "is_editing": "1"},
    )
    assert ping.status_code == 200
    assert json.loads(ping.content)["other_sessions"] == []  # nobody "saved a newer version"
