"""Management review: the period, the gathered inputs, issuing the minutes, tracked actions, permissions."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from qms.core.roles import Role
from qms.core.services import procedure_save
from qms.feedback.services import feedback_submit
from recognition.inputs import gather_review_inputs
from recognition.models import ManagementReview, ReviewActionKind
from recognition.services import review_action_add, review_action_complete, review_create, review_issue_minutes
from tests.core.factories import AdministrativeProcedureFactory
from tests.utils import assert_forbidden, needs_poppler, pdf_words

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=7))


def section(inputs, key):
    return next(s for s in inputs["sections"] if s["key"] == key)


def test_the_period_runs_from_the_previous_review(units, demo_users):
    unit = units["BN-BOHA"]
    first = review_create(unit=unit, held_on=D(2025, 12, 15))
    assert (first.period_from, first.period_to) == (D(2024, 12, 16), D(2025, 12, 15))
    second = review_create(unit=unit, held_on=D(2026, 11, 20))
    assert (second.period_from, second.period_to) == (D(2025, 12, 16), D(2026, 11, 20))


def test_inputs_count_feedback_of_the_unit_and_its_predecessors_within_the_period(units):
    review = review_create(unit=units["BN-BOHA"], held_on=D(2025, 12, 31), period_from=D(2025, 1, 1))
    feedback_submit(unit=units["07294"], rating=5, submitted_at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=TZ))  # TT Bố Hạ
    feedback_submit(unit=units["BN-BOHA"], rating=1, is_complaint=True, comment="Trả chậm",
                    submitted_at=datetime.datetime(2025, 12, 31, 23, 59, tzinfo=TZ))
    feedback_submit(unit=units["BN-BOHA"], rating=5, submitted_at=datetime.datetime(2026, 1, 1, 0, 0, tzinfo=TZ))
    feedback_submit(unit=units["BN-YENTHE"], rating=1, submitted_at=datetime.datetime(2025, 6, 1, 9, 0, tzinfo=TZ))
    feedback = section(gather_review_inputs(review), "feedback")
    assert "2 ý kiến" in feedback["summary"][0] and "50,0%" in feedback["summary"][0]
    assert [row[3] for row in feedback["rows"]] == ["Trả chậm"]


def test_inputs_list_legal_changes_of_the_units_procedures(units, demo_users):
    procedure = AdministrativeProcedureFactory(code="X-LAW", legal_basis="Nghị định cũ")
    procedure.legal_basis = "Nghị định mới"
    procedure_save(procedure=procedure)
    review = review_create(unit=units["BN-BOHA"], held_on=procedure.legal_basis_changed_on)
    rows = section(gather_review_inputs(review), "legal_changes")["rows"]
    assert rows and rows[0][0] == "X-LAW" and rows[0][3] == "Nghị định mới"


def test_previous_actions_are_reviewed_with_their_status(units, demo_users):
    unit, owner = units["BN-BOHA"], demo_users["qlcl"]
    earlier = review_create(unit=unit, held_on=D(2025, 12, 15))
    done = review_action_add(review=earlier, kind=ReviewActionKind.IMPROVEMENT, description="Làm xong", owner=owner, due_on=D(2026, 3, 1))
    review_action_complete(action=done, done_on=D(2026, 2, 1), result="Đã làm")
    review_action_add(review=earlier, kind=ReviewActionKind.RESOURCE, description="Còn dở", owner=owner, due_on=D(2026, 6, 1))
    later = review_create(unit=unit, held_on=D(2026, 11, 20))
    actions = section(gather_review_inputs(later), "previous_actions")
    assert {row[0]: row[3] for row in actions["rows"]} == {"Làm xong": "đã hoàn thành ngày 01/02/2026", "Còn dở": "quá hạn"}
    assert actions["summary"] == ["Đã hoàn thành 1/2 hành động."]


def test_issuing_freezes_the_inputs_and_the_review(client, units, demo_users):
    review = review_create(unit=units["BN-BOHA"], held_on=D(2026, 11, 20))
    review_issue_minutes(review=review, by=demo_users["qlcl"])
    feedback_submit(unit=units["BN-BOHA"], rating=1, submitted_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=TZ))
    review.refresh_from_db()
    assert "0 ý kiến" in section(review.inputs, "feedback")["summary"][0]  # frozen: the new answer is not there
    with pytest.raises(ValidationError):
        review_issue_minutes(review=review)
    client.force_login(demo_users["qlcl"])
    response = client.get(reverse("reviews:edit", args=[review.pk]))
    assert response.status_code == 302 and response.url == reverse("reviews:inspect", args=[review.pk])


def test_an_action_is_done_only_with_a_result(units, demo_users):
    review = review_create(unit=units["BN-BOHA"], held_on=D(2026, 11, 20))
    action = review_action_add(review=review, kind=ReviewActionKind.QMS_CHANGE, description="Sửa quy trình",
                               owner=demo_users["motcua.boha"], due_on=D(2026, 12, 31))
    with pytest.raises(ValidationError):
        review_action_complete(action=action, done_on=D(2026, 12, 1), result=" ")
    action.refresh_from_db()
    assert action.done_on is None


def test_the_actions_list_names_owners_and_dates_day_first(client, units, demo_users):
    from qms.core.text import person_name

    review = review_create(unit=units["BN-BOHA"], held_on=D(2026, 11, 20))
    review_action_add(review=review, kind=ReviewActionKind.QMS_CHANGE, description="Sửa quy trình",
                      owner=demo_users["motcua.boha"], due_on=D(2026, 12, 31))
    client.force_login(demo_users["qlcl"])
    html = client.get(reverse("review_actions:index")).content.decode()
    assert "Sửa quy trình" in html and person_name(demo_users["motcua.boha"]) in html and "31/12/2026" in html


def test_quality_officer_drafts_a_review_with_actions_in_the_admin(client, units, demo_users):
    client.force_login(demo_users["qlcl"])
    data = {
        "unit": units["BN-BOHA"].pk, "held_on": "2026-11-20", "chair": demo_users["lanhdao"].pk, "chair_title": "Phó Chủ tịch",
        "participants": "", "period_from": "", "period_to": "", "risks_and_opportunities": "", "conclusions": "",
        "actions-TOTAL_FORMS": "1", "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "0", "actions-MAX_NUM_FORMS": "1000",
        "actions-0-kind": "resource", "actions-0-description": "Mua máy quét", "actions-0-owner": demo_users["qlcl"].pk,
        "actions-0-due_on": "2026-12-31", "actions-0-done_on": "", "actions-0-result": "", "actions-0-id": "", "actions-0-ORDER": "0",
        "actions-0-DELETE": "",
    }
    response = client.post(reverse("reviews:add"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    review = ManagementReview.objects.get()
    assert review.period_from == D(2025, 11, 21) and review.actions.get().description == "Mua máy quét"


def test_other_units_reviews_are_refused(client, units, demo_users):
    review = review_create(unit=units["BN-YENTHE"], held_on=D(2026, 2, 10))
    client.force_login(demo_users["motcua.boha"])
    assert_forbidden(client.get(reverse("reviews:inspect", args=[review.pk])))
    assert_forbidden(client.get(reverse("reviews:minutes", args=[review.pk])))
    assert_forbidden(client.post(reverse("reviews:issue", args=[review.pk])))
    client.force_login(demo_users["motcua"])
    assert_forbidden(client.post(reverse("reviews:issue", args=[review.pk])))  # their unit, but not their job
    assert_forbidden(client.post(reverse("reviews:delete", args=[review.pk])))
    review.refresh_from_db()
    assert not review.is_issued


def test_review_and_action_edit_screens_open_for_their_unit_only(client, units, demo_users, make_user):
    own = review_create(unit=units["BN-BOHA"], held_on=D(2026, 11, 20))
    action = review_action_add(review=own, kind=ReviewActionKind.QMS_CHANGE, description="Sửa quy trình",
                               owner=demo_users["motcua.boha"], due_on=D(2026, 12, 31))
    foreign = review_create(unit=units["BN-YENTHE"], held_on=D(2026, 2, 10))
    review_issue_minutes(review=foreign, by=demo_users["qlcl"])
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    client.force_login(officer)
    assert client.get(reverse("reviews:edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("review_actions:edit", args=[action.pk])).status_code == 200
    # Another unit's issued review is simply not found: no redirect that would reveal it exists.
    assert client.get(reverse("reviews:edit", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("reviews:history", args=[foreign.pk])).status_code == 404
    with pytest.raises(NoReverseMatch):  # no copy screen: it pre-filled another commune's review
        reverse("reviews:copy", args=[foreign.pk])
    units_offered = client.get(reverse("reviews:edit", args=[own.pk])).context["form"].fields["unit"].queryset
    assert units["BN-YENTHE"] not in units_offered and units["BN-BOHA"] in units_offered


@needs_poppler
def test_minutes_print_inputs_and_actions(client, units, demo_users, tmp_path):
    review = review_create(unit=units["BN-YENTHE"], held_on=D(2026, 2, 10), chair=demo_users["lanhdao"], chair_title="Phó Chủ tịch UBND")
    review_action_add(review=review, kind=ReviewActionKind.RESOURCE, description="Đào tạo chuyên gia đánh giá nội bộ",
                      owner=demo_users["qlcl"], due_on=D(2026, 9, 30))
    client.force_login(demo_users["motcua"])
    path = tmp_path / "minutes.pdf"
    path.write_bytes(client.get(reverse("reviews:minutes", args=[review.pk])).content)
    text = pdf_words(path)  # table cells wrap names over lines
    for expected in ("DỰ THẢO", "BIÊN BẢN HỌP XEM XÉT CỦA LÃNH ĐẠO", "Trần Văn Minh", "Đào tạo chuyên gia đánh giá nội bộ",
                     "Nguyễn Thị Hoa", "30/09/2026", "Sự hài lòng và ý kiến của người dân"):
        assert expected in text, expected


def test_inputs_gather_performance_nonconformities_and_audits(units, demo_users, tmp_path, make_user):
    from audits.models import NcSeverity
    from qms.core.roles import Role
    from tests.audits.factories import open_nc
    from tests.dossiers.helpers import import_rows
    from tests.recognition.test_readiness import reported_audit

    AdministrativeProcedureFactory(code="P3", processing_days=3)
    import_rows(tmp_path, [("a", "07294", "P3", "truc_tuyen", "02/03/2025", "05/03/2025", "04/03/2025", "", ""),
                           ("b", "BN-BOHA", "P3", "truc_tiep", "02/09/2025", "05/09/2025", "", "", "")])
    officer = make_user(Role.QUALITY_OFFICER, units["215"], units["BN-BOHA"])
    open_nc(unit=units["BN-BOHA"], by=officer, detected_on=D(2025, 9, 1), severity=NcSeverity.MAJOR, due_on=D(2025, 10, 1))
    reported_audit(units["BN-BOHA"], on=D(2025, 10, 15), clause_numbers=("7.5",), by=officer, lead=make_user(Role.AUDITOR, units["215"]))
    review = review_create(unit=units["BN-BOHA"], held_on=D(2025, 12, 31), period_from=D(2025, 1, 1))
    inputs = gather_review_inputs(review)
    performance = section(inputs, "performance")["summary"]
    assert "tiếp nhận 2, đã giải quyết 1 (trước hạn 1" in performance[0] and "quá hạn 1, rút hồ sơ 0" in performance[0]
    assert "Tỷ lệ giải quyết đúng hạn 100,0%; tỷ lệ tiếp nhận trực tuyến 50,0%" in performance[1]
    ncs = section(inputs, "nonconformities")
    assert ncs["summary"] == ["1 điểm không phù hợp: 0 đã đóng, 1 quá hạn."] and ncs["rows"][0][4] == "quá hạn"
    assert section(inputs, "audits")["summary"] == ["1 cuộc đánh giá nội bộ trong kỳ."]
