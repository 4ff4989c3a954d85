"""`manage.py load_demo` loads the district and is idempotent."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from qms.core.models import AdministrativeProcedure, Membership, Unit, UnitKind


def row_counts():
    """Rows of every model of the project's apps (and users and groups), history tables included."""
    labels = {"core", "dossiers", "reporting", "procedures_docs", "audits", "auth", "wagtailcore", "wagtaildocs"}
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in labels}


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", "--scale", "0.05", stdout=out)
    first = row_counts()
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    assert row_counts() == first
    assert "qlcl" in out.getvalue() and "demo@2026" in out.getvalue()


@pytest.mark.django_db
def test_demo_district_shape():
    call_command("load_demo", "--scale", "0.05", stdout=io.StringIO())
    district = Unit.objects.get(code="215")
    old = Unit.objects.filter(parent=district, kind__in=[UnitKind.COMMUNE, UnitKind.TOWNSHIP])
    assert old.count() == 19 and old.filter(kind=UnitKind.TOWNSHIP).count() == 2
    assert Unit.objects.filter(valid_from="2025-07-01", kind=UnitKind.COMMUNE).count() == 5
    assert AdministrativeProcedure.objects.filter(level="commune").count() >= 15
    assert AdministrativeProcedure.objects.filter(level="district").count() >= 10
    assert all(code.startswith("DEMO-") for code in AdministrativeProcedure.objects.values_list("code", flat=True))
    assert Membership.objects.filter(user__username="motcua", unit__code="BN-YENTHE").exists()


@pytest.mark.django_db
def test_load_demo_refuses_where_demo_data_is_not_allowed(settings):
    settings.QMS_DEMO_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())
    assert not Unit.objects.exists()
