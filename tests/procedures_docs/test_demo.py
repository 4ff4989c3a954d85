"""The demo's documents tell the district's story (the idempotency check of every app is in tests/core)."""

import io

import pytest
from django.core.management import call_command

from procedures_docs import selectors
from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage, DocumentType

pytestmark = pytest.mark.django_db


def test_small_demo_has_issued_revised_obsolete_and_readable_documents():
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    assert set(DocumentLibraryPage.objects.values_list("unit__code", flat=True)) >= {"215", "BN-YENTHE", "BN-BOHA"}
    yt = ControlledDocumentPage.objects.filter(owner_unit__code="BN-YENTHE")
    birth = yt.get(code="QT-06")
    assert list(birth.issues.values_list("number", flat=True)) == [1, 2]
    assert birth.issues.get(number=2).change_summary.startswith("Bổ sung tiếp nhận hồ sơ trực tuyến")
    assert yt.filter(doc_type=DocumentType.FORM, withdrawal__isnull=True).exists()
    assert yt.get(code="QT-16").is_obsolete
    assert all(page.is_obsolete for page in ControlledDocumentPage.objects.filter(owner_unit__code="215"))
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="motcua")
    readable = set(selectors.readable_documents(staff).values_list("code", flat=True))
    assert {"QT-01", "QT-06", "CS-01"} <= readable and "QT-16" not in readable


def test_full_demo():
    """The full demo (what `make run` loads): 5 system procedures, policy, objectives, 12 TTHC with forms."""
    call_command("load_demo", stdout=io.StringIO())
    yt = ControlledDocumentPage.objects.filter(owner_unit__code="BN-YENTHE")
    assert set(yt.exclude(doc_type=DocumentType.FORM).values_list("code", flat=True)) >= {
        "CS-01", "MT-01", "QT-01", "QT-02", "QT-03", "QT-04", "QT-05", *[f"QT-{n:02d}" for n in range(6, 18)]}
    assert yt.filter(procedures__isnull=False).values("procedures").distinct().count() >= 10
    assert max(page.issues.count() for page in yt) == 3
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="qlcl")
    assert selectors.review_due(officer).count() >= 3
