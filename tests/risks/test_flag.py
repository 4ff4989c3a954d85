"""A high risk without any treatment action is flagged: in the queryset, the list filter and a badge."""

from django.urls import reverse

from qms.core.roles import Role
from qms.risks.models import Risk, RiskKind
from tests.risks.helpers import make_action, make_risk


def test_only_open_high_risks_without_actions_are_flagged(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    unit = units["BN-BOHA"]
    high = make_risk(unit, officer, likelihood=4, impact=3, title="Cao chưa có biện pháp")
    make_risk(unit, officer, likelihood=4, impact=2, title="Trung bình")  # 8: medium
    make_risk(unit, officer, likelihood=5, impact=5, kind=RiskKind.OPPORTUNITY, title="Cơ hội lớn")
    treated = make_risk(unit, officer, likelihood=5, impact=5, title="Cao có biện pháp")
    make_action(treated, officer)
    assert list(Risk.objects.high_without_action()) == [high]
    assert high.is_flagged and not treated.is_flagged
    make_action(high, officer)
    assert not Risk.objects.high_without_action().exists()


def test_list_filter_and_badge(client, units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    high = make_risk(units["BN-BOHA"], officer, likelihood=4, impact=4, title="Một cửa chỉ có một người")
    make_risk(units["BN-BOHA"], officer, likelihood=1, impact=2, title="Rủi ro nhỏ")
    client.force_login(officer)
    page = client.get(reverse("risks:index")).content.decode()
    assert "Chưa có biện pháp" in page  # the badge
    assert "1 rủi ro cao chưa có biện pháp xử lý." in page
    flagged = client.get(reverse("risks:index") + "?flagged=true").content.decode()
    assert high.title in flagged and "Rủi ro nhỏ" not in flagged
    assert 'data-likelihood="4" data-impact="4"' in page  # the heat map's cell of the high risk
