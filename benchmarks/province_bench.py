#!/usr/bin/env python
"""
Province-scale benchmark (issue 15). Not a test: run it by hand.

    .venv/bin/python benchmarks/province_bench.py --rows 1000000 [--database postgres://…/fresh_db] [--keep]

N dossiers over five years (2021–2025) of the demo province (a district of 19 communes merged into five on
1/7/2025, qms.dossiers.demo.generate), written as two files: the last year's (2025) and the four years before.

1. imports the last year's file into an empty database (the real import; its peak RSS);
2. times Biểu 06 for the whole province and for one commune (Xã Yên Thế, with its predecessors), for the last
   quarter and the last year, with one year of history stored;
3. imports the four older years, and times the same reports again with five years stored;
4. loads the table's typed columns into DuckDB and computes the same Biểu 06 there (the reference), checking
   that every unit's 12 numbers are equal.

Each step runs in a child process (its own peak RSS). Paths are this run's own: a new temporary folder holds the
CSV files and the SQLite database, and only it is removed at the end. PostgreSQL: pass an empty database made for
the run; it is never dropped. The machine's CPUs may be shared: times are noisy, ratios in one run are what counts.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIRST_YEAR, LAST_YEAR = 2021, 2025
COMMUNE = "BN-YENTHE"
TODAY = datetime.date(LAST_YEAR + 1, 1, 15)
#: Each time is the best of this many runs at least (the machine's cores may be shared), and of as many more as
#: fit in a second: a report of 20 ms is then the best of about 50, steady enough for a ±30 % comparison.
REPEAT = 5


def runs():
    """Iterate for a timing: at least REPEAT times, and on until one second has passed (at most 200)."""
    started = time.perf_counter()
    for number in range(200):
        if number >= REPEAT and time.perf_counter() - started > 1.0:
            return
        yield number


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.test")
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def periods():
    from qms.reporting.engine import Period

    return {"last quarter": Period.quarter(LAST_YEAR, 4), "last year": Period.year(LAST_YEAR)}


def scopes():
    from qms.core.models import Unit

    return {"province": None, "commune": [Unit.objects.get(code=COMMUNE)]}


# --- steps, each in its own process ------------------------------------------------------------


def province_units(count: int) -> list[str]:
    """
    The demo's units, and communes added under the new province up to `count` units in all (the 2025 reform's
    province: communes straight under it, the district abolished); returns the added communes' codes.
    """
    from qms.core import demo as core_demo
    from qms.core.models import Unit, UnitKind

    units = core_demo.load_units()
    province = units["BN-2025"]
    codes = [f"BENCH-{number:03d}" for number in range(1, max(0, count - Unit.objects.count()) + 1)]
    Unit.objects.bulk_create([
        Unit(code=code, name=f"Xã Thử Nghiệm {code[-3:]}", kind=UnitKind.COMMUNE, parent=province) for code in codes
    ])
    return codes


def step_prepare(args) -> dict:
    """Migrate the empty database, load the units and the catalogue, write the two CSV files."""
    import numpy as np
    from django.core.management import call_command

    from qms.core import demo as core_demo
    from qms.dossiers.demo import generate

    call_command("migrate", verbosity=0)
    added = np.array(province_units(args.units))
    core_demo.load_procedures()
    spread = np.random.default_rng(0)
    started = time.perf_counter()
    recent, older = Path(args.dir, "last_year.csv"), Path(args.dir, "older.csv")
    written, seed, piece = 0, 1, 250_000
    with recent.open("w", encoding="utf-8", newline="") as new, older.open("w", encoding="utf-8", newline="") as old:
        while written < args.rows:
            n = min(piece, args.rows - written)
            frame = generate(n, seed=seed, first_index=written, start=datetime.date(FIRST_YEAR, 1, 1),
                             end=datetime.date(LAST_YEAR, 12, 31)).iloc[:n]
            if len(added):
                # The added communes receive as many dossiers each as a demo commune.
                moved = spread.random(n) < len(added) / (len(added) + 20)
                frame.loc[moved, "ma_don_vi"] = added[spread.integers(0, len(added), int(moved.sum()))]
            last = frame["ngay_tiep_nhan"].str.slice(6, 10) == str(LAST_YEAR)
            frame[last].to_csv(new, index=False, header=written == 0)
            frame[~last].to_csv(old, index=False, header=written == 0)
            written += n
            seed += 1
    return {"generate_s": time.perf_counter() - started}


def _import(path: Path) -> dict:
    from qms.dossiers.services import dossier_import

    started = time.perf_counter()
    batch = dossier_import(path=path)
    if batch.error_count:
        raise SystemExit(f"the import found errors: {batch.errors[:5]}")
    return {"seconds": time.perf_counter() - started, "rows": batch.rows}


def step_import_last(args) -> dict:
    return _import(Path(args.dir, "last_year.csv"))


def step_import_older(args) -> dict:
    return _import(Path(args.dir, "older.csv"))


def step_reports(args) -> dict:
    """Biểu 06 (grouped by unit) per scope and period: seconds (best of 3) and the numbers per unit code."""
    from unittest import mock

    from qms.dossiers.models import Dossier
    from qms.reporting import engine

    out = {"stored": Dossier.objects.count()}
    for scope, units in scopes().items():
        for name, period in periods().items():
            times, cpu = [], []
            for _ in runs():
                started, cpu_started = time.perf_counter(), time.process_time()
                report = engine.bieu06(period=period, units=units, today=TODAY)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
            times_sql, times_dossiers = [], []
            for _ in runs():
                started = time.perf_counter()
                engine.aggregate(period, engine.scope_unit_ids(units), today=TODAY, by_procedure=False)
                times_sql.append(time.perf_counter() - started)
            # The same query over the dossiers themselves (what the cells spare), and the same numbers by it.
            with mock.patch.object(engine, "cells_sql", return_value=None):
                for _ in runs():
                    started = time.perf_counter()
                    engine.aggregate(period, engine.scope_unit_ids(units), today=TODAY, by_procedure=False)
                    times_dossiers.append(time.perf_counter() - started)
                by_dossiers = engine.bieu06(period=period, units=units, today=TODAY)
            if not report.identity_holds:
                raise SystemExit("col 3 != col 7 + col 11 + col 14")
            if by_dossiers.as_json() != report.as_json():
                raise SystemExit(f"{scope}, {name}: the monthly cells and the dossiers give different numbers")
            out[f"{scope}, {name}"] = {
                "seconds": min(times), "query_s": min(times_sql), "cpu_s": min(cpu), "dossiers_s": min(times_dossiers),
                "rows": {r["code"]: [r[c] for c in engine.NUMBER_COLUMNS] for r in report.rows},
            }
    return out


#: The day the pages are viewed on: late in the last year, so their current periods (year, quarter, month) run
#: to a day within December (the cells for the months before it, the dossiers for December's days).
PAGES_TODAY = datetime.date(LAST_YEAR, 12, 20)


def step_pages(args) -> dict:
    """
    The everyday pages as a province quality officer (member of both provinces, so every unit): the dashboard,
    the units' overview and the Biểu 06 page, in this process (server time, no network). Province objectives
    measured per unit. Each page computed afresh (caches cleared); best of `runs()`; queries of the last view.
    """
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from qms.core.models import Membership, Unit
    from qms.core.roles import Role
    from qms.reporting import demo as reporting_demo
    from qms.reporting.models import Comparator, Indicator, ObjectiveScope, PeriodKind, QualityObjective

    reporting_demo.load(stdout=open(os.devnull, "w"))  # noqa: SIM115
    province = Unit.objects.get(code="BN-2025")
    for indicator, comparator, target, kind in (
        (Indicator.ON_TIME_RATE, Comparator.GTE, 98, PeriodKind.YEAR),
        (Indicator.OVERDUE_PENDING, Comparator.LTE, 10, PeriodKind.MONTH),
        (Indicator.AVG_WORKING_DAYS, Comparator.LTE, 5, PeriodKind.QUARTER),
    ):
        QualityObjective.objects.get_or_create(
            unit=province, indicator=indicator, period_kind=kind,
            defaults={"title": f"Mỗi xã: {indicator}", "scope": ObjectiveScope.EACH, "comparator": comparator,
                      "target": target},
        )
    user, _ = get_user_model().objects.get_or_create(username="tinh.qlcl", defaults={"is_staff": True})
    user.groups.add(Role.QUALITY_OFFICER.group())
    for code in ("24", "BN-2025"):
        Membership.objects.get_or_create(user=user, unit=Unit.objects.get(code=code))
    client = Client()
    client.force_login(user)
    out = {"units": Unit.objects.count()}
    with mock.patch("django.utils.timezone.localdate", return_value=PAGES_TODAY):
        for name, url in (("dashboard", reverse("wagtailadmin_home")), ("overview", reverse("readiness:index")),
                          ("Biểu 06 page", reverse("reports:index"))):
            client.get(url)  # the process's first view of it fills Django's and Wagtail's caches
            times = []
            for _ in runs():
                cache.clear()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")
            out[name] = {"seconds": min(times), "queries": len(queries.captured_queries)}
    return out


DUCKDB_SQL = """
SELECT u.code,
  SUM(CASE WHEN received_on >= $f AND channel = 'truc_tuyen' THEN 1 ELSE 0 END) AS c4,
  SUM(CASE WHEN received_on >= $f AND channel <> 'truc_tuyen' THEN 1 ELSE 0 END) AS c5,
  SUM(CASE WHEN received_on < $f THEN 1 ELSE 0 END) AS c6,
  SUM(CASE WHEN result_on BETWEEN $f AND $t AND result_on < due_on THEN 1 ELSE 0 END) AS c8,
  SUM(CASE WHEN result_on BETWEEN $f AND $t AND result_on = due_on THEN 1 ELSE 0 END) AS c9,
  SUM(CASE WHEN result_on BETWEEN $f AND $t AND result_on > due_on THEN 1 ELSE 0 END) AS c10,
  SUM(CASE WHEN (closed_on IS NULL OR closed_on > $t) AND due_on >= $t THEN 1 ELSE 0 END) AS c12,
  SUM(CASE WHEN (closed_on IS NULL OR closed_on > $t) AND due_on < $t THEN 1 ELSE 0 END) AS c13,
  SUM(CASE WHEN status = 7 AND closed_on BETWEEN $f AND $t THEN 1 ELSE 0 END) AS c14
FROM dossier d JOIN unit u ON u.id = d.unit_id
WHERE status NOT IN (1, 3) AND received_on <= $t AND (closed_on IS NULL OR closed_on >= $f) {units}
GROUP BY u.code
"""


def step_duckdb(args) -> dict:
    """The reference: the same Biểu 06 in DuckDB from a stored typed table (load untimed)."""
    import duckdb
    import pandas as pd
    from django.db import connection

    from qms.core.models import Unit
    from qms.reporting import engine

    started = time.perf_counter()
    db = duckdb.connect(str(Path(args.dir, "reference.duckdb")))
    db.execute("CREATE OR REPLACE TABLE dossier (unit_id INTEGER, channel VARCHAR, status SMALLINT, received_on DATE, "
               "due_on DATE, result_on DATE, closed_on DATE)")
    columns = "unit_id, channel, status, received_on, due_on, result_on, closed_on"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM dossiers_dossier")  # noqa: S608
        while chunk := cursor.fetchmany(200_000):
            frame = pd.DataFrame(chunk, columns=columns.split(", "))
            for name in ("received_on", "due_on", "result_on", "closed_on"):
                frame[name] = pd.to_datetime(frame[name])
            db.register("chunk", frame)
            db.execute("INSERT INTO dossier SELECT unit_id, channel, status, received_on::DATE, due_on::DATE, "
                       "result_on::DATE, closed_on::DATE FROM chunk")
            db.unregister("chunk")
    units = pd.DataFrame(list(Unit.objects.values_list("pk", "code")), columns=["id", "code"])
    db.register("units_frame", units)
    db.execute("CREATE OR REPLACE TABLE unit AS SELECT * FROM units_frame")
    out = {"load_s": time.perf_counter() - started}
    for scope, units_chosen in scopes().items():
        ids = engine.scope_unit_ids(units_chosen)
        where = "" if ids is None else f"AND unit_id IN ({', '.join(str(i) for i in sorted(ids))})"
        for name, period in periods().items():
            t = period.counted_to(TODAY)
            sql = DUCKDB_SQL.format(units=where)
            times = []
            for _ in runs():
                started = time.perf_counter()
                data = db.execute(sql, {"f": period.date_from, "t": t}).fetchall()
                times.append(time.perf_counter() - started)
            rows = {}
            for code, c4, c5, c6, c8, c9, c10, c12, c13, c14 in data:
                numbers = [int(v) for v in (c4, c5, c6, c8, c9, c10, c12, c13, c14)]
                c4, c5, c6, c8, c9, c10, c12, c13, c14 = numbers
                rows[code] = [c4 + c5 + c6, c4, c5, c6, c8 + c9 + c10, c8, c9, c10, c12 + c13, c12, c13, c14]
            out[f"{scope}, {name}"] = {"seconds": min(times), "rows": rows}
    db.close()
    return out


STEPS = {
    "prepare": step_prepare, "import_last": step_import_last, "import_older": step_import_older,
    "reports": step_reports, "pages": step_pages, "duckdb": step_duckdb,
}


def child(args) -> None:
    setup_django(args.database)
    result = STEPS[args.step](args)
    result["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(result, default=str))


def run_step(args, step: str) -> dict:
    command = [sys.executable, __file__, "--step", step, "--rows", str(args.rows), "--units", str(args.units),
               "--database", args.database, "--dir", args.dir]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"step {step} failed")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["wall_s"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=200, help="units in the province (communes added to the demo's)")
    parser.add_argument("--database", default=None, help="PostgreSQL URL of an empty database; default: SQLite in the run's folder")
    parser.add_argument("--dir", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="Keep the run's folder (CSV files, SQLite, DuckDB).")
    args = parser.parse_args()
    if args.step:
        child(args)
        return

    args.dir = tempfile.mkdtemp(prefix="province_bench_")
    args.database = args.database or f"sqlite:///{args.dir}/bench.sqlite3"
    print(f"Province benchmark: {args.rows:,} dossiers {FIRST_YEAR}–{LAST_YEAR}, {args.units} units, "
          f"{args.database.split('@')[-1]}, folder {args.dir}")
    try:
        prep = run_step(args, "prepare")
        first = run_step(args, "import_last")
        one_year = run_step(args, "reports")
        older = run_step(args, "import_older")
        five_years = run_step(args, "reports")
        pages = run_step(args, "pages")
        ref = run_step(args, "duckdb")
    finally:
        if not args.keep:
            shutil.rmtree(args.dir, ignore_errors=True)

    print(f"  generated in {prep['generate_s']:.0f} s")
    print(f"  import of the last year's file: {first['rows']:,} rows in {first['seconds']:.1f} s, "
          f"peak RSS {first['peak_rss_mb']:.0f} MB")
    print(f"  import of the four older years: {older['rows']:,} rows in {older['seconds']:.1f} s, "
          f"peak RSS {older['peak_rss_mb']:.0f} MB")
    print(f"Biểu 06 by unit, best of {REPEAT} runs or more (a second's worth): the whole report (its query alone in "
          "brackets); ratio = 5 years / DuckDB;")
    print("cpu: this process's CPU time for the report (on SQLite the query runs in it: robust when cores are shared)")
    print("dossiers 5y: the same query over the dossiers, not the monthly cells (equal numbers checked)")
    print(f"{'':<24}{'1 year s':>16}{'5 years s':>17}{'5y/1y':>7}{'cpu 1y':>8}{'cpu 5y':>8}{'5y/1y':>7}"
          f"{'DuckDB s':>10}{'ratio':>7}{'dossiers 5y':>12}  same")
    same_all = True
    for key in (k for k in five_years if isinstance(five_years[k], dict)):
        a, b, d = one_year[key]["seconds"], five_years[key]["seconds"], ref[key]["seconds"]
        qa, qb = one_year[key]["query_s"], five_years[key]["query_s"]
        same = five_years[key]["rows"] == ref[key]["rows"]
        same_all &= same
        ca, cb = one_year[key]["cpu_s"], five_years[key]["cpu_s"]
        print(f"{key:<24}{a:>8.3f} ({qa:.3f}){b:>9.3f} ({qb:.3f}){b / a:>7.2f}{ca:>8.3f}{cb:>8.3f}{cb / ca:>7.2f}"
              f"{d:>10.3f}{b / d:>7.1f}{five_years[key]['dossiers_s']:>12.3f}  {'yes' if same else 'NO'}")
    print(f"  stored dossiers: {one_year['stored']:,} then {five_years['stored']:,}")
    print(f"Pages as a province quality officer ({pages['units']} units, viewed on {PAGES_TODAY:%d/%m/%Y}), "
          f"computed afresh, best of {REPEAT} or more:")
    for name in ("dashboard", "overview", "Biểu 06 page"):
        print(f"  {name:<14}{pages[name]['seconds']:>8.3f} s{pages[name]['queries']:>6} queries")
    print("RESULTS " + json.dumps({
        "rows": args.rows, "import_last": first, "import_older": older,
        "one_year": {k: [v["seconds"], v["query_s"], v["cpu_s"], v["dossiers_s"]] if isinstance(v, dict) else v
                     for k, v in one_year.items()},
        "five_years": {k: [v["seconds"], v["query_s"], v["cpu_s"], v["dossiers_s"]] if isinstance(v, dict) else v
                       for k, v in five_years.items()},
        "pages": pages, "duckdb": {k: v["seconds"] if isinstance(v, dict) else v for k, v in ref.items()},
        "same": same_all,
    }))
    if not same_all:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
