"""
Demo documents (called by `manage.py load_demo` after core). The story follows DOMAIN.md:

- Huyện Yên Thế applied its QMS from 2019 (system procedures, quality policy and objectives,
  procedures of district-level TTHC), revised them over the years, and withdrew them all on
  1/7/2025 when the district was abolished: they stay readable as obsolete, with their history.
- Xã Yên Thế (the largest successor) rebuilt its document set from August 2025: quality policy and
  2026 objectives, the five system procedures, and procedures for 12 TTHC with their forms; some
  revised two or three times, one withdrawn when the TTHC left the commune, a few due or overdue
  for review, one awaiting a legal update, one revision under review. Its staff read and
  acknowledged most issues.
- The other four successor communes are at earlier stages (a policy, a procedure or two, drafts).

Every issue goes through the real workflow (`qlcl` drafts, `soatxet` reviews, the leader approves) and is then
back-dated to its historical date. Idempotent: a document that exists is left alone. `scale` < 0.5
(tests) loads a smaller set.
"""

from __future__ import annotations

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from procedures_docs import demo_content as text
from procedures_docs import services
from procedures_docs.models import (
    Acknowledgement,
    ControlledDocumentPage,
    DocumentLibraryPage,
    DocumentType,
    DocumentWithdrawal,
    add_months,
)
from qms.core.demo import (
    ANNOUNCED_2020,
    DEMO_PASSWORD,
    DISTRICT_CODE,
    DISTRICT_OFFICE_CODE,
    OLD_UNITS,
    READY_2024,
    SUCCESSOR_CODES,
)
from qms.core.models import AdministrativeProcedure, IsoClause, Membership, Unit
from qms.core.roles import Role

D = datetime.date
MERGER_WITHDRAWAL = (
    "Huyện Yên Thế kết thúc hoạt động từ ngày 01/7/2025 theo Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp "
    "đơn vị hành chính; nhiệm vụ chuyển giao cho các xã mới, tài liệu được thay thế bởi hệ thống tài liệu của các xã."
)

#: Staff of Xã Yên Thế besides the core demo's `motcua`, so the acknowledgement matrix has rows.
#: They cannot log in (no password); they exist to be counted.
YEN_THE_STAFF = [
    ("yt.diachinh", "Vũ Văn Đức", "Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường"),
    ("yt.vanphong", "Đỗ Thị Mai", "Công chức Văn phòng - Thống kê"),
    ("yt.vhxh", "Ngô Thị Hương", "Công chức Văn hóa - Xã hội"),
]


#: The quality officer who reviews what `qlcl` drafts: a drafter neither reviews nor approves her own revision
#: (separation of duties, ISO 9001 7.5.2). Same units as `qlcl`; no e-mail, so review reminders stay with `qlcl`.
REVIEWER = ("soatxet", "Đỗ Thị Thu", "Chuyên viên Văn phòng HĐND và UBND huyện, soát xét tài liệu HTQLCL")


def _reviewer():
    User = get_user_model()
    username, full_name, position = REVIEWER
    last, first = full_name.rsplit(" ", 1)
    user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=Role.QUALITY_OFFICER.value))
    for code in [DISTRICT_CODE, *SUCCESSOR_CODES]:
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=code), defaults={"position": position})
    services.document_access_sync(users=[user])
    return user


class Actors:
    """The demo's officer, reviewer, leader and staff. Re-read after a library is created: Wagtail caches page permissions on the user."""

    def __init__(self):
        _reviewer()
        self.refresh()

    def refresh(self):
        User = get_user_model()
        self.admin = User.objects.get(username="admin")
        self.officer = User.objects.get(username="qlcl")
        self.reviewer = User.objects.get(username=REVIEWER[0])
        self.leader = User.objects.get(username="lanhdao")
        self.staff = User.objects.get(username="motcua")


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _backdate_revisions(page, since: datetime.datetime, to: datetime.datetime) -> None:
    """
    Move the revisions saved since `since` to `to`, and any older revision still dated after `to` (the
    empty draft `_document` saved today) with them: revisions must stay in the order of their ids, or
    Wagtail's editor takes the one dated latest for "a newer version" and warns on the first save.
    """
    revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type=page.get_base_content_type())
    revisions.filter(Q(created_at__gte=since) | Q(created_at__gt=to)).update(created_at=to)


def _backdate(page, since: datetime.datetime, on: datetime.date) -> None:
    """Move what the last submit-review-approve wrote to its historical dates (a week of work ending on `on`)."""
    submitted, reviewed, approved = _aware(on - datetime.timedelta(days=6), 8, 30), _aware(on - datetime.timedelta(days=2), 10), _aware(on, 15)
    object_id = str(page.pk)
    _backdate_revisions(page, since, submitted)
    states = WorkflowState.objects.filter(object_id=object_id, base_content_type=page.get_base_content_type(), created_at__gte=since)
    for state in states:
        steps = list(state.task_states.order_by("pk"))
        for index, task_state in enumerate(steps):
            start, end = (submitted, reviewed) if index == 0 else (reviewed, approved)
            TaskState.objects.filter(pk=task_state.pk).update(started_at=start, finished_at=end if task_state.finished_at else None)
    states.update(created_at=submitted)
    PageLogEntry.objects.filter(page_id=page.pk, timestamp__gte=since).update(timestamp=approved)
    issue = page.issues.order_by("-number").first()
    if issue is not None and issue.approved_at >= since:
        interval = issue.revision.as_object().review_interval_months
        page.issues.filter(pk=issue.pk).update(
            effective_date=on, next_review_on=add_months(on, interval),
            submitted_at=submitted if issue.submitted_at else None, reviewed_at=reviewed if issue.reviewed_at else None,
            approved_at=approved,
        )
        first = page.issues.count() == 1
        fields = {"last_published_at": approved, "latest_revision_created_at": submitted}
        if first:
            fields["first_published_at"] = approved
        ControlledDocumentPage.objects.filter(pk=page.pk).update(**fields)


def _issue(page, actors: Actors, on: datetime.date, summary: str, location: str = "", **changes) -> None:
    since = timezone.now()
    services.document_edit(page=page, by=actors.officer, change_summary=summary, change_location=location, **changes)
    services.document_submit(page=page, by=actors.officer)
    services.document_review(page=page, by=actors.reviewer, approve=True)
    services.document_review(page=page, by=actors.leader, approve=True)
    _backdate(page, since, on)


def _draft(page, actors: Actors, summary: str, location: str, stage: str, **changes) -> None:
    """A revision in progress: `stage` is "draft", "review" (waiting for the quality officer) or "approval"."""
    since = timezone.now()
    services.document_edit(page=page, by=actors.officer, change_summary=summary, change_location=location, **changes)
    if stage in ("review", "approval"):
        services.document_submit(page=page, by=actors.officer)
    if stage == "approval":
        services.document_review(page=page, by=actors.reviewer, approve=True)
    day = timezone.localdate() - datetime.timedelta(days=3)
    _backdate_revisions(page, since, _aware(day, 9))
    ControlledDocumentPage.objects.filter(pk=page.pk).update(latest_revision_created_at=_aware(day, 9))


def _document(parent, actors: Actors, *, code: str, title: str, doc_type=DocumentType.PROCEDURE, applies_to=(),
              clauses=(), procedures=(), interval: int = 12, **fields):
    """The document `code` of the parent's unit, created as an empty draft if it does not exist; None if it does."""
    unit = parent.unit if isinstance(parent, DocumentLibraryPage) else parent.owner_unit
    if ControlledDocumentPage.objects.filter(owner_unit=unit, code=code).exists():
        return None
    return services.document_create(
        parent=parent, by=actors.officer, code=code, title=title, doc_type=doc_type, review_interval_months=interval,
        applies_to=list(applies_to), iso_clauses=list(IsoClause.objects.filter(number__in=clauses)),
        procedures=list(AdministrativeProcedure.objects.filter(code__in=procedures)), **fields,
    )


def _library(code: str, actors: Actors, intro: str) -> DocumentLibraryPage:
    unit = Unit.objects.get(code=code)
    library = DocumentLibraryPage.objects.filter(unit=unit).first()
    if library is None:
        library = services.library_create(unit=unit, by=actors.admin, intro=intro)
        actors.refresh()
    return library


def _localise(value, office: str):
    """The commune texts, said of another administration level ("UBND xã" → "UBND huyện")."""
    if isinstance(value, str):
        return value.replace("UBND xã", f"UBND {office}")
    if isinstance(value, list):
        return [_localise(item, office) for item in value]
    if isinstance(value, tuple):
        return tuple(_localise(item, office) for item in value)
    if isinstance(value, dict):
        return {key: _localise(item, office) for key, item in value.items()}
    return value


def _system_procedure(library, actors, spec, *, unit_name, applies_to, issues, forms=True, form_interval=24):
    page = _document(
        library, actors, code=spec["code"], title=spec["title"], applies_to=applies_to, clauses=spec["clauses"],
        purpose=spec["purpose"], scope=spec["scope"].format(unit=unit_name), references=text.ISO_REFS,
        definitions=spec["definitions"], body=[("process_step", s) for s in spec["steps"]],
        records=[("record", r) for r in spec["records"]],
    )
    if page is None:
        return None
    for on, summary, location, changes in issues:
        _issue(page, actors, on, summary, location, **changes)
    if forms:
        for code, title in spec["forms"]:
            form = _document(page, actors, code=code, title=title, doc_type=DocumentType.FORM, interval=form_interval,
                             body=text.form_body(title))
            _issue(form, actors, issues[0][0], "Ban hành lần đầu")
    return page


def _tthc_procedure(library, actors, spec, *, applies_to, issues, office="xã", forms=True, max_forms=None):
    procedure = AdministrativeProcedure.objects.get(code=spec["tthc"])
    title = f"Quy trình giải quyết {procedure.name[0].lower()}{procedure.name[1:]}"
    number = spec["code"].split("-")[1]
    body = _localise(text.tthc_body(spec, procedure), office)
    page = _document(
        library, actors, code=spec["code"], title=title, applies_to=applies_to, clauses=["8.2", "8.5.1"],
        procedures=[procedure.code],
        purpose=f"<p>Quy định trình tự, trách nhiệm giải quyết {procedure.name[0].lower()}{procedure.name[1:]} tại "
                f"Bộ phận Một cửa UBND {office}, bảo đảm đúng pháp luật, đúng thời hạn.</p>",
        scope=f"<p>Áp dụng đối với cá nhân, tổ chức có yêu cầu và cán bộ, công chức UBND {office} liên quan.</p>",
        references=text.ONE_STOP_REFS + f"<p>{procedure.legal_basis}.</p>",
        definitions=text.ABBREVIATIONS, body=body, records=_localise([("record", r) for r in text.tthc_records(spec)], office),
    )
    if page is None:
        return None
    for on, summary, location, changes in issues:
        _issue(page, actors, on, summary, location, **changes)
    if forms:
        form_specs = [(f"BM-{number}-{suffix}", title) for suffix, title in text.ONE_STOP_FORMS]
        if spec.get("own_form"):
            form_specs.append((f"BM-{number}-03", spec["own_form"]))
        for code, form_title in form_specs[:max_forms]:
            form = _document(page, actors, code=code, title=form_title, doc_type=DocumentType.FORM, interval=24,
                             body=text.form_body(form_title))
            _issue(form, actors, issues[0][0], "Ban hành lần đầu")
    return page


def _simple(library, actors, *, code, title, doc_type, body, clauses, applies_to, issues):
    page = _document(library, actors, code=code, title=title, doc_type=doc_type, applies_to=applies_to, clauses=clauses,
                     body=[("paragraph", body)])
    if page is None:
        return None
    for on, summary, location, changes in issues:
        _issue(page, actors, on, summary, location, **changes)
    return page


def _withdraw(page, actors: Actors, on: datetime.date, reason: str) -> None:
    if page is None or page.is_obsolete:
        return
    since = timezone.now()
    services.document_withdraw(page=page, on=on, reason=reason, by=actors.leader)
    DocumentWithdrawal.objects.filter(recorded_at__gte=since).update(recorded_at=_aware(on, 8))
    PageLogEntry.objects.filter(timestamp__gte=since, action="procedures_docs.withdraw").update(timestamp=_aware(on, 8))


def _acknowledge(page, user, *, numbers=None, delay_days: int = 3) -> None:
    """`user` read the issues `numbers` of `page` (default: all), a few days after each took effect."""
    if page is None:
        return
    for issue in page.issues.order_by("number"):
        if numbers is not None and issue.number not in numbers:
            continue
        at = _aware(issue.effective_date + datetime.timedelta(days=delay_days), 14, 10)
        Acknowledgement.objects.get_or_create(user=user, issue=issue, defaults={"acknowledged_at": at})


# --- the district, 2019 – 30/6/2025 ----------------------------------------------------------------

def load_district(actors: Actors, *, full: bool) -> int:
    library = _library(DISTRICT_CODE, actors, "<p>Tài liệu HTQLCL của UBND huyện Yên Thế áp dụng từ năm 2019 đến ngày "
                                              "30/6/2025. Toàn bộ đã hết hiệu lực khi huyện kết thúc hoạt động.</p>")
    if ControlledDocumentPage.objects.filter(owner_unit=library.unit).exists():
        return 0
    units = [Unit.objects.get(code=c) for c in [DISTRICT_CODE, DISTRICT_OFFICE_CODE] + [code for code, *_ in OLD_UNITS]]
    name = "UBND huyện Yên Thế và các xã, thị trấn trực thuộc"
    system = text.SYSTEM_PROCEDURES if full else text.SYSTEM_PROCEDURES[:1]
    pages = []
    for spec in _localise(system, "huyện"):
        history = [(D(2019, 10, 1), "Ban hành lần đầu", "", {})]
        if not full:
            pages.append(_system_procedure(library, actors, spec, unit_name=name, applies_to=units, issues=history, forms=False))
            continue
        if spec["code"] in ("QT-01", "QT-03"):
            history.append((D(2021, 3, 10), "Cập nhật sau đánh giá nội bộ năm 2020: bổ sung trách nhiệm của Bộ phận Một "
                            "cửa, điều chỉnh thời hạn các bước", "Mục 5, bước B2 – B4", {}))
        if spec["code"] == "QT-01":
            history.append((D(2023, 9, 15), "Chuyển sang quản lý tài liệu điện tử: phê duyệt và phân phối tài liệu trên "
                            "hệ thống, bỏ sổ giao nhận tài liệu giấy", "Mục 5, bước B4 – B6; Mục 6",
                            {"references": text.ISO_REFS + "<p>Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về "
                                                           "công tác văn thư.</p>"}))
        pages.append(_system_procedure(library, actors, spec, unit_name=name, applies_to=units, issues=history,
                                       forms=full and spec["code"] == "QT-01"))
    issuer = "Ủy ban nhân dân huyện Yên Thế"
    if full:
        pages.append(_simple(library, actors, code="CS-01", title="Chính sách chất lượng", doc_type=DocumentType.POLICY,
                             body=text.POLICY_BODY.format(issuer=issuer), clauses=["5.2", "5.2.1"], applies_to=units,
                             issues=[(D(2019, 10, 1), "Ban hành lần đầu", "", {})]))
        pages.append(_simple(library, actors, code="MT-2025", title="Mục tiêu chất lượng năm 2025",
                             doc_type=DocumentType.OBJECTIVES, body=text.objectives_body(2025, 98, 70, 95).format(issuer=issuer),
                             clauses=["6.2"], applies_to=units, issues=[(D(2025, 1, 6), "Ban hành lần đầu", "", {})]))
        district_tthc = [
            ({"code": "QT-06", "tthc": "DEMO-XD-01", "officer": "Phòng Kinh tế, Hạ tầng và Đô thị",
              "dossier": ["Đơn đề nghị cấp giấy phép xây dựng;", "Bản sao giấy tờ chứng minh quyền sử dụng đất;",
                          "02 bộ bản vẽ thiết kế xây dựng."], "result": "Giấy phép xây dựng", "fee": "Theo Nghị quyết của Hội đồng nhân dân tỉnh."},
             [(D(2019, 10, 1), "Ban hành lần đầu", "", {}),
              (D(2021, 12, 20), "Cập nhật thành phần hồ sơ và căn cứ pháp lý theo Nghị định số 15/2021/NĐ-CP", "Mục 3; Mục 5.2", {})]),
            ({"code": "QT-07", "tthc": "DEMO-KD-01", "officer": "Phòng Tài chính - Kế hoạch",
              "dossier": ["Giấy đề nghị đăng ký hộ kinh doanh;", "Bản sao giấy tờ pháp lý của chủ hộ kinh doanh."],
              "result": "Giấy chứng nhận đăng ký hộ kinh doanh", "fee": "Theo Nghị quyết của Hội đồng nhân dân tỉnh."},
             [(D(2019, 10, 1), "Ban hành lần đầu", "", {}),
              (D(2021, 6, 1), "Cập nhật theo Nghị định số 01/2021/NĐ-CP về đăng ký doanh nghiệp", "Mục 3; Mục 5.2; Mục 5.6", {})]),
            ({"code": "QT-08", "tthc": "DEMO-DD-03", "officer": "Chi nhánh Văn phòng đăng ký đất đai",
              "dossier": ["Đơn đăng ký biến động đất đai, tài sản gắn liền với đất;", "Bản gốc Giấy chứng nhận đã cấp;",
                          "Hợp đồng, văn bản về việc chuyển quyền sử dụng đất."],
              "result": "Giấy chứng nhận đã xác nhận nội dung biến động hoặc Giấy chứng nhận mới",
              "fee": "Theo Nghị quyết của Hội đồng nhân dân tỉnh."},
             [(D(2019, 10, 1), "Ban hành lần đầu", "", {}),
              (D(2024, 9, 1), "Cập nhật theo Luật Đất đai năm 2024 và Nghị định số 101/2024/NĐ-CP; điều chỉnh thời hạn giải quyết",
               "Mục 3; Mục 5.3; Mục 5.6", {})]),
        ]
        for spec, history in district_tthc:
            pages.append(_tthc_procedure(library, actors, spec, applies_to=units, issues=history, office="huyện", forms=False))
    for page in pages:
        _withdraw(page, actors, D(2025, 7, 1), MERGER_WITHDRAWAL)
    return len(pages)


# --- the communes' procedures, 2024 – 30/6/2025 --------------------------------------------------------

#: Commune TTHC without a detailed text in demo_content: their procedures follow the generic one-stop sequence.
GENERIC_OFFICERS = {
    "Hộ tịch": "Công chức Tư pháp - Hộ tịch", "Chứng thực": "Công chức Tư pháp - Hộ tịch",
    "Thi đua, khen thưởng": "Công chức Văn phòng - Thống kê", "Tín ngưỡng, tôn giáo": "Công chức Văn hóa - Xã hội",
    "Giải quyết khiếu nại": "Công chức Tư pháp - Hộ tịch", "Giải quyết tố cáo": "Công chức Tư pháp - Hộ tịch",
}
#: TTHC that came under the announced communes' procedures last (DOMAIN: scope grows; re-announcement).
ADDED_LATER = ("DEMO-TG-01", "DEMO-KN-01", "DEMO-TC-01")


def _commune_spec(procedure, number: int) -> dict:
    detailed = {spec["tthc"]: spec for spec in text.TTHC_PROCEDURES}
    spec = dict(detailed.get(procedure.code) or {
        "officer": GENERIC_OFFICERS.get(procedure.field, "Công chức Văn phòng - Thống kê"),
        "dossier": ["Đơn hoặc tờ khai theo mẫu quy định (01 bản);", "Các giấy tờ kèm theo theo quy định của thủ tục."],
        "result": f"Kết quả giải quyết {procedure.name[0].lower()}{procedure.name[1:]}",
        "fee": "Không thu phí, lệ phí.",
    })
    spec.update(code=f"QTX-{number:02d}", tthc=procedure.code)
    return spec


def load_commune_procedures_2024(actors: Actors, *, full: bool) -> int:
    """
    The district's model procedures for the communes' TTHC, re-issued for 2024 and applied to the
    communes that used them (readiness varies: complete for READY_2024, most TTHC for the other
    announced units, civil status only for the rest), the 2024 objectives of the announced units;
    all withdrawn on 1/7/2025 (objectives on 6/1/2025, replaced by the 2025 ones).
    """
    if not full:
        return 0
    library = _library(DISTRICT_CODE, actors, "")
    if ControlledDocumentPage.objects.filter(owner_unit=library.unit, code="MT-2024").exists():
        return 0
    communes = {code: Unit.objects.get(code=code) for code, *_ in OLD_UNITS}
    announced = [communes[c] for c in sorted(ANNOUNCED_2020)]
    ready = [communes[c] for c in sorted(READY_2024)]
    procedures = AdministrativeProcedure.objects.filter(level="commune").order_by("field", "code")
    pages = []
    for number, procedure in enumerate(procedures, start=1):
        if procedure.field == "Hộ tịch":
            applies_to = list(communes.values())
        elif procedure.code in ADDED_LATER:
            applies_to = ready
        else:
            applies_to = announced
        pages.append(_tthc_procedure(
            library, actors, _commune_spec(procedure, number), applies_to=applies_to, forms=False,
            issues=[(D(2024, 2, 1), "Ban hành lại bộ quy trình mẫu áp dụng tại các xã, thị trấn theo mô hình khung "
                     "(Quyết định 101/QĐ-BKHCN)", "", {})],
        ))
    issuer = "Ủy ban nhân dân huyện Yên Thế"
    objectives = _simple(library, actors, code="MT-2024", title="Mục tiêu chất lượng năm 2024", doc_type=DocumentType.OBJECTIVES,
                         body=text.objectives_body(2024, 98, 60, 95).format(issuer=issuer), clauses=["6.2"],
                         applies_to=announced, issues=[(D(2024, 1, 8), "Ban hành lần đầu", "", {})])
    _withdraw(objectives, actors, D(2025, 1, 6), "Thay thế bởi Mục tiêu chất lượng năm 2025 (MT-2025).")
    for page in pages:
        _withdraw(page, actors, D(2025, 7, 1), MERGER_WITHDRAWAL)
    return len(pages) + 1


# --- Xã Yên Thế, since 1/7/2025 ---------------------------------------------------------------------

def _yen_the_staff(unit: Unit) -> list:
    User = get_user_model()
    staff = []
    group = Group.objects.get(name=Role.UNIT_STAFF.value)
    for username, full_name, position in YEN_THE_STAFF:
        last, first = full_name.rsplit(" ", 1)
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@yenthe.example"}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(group)
        Membership.objects.get_or_create(user=user, unit=unit, defaults={"position": position})
        staff.append(user)
    return staff


def load_yen_the(actors: Actors, *, full: bool) -> int:
    library = _library("BN-YENTHE", actors, "<p>Hệ thống tài liệu quản lý chất lượng của UBND xã Yên Thế, xây dựng từ "
                                             "tháng 8/2025 sau khi sắp xếp đơn vị hành chính.</p>")
    staff = _yen_the_staff(library.unit)
    if ControlledDocumentPage.objects.filter(owner_unit=library.unit).exists():
        return 0
    unit = [library.unit]
    issuer = "Ủy ban nhân dân xã Yên Thế"
    pages = {}
    pages["CS-01"] = _simple(library, actors, code="CS-01", title="Chính sách chất lượng", doc_type=DocumentType.POLICY,
                             body=text.POLICY_BODY.format(issuer=issuer), clauses=["5.2", "5.2.1", "5.2.2"], applies_to=unit,
                             issues=[(D(2025, 12, 10), "Ban hành lần đầu sau khi thành lập xã Yên Thế", "", {})])
    if full:
        pages["MT-01"] = _simple(library, actors, code="MT-01", title="Mục tiêu chất lượng năm 2026",
                                 doc_type=DocumentType.OBJECTIVES,
                                 body=text.objectives_body(2026, 98, 80, 95).format(issuer=issuer),
                                 clauses=["6.2"], applies_to=unit, issues=[(D(2026, 1, 5), "Ban hành lần đầu", "", {})])
    history = {
        "QT-01": [(D(2025, 8, 15), "Ban hành lần đầu", "", {}),
                  (D(2026, 4, 20), "Bổ sung bước xác nhận “Tôi đã đọc và hiểu” trên hệ thống; soát xét tài liệu trong 03 "
                   "tháng khi căn cứ pháp lý thay đổi", "Mục 5, bước B5, B7", {})],
        "QT-02": [(D(2025, 8, 15), "Ban hành lần đầu", "", {})],
        "QT-03": [(D(2025, 8, 15), "Ban hành lần đầu", "", {}),
                  (D(2026, 6, 10), "Bổ sung việc gửi Phiếu xin lỗi và hẹn lại ngày trả kết quả khi hồ sơ trễ hạn",
                   "Mục 5, bước B2", {})],
        "QT-04": [(D(2025, 12, 1), "Ban hành lần đầu", "", {})],
        "QT-05": [(D(2025, 8, 15), "Ban hành lần đầu", "", {})],
    }
    system = text.SYSTEM_PROCEDURES if full else text.SYSTEM_PROCEDURES[:1]
    for spec in system:
        pages[spec["code"]] = _system_procedure(library, actors, spec, unit_name="UBND xã Yên Thế", applies_to=unit,
                                                issues=history[spec["code"]][: None if full else 1], forms=full)

    specs = {spec["code"]: spec for spec in text.TTHC_PROCEDURES}

    def revised(code, *, online=False, digitise=False, officer=None):
        procedure = AdministrativeProcedure.objects.get(code=specs[code]["tthc"])
        return text.tthc_body(specs[code], procedure, online_note=online, digitise=digitise, officer=officer)

    tthc_history = {
        "QT-06": [(D(2025, 8, 20), "Ban hành lần đầu", "", {}),
                  (D(2026, 2, 10), "Bổ sung tiếp nhận hồ sơ trực tuyến, liên thông đăng ký khai sinh – đăng ký thường trú – "
                   "cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi theo Nghị định số 63/2024/NĐ-CP", "Mục 3; Mục 5.2",
                   {"body": revised("QT-06", online=True),
                    "references": text.ONE_STOP_REFS_2021 + "<p>Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP; "
                                  "Nghị định số 63/2024/NĐ-CP ngày 10/6/2024 của Chính phủ.</p>"}),
                  (D(2026, 9, 1), "Bổ sung số hóa kết quả giải quyết; giao công chức Văn hóa - Xã hội thẩm định hồ sơ khi "
                   "công chức Tư pháp - Hộ tịch vắng mặt", "Mục 5.6, bước B2, B5",
                   {"body": revised("QT-06", online=True, digitise=True,
                                    officer="Công chức Tư pháp - Hộ tịch (vắng mặt: Công chức Văn hóa - Xã hội)")})],
        "QT-07": [(D(2025, 8, 20), "Ban hành lần đầu", "", {}),
                  (D(2026, 3, 15), "Bổ sung tiếp nhận hồ sơ trực tuyến và khai thác thông tin từ Cơ sở dữ liệu quốc gia về "
                   "dân cư", "Mục 5.2", {"body": revised("QT-07", online=True)})],
        "QT-08": [(D(2025, 12, 15), "Ban hành lần đầu", "", {})],
        "QT-09": [(D(2025, 10, 1), "Ban hành lần đầu", "", {})],
        "QT-10": [(D(2026, 1, 12), "Ban hành lần đầu", "", {})],
        "QT-11": [(D(2025, 8, 20), "Ban hành lần đầu", "", {}),
                  (D(2026, 5, 5), "Bổ sung trình tự cấp bản sao điện tử được chứng thực từ bản chính", "Mục 5.2; Mục 5.6",
                   {"body": revised("QT-11", online=True, digitise=True)})],
        "QT-12": [(D(2026, 2, 2), "Ban hành lần đầu", "", {})],
        "QT-13": [(D(2026, 2, 2), "Ban hành lần đầu", "", {})],
        "QT-14": [(D(2026, 3, 2), "Ban hành lần đầu", "", {})],
        "QT-15": [(D(2025, 8, 20), "Ban hành lần đầu (TTHC trước đây do UBND huyện giải quyết)", "", {}),
                  (D(2026, 7, 1), "Rút ngắn thời hạn thẩm định hồ sơ; bổ sung trả kết quả điện tử", "Mục 5.6, bước B2, B5",
                   {"body": revised("QT-15", digitise=True)})],
        "QT-16": [(D(2025, 8, 20), "Ban hành lần đầu (TTHC trước đây do UBND huyện giải quyết)", "", {})],
        "QT-17": [(D(2026, 1, 20), "Ban hành lần đầu", "", {})],
    }
    chosen = [s for s in text.TTHC_PROCEDURES if full or s["code"] in ("QT-06", "QT-16")]
    for spec in chosen:
        pages[spec["code"]] = _tthc_procedure(
            library, actors, spec, applies_to=unit, issues=tthc_history[spec["code"]][: None if full else 2],
            forms=full or spec["code"] == "QT-06", max_forms=None if full else 1,
        )

    # QT-16 left the commune: the licence is issued elsewhere now (demo decision).
    _withdraw(pages.get("QT-16"), actors, D(2026, 6, 15),
              "TTHC không còn thuộc thẩm quyền giải quyết của UBND xã theo Quyết định công bố danh mục TTHC của Chủ tịch "
              "UBND tỉnh Bắc Ninh (dữ liệu mẫu).")
    # A change of the legal basis of đăng ký kết hôn: QT-07 owes an update within 3 months, being drafted now.
    qt07 = pages.get("QT-07")
    if qt07 is not None:
        marriage = AdministrativeProcedure.objects.get(code="DEMO-HT-02")
        changed = D(2026, 10, 20)
        services.document_demand_review(
            page=qt07, procedure=marriage, raised_on=changed, due_on=add_months(changed, services.LEGAL_UPDATE_MONTHS),
            reason="Căn cứ pháp lý của DEMO-HT-02 thay đổi ngày 20/10/2026 (dữ liệu mẫu).",
        )
        _draft(qt07, actors, "Cập nhật căn cứ pháp lý và thành phần hồ sơ theo văn bản mới (dữ liệu mẫu)", "Mục 3; Mục 5.2",
               "review", references=text.ONE_STOP_REFS_2021 + "<p>Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP; văn "
                                    "bản sửa đổi năm 2026 (dữ liệu mẫu).</p>")

    # Reading: motcua read nearly everything, but not the newest issues of QT-06 and QT-11 nor the policy;
    # the other staff about two thirds.
    for code, page in pages.items():
        if page is None or page.is_obsolete:
            continue
        latest = page.issues.count()
        if code in ("QT-06", "QT-11", "CS-01"):
            _acknowledge(page, actors.staff, numbers=range(1, latest))
        else:
            _acknowledge(page, actors.staff)
        for index, user in enumerate(staff):
            if (len(code) + index) % 3:
                _acknowledge(page, user, delay_days=5 + index)
    return len(pages)


# --- the other successor communes -------------------------------------------------------------------

def load_other_communes(actors: Actors, *, full: bool) -> int:
    count = 0
    dates = {"BN-BOHA": D(2026, 2, 5), "BN-DONGKY": D(2026, 4, 1), "BN-XUANLUONG": D(2026, 4, 10)}
    for code, stage in (("BN-BOHA", "in_force"), ("BN-DONGKY", "draft"), ("BN-XUANLUONG", "policy"), ("BN-TAMTIEN", "approval")):
        if not full and code != "BN-BOHA":
            continue
        stage = stage if full else "policy"
        library = _library(code, actors, "<p>Hệ thống tài liệu quản lý chất lượng đang được xây dựng sau khi sắp xếp đơn vị "
                                         "hành chính từ ngày 01/7/2025.</p>")
        if ControlledDocumentPage.objects.filter(owner_unit=library.unit).exists():
            continue
        unit = library.unit
        issuer = f"Ủy ban nhân dân {unit.name[0].lower()}{unit.name[1:]}"
        policy = _document(library, actors, code="CS-01", title="Chính sách chất lượng", doc_type=DocumentType.POLICY,
                           applies_to=[unit], clauses=["5.2"], body=[("paragraph", text.POLICY_BODY.format(issuer=issuer))])
        if stage == "approval":
            _draft(policy, actors, "Ban hành lần đầu", "", "approval")
        else:
            _issue(policy, actors, dates[code], "Ban hành lần đầu")
        count += 1
        if stage == "in_force":
            _system_procedure(library, actors, text.SYSTEM_PROCEDURES[0], unit_name=unit.name.replace("Xã", "UBND xã"),
                              applies_to=[unit], issues=[(D(2026, 2, 5), "Ban hành lần đầu", "", {})], forms=False)
            _tthc_procedure(library, actors, text.TTHC_PROCEDURES[0], applies_to=[unit],
                            issues=[(D(2026, 3, 20), "Ban hành lần đầu", "", {})], forms=full)
            pending = _tthc_procedure(library, actors, text.TTHC_PROCEDURES[1], applies_to=[unit], issues=[], forms=False)
            _draft(pending, actors, "Ban hành lần đầu", "", "review")
            count += 3
        elif stage == "draft":
            draft = _system_procedure(library, actors, text.SYSTEM_PROCEDURES[0], unit_name=unit.name.replace("Xã", "UBND xã"),
                                      applies_to=[unit], issues=[], forms=False)
            _draft(draft, actors, "Ban hành lần đầu", "", "draft")
            count += 1
    return count


@contextlib.contextmanager
def _quiet_workflow_mail():
    """A hundred historical approvals tell nobody: they happened before anyone used the system."""
    from qms.notifications.services import notifications_muted

    with notifications_muted(), override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def load(*, stdout, scale: float = 1.0) -> None:
    full = scale >= 0.5
    with _quiet_workflow_mail():
        actors = Actors()
        created = (load_district(actors, full=full) + load_commune_procedures_2024(actors, full=full)
                   + load_yen_the(actors, full=full) + load_other_communes(actors, full=full))
        # The drafter and the approver have read what the communes issued.
        for page in ControlledDocumentPage.objects.live().filter(owner_unit__code__in=SUCCESSOR_CODES, withdrawal__isnull=True):
            _acknowledge(page, actors.officer, delay_days=1)
            _acknowledge(page, actors.leader, delay_days=1)
    stdout.write(
        f"  procedures_docs: {DocumentLibraryPage.objects.count()} libraries, "
        f"{ControlledDocumentPage.objects.count()} documents and forms ({created} new top-level), "
        f"{DocumentWithdrawal.objects.count()} obsolete"
    )
