"""Scores and levels: likelihood × impact on the configured scale, levels at the configured thresholds."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from qms.core.roles import Role
from qms.risks.models import Risk, RiskKind, RiskLevel, Treatment, risk_level
from tests.risks.helpers import make_risk


@pytest.mark.parametrize(("score", "level"), [(1, "low"), (4, "low"), (5, "medium"), (11, "medium"), (12, "high"), (25, "high")])
def test_levels_at_the_default_thresholds(score, level):
    assert risk_level(score) == level


@override_settings(QMS_RISK_THRESHOLDS={"medium": 3, "high": 6}, QMS_RISK_SCALE=3)
def test_thresholds_and_scale_come_from_the_settings():
    assert [risk_level(s) for s in (2, 3, 5, 6, 9)] == ["low", "medium", "medium", "high", "high"]


def test_score_level_and_residual(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    risk = make_risk(units["BN-BOHA"], officer, likelihood=4, impact=3, residual_likelihood=2, residual_impact=2)
    assert (risk.score, risk.level) == (12, RiskLevel.HIGH)
    assert (risk.residual_score, risk.residual_level) == (4, RiskLevel.LOW)
    assert list(Risk.objects.of_level("high")) == [risk]
    assert not Risk.objects.of_level("medium").exists()


def test_values_outside_the_scale_are_refused_in_vietnamese(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    with pytest.raises(ValidationError) as error:
        make_risk(units["BN-BOHA"], officer, likelihood=6)
    assert "Chọn một giá trị từ 1 đến 5." in error.value.message_dict["likelihood"]
    with override_settings(QMS_RISK_SCALE=6):
        assert make_risk(units["BN-BOHA"], officer, likelihood=6, impact=6).score == 36


def test_an_opportunity_is_pursued_and_a_risk_is_not(units, make_user):
    officer = make_user(Role.QUALITY_OFFICER, units["BN-BOHA"])
    risk = make_risk(units["BN-BOHA"], officer)
    risk.treatment = Treatment.PURSUE
    with pytest.raises(ValidationError) as error:
        risk.full_clean()
    assert "Cơ hội thì nắm bắt" in str(error.value)
    assert make_risk(units["BN-BOHA"], officer, kind=RiskKind.OPPORTUNITY).treatment == Treatment.PURSUE
