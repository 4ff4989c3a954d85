"""Who sees and changes what: another commune's officer reaches none of a unit's records by any URL;
within the unit, quality officers and leaders edit, one-stop officers read, an action's owner records it
done; nothing is deleted."""

import io

import openpyxl
import pytest
from django.urls import reverse

from qms.core.roles import Role
from qms.risks.models import ContextIssue, IssueCategory, IssueDirection
from qms.risks.services import context_issue_save
from tests.risks.helpers import make_action, make_risk
from tests.utils import assert_forbidden


@pytest.fixture
def world(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    staff = make_user(Role.UNIT_STAFF, units["BN-BOHA"])
    stranger = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"])
    risk = make_risk(units["BN-BOHA"], officer, likelihood=4, impact=4, title="Rủi ro riêng của Bố Hạ")
    action = make_action(risk, staff, description="Biện pháp riêng của Bố Hạ")
    issue = context_issue_save(issue=ContextIssue(unit=units["BN-BOHA"], direction=IssueDirection.INTERNAL,
                                                  category=IssueCategory.PEOPLE, description="Vấn đề riêng của Bố Hạ"))
    return {"officer": officer, "staff": staff, "stranger": stranger, "risk": risk, "action": action, "issue": issue}


RECORD_URLS = [
    ("risks", "risk", ["edit", "inspect", "history"]),
    ("risk_actions", "action", ["edit", "inspect", "history", "complete", "review"]),
    ("context_issues", "issue", ["edit", "inspect", "history"]),
]


def test_another_communes_officer_reaches_nothing(client, world):
    client.force_login(world["stranger"])
    for namespace, key, views in RECORD_URLS:
        for view in views:
            assert_forbidden(client.get(reverse(f"{namespace}:{view}", args=[world[key].pk])))
            assert_forbidden(client.post(reverse(f"{namespace}:{view}", args=[world[key].pk]), {}))
    for namespace in ("risks", "risk_actions", "context_issues"):
        listing = client.get(reverse(f"{namespace}:index")).content.decode()
        assert "của Bố Hạ" not in listing
        export = client.get(reverse(f"{namespace}:index") + "?export=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
        assert not any("của Bố Hạ" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    register = client.get(reverse("risks:register_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(register.content)).active
    assert not any("của Bố Hạ" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert client.get(reverse("risks:register_pdf")).status_code == 200


def test_the_officer_edits_and_the_one_stop_officer_reads(client, world):
    risk = world["risk"]
    client.force_login(world["staff"])
    assert client.get(reverse("risks:inspect", args=[risk.pk])).status_code == 200
    assert_forbidden(client.get(reverse("risks:edit", args=[risk.pk])))
    assert_forbidden(client.get(reverse("risks:add")))
    assert_forbidden(client.get(reverse("risk_actions:review", args=[world["action"].pk])))
    client.force_login(world["officer"])
    assert client.get(reverse("risks:edit", args=[risk.pk])).status_code == 200
    assert "của Bố Hạ" in client.get(reverse("risks:index")).content.decode()


def test_nothing_is_deleted(client, world, admin_user):
    for user in (world["officer"], admin_user):
        client.force_login(user)
        for namespace, key, _views in RECORD_URLS:
            assert_forbidden(client.get(reverse(f"{namespace}:delete", args=[world[key].pk])))
    assert world["risk"].__class__.objects.filter(pk=world["risk"].pk).exists()


def test_the_owner_records_the_action_done_and_the_officer_reviews_it(client, world):
    action = world["action"]
    client.force_login(world["staff"])  # the owner, a one-stop officer without edit rights
    response = client.post(reverse("risk_actions:complete", args=[action.pk]), {"done_on": "15/03/2026", "result": "Đã phân công"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on.isoformat() == "2026-03-15" and action.result == "Đã phân công"
    assert_forbidden(client.post(reverse("risk_actions:review", args=[action.pk]), {"effective": "true", "reviewed_on": "20/03/2026"}))
    client.force_login(world["officer"])
    response = client.post(reverse("risk_actions:review", args=[action.pk]),
                           {"effective": "false", "note": "Chưa giảm trễ hạn", "reviewed_on": "20/03/2026"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.effective is False and action.reviewed_by == world["officer"]
    page = client.get(reverse("risks:inspect", args=[action.risk_id])).content.decode()
    assert "Không có hiệu lực" in page and "Chưa giảm trễ hạn" in page


def test_an_effectiveness_review_before_the_action_is_done_is_refused(client, world):
    client.force_login(world["officer"])
    assert_forbidden(client.get(reverse("risk_actions:review", args=[world["action"].pk])))


def test_the_owner_picker_offers_only_the_units_people(client, world):
    """A risk's owner is one of the unit's people (qms.core.viewsets: people pickers narrowed to the user's
    units): another commune's officer is neither offered nor accepted."""
    from bs4 import BeautifulSoup

    client.force_login(world["officer"])
    soup = BeautifulSoup(client.get(reverse("risks:edit", args=[world["risk"].pk])).content, "html.parser")
    offered = {int(option["value"]) for option in soup.select("select[name=owner] option") if option["value"]}
    assert {world["officer"].pk, world["staff"].pk} <= offered
    assert world["stranger"].pk not in offered
    form = soup.select_one("form[method=post]")
    data = {field["name"]: field.get("value", "") for field in form.select("input[name]") if field.get("type") != "checkbox"}
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]")
        data[select["name"]] = chosen["value"] if chosen else ""
    for area in form.select("textarea[name]"):
        data[area["name"]] = area.get_text()
    data["owner"] = world["stranger"].pk
    response = client.post(reverse("risks:edit", args=[world["risk"].pk]), data)
    assert response.status_code == 200  # the form again, with the refusal on the field
    world["risk"].refresh_from_db()
    assert world["risk"].owner_id == world["officer"].pk
