#!/usr/bin/env python
"""
Load benchmark of the everyday pages (issue 11, item 8). Not a test: run it by hand, on loopback only.

    .venv/bin/python benchmarks/load_bench.py --users 10 --seconds 20 [--users-list 10,50] [--app-dir PATH]

Everything it uses is its own and removed at exit (a temporary folder holds the PostgreSQL cluster,
MEDIA_ROOT, STATIC_ROOT and the logs):

1. starts a PostgreSQL cluster on a free local port (as .ci/run does: initdb as the postgres user);
2. migrates, loads the demo (`load_demo`, with the dev settings: production refuses it), collects the
   static files and makes the cache table, as README's production section and deploy/qms-web.service do;
3. starts gunicorn with deploy/gunicorn.conf.py and `qms.settings.production` (SECRET_KEY, ALLOWED_HOSTS
   and the other variables production needs are set here; SECURE_SSL_REDIRECT is off: there is no nginx);
4. counts the queries of each page once per role in-process (Django's test client with
   CaptureQueriesContext, same settings and database): the first view after any change, after a finding, after
   an import and after a document edit, and seen again (a kept page, qms.core.freshness); and gives each simulated user a browser of its own: a session made by
   `Client.force_login` and the CSRF cookie of its first page, the cookies a browser holds after logging in
   (it spares the benchmark 50 password hashes, and production's Secure cookies cannot travel over plain
   http anyway);
5. for each page in turn, N threads (one requests.Session each) ask for it for `--seconds`, and it
   prints requests/s, p50/p95 latency, errors, and the server CPU per request: the gunicorn workers'
   user+system CPU time from /proc before and after the phase, divided by the requests answered
   (PostgreSQL's processes are shown apart); and the statements per request under that load, from
   pg_stat_statements (SELECT, INSERT, UPDATE, DELETE of the app's database; the changer's few included).

`--changes-per-minute N` has a process of its own announce a change of the records N times a minute while the
pages are asked for, the everyday changes in turn (a finding, an import, a document edited: `records_changed`
of their models, as their saves do), so kept pages and the panels reading what changed are computed again after
each: the regime of a busy district rather than of an unchanged one.

`--app-dir` runs another checkout's code (e.g. a worktree of main, to measure before a change) with
this script. Bounded: at most 50 users and 20 seconds per page.
"""

# ruff: noqa: S603 - the commands run are this script's own (manage.py, gunicorn, PostgreSQL's tools)
from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_USERS, MAX_SECONDS = 50, 20
TICKS = os.sysconf("SC_CLK_TCK")

#: The five pages and the role that typically opens each (demo logins, README).
PAGES = [
    ("dashboard", "qlcl"),
    ("bieu06", "lanhdao"),
    ("explorer", "qlcl"),
    ("nonconformities", "qlcl"),
    ("overview", "qlcl"),
]

# Run in-process with the app's settings: the page URLs, one session per role, queries per page.
PROBE = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Revision
from audits.models import Nonconformity
from procedures_docs.models import ControlledDocumentPage, DocumentLibraryPage
from qms.core.freshness import records_changed
from qms.core.models import Membership
from qms.dossiers.models import Dossier

pages, roles = json.loads(sys.argv[1]), sorted({role for _, role in json.loads(sys.argv[1])})
browsers = int(sys.argv[2])
users = {u.username: u for u in get_user_model().objects.filter(username__in=roles)}
commune = Membership.objects.filter(user=users.get("motcua") or get_user_model().objects.get(username="motcua")).select_related("unit").first().unit
library = DocumentLibraryPage.objects.get(unit=commune)
urls = {
    "dashboard": reverse("wagtailadmin_home"),
    "bieu06": reverse("reports:index"),
    "explorer": reverse("wagtailadmin_explore", args=[library.pk]),
    "nonconformities": reverse("nonconformities:index"),
    "overview": reverse("readiness:index"),
}
# The first view after: any change (everything computed again), a finding, an import, a document edited.
CHANGES = {"any": (), "finding": (Nonconformity,), "import": (Dossier,), "document": (ControlledDocumentPage, Revision)}
sessions, queries, kept, status = {}, {}, {}, {}
for role in roles:  # one browser per simulated user: its own session and CSRF cookie
    sessions[role] = []
    for _ in range(browsers):
        client = Client()
        client.force_login(users[role])
        client.get(reverse("wagtailadmin_home"))  # a browser's first page: it sets the CSRF cookie
        sessions[role].append("; ".join(f"{n}={client.cookies[n].value}" for n in ("sessionid", "csrftoken")))
for name, role in pages:
    client = Client()
    client.force_login(users[role])
    client.get(urls[name])  # warm: first-request caches are not what a user pays every time (and the CSRF cookie)
    queries[name] = {}
    for change, models in CHANGES.items():  # the page computed again, with the panels reading what changed
        records_changed(*models)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(urls[name])
        queries[name][change], status[name] = len(ctx.captured_queries), response.status_code
    with CaptureQueriesContext(connection) as ctx:  # seen again, records unchanged: the kept page
        client.get(urls[name])
    kept[name] = len(ctx.captured_queries)
print(json.dumps({"urls": urls, "sessions": sessions, "queries": queries, "kept": kept, "status": status}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(command: str) -> str:
    """`command` run as the postgres user; what it printed."""
    argv = ["su", "postgres", "-s", "/bin/bash", "-c", command] if os.getuid() == 0 else ["bash", "-c", command]
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE, text=True).stdout


def cpu_times(pids) -> dict[int, float]:
    """pid → user+system CPU seconds so far."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        times[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return times


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings by the processes alive at the second (a new one counts from 0; one that
    ended meanwhile, e.g. a worker recycled by max_requests, is lost: an underestimate, never negative)."""
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# Run beside gunicorn with the app's settings: a change of the records every 60/N seconds (--changes-per-minute).
CHANGER = r"""
import sys, time
import django
django.setup()
from itertools import cycle
from wagtail.models import Revision
from audits.models import Nonconformity
from procedures_docs.models import ControlledDocumentPage
from qms.core.freshness import records_changed
from qms.dossiers.models import Dossier
# The everyday changes in turn (what their saves announce): a finding, an import, a document edited.
for models in cycle([(Nonconformity,), (Dossier,), (ControlledDocumentPage, Revision)]):
    records_changed(*models)
    time.sleep(60 / float(sys.argv[1]))
"""


class Bench:
    def __init__(self, app_dir: Path, workers: int | None, browsers: int, reuse: Path | None = None, keep: bool = False):
        self.app, self.browsers = app_dir, browsers
        self.python = str(app_dir / ".venv" / "bin" / "python")
        self.reuse, self.keep = reuse, keep or reuse is not None
        self.tmp = reuse or Path(tempfile.mkdtemp(prefix="qms-load-bench."))
        self.workers = workers
        self.pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
        self.pg_port, self.web_port = free_port(), free_port()
        if reuse:
            self.pg_port = int((reuse / "pg" / "port").read_text())
        self.gunicorn = self.changer = None
        self.pgdata = self.tmp / "pg" / "data"

    # --- setup ---------------------------------------------------------------------------------
    def env(self, settings: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "GUNICORN_"))}
        env.update(
            DJANGO_SETTINGS_MODULE=settings,
            DATABASE_URL=f"postgres://qms:qms@127.0.0.1:{self.pg_port}/qms",
            SECRET_KEY=self.secret, ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            SECURE_SSL_REDIRECT="false", MEDIA_ROOT=str(self.tmp / "media"), STATIC_ROOT=str(self.tmp / "static"),
            BACKUP_DIR=str(self.tmp / "backups"), GUNICORN_BIND=f"127.0.0.1:{self.web_port}", LOG_LEVEL="ERROR",
            PYTHONPATH=str(self.app),
        )
        if self.workers:
            env["GUNICORN_WORKERS"] = str(self.workers)
        return env

    def manage(self, settings: str, *args: str) -> None:
        subprocess.run([self.python, "manage.py", *args], cwd=self.app, env=self.env(settings), check=True,
                       stdout=subprocess.DEVNULL)

    def setup(self) -> None:
        self.secret = secrets.token_urlsafe(50)
        if self.reuse:  # the cluster and demo of an earlier --keep run: start it, migrate to this code
            self.pg_start()
            self.manage("qms.settings.production", "migrate", "--noinput")  # static files: the first run's
            return self.run_probe()
        (self.tmp / "pg").mkdir()
        shutil.chown(self.tmp / "pg", "postgres") if os.getuid() == 0 else None
        os.chmod(self.tmp, 0o755)  # noqa: S103 - the postgres user must reach its cluster inside
        step = time.monotonic()
        as_postgres(f"{self.pgbin}/initdb -D {self.pgdata} --auth=trust -E UTF8 --locale=C.UTF-8")
        (self.tmp / "pg" / "port").write_text(str(self.pg_port))
        self.pg_start()
        as_postgres(f"psql -h 127.0.0.1 -p {self.pg_port} -d postgres -c \"CREATE ROLE qms LOGIN CREATEDB PASSWORD 'qms'\"")
        as_postgres(f"psql -h 127.0.0.1 -p {self.pg_port} -d postgres -c 'CREATE DATABASE qms OWNER qms'")
        self.manage("qms.settings.production", "migrate", "--noinput")
        self.manage("qms.settings.dev", "load_demo")
        self.manage("qms.settings.production", "collectstatic", "--noinput")
        self.manage("qms.settings.production", "createcachetable")
        print(f"setup (cluster, migrate, demo, static): {time.monotonic() - step:.0f} s", flush=True)
        self.run_probe()

    def pg_start(self) -> None:
        # pg_stat_statements counts the statements the web workers run under load (utility ones, BEGIN and COMMIT,
        # left out, as Django's CaptureQueriesContext leaves them out).
        as_postgres(f"{self.pgbin}/pg_ctl -D {self.pgdata} -o '-p {self.pg_port} -k {self.tmp / 'pg'} "
                    "-c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements "
                    f"-c pg_stat_statements.track_utility=off' -w -l {self.tmp / 'pg' / 'log'} start")
        self.pg_sql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", database="postgres")

    def pg_sql(self, sql: str, database: str = "postgres") -> str:
        """One statement as the cluster's superuser, outside the benchmarked database; its output."""
        return as_postgres(f"psql -h 127.0.0.1 -p {self.pg_port} -d {database} -tA -c \"{sql}\"").strip()

    def statements_in_app_database(self) -> int:
        return int(self.pg_sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                               "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'qms')") or 0)

    def run_probe(self) -> None:
        probe = subprocess.run([self.python, "-c", PROBE, json.dumps(PAGES), str(self.browsers)], cwd=self.app, check=True,
                               env=self.env("qms.settings.production"), capture_output=True, text=True)
        self.probe = json.loads(probe.stdout.strip().splitlines()[-1])

    def start_web(self) -> None:
        log = open(self.tmp / "gunicorn.log", "w")  # noqa: SIM115 (kept open for the server's life)
        self.gunicorn = subprocess.Popen(
            [str(self.app / ".venv" / "bin" / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "qms.wsgi"],
            cwd=self.app, env=self.env("qms.settings.production"), stdout=log, stderr=log, start_new_session=True,
        )
        import requests

        for _ in range(120):
            try:
                requests.get(f"http://127.0.0.1:{self.web_port}/admin/login/", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        self.worker_pids = children(self.gunicorn.pid)
        postmaster = int((self.pgdata / "postmaster.pid").read_text().split()[0])
        self.pg_pids = lambda: [postmaster, *children(postmaster)]

    def start_changes(self, per_minute: float) -> None:
        self.changer = subprocess.Popen([self.python, "-c", CHANGER, str(per_minute)], cwd=self.app,
                                        env=self.env("qms.settings.production"), start_new_session=True)

    def cleanup(self) -> None:
        if self.changer and self.changer.poll() is None:
            os.killpg(self.changer.pid, signal.SIGKILL)
        if self.gunicorn and self.gunicorn.poll() is None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            try:
                self.gunicorn.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.gunicorn.pid, signal.SIGKILL)
        if (self.pgdata / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                as_postgres(f"{self.pgbin}/pg_ctl -D {self.pgdata} -m fast stop")
        if self.keep:
            print(f"kept (reuse with --reuse {self.tmp}; remove it when done): {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- load ----------------------------------------------------------------------------------
    def phase(self, page: str, role: str, users: int, seconds: float) -> dict:
        import requests

        url = f"http://127.0.0.1:{self.web_port}{self.probe['urls'][page]}"
        cookies = self.probe["sessions"][role]
        latencies, errors, lock = [], [], threading.Lock()
        # Settle: requests the previous phase's users gave up on are still queued in gunicorn; wait them out.
        with contextlib.suppress(requests.RequestException):
            requests.get(url, headers={"Cookie": cookies[0]}, timeout=300)
        stop = time.monotonic() + seconds

        def user(cookie):
            session = requests.Session()
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    response = session.get(url, headers={"Cookie": cookie}, timeout=60, allow_redirects=False)
                    ok = response.status_code == 200
                    error = None if ok else f"HTTP {response.status_code}"
                except requests.RequestException as exc:
                    error = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    (errors.append(error) if error else latencies.append(elapsed))

        self.pg_sql("SELECT pg_stat_statements_reset()")
        cpu_web, cpu_db, began = cpu_times(children(self.gunicorn.pid)), cpu_times(self.pg_pids()), time.monotonic()
        threads = [threading.Thread(target=user, args=(cookies[i],)) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - began
        cpu_web = cpu_spent(cpu_web, cpu_times(children(self.gunicorn.pid)))
        cpu_db = cpu_spent(cpu_db, cpu_times(self.pg_pids()))
        statements = self.statements_in_app_database()  # the workers' (and the changer's few cache writes)
        done = len(latencies)
        latencies.sort()
        return {
            "page": page, "role": role, "users": users, "requests": done, "errors": len(errors),
            "error_kinds": sorted(set(errors)), "rps": done / wall,
            "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
            "p95_ms": 1000 * latencies[int(0.95 * (done - 1))] if latencies else None,
            "cpu_ms": 1000 * cpu_web / done if done else None, "db_cpu_ms": 1000 * cpu_db / done if done else None,
            "queries": self.probe["queries"][page], "queries_kept": self.probe["kept"][page],
            "statements_per_request": statements / done if done else None,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10, help=f"concurrent users (at most {MAX_USERS})")
    parser.add_argument("--users-list", default="", help="several runs on the same setup, e.g. 10,50")
    parser.add_argument("--seconds", type=float, default=20, help=f"per page (at most {MAX_SECONDS})")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout whose code is served")
    parser.add_argument("--keep", action="store_true", help="keep the cluster and demo for a later --reuse")
    parser.add_argument("--reuse", type=Path, default=None, help="the folder a --keep run left (its demo is reused)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--changes-per-minute", type=float, default=0, help="records changed N times a minute")
    args = parser.parse_args()
    levels = [int(x) for x in args.users_list.split(",") if x] or [args.users]
    if max(levels) > MAX_USERS or args.seconds > MAX_SECONDS or min(levels) < 1:
        parser.error(f"at most {MAX_USERS} users and {MAX_SECONDS} seconds per page")
    bench = Bench(args.app_dir.resolve(), args.workers, max(levels), args.reuse, args.keep)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    try:
        bench.setup()
        print("queries per page (in-process, after any change/a finding/an import/a document edit/seen again, kept):",
              ", ".join(f"{p}={'/'.join(map(str, q.values()))}/{bench.probe['kept'][p]}"
                        for p, q in bench.probe["queries"].items()),
              "| status:", bench.probe["status"], flush=True)
        bench.start_web()
        print(f"gunicorn workers: {len(bench.worker_pids)}; load average before: {os.getloadavg()}", flush=True)
        if args.changes_per_minute:
            bench.start_changes(args.changes_per_minute)
            print(f"records changed every {60 / args.changes_per_minute:.0f} s", flush=True)
        results = []
        for users in levels:
            print(f"\n{users} users, {args.seconds:.0f} s per page ({args.app_dir})")
            print(f"{'page':16} {'role':8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'CPU ms/req':>10} "
                  f"{'PG CPU ms':>9} {'stmts/req':>9} {'queries any/NC/import/doc/kept':>30} {'errors':>6}")
            for page, role in PAGES:
                r = bench.phase(page, role, users, args.seconds)
                results.append(r)
                probed = "/".join(map(str, [*r["queries"].values(), r["queries_kept"]]))
                print(f"{page:16} {role:8} {r['rps']:6.1f} {r['p50_ms'] or 0:7.0f} {r['p95_ms'] or 0:7.0f} "
                      f"{r['cpu_ms'] or 0:10.1f} {r['db_cpu_ms'] or 0:9.1f} {r['statements_per_request'] or 0:9.1f} "
                      f"{probed:>30} {r['errors']:6}" + (f"  {r['error_kinds']}" if r["errors"] else ""), flush=True)
            print(f"load average after: {os.getloadavg()}")
        print("\nJSON " + json.dumps(results))
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
