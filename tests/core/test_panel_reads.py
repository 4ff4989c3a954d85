"""
Each dashboard panel is kept until the records of what it declares change (`reads`: apps, or models as
"app.model"; issue 11, qms.core.freshness.keep_panels): a panel reading a model it does not declare would show
old figures after a change there. So each panel of each role's dashboard, and each part of the units'
readiness, is rendered alone on the demo, what it keeps inside computed afresh, and every table its queries
name must be of a model it declares (itself or its app), or of what the structure version already covers
(units, memberships, users, groups, permissions, sites).
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.views.home import (
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)

from qms.core import freshness
from qms.core.models import Unit
from qms.core.models.units import unit_graph_per_request
from qms.core.panels import dashboard_arrange, dashboard_layout, declare_reads, summary_for_editors
from recognition.readiness import FACT_PARTS

TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def name_of(panel) -> str:
    return getattr(panel, "name", type(panel).__qualname__)


def dashboard_panels(request) -> dict:
    """The panels and summary items of the user's dashboard, as Wagtail's home view builds them, unkept."""
    panels = [WorkflowObjectsToModeratePanel(), UserObjectsInWorkflowModerationPanel(), RecentEditsPanel(), LockedPagesPanel()]
    for hook in hooks.get_hooks("construct_homepage_panels"):
        if hook is not dashboard_arrange:
            hook(request, panels)
    items = []
    for hook in hooks.get_hooks("construct_homepage_summary_items"):
        if hook is not summary_for_editors:
            hook(request, items)
    shown = dashboard_layout(request.user)
    panels = [panel for panel in panels if name_of(panel) in shown]
    if "site_summary" in shown:
        panels += items
    declare_reads(panels)
    return {name_of(panel): panel for panel in panels}


def undeclared(tables: set[str], declared) -> set[str]:
    """The models of `tables` named in `declared` (apps and models) neither themselves nor by their app, beyond
    what the structure version covers."""
    models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    # The structure version's, and what no page shows (Django's permission rows, written by migrate only).
    covered = {apps.get_model(label)._meta.db_table for label in freshness.STRUCTURE_MODELS | freshness.IGNORED_MODELS}
    missing = set()
    for table in tables - covered:
        model = models.get(table)
        if model is None or model._meta.app_label in freshness.IGNORED_APPS:
            continue
        if not freshness.read_names(model) & set(declared):  # its app and label (a many-to-many table: its model's)
            missing.add(model._meta.label_lower)
    return missing


def tables_of(compute) -> set[str]:
    """The tables `compute()` queries."""
    tables = set()

    def collect(execute, sql, params, many, context):
        tables.update(TABLE.findall(sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(collect):
        compute()
    return tables


def tables_read(user, name: str) -> tuple[set[str], tuple | None]:
    """The tables the panel `name` of `user`'s dashboard reads, and what it declares."""
    freshness.records_changed()  # what the panel keeps inside (objectives' measurements) is computed again
    with unit_graph_per_request():
        freshness.read_first(user.pk)  # as every request: the shared facts and the user's, kept by the first visit
        request = RequestFactory().get(reverse("wagtailadmin_home"))
        request.user = user
        panel = dashboard_panels(request)[name]

        def render():
            if getattr(panel, "is_shown", lambda: True)():  # a summary item of what the user may not see: not shown
                panel.render_html({"request": request, "csrf_token": "token"})

        return tables_of(render), getattr(panel, "reads", None)


@pytest.mark.parametrize("role", ["qlcl", "lanhdao", "motcua", "danhgia"])
def test_each_panel_reads_only_what_it_declares(client, demo, role):
    user = demo[role]
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # keeps the shared facts
    request = RequestFactory().get("/")
    request.user = user
    with unit_graph_per_request():
        names = list(dashboard_panels(request))
    assert len(names) >= 4, names
    for name in names:
        tables, declared = tables_read(user, name)
        assert declared is not None, f"{name} declares no `reads`: kept only until any record changes"
        missing = undeclared(tables, declared)
        assert not missing, f"{name} read {sorted(missing)} beyond {declared}"


def test_each_part_of_readiness_reads_only_what_it_declares(client, demo):
    """The readiness panel's parts are kept each under what it reads (recognition.readiness.FACT_PARTS)."""
    client.force_login(demo["qlcl"])
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # keeps the shared facts
    today = timezone.localdate()
    units = list(Unit.objects.in_force(today))
    concerned = frozenset(unit.pk for unit in units)
    for name, (declared, read) in FACT_PARTS.items():
        freshness.records_changed()
        with unit_graph_per_request():
            freshness.read_first(demo["qlcl"].pk)
            missing = undeclared(tables_of(lambda read=read: read(units, concerned, today)), declared)
        assert not missing, f"readiness part {name} read {sorted(missing)} beyond {declared}"
