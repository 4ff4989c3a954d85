"""
Dashboard panels kept until a record changes (qms.core.freshness, issue 11): a second visit is cheap, and
every change a panel shows is there on the next visit, including those written without Django's signals
(the import's rows, an import batch's state).
"""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from qms.core import freshness
from qms.core.roles import Role
from qms.dossiers import services
from qms.dossiers.models import ImportBatch
from tests.audits.factories import open_nc
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

pytestmark = pytest.mark.django_db


def visit(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), len(queries.captured_queries)


def text_of(soup, testid) -> str:
    return soup.select_one(f"[data-testid={testid}]").get_text(" ", strip=True)


def test_a_second_visit_is_served_from_the_kept_panels_and_a_new_finding_shows_at_once(client, demo_users, units):
    client.force_login(demo_users["qlcl"])
    cache.clear()
    first, computed = visit(client)
    again, kept = visit(client)
    assert kept < computed / 2  # readiness, objectives, findings, Wagtail's panels: none computed again
    assert text_of(again, "nc-panel") == text_of(first, "nc-panel")
    assert "Không có điểm không phù hợp đang mở." in text_of(first, "nc-panel")

    open_nc(unit=units["BN-YENTHE"], by=demo_users["qlcl"], detected_on=timezone.localdate())
    after, _ = visit(client)
    assert "1 đang mở, 0 quá hạn." in text_of(after, "nc-panel")


def test_imported_dossiers_show_on_the_next_visit(client, make_user, units, tmp_path):
    """The import writes its rows with raw SQL (no signal): it replaces the version itself."""
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    officer = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    client.force_login(officer)
    before, _ = visit(client)
    assert "Tiếp nhận 0" in text_of(before, "last-month-figures")

    received = timezone.localdate().replace(day=1) - datetime.timedelta(days=20)  # last month
    due = received + datetime.timedelta(days=5)
    import_rows(tmp_path, [("a", "BN-YENTHE", "P3", "truc_tiep", f"{received:%d/%m/%Y}", f"{due:%d/%m/%Y}", "", "", "")],
                by=officer)
    after, _ = visit(client)
    assert "Tiếp nhận 1" in text_of(after, "last-month-figures")


def test_a_batch_that_fails_shows_failed_on_the_next_visit(client, make_user, units):
    """A batch moves state with an UPDATE, which sends no signal."""
    officer = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    batch = ImportBatch.objects.create(created_by=officer, file_name="thang-10.csv", sha256="0" * 64,
                                       state=ImportBatch.State.WRITING)
    client.force_login(officer)
    before, _ = visit(client)
    assert "Đang ghi" in text_of(before, "last-imports")

    assert services.import_batch_fail(batch=batch, message="Tiến trình nhập đã dừng")
    after, _ = visit(client)
    assert "Thất bại" in text_of(after, "last-imports") and "Đang ghi" not in text_of(after, "last-imports")


@pytest.mark.django_db(transaction=True)
def test_the_version_changes_again_when_the_transaction_commits(units, make_user):
    """A page computed by another request between a save and its commit read the old rows: it must not stay kept
    under the version of the new ones."""
    before = freshness.records_version()
    with transaction.atomic():
        make_user(Role.AUDITOR, units["BN-YENTHE"])
        callbacks = len(connection.run_on_commit)
        make_user(Role.AUDITOR, units["BN-BOHA"])
        during = freshness.records_version()
        # One callback per app saved in the transaction, however many rows.
        assert len(connection.run_on_commit) == callbacks
    assert during != before
    assert freshness.records_version() != during


def test_a_login_does_not_make_the_panels_stale(client, demo_users):
    demo_users["lanhdao"].refresh_from_db()
    version = freshness.records_version()
    client.force_login(demo_users["lanhdao"])  # a session row, an access log: nothing a panel shows
    assert freshness.records_version() == version


def test_migrate_makes_the_database_cache_table(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qms_cache_test"}}
    assert "qms_cache_test" not in connection.introspection.table_names()
    freshness.create_cache_table(using="default")  # the post_migrate receiver of qms.core
    assert "qms_cache_test" in connection.introspection.table_names()
    caches["default"].set("k", "v")
    assert caches["default"].get("k") == "v"


def test_migrate_makes_what_was_kept_before_the_upgrade_stale():
    """A data migration writes records without the signals: the panels are computed again after `migrate`."""
    version = freshness.records_version()
    freshness.create_cache_table(using="default")  # the post_migrate receiver of qms.core
    assert freshness.records_version() != version


def test_the_import_workers_sign_of_life_does_not_make_the_panels_stale():
    """The worker beats every few seconds: were it a change, nothing would stay kept while it runs."""
    version = freshness.records_version()
    services.import_worker_beat(name="worker-1")
    services.import_worker_beat(name="worker-1")
    assert freshness.records_version() == version


def test_a_part_is_computed_again_only_when_what_it_reads_changes_and_kept_per_language():
    from audits.models import Nonconformity
    from recognition.models import ManagementReview

    calls = []

    def part():
        calls.append(get_language())
        return get_language()

    def read():
        return freshness.kept_parts("test", ("units", 1), {"findings": (("audits",), part)})["findings"]

    with translation.override("vi"):
        assert read() == "vi" and read() == "vi"
        assert calls == ["vi"]  # the second read was kept
    with translation.override("en"):
        assert read() == "en"  # not the Vietnamese one
    with translation.override("vi"):
        freshness.records_changed(ManagementReview)  # another app: still kept
        read()
        assert calls == ["vi", "en"]
        freshness.records_changed(Nonconformity)  # what it reads: computed again
        read()
        assert calls == ["vi", "en", "vi"]
