"""Citizen feedback: the public survey page, the satisfaction indicator, the admin listing and the QR poster."""

import datetime
import subprocess

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from qms.core.models import HomePage
from qms.feedback.models import CitizenFeedback, FeedbackPage
from qms.feedback.selectors import satisfaction_by_unit, satisfaction_summary
from qms.feedback.services import feedback_submit
from tests.utils import assert_forbidden, needs_poppler, pdftotext

D = datetime.date
TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture
def survey(units):
    page = FeedbackPage(title="Khảo sát sự hài lòng – Xã Yên Thế", slug="y-kien-yen-the", unit=units["BN-YENTHE"])
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_citizen_answers_the_survey(client, survey):
    page = client.get(survey.url)
    assert page.status_code == 200 and "Xã Yên Thế" in page.content.decode()
    response = client.post(survey.url, {"rating": "5", "comment": "Cán bộ tận tình", "dossier_code": "000.12.34.H05-250101-0001"})
    assert "Xin cảm ơn" in response.content.decode() or "Cảm ơn" in response.content.decode()
    answer = CitizenFeedback.objects.get()
    assert (answer.unit, answer.rating, answer.comment) == (survey.unit, 5, "Cán bộ tận tình")
    assert answer.dossier_code == "000.12.34.H05-250101-0001"


def test_an_answer_without_rating_is_refused_with_a_message(client, survey):
    response = client.post(survey.url, {"comment": "Không chọn mức"})
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not CitizenFeedback.objects.exists()


def test_robots_filling_the_hidden_field_are_refused(client, survey):
    client.post(survey.url, {"rating": "1", "website": "http://spam.example"})
    assert not CitizenFeedback.objects.exists()


def test_rating_outside_one_to_five_is_refused_by_the_database(units):
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedback.objects.create(unit=units["BN-BOHA"], rating=6, submitted_on=D(2026, 1, 1))


def test_submitted_on_is_the_local_day(units):
    late_evening_utc = datetime.datetime(2026, 3, 31, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 1/4 in Hà Nội
    answer = feedback_submit(unit=units["BN-BOHA"], rating=4, submitted_at=late_evening_utc)
    assert answer.submitted_on == D(2026, 4, 1)


def test_satisfaction_rate_counts_four_and_five_and_keeps_to_the_period(units):
    unit = units["BN-BOHA"]
    for rating, day in [(5, 1), (4, 15), (3, 20), (1, 31)]:
        feedback_submit(unit=unit, rating=rating, submitted_at=datetime.datetime(2026, 3, day, 23, 59, tzinfo=TZ),
                        is_complaint=rating == 1)
    feedback_submit(unit=unit, rating=5, submitted_at=datetime.datetime(2026, 4, 1, 0, 0, tzinfo=TZ))
    march = satisfaction_summary(unit_ids=[unit.pk], date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    assert (march.answers, march.satisfied, march.complaints) == (4, 2, 1)
    assert march.rate == 0.5 and march.average_rating == pytest.approx(13 / 4)
    assert satisfaction_by_unit(unit_ids=[unit.pk], date_from=D(2026, 4, 1), date_to=D(2026, 4, 30))[unit.pk].answers == 1


def test_no_answers_means_no_rate_not_zero(units):
    empty = satisfaction_summary(unit_ids=[units["BN-BOHA"].pk], date_from=D(2026, 1, 1), date_to=D(2026, 12, 31))
    assert empty.answers == 0 and empty.rate is None and empty.average_rating is None


def test_staff_see_only_their_units_answers_and_cannot_change_them(client, demo_users, units):
    mine = feedback_submit(unit=units["BN-YENTHE"], rating=5, comment="Ý KIẾN CỦA XÃ YÊN THẾ")
    feedback_submit(unit=units["BN-BOHA"], rating=2, comment="Ý KIẾN CỦA XÃ BỐ HẠ")
    client.force_login(demo_users["motcua"])
    html = client.get(reverse("feedback:index")).content.decode()
    assert "Ý KIẾN CỦA XÃ YÊN THẾ" in html and "Ý KIẾN CỦA XÃ BỐ HẠ" not in html
    assert_forbidden(client.get(reverse("feedback:edit", args=[mine.pk])))
    assert_forbidden(client.post(reverse("feedback:delete", args=[mine.pk])))
    assert CitizenFeedback.objects.filter(pk=mine.pk).exists()


@needs_poppler
def test_the_qr_poster_prints_for_the_units_own_staff_only(client, demo_users, survey, tmp_path):
    client.force_login(demo_users["motcua"])
    response = client.get(reverse("feedback_poster", args=[survey.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "poster.pdf"
    path.write_bytes(response.content)
    text = pdftotext(path)
    assert "GIÚP CHÚNG TÔI PHỤC VỤ TỐT HƠN" in text and "XÃ YÊN THẾ" in text and survey.url in text
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(images.splitlines()) == 3  # header lines + the QR code
    client.force_login(demo_users["motcua.boha"])
    assert_forbidden(client.get(reverse("feedback_poster", args=[survey.pk])))


def test_the_report_engine_carries_the_satisfaction_indicator(units, client, demo_users):
    from qms.reporting.engine import Period, bieu06

    feedback_submit(unit=units["07294"], rating=5, submitted_at=datetime.datetime(2025, 3, 3, 9, 0, tzinfo=TZ))
    feedback_submit(unit=units["07294"], rating=2, is_complaint=True, submitted_at=datetime.datetime(2025, 3, 4, 9, 0, tzinfo=TZ))
    feedback_submit(unit=units["07288"], rating=1, submitted_at=datetime.datetime(2025, 3, 4, 9, 0, tzinfo=TZ))
    report = bieu06(period=Period.month(2025, 3), units=[units["BN-BOHA"]])
    assert (report.satisfaction.answers, report.satisfaction.rate, report.satisfaction.complaints) == (2, 0.5, 1)
    assert report.as_json()["satisfaction"]["answers"] == 2
    client.force_login(demo_users["motcua.boha"])
    html = client.get(reverse("reports:index"), {"preset": "month", "on": "2025-03-15", "group_by": "unit", "rollup": "on"}).content.decode()
    assert "tỷ lệ hài lòng 50,0%" in html


def test_the_qr_poster_is_offered_where_the_answers_are_read(client, demo_users, survey, units):
    """Quality officers and one-stop staff reach the poster from the answers' list, not only the page explorer."""
    boha = FeedbackPage(title="Khảo sát sự hài lòng – Xã Bố Hạ", slug="y-kien-bo-ha", unit=units["BN-BOHA"])
    HomePage.objects.get().add_child(instance=boha)
    boha.save_revision().publish()
    poster = reverse("feedback_poster", args=[survey.pk])
    for user in ("qlcl", "motcua"):
        client.force_login(demo_users[user])
        listing = client.get(reverse("feedback:index")).content.decode()
        assert "In áp phích mã QR: Xã Yên Thế" in listing and poster in listing
        assert client.get(poster).status_code == 200
    assert reverse("feedback_poster", args=[boha.pk]) not in listing  # motcua: only her own commune's
    client.force_login(demo_users["motcua.boha"])
    listing = client.get(reverse("feedback:index")).content.decode()
    assert poster not in listing and reverse("feedback_poster", args=[boha.pk]) in listing
    assert_forbidden(client.get(poster))
