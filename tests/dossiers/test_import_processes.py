"""
Imports as real processes on the test database (SQLite as a file, or CI's PostgreSQL): two at once,
one killed with SIGKILL in the middle of its write (as a command and inside the worker), and logins
through the real login page while a big import writes to SQLite. The in-process tests of the states
(test_import_states.py) simulate these; here the operating system does it.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from qms.core.roles import Role
from tests.core.factories import AdministrativeProcedureFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra;ngay_ket_thuc_xu_ly;ngay_tra_ket_qua;trang_thai\n"
SQLITE = connection.vendor == "sqlite"


def dossier_file(path: Path, *, prefix: str, unit: str, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            out.write(f"{prefix}{i};{unit};P3;truc_tiep;02/01/2024;05/01/2024;04/01/2024;05/01/2024;\n")
    return path


class Site:
    """The committed test data, reachable by other processes: on SQLite copied to a file (the test
    database lives in memory), on PostgreSQL the test database itself."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.dossiers.process_settings", "PYTHONUNBUFFERED": "1"}
        if SQLITE:
            self.file = tmp_path / "site.sqlite3"
            target = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            db = connection.settings_dict
            env["DATABASE_URL"] = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        # PYTEST_XDIST_WORKER stays: the processes share this worker's media folder (qms.settings.test).
        self.env = env

    def manage(self, *args, **kwargs) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)

    def query(self, sql: str, *params) -> list[tuple]:
        if SQLITE:
            with sqlite3.connect(self.file, timeout=30) as db:
                return db.execute(sql, params).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall()

    def execute(self, sql: str, *params) -> None:
        if SQLITE:
            with sqlite3.connect(self.file, timeout=30) as db:
                db.execute(sql, params)
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)

    def batches(self) -> list[tuple]:
        return self.query("SELECT id, state, created, updated, message FROM dossiers_importbatch ORDER BY id")

    def dossiers(self, prefix: str = "") -> int:
        return self.query("SELECT COUNT(*) FROM dossiers_dossier WHERE code LIKE ?", f"{prefix}%")[0][0]

    def wait_for_state(self, state: str, *, process: subprocess.Popen, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(b[1] == state for b in self.batches()):
                return
            if process.poll() is not None:
                pytest.fail(f"the process ended before {state!r}: {process.communicate()}")
            time.sleep(0.05)
        pytest.fail(f"no batch reached {state!r} in {timeout} s: {self.batches()}")


@pytest.fixture
def site(tmp_path, units, make_user):
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    make_user(Role.UNIT_STAFF, units["BN-YENTHE"], username="motcua", password="mat-khau-dai-1")
    return Site(tmp_path)


def finished(process: subprocess.Popen, timeout: float = 300) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}: {out}\n{err}"
    return out


def test_two_imports_of_different_and_of_the_same_file_at_once_count_right(site):
    a = dossier_file(site.tmp / "a.csv", prefix="A", unit="07288", rows=10_000)
    b = dossier_file(site.tmp / "b.csv", prefix="B", unit="07294", rows=10_000)
    for process in [site.manage("import_dossiers", str(path), "--no-progress") for path in (a, b)]:
        finished(process)
    assert [(state, created, updated) for _id, state, created, updated, _m in site.batches()] == [
        ("done", 10_000, 0), ("done", 10_000, 0)
    ]

    for process in [site.manage("import_dossiers", str(a), "--no-progress") for _ in range(2)]:
        finished(process)
    again = [(state, created, updated) for _id, state, created, updated, _m in site.batches()[2:]]
    assert again == [("done", 0, 10_000), ("done", 0, 10_000)]  # both found the rows there: updates
    assert site.dossiers("A") == 10_000 and site.dossiers("B") == 10_000


def test_two_imports_at_once_while_the_monthly_cells_are_out_of_step_both_finish_and_leave_them_right(site):
    """Each would rebuild the cells from the whole table. On PostgreSQL the first takes the table before writing
    and the second waits, then finds them in step (taken only at the rebuild, two imports could each wait for
    the other's rows; whether they meet there depends on timing, so this checks the outcome)."""
    finished(site.manage("import_dossiers", str(dossier_file(site.tmp / "f.csv", prefix="F", unit="07288", rows=2_000)),
                         "--no-progress"))
    # As a dossier saved outside the import leaves them: each import would rebuild the cells from the table.
    site.execute("UPDATE dossiers_dossierdataversion SET months_ok = ? WHERE id = 1", False)
    a = dossier_file(site.tmp / "a.csv", prefix="A", unit="07288", rows=10_000)
    b = dossier_file(site.tmp / "b.csv", prefix="B", unit="07294", rows=10_000)
    for process in [site.manage("import_dossiers", str(path), "--no-progress") for path in (a, b)]:
        finished(process)
    assert [(state, created) for _id, state, created, _u, _m in site.batches()] == [
        ("done", 2_000), ("done", 10_000), ("done", 10_000)
    ]
    assert site.query("SELECT months_ok FROM dossiers_dossierdataversion WHERE id = 1")[0][0]
    received = site.query("SELECT unit_id, SUM(received_online + received_other) FROM dossiers_dossierunitmonth "
                          "GROUP BY unit_id ORDER BY unit_id")
    stored = site.query("SELECT unit_id, COUNT(*) FROM dossiers_dossier GROUP BY unit_id ORDER BY unit_id")
    assert [(unit, int(count)) for unit, count in received] == stored and sum(c for _u, c in stored) == 22_000


def test_a_command_killed_mid_write_leaves_a_failed_batch_and_no_rows(site):
    big = dossier_file(site.tmp / "big.csv", prefix="K", unit="07288", rows=50_000)
    process = site.manage("import_dossiers", str(big), "--no-progress")
    site.wait_for_state("writing", process=process)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert site.batches()[0][1] == "writing"  # what it says until someone looks

    time.sleep(2.5)  # DOSSIER_IMPORT_STALE_SECONDS of these processes
    recover = finished(site.manage("import_recover"))
    (_id, state, created, _updated, message), = site.batches()
    assert state == "failed" and created == 0 and "dừng bất thường" in message and "chưa ghi dữ liệu nào" in message
    assert f"#{_id}" in recover
    assert site.dossiers("K") == 0


def test_a_worker_killed_mid_write_is_failed_by_the_next_worker(site):
    from qms.dossiers.services import import_batch_create

    big = dossier_file(site.tmp / "big.csv", prefix="W", unit="07288", rows=50_000)
    with big.open("rb") as upload:
        from django.core.files import File

        batch, _created = import_batch_create(upload=File(upload, name="big.csv"), filename="big.csv", by=None)
    site = Site(site.tmp)  # the batch, copied for the worker (SQLite)
    # Queued by a process with the database task backend (the test's own backend runs tasks at once).
    finished(site.manage("shell", "-c", f"from qms.dossiers.tasks import run_import_batch; run_import_batch.enqueue({batch.pk})"))

    worker = site.manage("import_worker", "--", "--no-reload", "--no-startup-delay", "--interval", "0.2")
    site.wait_for_state("writing", process=worker)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    time.sleep(2.5)

    restarted = site.manage("import_worker", "--", "--no-reload", "--batch", "--no-startup-delay")
    out = finished(restarted)
    (pk, state, created, _updated, _message), = site.batches()
    assert state == "failed" and created == 0, site.batches()
    assert f"#{pk}" in out
    assert site.dossiers("W") == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not SQLITE, reason="SQLite's single writer is what a login waits behind")
def test_logins_succeed_while_a_big_import_writes_to_sqlite(site):
    port = free_port()
    server = site.manage("runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading")
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/admin/login/", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.3)

        big = dossier_file(site.tmp / "big.csv", prefix="L", unit="07288", rows=60_000)
        importer = site.manage("import_dossiers", str(big), "--no-progress")
        site.wait_for_state("checking", process=importer)  # logins start before the write lock is taken

        results, writing, stop = [], [], threading.Event()

        def watch_the_write():
            while not stop.is_set():
                if any(b[1] == "writing" for b in site.batches()):
                    writing.append(time.monotonic())
                time.sleep(0.05)

        def log_in():
            while not stop.is_set():
                with requests.Session() as browser:
                    started = time.monotonic()
                    page = browser.get(f"{base}/admin/login/", timeout=120)
                    answer = browser.post(
                        f"{base}/admin/login/", timeout=120, allow_redirects=False,
                        data={"username": "motcua", "password": "mat-khau-dai-1",
                              "csrfmiddlewaretoken": browser.cookies["csrftoken"], "next": "/admin/"},
                        headers={"Referer": page.url},
                    )
                    results.append((answer.status_code, answer.headers.get("Location"), started, time.monotonic()))

        threads = [threading.Thread(target=watch_the_write), *(threading.Thread(target=log_in) for _ in range(3))]
        for thread in threads:
            thread.start()
        out = finished(importer)
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(150)
    finally:
        server.terminate()
        _out, server_log = server.communicate(timeout=10)

    assert "60000 rows" in out.replace(",", ""), out
    assert results and writing, (len(results), len(writing))
    assert all(status == 302 and location == "/admin/" for status, location, *_ in results), (results, server_log[-3000:])
    # Logins that were under way while the import held the write lock: they waited, then got in.
    during = [r for r in results if r[2] < writing[-1] and r[3] > writing[0]]
    assert during, "no login happened while the import wrote"
