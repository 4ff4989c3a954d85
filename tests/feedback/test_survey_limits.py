"""The public survey's limits: answers per client, unit and day; one answer per dossier code."""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.test import override_settings

from qms.core.models import HomePage
from qms.feedback.models import CitizenFeedback, FeedbackPage
from qms.feedback.services import feedback_submit

LIMIT = settings.QMS_FEEDBACK_DAILY_LIMIT
OVER_LIMIT = "Hôm nay chúng tôi đã nhận"
DOSSIER_ANSWERED = "Chúng tôi đã nhận được ý kiến về hồ sơ này"


@pytest.fixture
def surveys(units):
    pages = {}
    for code, slug in [("BN-YENTHE", "y-kien-yen-the"), ("BN-BOHA", "y-kien-bo-ha")]:
        page = FeedbackPage(title=f"Khảo sát {code}", slug=slug, unit=units[code])
        HomePage.objects.get().add_child(instance=page)
        page.save_revision().publish()
        pages[code] = page
    return pages


def answer(client, page, ip="113.160.1.1", **data):
    return client.post(page.url, {"rating": "1", **data}, REMOTE_ADDR=ip)


def test_the_answer_over_the_daily_limit_is_politely_refused_and_not_stored(client, surveys):
    survey = surveys["BN-YENTHE"]
    for _ in range(LIMIT):
        assert "Xin cảm ơn" in answer(client, survey).content.decode()
    response = answer(client, survey, comment="Lần thứ sáu")
    html = response.content.decode()
    assert response.status_code == 429 and OVER_LIMIT in html and "ngày mai" in html
    assert CitizenFeedback.objects.count() == LIMIT
    assert not CitizenFeedback.objects.filter(comment="Lần thứ sáu").exists()


def test_another_address_and_another_unit_still_answer(client, surveys):
    for _ in range(LIMIT + 1):
        answer(client, surveys["BN-YENTHE"])
    assert "Xin cảm ơn" in answer(client, surveys["BN-YENTHE"], ip="14.232.9.9").content.decode()
    assert "Xin cảm ơn" in answer(client, surveys["BN-BOHA"]).content.decode()
    assert CitizenFeedback.objects.count() == LIMIT + 2


def test_the_limit_counts_the_address_behind_the_trusted_proxy(client, surveys):
    with override_settings(QMS_TRUSTED_PROXIES=1):
        for n in range(LIMIT):
            # The client forges the left part of X-Forwarded-For; nginx appends the real address on the right.
            client.post(surveys["BN-YENTHE"].url, {"rating": "5"}, REMOTE_ADDR="127.0.0.1",
                        HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 113.160.1.1")
        response = client.post(surveys["BN-YENTHE"].url, {"rating": "5"}, REMOTE_ADDR="127.0.0.1",
                               HTTP_X_FORWARDED_FOR="113.160.1.1")
    assert response.status_code == 429 and CitizenFeedback.objects.count() == LIMIT


def test_a_kiosk_address_is_not_counted(client, surveys):
    with override_settings(QMS_FEEDBACK_UNLIMITED_IPS=["10.0.5.20"]):
        for _ in range(LIMIT + 2):
            answer(client, surveys["BN-YENTHE"], ip="10.0.5.20")
    assert CitizenFeedback.objects.count() == LIMIT + 2


def test_only_a_hash_of_the_address_is_kept(client, surveys):
    answer(client, surveys["BN-YENTHE"], ip="113.160.1.1")
    stored = CitizenFeedback.objects.get()
    assert len(stored.client_hash) == 64 and "113.160" not in stored.client_hash


def test_the_same_dossier_code_twice_is_refused(client, surveys):
    survey = surveys["BN-YENTHE"]
    assert "Xin cảm ơn" in answer(client, survey, dossier_code="000.12.34.H05-250101-0001").content.decode()
    response = answer(client, survey, ip="14.232.9.9", dossier_code=" 000.12.34.h05-250101-0001 ")
    assert DOSSIER_ANSWERED in response.content.decode()
    assert CitizenFeedback.objects.count() == 1
    # Another unit's dossier may carry the same code; answers without a code are never compared.
    assert "Xin cảm ơn" in answer(client, surveys["BN-BOHA"], dossier_code="000.12.34.H05-250101-0001").content.decode()
    answer(client, survey, ip="14.232.9.9")
    answer(client, survey, ip="14.232.9.9")
    assert CitizenFeedback.objects.count() == 4


def test_the_database_refuses_a_second_answer_for_a_dossier(units):
    feedback_submit(unit=units["BN-BOHA"], rating=5, dossier_code="H05-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFeedback.objects.create(unit=units["BN-BOHA"], rating=1, dossier_code="H05-1", submitted_on="2026-01-01")


def test_answers_collected_on_paper_are_not_limited(units):
    for _ in range(LIMIT + 3):
        feedback_submit(unit=units["BN-BOHA"], rating=4)
    assert CitizenFeedback.objects.count() == LIMIT + 3


def test_robots_are_still_turned_away_and_do_not_use_up_the_limit(client, surveys):
    for _ in range(LIMIT + 2):
        answer(client, surveys["BN-YENTHE"], website="http://spam.example")
    assert not CitizenFeedback.objects.exists()
    assert "Xin cảm ơn" in answer(client, surveys["BN-YENTHE"]).content.decode()
