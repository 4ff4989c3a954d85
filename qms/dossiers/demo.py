"""
Demo dossiers: the one-stop activity of Yên Thế from 1/1/2024 to today. The 19 communes and
townships (and the district's one-stop office, for district-level TTHC) until 30/6/2025, then the
five communes that succeeded them. About 40,000 dossiers at scale 1, with a realistic mix: more
online each year, a few per cent late, some withdrawn, some not accepted, recent ones pending, a
few stuck for more than a year, a few due dates that disagree with the statutory time, a few
dossiers entered twice by two units.

Generated with a seeded RNG (the same rows every run of the same day and scale) as rows of the
import format, then checked and written by the importer itself, so the demo is what an import of
the one-stop software's export would give. Re-running updates the same codes: nothing changes.
The benchmark uses `generate` to write its CSV.
"""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from qms.core import demo as core_demo
from qms.core.models import AdministrativeProcedure
from qms.dossiers import importer, workdays

START = datetime.date(2024, 1, 1)
PER_DAY = 38  # dossiers a day over the district at scale 1 (≈ 40,000 from 2024 to late 2026)
SEED = 20240101


def generate(
    n: int, *, start: datetime.date = START, end: datetime.date | None = None, seed: int = SEED,
    procedures: list[tuple[str, str, str, int]] | None = None, first_index: int = 0,
    now: datetime.datetime | None = None,
) -> pd.DataFrame:
    """
    `n` dossiers as rows of the import format (text, canonical headers), received between `start`
    and `end` (inclusive) over the demo units. `procedures`: (code, level, online level, working days).
    `now` (local, naive; default: the end of `end`, or now when `end` is not given): nothing is
    received, resolved, returned or withdrawn after it.
    """
    if end is None:
        now = now or timezone.localtime().replace(tzinfo=None)
        end = now.date()
    now = now or datetime.datetime.combine(end, datetime.time(23, 59, 59))
    rng = np.random.default_rng(seed)
    if procedures is None:
        procedures = [(p[0], p[3], p[4], int(float(p[5]))) for p in core_demo.PROCEDURES]
    today = np.datetime64(end, "D")

    # When: a day of the span, weighted to working days; a time in office hours (online: any time).
    days = np.arange(np.datetime64(start, "D"), today + 1)
    weights = np.where(workdays.is_working_day(days), 1.0, 0.12)
    received_day = np.sort(rng.choice(days, size=n, p=weights / weights.sum()))
    seconds = rng.integers(7 * 3600 + 1800, 17 * 3600, size=n)

    # What: commune-level procedures weigh more (civil status, certification).
    codes = np.array([p[0] for p in procedures])
    level = np.array([str(p[1]) for p in procedures])
    online_level = np.array([str(p[2]) for p in procedures])
    statutory = np.array([p[3] for p in procedures])
    weight = np.where(level == "commune", 3.0, 1.0) * rng.uniform(0.4, 1.6, size=len(procedures))
    which = rng.choice(len(procedures), size=n, p=weight / weight.sum())

    # How: online grows from about a third to two thirds; only where the procedure is offered online.
    progress = (received_day - np.datetime64(start, "D")).astype(int) / max(1, (today - np.datetime64(start, "D")).astype(int))
    can_online = online_level[which] != "khong"
    online = can_online & (rng.random(n) < 0.35 + 0.35 * progress)
    post = ~online & (rng.random(n) < 0.04)
    channel = np.where(online, "truc_tuyen", np.where(post, "buu_chinh", "truc_tiep"))
    # Offline dossiers are received on working days only.
    received_day = np.where(online, received_day, workdays_roll(received_day))

    # Where: before the merger, commune procedures go to the 19 units (different sizes), district ones
    # to the district's one-stop office; from 1/7/2025 everything goes to the five new communes.
    old = [code for code, *_ in core_demo.OLD_UNITS]
    new = list(core_demo.SUCCESSOR_CODES)
    old_w = rng.uniform(0.5, 1.5, size=len(old))
    new_w = rng.uniform(0.7, 1.3, size=len(new))
    before = received_day < np.datetime64(core_demo.MERGER_DAY, "D")
    unit = np.where(
        before,
        np.where(level[which] == "commune", np.array(old)[rng.choice(len(old), size=n, p=old_w / old_w.sum())],
                 core_demo.DISTRICT_OFFICE_CODE),
        np.array(new)[rng.choice(len(new), size=n, p=new_w / new_w.sum())],
    )

    # When due: the statutory working days after receipt; 0.5 % typed wrong (a day later).
    n_days = statutory[which]
    due_day = np.busday_offset(received_day, n_days, roll="forward", busdaycal=workdays.calendar())
    wrong_due = rng.random(n) < 0.005
    due_day = np.where(wrong_due, due_day + 1, due_day)

    # Outcome: early / on time / late in working days; late ones fewer each year.
    draw = rng.random(n)
    late_share = 0.06 - 0.04 * progress
    k = np.where(n_days > 0, (rng.random(n) * n_days).astype(int), 0)  # early: before the due day
    k = np.where(draw < 0.27, n_days, k)  # on time
    k = np.where(draw > 1 - late_share, n_days + rng.integers(1, 9, size=n), k)  # late
    result_day = np.busday_offset(received_day, k, roll="forward", busdaycal=workdays.calendar())
    result_day = np.where(wrong_due & (k == n_days), due_day, result_day)
    stuck = (received_day < np.datetime64("2025-06-01")) & (rng.random(n) < 0.002)
    pending = (result_day > today) | stuck
    returned_lag = rng.integers(0, 3, size=n)
    returned_day = np.busday_offset(result_day, returned_lag, roll="forward", busdaycal=workdays.calendar())
    returned = ~pending & (returned_day <= today) & (rng.random(n) < 0.85)

    status = np.where(pending, np.where(rng.random(n) < 0.12, 5, 4), np.where(returned, 10, 9))
    # Withdrawn (1 %): returned to the applicant a few days after receipt, if that day has come.
    withdraw_day = received_day + rng.integers(1, 6, size=n)
    withdrawn = (rng.random(n) < 0.01) & (withdraw_day <= today)
    status = np.where(withdrawn, 7, status)
    # Online submissions: 1 % refused (3); the newest few still waiting to be accepted (1).
    refused = online & ~withdrawn & (rng.random(n) < 0.01)
    waiting = online & ~withdrawn & (received_day >= today - 2) & (rng.random(n) < 0.3)
    status = np.where(refused | waiting, np.where(refused, 3, 1), status)
    resolved = ~pending & ~withdrawn & ~refused & ~waiting

    def stamp(day, secs):
        return pd.to_datetime(day) + pd.to_timedelta(secs, unit="s")

    # Today's events happen before now: a time drawn after it is folded back into the day so far.
    now_secs = (now - datetime.datetime.combine(end, datetime.time())).seconds

    def so_far(day, secs):
        return np.where(day == today, secs % (now_secs + 1), secs)

    received_secs = so_far(received_day, np.where(online, rng.integers(0, 86400, size=n), seconds))
    received_at = stamp(received_day, received_secs)
    result_secs = rng.integers(8 * 3600, 17 * 3600, size=n)
    # Resolved today: between receipt (if today too) and now.
    result_secs = np.where(result_day == today, np.maximum(np.minimum(result_secs, now_secs),
                                                           np.where(received_day == today, received_secs, 0)), result_secs)
    returned_secs = np.maximum(result_secs, 9 * 3600) + 1800
    returned_secs = np.where(returned_day == today, np.maximum(np.minimum(returned_secs, now_secs),
                                                               np.where(result_day == today, result_secs, 0)), returned_secs)
    withdraw_secs = np.where(withdraw_day == today, min(10 * 3600, now_secs), 10 * 3600)
    fmt = "%d/%m/%Y %H:%M:%S"
    text = pd.DataFrame({
        "ma_ho_so": [f"{u}.{d:%y%m%d}.{i:06d}" for u, d, i in zip(unit, received_day.astype(datetime.date), range(first_index, first_index + n), strict=True)],
        "ma_don_vi": unit,
        "ma_thu_tuc": codes[which],
        "kenh_nop": channel,
        "ngay_tiep_nhan": received_at.strftime(fmt),
        "ngay_hen_tra": stamp(due_day, np.full(n, 17 * 3600)).strftime(fmt),
        "ngay_ket_thuc_xu_ly": np.where(resolved, stamp(result_day, result_secs).strftime(fmt), ""),
        "ngay_tra_ket_qua": np.where(
            resolved & returned, stamp(returned_day, returned_secs).strftime(fmt),
            np.where(withdrawn, stamp(withdraw_day, withdraw_secs).strftime(fmt), ""),
        ),
        "trang_thai": status.astype(str),
        "da_so_hoa": np.where(rng.random(n) < 0.8, "1", "0"),
        "ket_qua_dien_tu": np.where(online & (rng.random(n) < 0.6), "1", "0"),
    })
    # A few dossiers entered twice, by two units (a data-quality finding).
    twice = rng.choice(n, size=max(1, n // 4000), replace=False)
    copies = text.iloc[twice].copy()
    copies["ma_don_vi"] = [
        (old if b else new)[(old if b else new).index(u) - 1] if u in old + new else u
        for u, b in zip(copies["ma_don_vi"], before[twice], strict=True)
    ]
    copies["ma_ho_so"] = copies["ma_ho_so"] + "-2"
    return pd.concat([text, copies], ignore_index=True)


def workdays_roll(days: np.ndarray) -> np.ndarray:
    """The next working day (the previous one when the next is after `days`' last day, i.e. today)."""
    cal = workdays.calendar()
    forward = np.busday_offset(days, 0, roll="forward", busdaycal=cal).astype("datetime64[D]")
    backward = np.busday_offset(days, 0, roll="backward", busdaycal=cal).astype("datetime64[D]")
    return np.where(forward > days.max(), backward, forward)


def load(*, stdout, scale: float = 1.0) -> int:
    today = timezone.localdate()
    n = max(50, int(PER_DAY * (today - START).days * scale))
    procedures = [
        (p.code, p.level, p.online_level, int(np.ceil(float(p.processing_days))))
        for p in AdministrativeProcedure.objects.filter(code__startswith="DEMO-").order_by("code")
    ]
    text = generate(n, procedures=procedures, now=timezone.localtime().replace(tzinfo=None))
    labels = {name: name for name in importer.COLUMN_NAMES}
    ctx = importer.build_context(labels=labels, allowed_units=None)
    text.index = pd.RangeIndex(2, 2 + len(text))
    valid, errors = importer.check_chunk(text, ctx)
    if len(errors):
        raise RuntimeError(f"demo dossiers fail the import checks: {errors.head(3).to_dict('records')}")
    with transaction.atomic():
        importer.write(valid, batch_id=None)
    stdout.write(f"  dossiers: {len(valid):,} dossier records from {START:%d/%m/%Y} to {today:%d/%m/%Y}")
    return len(valid)
