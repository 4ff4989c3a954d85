"""
What the everyday pages cost in queries (issue 11, "cost per page"; issue 15): each page, as the role that
opens it every day, within its budget on the demo; and the dashboard, district overview and Biểu 06 page
run as many queries with five more units as without them (readiness, objectives and counts come from
aggregates grouped by unit, the unit tree is read once per request).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import NcSource
from audits.services import nonconformity_open
from procedures_docs.models import DocumentLibraryPage
from qms.core import freshness
from qms.core.models import Membership, Unit, UnitKind
from qms.dossiers.models import Dossier
from qms.reporting.models import Comparator, Indicator, ObjectiveScope, QualityObjective
from recognition.services import review_create
from tests.dossiers.helpers import import_rows

BUDGET = 30


def urls():
    motcua_unit = Membership.objects.filter(user__username="motcua").select_related("unit").first().unit
    library = DocumentLibraryPage.objects.get(unit=motcua_unit)
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "bieu06": reverse("reports:index"),
        "explorer": reverse("wagtailadmin_explore", args=[library.pk]),
        "nonconformities": reverse("nonconformities:index"),
        "overview": reverse("readiness:index"),
    }


def queries(client, url) -> int:
    client.get(url)  # the first request of a process fills Django's and Wagtail's own caches
    # A record changed: the page, its panels and the report are computed again, as the first view after any
    # change; what changes only with the units and the users' permissions is still shared (`shared_fact`).
    freshness.records_changed()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


#: (page, role, budget), each the first view after a change. The dashboard shows each role its own panels
#: (qms.core.panels.DASHBOARDS): the one-stop officer's and the auditor's stay within 30 (were 60); the leader's
#: approvals, readiness of every unit (about 16 queries, with the context, risk and competence registers of
#: issue 14) and nonconformities need 45; the quality officer keeps Wagtail's editing panels (site summary,
#: workflow and locked pages, recent edits) and every panel of the project. Both are above the issue's 30 the
#: first time after a change only, and said so in docs/operations.md ("Capacity"); each panel is then kept
#: (a second view costs 3 queries). They were 170 and 103; these budgets keep them from growing back. The
#: explorer is Wagtail's page listing with its filters and row buttons (qms.core.explorer).
PAGES = [
    ("dashboard", "qlcl", 66), ("dashboard", "motcua", BUDGET), ("dashboard", "danhgia", BUDGET), ("dashboard", "lanhdao", 45),
    ("bieu06", "lanhdao", BUDGET), ("explorer", "qlcl", BUDGET),
    ("nonconformities", "qlcl", BUDGET), ("nonconformities", "motcua", BUDGET), ("overview", "qlcl", BUDGET),
    ("overview", "motcua", BUDGET),
]


def test_each_everyday_page_stays_within_its_query_budget(client, demo):
    counts = {}
    for page, role, budget in PAGES:
        client.force_login(demo[role])
        counts[page, role] = count = queries(client, urls()[page])
        assert count <= budget, f"{page} as {role}: {count} queries (budget {budget}); all so far: {counts}"


def record_a_finding(demo):
    unit = Membership.objects.filter(user__username="motcua").select_related("unit").first().unit
    nonconformity_open(unit=unit, source=NcSource.COMPLAINT, description="Phản ánh của người dân",
                       detected_on=timezone.localdate(), by=demo["qlcl"])


def import_dossiers(demo):
    freshness.records_changed(Dossier)  # what the import announces when its rows are written (importer.data_version_bump)


@pytest.mark.parametrize("change", [record_a_finding, import_dossiers])
@pytest.mark.parametrize("role", ["qlcl", "lanhdao"])
def test_the_dashboards_after_a_finding_or_an_import_stay_within_the_budget(client, demo, role, change):
    """The everyday changes compute again only the panels reading what changed (`reads`, qms.core.freshness):
    the readiness's findings or objectives, not its documents and registers, nor Wagtail's editing panels."""
    client.force_login(demo[role])
    url = reverse("wagtailadmin_home")
    client.get(url)
    change(demo)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) <= BUDGET, f"{len(ctx.captured_queries)} queries after {change.__name__}"


def add_units(n, *, by, district):
    """n more communes of the district, each with a dossier, an open nonconformity, an objective of its own
    and a management review: every column of the overview and panel has something to count for them."""
    from tests.core.factories import AdministrativeProcedureFactory

    today = timezone.localdate()
    procedure = AdministrativeProcedureFactory(code=f"QB-{Unit.objects.count()}", processing_days=3, level="commune")
    rows = []
    for i in range(n):
        code = f"QB{Unit.objects.count():04d}"
        unit = Unit.objects.create(code=code, name=f"Xã Thử {code}", kind=UnitKind.COMMUNE, parent=district)
        rows.append((f"qb-{code}-{i}", code, procedure.code, "truc_tuyen", f"{today:%d/%m/%Y}", f"{today:%d/%m/%Y}", "", "", ""))
        nonconformity_open(unit=unit, source=NcSource.COMPLAINT, description="Phản ánh của người dân",
                           detected_on=today, by=by)
        QualityObjective.objects.create(title=f"Đúng hạn {code}", unit=unit, scope=ObjectiveScope.UNIT,
                                        indicator=Indicator.ON_TIME_RATE, comparator=Comparator.GTE, target=98,
                                        period_kind="year")
        review_create(unit=unit, held_on=today - datetime.timedelta(days=1))
    return rows


def test_dashboard_overview_and_report_run_as_many_queries_with_five_more_units(client, demo, tmp_path):
    officer = demo["qlcl"]
    district = Unit.objects.get(code="215")
    # The demo district ceased on 30/6/2025; units added below it are in force today and in the officer's scope.
    client.force_login(officer)
    add_units(1, by=officer, district=district)  # so that "a first row of a new kind" is not what is measured
    pages = ["dashboard", "overview", "bieu06"]
    before = {page: queries(client, urls()[page]) for page in pages}
    rows = add_units(5, by=officer, district=district)
    import_rows(tmp_path, rows, name="more.csv")
    overview = client.get(urls()["overview"]).content.decode()
    for code in {row[1] for row in rows}:
        assert f'data-unit="{code}"' in overview  # the five are shown
    after = {page: queries(client, urls()[page]) for page in pages}
    assert after == before


def test_document_explorer_runs_as_many_queries_with_five_more_documents(client, demo):
    """The explorer's rows name each document's unit (`get_admin_display_title`) from the request's unit
    graph: a library of 40 documents cost 40 more queries when each row read its unit."""
    from procedures_docs.services import document_create

    officer = demo["qlcl"]
    client.force_login(officer)
    library = DocumentLibraryPage.objects.get(pk=reverse_id(urls()["explorer"]))

    def add(n):
        for _ in range(n):
            code = f"QT-9{library.get_children().count():02d}"
            document_create(parent=library, by=officer, code=code, title=f"Quy trình thử {code}",
                            applies_to=[library.unit], purpose="<p>Mục đích.</p>")

    add(1)  # so that "a first row of a new kind" is not what is measured
    before = queries(client, urls()["explorer"])
    add(5)
    assert queries(client, urls()["explorer"]) == before


def reverse_id(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])
