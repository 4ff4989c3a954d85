"""
Property test on generated dossiers: for random periods, unit sets and groupings, every row
satisfies col 3 = col 7 + col 11 + col 14, and the engine's numbers equal a plain Python count of
the same rules over the same dossiers (one at a time, no SQL).
"""

import datetime
import random

import pytest

from qms.core import demo as core_demo
from qms.dossiers.demo import generate
from qms.dossiers.models import Dossier
from qms.reporting import engine
from qms.reporting.engine import GroupBy, Period
from tests.dossiers.helpers import import_frame

COLS = ["c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14"]


def by_hand(dossiers, period):
    """DOMAIN.md's rules, literally, per dossier."""
    f, t = period.date_from, period.date_to
    out = dict.fromkeys(COLS, 0)
    for d in dossiers:
        if d.status in (1, 3):
            continue
        withdrawn = d.status == 7
        result = None if withdrawn else d.result_on
        closed = d.closed_on
        if d.received_on > t or (closed is not None and closed < f):
            continue
        if d.received_on >= f:
            out["c4" if d.channel == "truc_tuyen" else "c5"] += 1
        else:
            out["c6"] += 1
        if result is not None and f <= result <= t:
            out["c7"] += 1
            out["c8" if result < d.due_on else "c9" if result == d.due_on else "c10"] += 1
        if closed is None or closed > t:
            out["c11"] += 1
            out["c12" if d.due_on >= t else "c13"] += 1
        if withdrawn and f <= closed <= t:
            out["c14"] += 1
    out["c3"] = out["c4"] + out["c5"] + out["c6"]
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_identity_and_rules_hold_on_generated_dossiers(db, units, seed):
    core_demo.load_procedures()
    import_frame(generate(1500, seed=seed, end=datetime.date(2026, 3, 31)))
    dossiers = list(Dossier.objects.all())
    rng = random.Random(seed)
    candidates = [[units["215"]], [units["BN-YENTHE"]], [units["07243"], units["BN-BOHA"]], None]
    for _ in range(6):
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randrange(0, 800))
        period = Period(start, start + datetime.timedelta(days=rng.randrange(0, 200)))
        chosen = rng.choice(candidates)
        group_by = rng.choice([GroupBy.UNIT, GroupBy.FIELD, GroupBy.PROCEDURE])
        as_of = rng.choice([None, period.date_to])
        report = engine.bieu06(period=period, units=chosen, group_by=group_by, as_of=as_of)
        for r in [*report.rows, report.totals]:
            assert r["c3"] == r["c7"] + r["c11"] + r["c14"], (period, r)
            assert r["c7"] == r["c8"] + r["c9"] + r["c10"] and r["c11"] == r["c12"] + r["c13"]
        ids = engine.scope_unit_ids(chosen)
        mine = [d for d in dossiers if ids is None or d.unit_id in ids]
        assert {c: report.totals[c] for c in COLS} == by_hand(mine, period)
