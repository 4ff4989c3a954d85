"""The district publishes a template of context issues and parties; a commune copies it with one action."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from qms.core.roles import Role
from qms.risks.models import ContextIssue, InterestedParty, IssueCategory, IssueDirection, PartyKind
from qms.risks.services import context_issue_save, context_template_copy, interested_party_save
from tests.utils import assert_forbidden


@pytest.fixture
def template(units):
    district = units["215"]
    context_issue_save(issue=ContextIssue(unit=district, direction=IssueDirection.EXTERNAL, category=IssueCategory.LEGAL,
                                          description="Pháp luật đất đai thay đổi", is_template=True))
    context_issue_save(issue=ContextIssue(unit=district, direction=IssueDirection.INTERNAL, category=IssueCategory.PEOPLE,
                                          description="Chỉ dùng ở huyện"))  # not a template
    interested_party_save(party=InterestedParty(unit=district, kind=PartyKind.CITIZENS, name="Người dân",
                                                needs="Đúng hạn", is_template=True))
    return district


def test_a_commune_copies_the_district_template_once(units, make_user, template):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    with pytest.raises(ValidationError) as error:
        context_template_copy(unit=units["24"], by=officer)
    assert "chưa ban hành mẫu" in str(error.value)
    assert context_template_copy(unit=units["BN-BOHA"], by=officer) == (1, 1)
    copied = ContextIssue.objects.get(unit=units["BN-BOHA"])
    assert copied.description == "Pháp luật đất đai thay đổi" and not copied.is_template and copied.copied_from.unit == template
    with pytest.raises(ValidationError) as error:
        context_template_copy(unit=units["BN-BOHA"], by=officer)
    assert "đã có trong danh mục" in str(error.value)


def test_the_copy_button(client, units, make_user, template):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    client.force_login(officer)
    page = client.get(reverse("context_issues:index")).content.decode()
    assert "Sao chép mẫu của huyện" in page
    response = client.post(reverse("context_issues:copy_template"), {"unit": units["BN-BOHA"].pk}, follow=True)
    assert "1 vấn đề và 1 bên quan tâm đã được sao chép" in response.content.decode()
    assert ContextIssue.objects.filter(unit=units["BN-BOHA"]).count() == 1
    # Another commune is not among the choices.
    response = client.post(reverse("context_issues:copy_template"), {"unit": units["BN-YENTHE"].pk})
    assert response.status_code == 200 and not ContextIssue.objects.filter(unit=units["BN-YENTHE"]).exists()
    staff = make_user(Role.UNIT_STAFF, units["BN-BOHA"])
    client.force_login(staff)
    assert_forbidden(client.get(reverse("context_issues:copy_template")))
