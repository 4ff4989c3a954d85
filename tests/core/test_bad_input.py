"""Malformed query and form values never end in a server error: the screen falls back with a
Vietnamese warning, or answers 400 where nothing sensible can stand in (qms.core.params)."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audits.models import NcSource
from audits.services import nonconformity_open
from procedures_docs import services as docs
from qms.core.params import MAX_DATE, MIN_DATE, next_url, parse_date_value, parse_int
from qms.core.roles import Role
from tests.audits.factories import make_audit, make_programme

BAD = ["2026-13-45", "abc", "99999999999", "", "²", "0001-01-01", "<b>x</b>"]
WARNED = "không hợp lệ"


@pytest.fixture
def officer(make_user, units):
    """The district quality officer: every screen below is hers."""
    return make_user(Role.QUALITY_OFFICER, units["215"], units["BN-YENTHE"], username="qo", first_name="Hoa", last_name="Nguyễn Thị")


@pytest.fixture
def records(officer, units, make_user):
    """records(name): the record a screen takes by id, made on demand (an audit of Thị trấn Phồn Xương,
    a nonconformity and a document of Xã Yên Thế, the unit Xã Yên Thế)."""

    def audit():
        programme = make_programme(year=2024, units=[units["07288"]], by=officer)
        auditor = make_user(Role.AUDITOR, units["215"], username="auditor")
        return make_audit(programme=programme, unit=units["07288"], by=officer, lead=auditor)

    def nc():
        return nonconformity_open(unit=units["BN-YENTHE"], source=NcSource.COMPLAINT, description="Chậm trả kết quả",
                                  detected_on=datetime.date(2026, 1, 5), by=officer)

    def document():
        admin = make_user(None, username="root", is_superuser=True, is_staff=True)
        library = docs.library_create(unit=units["BN-YENTHE"], by=admin)
        return docs.document_create(parent=library, by=admin, code="QT-01", title="Quy trình",
                                    applies_to=[units["BN-YENTHE"]], purpose="<p>Mục đích</p>")

    makers = {"audit": audit, "nc": nc, "document": document, "unit": lambda: units["BN-YENTHE"]}
    return lambda name: makers[name]()


#: (URL name, its args from `records`, the parameter, whether a malformed value is reported to the user)
SCREENS = [
    ("units:tree", None, "on", True),
    ("readiness:index", None, "on", True),
    ("readiness:unit", "unit", "on", True),
    ("readiness:cycle", None, "on", True),
    ("readiness:performance", None, "on", True),
    ("readiness:performance", None, "threshold", True),
    ("readiness:performance", None, "date_from", True),
    ("reports:index", None, "units", False),
    ("audits:add", None, "programme", False),
    ("audits:page", "audit", "item", False),
    ("documents:acknowledgements", "document", "number", False),
]


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize(("name", "arg", "param", "warns"), SCREENS)
def test_a_malformed_query_value_falls_back_and_says_so(client, officer, records, name, arg, param, warns, value):
    client.force_login(officer)
    query = {param: value}
    if param == "date_from":
        query["date_to"] = "2026-03-31"
    response = client.get(reverse(name, args=[records(arg).pk] if arg else []), query)
    assert response.status_code == 200
    html = response.content.decode()
    invalid = value != "" and parse_date_value(value) is None if param in ("on", "date_from") else value != "" and parse_int(value, maximum=100_000) is None
    if warns and invalid:
        assert WARNED in html and ("Ngày “" in html or "Số “" in html)
    else:
        assert WARNED not in html


@pytest.mark.parametrize("name", ["units:tree", "readiness:index", "readiness:cycle", "readiness:performance"])
def test_blank_and_good_dates_are_taken_without_a_word(client, officer, name):
    client.force_login(officer)
    for value in ("", "2025-06-30"):
        response = client.get(reverse(name), {"on": value})
        assert response.status_code == 200 and WARNED not in response.content.decode()


def test_the_warning_names_the_value_and_what_was_used(client, officer):
    client.force_login(officer)
    html = client.get(reverse("readiness:cycle"), {"on": "2026-13-45"}).content.decode()
    assert f"Ngày “2026-13-45” không hợp lệ, đã dùng ngày {timezone.localdate():%d/%m/%Y}." in html
    html = client.get(reverse("units:tree"), {"on": "abc"}).content.decode()
    assert "Ngày “abc” không hợp lệ, đã bỏ qua." in html
    html = client.get(reverse("readiness:performance"), {"threshold": "99999999999"}).content.decode()
    assert "Số “99999999999” không hợp lệ, đã dùng 5." in html


def test_a_period_that_ends_before_it_starts_falls_back(client, officer):
    client.force_login(officer)
    response = client.get(reverse("readiness:performance"), {"date_from": "2026-03-31", "date_to": "2026-01-01"})
    assert response.status_code == 200
    assert "Kỳ đã chọn kết thúc trước khi bắt đầu" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "", "²", "99999999999", "-3", "1.5"])
@pytest.mark.parametrize("field", ["unit", "feedback"])
def test_a_malformed_record_id_in_a_form_answers_400(client, officer, field, value):
    client.force_login(officer)
    # A blank "feedback" means "open from the figures", which then needs a unit: 400 as well.
    assert client.post(reverse("readiness:performance"), {field: value}).status_code == 400


def test_a_malformed_objective_or_action_answers_400(client, officer, records):
    client.force_login(officer)
    unit = records("unit")
    assert client.post(reverse("readiness:performance"), {"unit": unit.pk, "objective": "abc"}).status_code == 400
    response = client.post(reverse("nonconformities:detail", args=[records("nc").pk]), {"step": "done", "action": "²"})
    assert response.status_code == 400


def test_an_id_of_no_record_is_still_404(client, officer):
    client.force_login(officer)
    assert client.post(reverse("readiness:performance"), {"unit": "2147483647"}).status_code == 404


def test_the_checklist_comes_back_only_to_an_anchor_of_the_page(client, officer, records):
    from tests.audits.factories import start_audit

    audit = records("audit")
    audit = start_audit(audit, by=audit.lead_auditor)
    client.force_login(audit.lead_auditor)
    page = reverse("audits:page", args=[audit.pk])
    assert client.post(page, {"anchor": "#item-3"}).url == page + "#item-3"
    assert client.post(page, {"anchor": "@evil.example/"}).url == page


# --- the helpers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "number"), [("7", 7), (" 12 ", 12), ("0", 0), ("²", None), ("١٢", None), ("abc", None),
                                               ("99999999999", None), ("-1", None), ("", None), ("1e3", None)])
def test_parse_int_takes_ascii_digits_in_range(value, number):
    assert parse_int(value) == number


@pytest.mark.parametrize(("value", "day"), [("2026-02-28", datetime.date(2026, 2, 28)), ("2026-02-30", None), ("2026-13-45", None),
                                            ("abc", None), ("0001-01-01", None), ("9999-12-31", None)])
def test_parse_date_value_takes_real_days_in_range(value, day):
    assert parse_date_value(value) == day
    assert day is None or MIN_DATE <= day <= MAX_DATE


@pytest.mark.parametrize(("target", "kept"), [
    ("/tai-lieu/viec-can-doc/", True), ("/admin/?x=1", True), ("https://evil.example/", False), ("//evil.example/", False),
    ("http://testserver/tai-lieu/", True), ("javascript:alert(1)", False), ("/\\evil.example", False), ("", False),
])
def test_next_url_stays_on_this_site(target, kept):
    request = RequestFactory().post("/", {"next": target})
    assert next_url(request, "/fallback/") == (target if kept else "/fallback/")


#: Screens whose query goes through a form or a filter set: Django's validation already stands between.
FILTERED = [
    ("reports:index", {"preset": "month", "on": "{v}"}),
    ("reports:index", {"preset": "custom", "date_from": "{v}", "date_to": "9999-12-31", "format": "xlsx"}),
    ("nonconformities:register", {"year": "{v}", "unit": "{v}", "overdue": "{v}"}),
    ("feedback:index", {"submitted_on": "{v}", "rating": "{v}", "unit": "{v}"}),
    ("readiness:index", {"sort": "{v}", "on": "{v}", "format": "xlsx"}),
]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-13-45", "²"])
@pytest.mark.parametrize(("name", "query"), FILTERED)
def test_filtered_screens_take_malformed_values_too(client, officer, name, query, value):
    client.force_login(officer)
    response = client.get(reverse(name), {key: v.replace("{v}", value) for key, v in query.items()})
    assert response.status_code == 200
