"""Evidence files are kept records: one collection per unit, a SHA-256 taken at upload, and no Wagtail
document URL lets anyone (superuser included) edit, replace, move or delete them, or even list them."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from audits import services
from audits.models import CauseCategory, EvidenceCollection, EvidenceFile, NcStatus
from qms.core.roles import Role
from tests.audits.factories import open_nc, start_audit
from tests.utils import assert_forbidden

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 bien ban kiem tra ho so"
MSG_TOO_BIG = "Tệp có dung lượng %(size)s MB, vượt quá mức cho phép %(limit)s MB."


def upload(name="bien-ban.pdf", content=CONTENT):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def evidence(client_for, people, audit_now):
    """An evidence file of Xã Yên Thế, attached to a checklist answer through the audit page."""
    start_audit(audit_now, by=people.auditor_boha)
    item = audit_now.checklist.first()
    client_for(people.auditor_boha).post(
        reverse("audits:page", args=[audit_now.pk]), {f"result-{item.pk}": "conforms", f"file-{item.pk}": upload()}
    )
    return item.attachments.get()


@pytest.fixture
def outsiders(make_user, units):
    """A quality officer of Xã Tam Tiến (Root document permissions through the role) and a superuser."""
    return [
        make_user(Role.QUALITY_OFFICER, units["BN-TAMTIEN"], username="qo.tamtien"),
        make_user(None, username="root", is_superuser=True, is_staff=True),
    ]


def test_evidence_carries_its_sha256_shown_beside_the_link(client_for, people, audit_now, evidence, units):
    fingerprint = EvidenceFile.objects.get(document=evidence)
    assert fingerprint.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert fingerprint.unit == units["BN-YENTHE"]
    html = client_for(people.staff).get(reverse("audits:page", args=[audit_now.pk])).content.decode()
    assert f'<code data-testid="sha256">{hashlib.sha256(CONTENT).hexdigest()}</code>' in html
    # The unit's own collection, under the evidence parent, closed to Wagtail's document URLs.
    collection = EvidenceCollection.objects.get(unit=units["BN-YENTHE"]).collection
    assert evidence.collection == collection
    assert collection.get_parent().name == services.EVIDENCE_COLLECTION
    assert collection.get_view_restrictions().exists()


def test_each_unit_has_its_own_evidence_collection(people, units):
    yen_the = services.evidence_document_create(file=upload(), by=people.qo, unit=units["BN-YENTHE"])
    bo_ha = services.evidence_document_create(file=upload(), by=people.qo, unit=units["BN-BOHA"])
    again = services.evidence_document_create(file=upload(), by=people.qo, unit=units["BN-YENTHE"])
    assert yen_the.collection == again.collection != bo_ha.collection
    assert yen_the.collection.get_parent() == bo_ha.collection.get_parent()


def test_only_those_who_see_the_record_download_it(client, client_for, people, evidence, make_user, units, outsiders):
    response = client_for(people.staff).get(reverse("audits:attachment", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"].startswith("attachment")
    client.logout()
    response = client.get(reverse("audits:attachment", args=[evidence.pk]))
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert_forbidden(client_for(outsiders[0]).get(reverse("audits:attachment", args=[evidence.pk])))
    # Wagtail's own document URL serves evidence to nobody, not even a superuser.
    for user in (people.staff, *outsiders):
        assert client_for(user).get(evidence.url).status_code == 404
    client.logout()
    assert client.get(evidence.url).status_code in (302, 404)
    # Nor does the old public media folder exist.
    assert client.get(settings.MEDIA_URL + evidence.file.name).status_code == 404


def _unchanged(document, title="bien-ban.pdf"):
    document = get_document_model().objects.get(pk=document.pk)
    assert document.title == title
    assert Path(document.file.path).read_bytes() == CONTENT
    return document


def test_nobody_edits_replaces_moves_or_deletes_evidence_through_wagtail(client_for, evidence, outsiders):
    collection = evidence.collection
    root = Collection.get_first_root_node()
    for user in outsiders:
        client = client_for(user)
        edit = reverse("wagtaildocs:edit", args=[evidence.pk])
        assert_forbidden(client.get(edit))
        assert_forbidden(client.post(edit, {
            "title": "Đã sửa", "collection": root.pk, "file": upload("khac.pdf", b"%PDF-1.4 khac"), "tags": "",
        }))
        assert_forbidden(client.post(reverse("wagtaildocs:delete", args=[evidence.pk])))
        assert_forbidden(client.post(reverse("wagtaildocs:edit_multiple", args=[evidence.pk]), {
            f"doc-{evidence.pk}-title": "Đã sửa", f"doc-{evidence.pk}-collection": root.pk, f"doc-{evidence.pk}-tags": "",
        }))
        client.post(reverse("wagtaildocs:delete_multiple", args=[evidence.pk]))
        bulk = reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
        client.post(f"{bulk}?id={evidence.pk}")
        move = reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "add_to_collection"])
        client.post(f"{move}?id={evidence.pk}", {"collection": root.pk})
        document = _unchanged(evidence)
        assert document.collection == collection, "not moved"
        assert_forbidden(client.get(reverse("wagtaildocs:document_usage", args=[evidence.pk])))


def test_evidence_is_in_no_document_listing_or_chooser(client_for, evidence, outsiders, people):
    for user in (*outsiders, people.qo):
        client = client_for(user)
        for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose"),
                    reverse("wagtaildocs_chooser:choose_results") + "?q=bien"):
            response = client.get(url)
            assert "bien-ban.pdf" not in response.content.decode(), url
        # Nor can anyone upload into an evidence collection from Wagtail's forms.
        client.post(reverse("wagtaildocs:add"), {
            "title": "Lậu", "collection": evidence.collection.pk, "file": upload("lau.pdf"), "tags": "",
        })
        # (With the evidence collections out of reach, Root may be their only choice: the field is then hidden.)
        assert not get_document_model().objects.filter(collection=evidence.collection).exclude(pk=evidence.pk).exists()


def test_evidence_of_a_closed_nonconformity_is_kept(client_for, people, units, recent, outsiders):
    nc = open_nc(unit=units["BN-YENTHE"], by=people.qo, detected_on=recent)
    services.nonconformity_analyse(nc=nc, whys=["Chưa tập huấn"], cause_category=CauseCategory.PEOPLE, on=recent, by=people.staff)
    action = services.corrective_action_add(nc=nc, description="Tập huấn", responsible=people.staff, due_on=recent, by=people.staff)
    document = services.evidence_document_create(file=upload(), by=people.staff, unit=nc.unit)
    services.corrective_action_complete(action=action, done_on=recent, evidence="Biên bản", attachments=[document], by=people.staff)
    nc = services.nonconformity_verify(nc=nc, effective=True, on=recent, by=people.qo)
    assert nc.status == NcStatus.CLOSED
    for user in outsiders:
        client = client_for(user)
        assert_forbidden(client.post(reverse("wagtaildocs:delete", args=[document.pk])))
        bulk = reverse("wagtail_bulk_action", args=["wagtaildocs", "document", "delete"])
        client.post(f"{bulk}?id={document.pk}")
        _unchanged(document)
    html = client_for(people.staff).get(reverse("nonconformities:detail", args=[nc.pk])).content.decode()
    assert hashlib.sha256(CONTENT).hexdigest() in html


@override_settings(QMS_MAX_EVIDENCE_UPLOAD=1024 * 1024)
def test_an_oversize_evidence_file_is_refused_and_nothing_is_stored(client_for, people, audit_now):
    start_audit(audit_now, by=people.auditor_boha)
    item = audit_now.checklist.first()
    documents = Path(settings.MEDIA_ROOT) / "documents"
    before = set(documents.rglob("*")) if documents.exists() else set()
    big = upload("lon.pdf", b"%PDF" + b"x" * 2 * 1024 * 1024)
    response = client_for(people.auditor_boha).post(
        reverse("audits:page", args=[audit_now.pk]), {f"result-{item.pk}": "conforms", f"file-{item.pk}": big}, follow=True
    )
    assert MSG_TOO_BIG % {"size": "2", "limit": "1"} in response.content.decode()
    # A finding's attachment goes through the form field: the message is on the form.
    response = client_for(people.auditor_boha).post(
        reverse("audits:finding", args=[audit_now.pk]),
        {"kind": "observation", "statement": "Thiếu biên bản", "attachment": upload("lon.pdf", b"x" * 1536 * 1024)},
    )
    assert MSG_TOO_BIG % {"size": "1,5", "limit": "1"} in response.content.decode()
    assert not get_document_model().objects.exists() and not EvidenceFile.objects.exists()
    after = set(documents.rglob("*")) if documents.exists() else set()
    assert after == before, "no file left behind"


def test_the_admin_api_lists_no_evidence(client_for, evidence, outsiders):
    get_document_model().objects.create(
        title="Bản gốc", file=SimpleUploadedFile("ban-goc.docx", b"x"), collection=Collection.get_first_root_node()
    )
    for user in outsiders:
        response = client_for(user).get("/admin/api/main/documents/")
        assert response.status_code == 200
        assert "ban-goc.docx" in response.content.decode() and "bien-ban.pdf" not in response.content.decode()


READ_ONLY = "Không lưu được tệp: thư mục lưu tệp trên máy chủ đang ở chế độ chỉ đọc."


def test_a_read_only_media_folder_keeps_what_the_auditor_typed(client_for, people, audit_now, media_mount):
    start_audit(audit_now, by=people.auditor_boha)
    media_mount(1024 * 1024).read_only()
    client = client_for(people.auditor_boha)
    response = client.post(
        reverse("audits:finding", args=[audit_now.pk]),
        {"kind": "observation", "clause": audit_now.checklist.first().clause_id,
         "statement": "Sổ theo dõi hồ sơ ghi thiếu ngày trả", "evidence": "Sổ tháng 10",
         "attachment": upload()},
    )
    html = response.content.decode()
    assert response.status_code == 200 and READ_ONLY in html
    assert "Sổ theo dõi hồ sơ ghi thiếu ngày trả" in html and "Sổ tháng 10" in html
    assert not audit_now.findings.exists()

    item = audit_now.checklist.first()
    response = client.post(
        reverse("audits:page", args=[audit_now.pk]),
        {f"result-{item.pk}": "conforms", f"notes-{item.pk}": "Đã xem 20 hồ sơ", f"file-{item.pk}": upload()},
    )
    html = response.content.decode()
    assert READ_ONLY in html and "Đã xem 20 hồ sơ" in html
    item.refresh_from_db()
    assert item.notes == "" and not item.attachments.exists()
    assert not get_document_model().objects.exists() and media_mount.files() == []


def test_evidence_stored_before_a_refused_save_is_removed(client_for, people, audit_now, monkeypatch):
    """The file is written before the finding: if the finding is refused, no file stays without a record."""
    from django.core.exceptions import ValidationError

    start_audit(audit_now, by=people.auditor_boha)
    documents = Path(settings.MEDIA_ROOT) / "documents"
    before = set(documents.rglob("*")) if documents.exists() else set()

    def refuse(**kwargs):
        raise ValidationError("Từ chối")

    monkeypatch.setattr(services, "finding_record", refuse)
    response = client_for(people.auditor_boha).post(
        reverse("audits:finding", args=[audit_now.pk]), {"kind": "observation", "clause": audit_now.checklist.first().clause_id, "statement": "Thiếu",
         "attachment": upload()}
    )
    assert "Từ chối" in response.content.decode()
    assert not get_document_model().objects.exists() and not EvidenceFile.objects.exists()
    assert (set(documents.rglob("*")) if documents.exists() else set()) == before
