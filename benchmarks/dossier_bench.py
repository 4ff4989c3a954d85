#!/usr/bin/env python
"""
Benchmark of the dossier import and Biểu 06 (issue 5, item 8). Not a test: run it by hand.

    .venv/bin/python benchmarks/dossier_bench.py --rows 1000000 [--rounds 3] [--database URL] [--keep]

1. generates N dossiers over the demo units (qms.dossiers.demo.generate) as a CSV file;
2. (a) imports it into an empty database with the real import (`dossier_import`), then imports the
   same file again (re-import: every row an update);
3. (c) Biểu 06 for the district (Huyện Yên Thế, 215) for 2024, grouped by unit and by field, with
   the engine, and (d) a hand-written SQL GROUP BY computing the same 14 columns, checking that
   the numbers are equal;
4. (e) the district report's PDF (charts included);
5. (b) empties the table and inserts the same rows with one raw `executemany` of INSERT, with no
   validation (the rows are prepared beforehand, untimed): the reference for (a).

Each step runs in a fresh child process, so its peak RSS is its own. Each run works in a new
temporary folder of its own (CSV, SQLite database, PDF), removed at the end unless --keep; PostgreSQL: give a new,
empty database (never dropped). Prints times, ratios, rows/s
and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
YEAR = 2024
DISTRICT = "215"


def setup_django(database: str) -> None:
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.test")
    import django

    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- steps, each in its own process ------------------------------------------------------------


def step_prepare(args) -> dict:
    """Migrate an empty database, load the demo units and catalogue, write the CSV."""
    from django.core.management import call_command

    from qms.core import demo as core_demo

    call_command("migrate", verbosity=0)
    core_demo.load_units()
    core_demo.load_procedures()
    from qms.dossiers.demo import generate

    started = time.perf_counter()
    piece = 250_000
    with open(args.csv, "w", encoding="utf-8", newline="") as out:
        written = 0
        seed = 1
        while written < args.rows:
            n = min(piece, args.rows - written)
            frame = generate(n, seed=seed, first_index=written)
            frame = frame.iloc[:n]  # the generator adds a few double entries; keep exactly n rows
            frame.to_csv(out, index=False, header=written == 0)
            written += n
            seed += 1
    return {"generate_s": time.perf_counter() - started, "csv_mb": Path(args.csv).stat().st_size / 2**20}


def step_import(args) -> dict:
    from qms.dossiers.services import dossier_import

    started, cpu = time.perf_counter(), time.process_time()
    batch = dossier_import(path=args.csv)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if batch.error_count:
        raise SystemExit(f"the import found errors: {batch.errors[:5]}")
    return {"seconds": elapsed, "cpu_s": cpu, "rows": batch.rows, "created": batch.created, "updated": batch.updated}


def step_empty(args) -> dict:
    """Back to an empty database for another round: no dossier, monthly cell or batch (SQLite: vacuumed)."""
    from django.db import connection

    from qms.dossiers.models import Dossier, DossierMonth, DossierUnitMonth, ImportBatch

    for model in (Dossier, DossierMonth, DossierUnitMonth, ImportBatch):
        model.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return {}


def step_analyze(args) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {}


def _scope():
    from qms.core.models import Unit
    from qms.reporting import engine

    district = Unit.objects.get(code=DISTRICT)
    return district, engine.scope_unit_ids([district])


def step_engine(args) -> dict:
    from qms.reporting import engine

    district, _ids = _scope()
    period = engine.Period.year(YEAR)
    out = {}
    for group_by in ("unit", "field"):
        started, cpu = time.perf_counter(), time.process_time()
        report = engine.bieu06(period=period, units=[district], group_by=group_by)
        out[f"{group_by}_s"] = time.perf_counter() - started
        out[f"{group_by}_cpu_s"] = time.process_time() - cpu
        out[f"{group_by}_rows"] = {r["code"] or r["label"]: [r[c] for c in engine.NUMBER_COLUMNS] for r in report.rows}
        if not report.identity_holds:
            raise SystemExit("col 3 != col 7 + col 11 + col 14")
    return out


REFERENCE_SQL = """
SELECT {key},
  SUM(CASE WHEN d.received_on BETWEEN %s AND %s THEN 1 ELSE 0 END)
    + SUM(CASE WHEN d.received_on < %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_on BETWEEN %s AND %s AND d.channel = 'truc_tuyen' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_on BETWEEN %s AND %s AND d.channel <> 'truc_tuyen' THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.received_on < %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.result_on BETWEEN %s AND %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.result_on BETWEEN %s AND %s AND d.result_on < d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.result_on BETWEEN %s AND %s AND d.result_on = d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.result_on BETWEEN %s AND %s AND d.result_on > d.due_on THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.closed_on IS NULL OR d.closed_on > %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN (d.closed_on IS NULL OR d.closed_on > %s) AND d.due_on >= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN (d.closed_on IS NULL OR d.closed_on > %s) AND d.due_on < %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN d.status = 7 AND d.closed_on BETWEEN %s AND %s THEN 1 ELSE 0 END)
FROM dossiers_dossier d {join}
WHERE d.status NOT IN (1, 3) AND d.received_on <= %s AND (d.closed_on IS NULL OR d.closed_on >= %s)
  AND d.unit_id IN ({units})
GROUP BY {key}
"""


def step_reference(args) -> dict:
    import datetime

    from django.db import connection

    from qms.core.models import AdministrativeProcedure, Unit

    _district, ids = _scope()
    f, t = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    params = [f, t, f, f, t, f, t, f, f, t, f, t, f, t, f, t, t, t, t, t, t, f, t, t, f]
    units = ", ".join(str(i) for i in sorted(ids))
    out = {}
    for group_by, key, join in (
        ("unit", "d.unit_id", ""),
        ("field", "p.field", "JOIN core_administrativeprocedure p ON p.id = d.procedure_id"),
    ):
        sql = REFERENCE_SQL.format(key=key, join=join, units=units)
        started, cpu = time.perf_counter(), time.process_time()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            data = cursor.fetchall()
        out[f"{group_by}_s"] = time.perf_counter() - started
        out[f"{group_by}_cpu_s"] = time.process_time() - cpu
        if group_by == "unit":
            codes = dict(Unit.objects.values_list("pk", "code"))
            out["unit_rows"] = {codes[r[0]]: [int(v) for v in r[1:]] for r in data}
        else:
            out["field_rows"] = {r[0]: [int(v) for v in r[1:]] for r in data}
    out["fields"] = AdministrativeProcedure.objects.values("field").distinct().count()
    return out


def step_pdf(args) -> dict:
    from qms.reporting import engine, renderers

    district, _ids = _scope()
    started = time.perf_counter()
    report = engine.bieu06(period=engine.Period.year(YEAR), units=[district], group_by="unit")
    computed = time.perf_counter()
    images = renderers.chart_images(report)
    charted = time.perf_counter()
    pdf = renderers.pdf(report, images=images)
    done = time.perf_counter()
    Path(args.csv).with_suffix(".pdf").write_bytes(pdf)
    return {"report_s": computed - started, "charts_s": charted - computed, "render_s": done - charted,
            "total_s": done - started, "pages_kb": len(pdf) / 1024}


def step_reference_insert(args) -> dict:
    """Empty the table, then insert the same rows with raw executemany (prepared untimed)."""
    from django.db import connection, transaction

    from qms.dossiers import importer
    from qms.dossiers.models import Dossier

    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    labels, chunks = importer.read_chunks(args.csv, "bench.csv")
    ctx = importer.build_context(labels=labels, allowed_units=None)
    cols = ", ".join(importer.DB_COLUMNS)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(importer.DB_COLUMNS))})"
    timed = cpu = 0.0
    rows = 0
    with transaction.atomic():
        for frame in chunks:
            valid, _errors = importer.check_chunk(frame, ctx)
            columns = text_columns(valid, pg=connection.vendor == "postgresql")
            params = list(zip(*(columns[c] for c in importer.DB_COLUMNS), strict=True))
            del valid, columns
            started, cpu_started = time.perf_counter(), time.process_time()
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)
            timed += time.perf_counter() - started
            cpu += time.process_time() - cpu_started
            rows += len(params)
        started, cpu_started = time.perf_counter(), time.process_time()
    timed += time.perf_counter() - started  # the commit
    cpu += time.process_time() - cpu_started
    return {"seconds": timed, "cpu_s": cpu, "rows": rows}


def _dt_text(values, unit: str, suffix: str = "") -> list:
    import numpy as np

    text = np.datetime_as_string(values, unit=unit)
    return [None if t == "NaT" else t.replace("T", " ") + suffix for t in text.tolist()]


def text_columns(frame, *, pg: bool) -> dict:
    """The rows as the database stores them, as plain Python values (prepared before timing)."""

    suffix = "+00" if pg else ""
    columns = {name: frame[name].tolist() for name in ("code", "unit_id", "procedure_id", "channel", "status",
                                                      "digitised", "electronic_result", "long_open", "due_working_days")}
    for name in ("received_at", "due_at", "processed_at", "returned_at"):
        columns[name] = _dt_text(frame[name].to_numpy(), "s", suffix)
    for name in ("received_on", "due_on", "result_on", "closed_on"):
        columns[name] = _dt_text(frame[name].to_numpy().astype("datetime64[D]"), "D")
    columns["working_days"] = [None if v < 0 else v for v in frame["working_days"].tolist()]
    columns["batch_id"] = [None] * len(frame)
    return columns


STEPS = {
    "prepare": step_prepare, "import": step_import, "analyze": step_analyze, "engine": step_engine,
    "reference": step_reference, "pdf": step_pdf, "reference_insert": step_reference_insert, "empty": step_empty,
}


def child(args) -> None:
    setup_django(args.database)
    result = STEPS[args.step](args)
    result["peak_rss_mb"] = peak_rss_mb()
    print("RESULT " + json.dumps(result, default=str))


def run_step(args, step: str) -> dict:
    command = [sys.executable, __file__, "--step", step, "--rows", str(args.rows), "--database", args.database,
               "--csv", args.csv]
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
    parser.add_argument("--database", default=None, help="PostgreSQL URL of an empty database; default: SQLite in the run's folder")
    parser.add_argument("--csv", default=None)
    parser.add_argument("--step", choices=sorted(STEPS))
    parser.add_argument("--keep", action="store_true", help="Keep the CSV and the SQLite file.")
    parser.add_argument("--rounds", type=int, default=1,
                        help="Rounds of import, re-import and raw insert, one after the other: the machine's speed drifts "
                             "by more than the targets' margins over minutes, so each round's ratio compares neighbours, "
                             "and the median of the rounds is reported.")
    args = parser.parse_args()
    if args.step:
        child(args)
        return

    # This run's own folder: two runs side by side never share (or delete) each other's database or CSV.
    folder = tempfile.mkdtemp(prefix="dossier_bench_")
    args.csv = args.csv or f"{folder}/dossiers_{args.rows}.csv"
    args.database = args.database or f"sqlite:///{folder}/bench.sqlite3"
    print(f"Dossier benchmark: {args.rows:,} rows, {args.database.split('@')[-1]}")
    prep = run_step(args, "prepare")
    print(f"  generated {prep['csv_mb']:.0f} MB of CSV in {prep['generate_s']:.0f} s")
    first = run_step(args, "import")
    again = run_step(args, "import")
    run_step(args, "analyze")
    eng = run_step(args, "engine")
    ref = run_step(args, "reference")
    pdf = run_step(args, "pdf")
    raw = run_step(args, "reference_insert")
    rounds = [(first, again, raw)]
    for _ in range(args.rounds - 1):
        run_step(args, "empty")
        rounds.append((run_step(args, "import"), run_step(args, "import"), run_step(args, "reference_insert")))

    same = all(eng[f"{g}_rows"] == ref[f"{g}_rows"] for g in ("unit", "field"))
    n = args.rows
    lines = [
        ("(a) import into empty DB", first["seconds"], first["peak_rss_mb"], f"{n / first['seconds']:,.0f} rows/s"),
        ("    re-import (all updates)", again["seconds"], again["peak_rss_mb"], f"{n / again['seconds']:,.0f} rows/s"),
        ("(b) raw executemany insert", raw["seconds"], raw["peak_rss_mb"], f"{n / raw['seconds']:,.0f} rows/s"),
        ("(c) Biểu 06 by unit (engine)", eng["unit_s"], eng["peak_rss_mb"], f"{len(eng['unit_rows'])} rows"),
        ("(c) Biểu 06 by field (engine)", eng["field_s"], eng["peak_rss_mb"], f"{len(eng['field_rows'])} rows"),
        ("(d) SQL reference by unit", ref["unit_s"], ref["peak_rss_mb"], ""),
        ("(d) SQL reference by field", ref["field_s"], ref["peak_rss_mb"], ""),
        ("(e) PDF: render (report computed)", pdf["render_s"], pdf["peak_rss_mb"], f"charts {pdf['charts_s']:.2f} s"),
        ("(e) PDF: report + charts + render", pdf["total_s"], pdf["peak_rss_mb"], ""),
    ]
    print(f"{'step':<38}{'seconds':>9}{'peak RSS MB':>13}  note")
    for label, seconds, rss, note in lines:
        print(f"{label:<38}{seconds:>9.2f}{rss:>13.0f}  {note}")
    print("ratios:")
    print(f"  import / raw insert      {first['seconds'] / raw['seconds']:.2f}  (target ≤ 2)")
    print(f"  re-import / raw insert   {again['seconds'] / raw['seconds']:.2f}  (target ≤ 3)")
    print(f"  engine / SQL, by unit    {eng['unit_s'] / ref['unit_s']:.2f}  (target ≤ 1.5)")
    print(f"  engine / SQL, by field   {eng['field_s'] / ref['field_s']:.2f}  (target ≤ 1.5)")
    print(f"  same numbers as the SQL reference: {'yes' if same else 'NO'}")
    print("CPU time of this process (robust when other work shares the cores; PostgreSQL's own work is not in it):")
    print(f"  import {first['cpu_s']:.1f} s, re-import {again['cpu_s']:.1f} s, raw insert {raw['cpu_s']:.1f} s: "
          f"ratios {first['cpu_s'] / raw['cpu_s']:.2f} and {again['cpu_s'] / raw['cpu_s']:.2f}")
    if len(rounds) > 1:
        print(f"  {len(rounds)} rounds (import, re-import, raw insert, one after the other), CPU s:")
        for number, (imp, reimp, ins) in enumerate(rounds, 1):
            print(f"    {number}: {imp['cpu_s']:.1f}, {reimp['cpu_s']:.1f}, {ins['cpu_s']:.1f}: "
                  f"ratios {imp['cpu_s'] / ins['cpu_s']:.2f} and {reimp['cpu_s'] / ins['cpu_s']:.2f}")
        print(f"  median of the rounds' ratios: import {statistics.median(i['cpu_s'] / r['cpu_s'] for i, _, r in rounds):.2f}"
              f" (target ≤ 2), re-import {statistics.median(a['cpu_s'] / r['cpu_s'] for _, a, r in rounds):.2f} (target ≤ 3)")
    print(f"  Biểu 06 by unit {eng['unit_cpu_s']:.2f} s vs SQL {ref['unit_cpu_s']:.2f} s; "
          f"by field {eng['field_cpu_s']:.2f} s vs SQL {ref['field_cpu_s']:.2f} s")
    print("RESULTS " + json.dumps({"rows": n, "import": first, "reimport": again, "raw": raw, "rounds": rounds,
                                   "engine": {k: v for k, v in eng.items() if not k.endswith("_rows")},
                                   "reference": {k: v for k, v in ref.items() if not k.endswith("_rows")},
                                   "pdf": pdf, "same": same}))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"kept: {folder}")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
