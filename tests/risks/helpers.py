"""Records of the risk registers for tests, made through the app's services."""

import datetime

from qms.risks.models import Risk, RiskAction, RiskKind, Treatment
from qms.risks.services import risk_action_save, risk_save


def make_risk(unit, owner, *, likelihood=3, impact=3, kind=RiskKind.RISK, assessed_on=None, title="Hồ sơ đất đai trễ hạn", **fields):
    treatment = Treatment.PURSUE if kind == RiskKind.OPPORTUNITY else Treatment.REDUCE
    return risk_save(risk=Risk(
        unit=unit, owner=owner, likelihood=likelihood, impact=impact, kind=kind, title=title, treatment=treatment,
        assessed_on=assessed_on or datetime.date(2026, 3, 1), **fields,
    ))


def make_action(risk, owner, *, due_on=None, description="Phân công người xác minh nguồn gốc đất"):
    return risk_action_save(action=RiskAction(
        risk=risk, owner=owner, description=description, due_on=due_on or datetime.date(2026, 4, 1)
    ))
