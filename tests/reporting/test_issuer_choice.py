"""The report form's "Issuing body": only the bodies in force today that cover the chosen units and lie in the
user's units, the rule's answer selected; the pick heads the PDF and the XLSX; any other body is a form error."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from qms.core.models import Unit
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows
from tests.utils import needs_poppler, pdftotext

REPORT = "reports:index"
QUERY = {"preset": "month", "on": "2025-03-15", "group_by": "unit", "rollup": "on"}


@pytest.fixture
def officer(client, demo_users, tmp_path):
    """The district's quality officer (huyện Yên Thế and its successors since 1/7/2025), logged in."""
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    import_rows(tmp_path, [("yt1", "07288", "P3", "truc_tiep", "03/03/2025", "06/03/2025", "05/03/2025", "", "")])
    client.force_login(demo_users["qlcl"])
    return client


def _heading_name(unit: Unit) -> str:
    return f"ỦY BAN NHÂN DÂN {unit.name.upper()}"


def test_the_form_offers_the_bodies_in_force_of_the_users_units_the_rule_selected(officer, units):
    form = officer.get(reverse(REPORT), QUERY).context["form"]
    offered = {unit.code for unit in form.fields["issuer"].queryset}
    assert offered == {"BN-YENTHE", "BN-BOHA", "BN-XUANLUONG", "BN-TAMTIEN", "BN-DONGKY"}  # the district ceased
    assert form["issuer"].value() == str(units["BN-YENTHE"].pk)  # the district's namesake successor, as the rule says
    choices = {str(value): label for value, label in form.fields["issuer"].choices}
    assert choices[str(units["BN-BOHA"].pk)] == f"Ủy ban nhân dân {units['BN-BOHA'].name[0].lower()}{units['BN-BOHA'].name[1:]}"

    # Units chosen: only what covers them.
    form = officer.get(reverse(REPORT), {**QUERY, "units": units["07294"].pk}).context["form"]
    assert [u.code for u in form.fields["issuer"].queryset] == ["BN-BOHA"]
    assert form["issuer"].value() == str(units["BN-BOHA"].pk)


@needs_poppler
def test_the_pick_heads_the_pdf_and_the_xlsx(officer, units, tmp_path):
    boha, yenthe = units["BN-BOHA"], units["BN-YENTHE"]
    response = officer.get(reverse(REPORT), {**QUERY, "issuer": boha.pk, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "bieu06.pdf"
    path.write_bytes(response.content)
    text = " ".join(pdftotext(path, "-l", "1").replace("\u00a0", " ").split())
    assert _heading_name(boha) in text and _heading_name(yenthe) not in text
    assert f"{boha.name.removeprefix('Xã ').removeprefix('Thị trấn ')}, ngày" in text

    sheet = load_workbook(io.BytesIO(officer.get(reverse(REPORT), {**QUERY, "issuer": boha.pk, "format": "xlsx"}).content)).active
    assert sheet["A2"].value == _heading_name(boha) and sheet["A1"].value == f"UBND {boha.parent.name.upper()}"
    unpicked = load_workbook(io.BytesIO(officer.get(reverse(REPORT), {**QUERY, "format": "xlsx"}).content)).active
    assert unpicked["A2"].value == _heading_name(yenthe)  # without a pick, the rule's answer


def test_a_body_outside_the_users_units_is_a_form_error_not_a_paper(officer, client, demo_users, units):
    province = units["BN-YENTHE"].parent  # above every body of the district, in force, but not the officer's
    for user, body in ((demo_users["qlcl"], province), (demo_users["motcua.boha"], units["BN-YENTHE"])):
        client.force_login(user)
        for kind in ("", "pdf", "xlsx"):
            response = client.get(reverse(REPORT), {**QUERY, "issuer": body.pk, **({"format": kind} if kind else {})})
            assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), (user, kind)
            assert "issuer" in response.context["form"].errors and "report" not in response.context
