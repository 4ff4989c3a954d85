"""
An import batch cannot lie: every way out ends done or failed with a reason, a vanished process is
found out (heartbeat), counts come from the rows, a second import waits its turn, a re-sent upload
gives back the same batch, and `make run` starts the worker with the web.
"""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from qms.core.roles import Role
from qms.dossiers import importer, services
from qms.dossiers.models import Dossier, ImportBatch, ImportWorker
from qms.dossiers.services import dossier_import
from qms.dossiers.tasks import run_import_batch
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

HEADER = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra\n"
REFRESH = '<meta http-equiv="refresh"'
ABANDONED = "Tiến trình nhập đã dừng bất thường"
INTERRUPTED = "Việc nhập bị ngắt (tiến trình đã bị dừng); chưa ghi dữ liệu nào. Vui lòng nhập lại tệp."
CRASHED = "Việc nhập dừng do lỗi hệ thống; chưa ghi dữ liệu nào. Vui lòng báo quản trị viên."
WAITING = "Đang chờ lượt ghi: một lần nhập khác của cùng đơn vị đang ghi…"
NO_WORKER = "Tiến trình xử lý nền (worker) không chạy"


@pytest.fixture
def procedure(db, units):
    return AdministrativeProcedureFactory(code="P3", processing_days=3)


def csv_file(tmp_path, codes, *, unit="07288", name="ho-so.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{code};{unit};P3;truc_tiep;02/01/2024;05/01/2024\n" for code in codes))
    return path


def stale_batch(**fields) -> ImportBatch:
    """A batch its process left behind: writing, last heartbeat ten minutes ago, on another machine."""
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    defaults = {"file_name": "lon.csv", "sha256": "0" * 64, "state": ImportBatch.State.WRITING,
                "rows_estimate": 500_000, "rows_checked": 499_000, "heartbeat_at": long_ago, "runner": "may-khac:4242"}
    return ImportBatch.objects.create(**{**defaults, **fields})


# --- every exit path ends done or failed ------------------------------------------------------


@pytest.mark.parametrize(("stop", "reason"), [(SystemExit(1), INTERRUPTED), (KeyboardInterrupt(), INTERRUPTED),
                                              (RuntimeError("disk"), CRASHED)])
def test_a_process_stopped_mid_write_leaves_the_batch_failed_with_the_reason(tmp_path, procedure, monkeypatch, stop, reason):
    def dies(*args, **kwargs):
        raise stop

    monkeypatch.setattr(importer, "_write_pg", dies)
    monkeypatch.setattr(importer, "_columns_for_db", dies)
    with pytest.raises(type(stop)):
        dossier_import(path=csv_file(tmp_path, ["K1", "K2"]))
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED and batch.message == reason
    assert batch.finished_at is not None and not batch.is_running
    assert not Dossier.objects.exists()


def test_a_failing_final_save_undoes_the_rows_and_records_the_failure(tmp_path, procedure, monkeypatch):
    def cannot_save(**kwargs):
        raise RuntimeError("the batch row cannot be written")

    monkeypatch.setattr(services, "import_batch_finish", cannot_save)
    with pytest.raises(RuntimeError):
        dossier_import(path=csv_file(tmp_path, ["K1"]))
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.message) == (ImportBatch.State.FAILED, CRASHED)
    assert not Dossier.objects.exists()  # "nothing was written" is true


def test_a_batch_declared_dead_while_it_writes_stays_failed_and_writes_nothing(tmp_path, procedure, monkeypatch):
    """Recovery may be wrong about a slow process: the process then gives up its rows, not the truth."""
    original = importer.in_write_turn

    def recovered_meanwhile(unit_ids, batch_id, body, **kwargs):
        # What import_recover commits from another process while this one still writes.
        ImportBatch.objects.filter(pk=batch_id).update(state=ImportBatch.State.FAILED, message="abandoned")
        return original(unit_ids, batch_id, body, **kwargs)

    monkeypatch.setattr(importer, "in_write_turn", recovered_meanwhile)
    batch = dossier_import(path=csv_file(tmp_path, ["K1", "K2"]))
    assert (batch.state, batch.message) == (ImportBatch.State.FAILED, "abandoned")
    assert not Dossier.objects.exists()


def test_the_heartbeat_moves_while_the_import_checks(tmp_path, procedure):
    batch = dossier_import(path=csv_file(tmp_path, ["H1"]))
    assert batch.state == ImportBatch.State.DONE and batch.heartbeat_at is not None
    assert batch.runner == services.this_runner()


# --- a vanished process is found out ----------------------------------------------------------


def test_import_recover_fails_a_batch_without_heartbeat_and_leaves_live_ones(db):
    dead = stale_batch()
    fresh = stale_batch(heartbeat_at=timezone.now())
    here_alive = stale_batch(runner=services.this_runner())  # this very process: alive, slow (SQLite lock)
    here_dead = stale_batch(runner=f"{services.this_runner().rpartition(':')[0]}:999999999")
    queued = stale_batch(state=ImportBatch.State.QUEUED)
    done = stale_batch(state=ImportBatch.State.DONE, finished_at=timezone.now())
    out = io.StringIO()
    call_command("import_recover", stdout=out)
    states = dict(ImportBatch.objects.values_list("pk", "state"))
    assert states[dead.pk] == states[here_dead.pk] == ImportBatch.State.FAILED
    assert states[fresh.pk] == states[here_alive.pk] == ImportBatch.State.WRITING
    assert states[queued.pk] == ImportBatch.State.QUEUED and states[done.pk] == ImportBatch.State.DONE
    dead.refresh_from_db()
    assert dead.message.startswith(ABANDONED) and dead.finished_at is not None
    assert f"#{dead.pk}" in out.getvalue()


def test_opening_the_page_of_a_dead_batch_says_so_and_stops_refreshing(client, units, make_user):
    user = make_user(Role.QUALITY_OFFICER, units["215"])
    batch = stale_batch(created_by=user)
    client.force_login(user)
    page = client.get(reverse("dossier_import:batch", args=[batch.pk])).content.decode()
    assert ABANDONED in page and REFRESH not in page
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    # A running batch with a fresh heartbeat keeps refreshing.
    alive = stale_batch(created_by=user, heartbeat_at=timezone.now())
    page = client.get(reverse("dossier_import:batch", args=[alive.pk])).content.decode()
    assert REFRESH in page and ABANDONED not in page
    # Another unit's dead batch: not theirs to see, and not touched through their request. (A colleague of
    # their own units is one they oversee: ImportBatch.objects.for_user, tests/dossiers/test_import_oversight.py.)
    other = stale_batch(created_by=make_user(Role.QUALITY_OFFICER, units["BN-BOHA"]))
    response = client.get(reverse("dossier_import:batch", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == ImportBatch.State.WRITING


# --- counts come from the rows ----------------------------------------------------------------


def test_counts_follow_the_rows_another_import_wrote_between_check_and_write(tmp_path, procedure, monkeypatch):
    """The table was empty at the check (so every row looked new); another import then stored half the codes."""
    original = importer.in_write_turn
    interleaved = []

    def other_import_first(*args, **kwargs):
        if not interleaved:
            interleaved.append(True)
            import_rows(tmp_path, [(f"C{i}", "07288", "P3", "truc_tiep", "02/01/2024", "05/01/2024", "", "", "")
                                   for i in range(5)], name="other.csv")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "in_write_turn", other_import_first)
    batch = dossier_import(path=csv_file(tmp_path, [f"C{i}" for i in range(10)]))
    assert batch.state == ImportBatch.State.DONE, batch.message
    assert (batch.rows, batch.created, batch.updated) == (10, 5, 5)
    assert Dossier.objects.count() == 10 and set(Dossier.objects.values_list("batch", flat=True)) == {batch.pk}


def test_the_same_file_twice_counts_added_then_updated(tmp_path, procedure):
    path = csv_file(tmp_path, [f"S{i}" for i in range(7)])
    first, second = dossier_import(path=path), dossier_import(path=path)
    assert (first.created, first.updated) == (7, 0)
    assert (second.created, second.updated) == (0, 7)


def test_a_code_taken_by_another_unit_between_check_and_write_is_refused(tmp_path, procedure, units, make_user, monkeypatch):
    staff = make_user(Role.UNIT_STAFF, units["07288"])
    original = importer.in_write_turn
    interleaved = []

    def other_unit_first(*args, **kwargs):
        if not interleaved:
            interleaved.append(True)
            import_rows(tmp_path, [("U1", "07243", "P3", "truc_tiep", "02/01/2024", "05/01/2024", "", "", "")],
                        name="other.csv")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "in_write_turn", other_unit_first)
    batch = dossier_import(path=csv_file(tmp_path, ["U1", "U2"]), by=staff)
    assert batch.state == ImportBatch.State.DONE and (batch.created, batch.updated) == (0, 0)
    assert [(e["row"], e["message"]) for e in batch.errors] == [
        (2, "Hồ sơ có mã này thuộc một đơn vị không phải của bạn.")]
    assert Dossier.objects.get(code="U1").unit.code == "07243" and not Dossier.objects.filter(code="U2").exists()


# --- a second import waits its turn -----------------------------------------------------------


def test_an_import_waits_for_the_turn_and_says_so(tmp_path, procedure, monkeypatch):
    original = importer._take_turn
    tries, seen_while_waiting = [], []

    def busy_twice(unit_ids, batch_id):
        tries.append(sorted(unit_ids))
        return len(tries) > 2 and original(unit_ids, batch_id)

    def sleep(seconds):
        seen_while_waiting.append(ImportBatch.objects.values_list("state", "message").get())

    monkeypatch.setattr(importer, "_take_turn", busy_twice)
    monkeypatch.setattr(importer.time, "sleep", sleep)
    batch = dossier_import(path=csv_file(tmp_path, ["T1", "T2"]))
    assert seen_while_waiting == [(ImportBatch.State.WRITING, WAITING)] * 2
    assert tries[0] == [importer.Unit.objects.get(code="07288").pk]
    assert (batch.state, batch.message, batch.created) == (ImportBatch.State.DONE, "", 2)


def test_an_import_that_waits_too_long_fails_with_the_reason(tmp_path, procedure, monkeypatch, settings):
    settings.DOSSIER_IMPORT_WAIT_SECONDS = 0
    monkeypatch.setattr(importer, "_take_turn", lambda unit_ids, batch_id: False)
    monkeypatch.setattr(importer.time, "sleep", lambda seconds: None)
    batch = dossier_import(path=csv_file(tmp_path, ["T1"]))
    assert batch.state == ImportBatch.State.FAILED
    assert batch.message == "Một lần nhập khác ghi quá lâu; chưa ghi dữ liệu nào. Vui lòng nhập lại tệp sau."
    assert not Dossier.objects.exists()


def test_the_page_says_waiting_for_the_turn(client, units, make_user):
    user = make_user(Role.QUALITY_OFFICER, units["215"])
    client.force_login(user)
    said = stale_batch(created_by=user, heartbeat_at=timezone.now(), message=WAITING)
    page = client.get(reverse("dossier_import:batch", args=[said.pk])).content.decode()
    assert WAITING in page and REFRESH in page
    # SQLite cannot record the wait while another import holds its lock: every row checked, another writing.
    checked = stale_batch(created_by=user, heartbeat_at=timezone.now(), state=ImportBatch.State.CHECKING,
                          rows_estimate=10, rows_checked=10)
    page = client.get(reverse("dossier_import:batch", args=[checked.pk])).content.decode()
    assert WAITING in page
    ImportBatch.objects.exclude(pk=checked.pk).update(state=ImportBatch.State.DONE, finished_at=timezone.now())
    page = client.get(reverse("dossier_import:batch", args=[checked.pk])).content.decode()
    assert WAITING not in page and "Đang kiểm tra" in page


# --- uploads: the same file again, small files inline, no worker ------------------------------


def upload(client, content: bytes, name="ho-so.csv", **options):
    return client.post(reverse("dossier_import:index"), {"file": SimpleUploadedFile(name, content), **options})


def test_the_same_upload_again_within_minutes_returns_the_same_batch(client, procedure, units, make_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOSSIER_IMPORT_INLINE_BYTES = 0
    user = make_user(Role.QUALITY_OFFICER, units["215"])
    client.force_login(user)
    content = (HEADER + "R1;07288;P3;truc_tiep;02/01/2024;05/01/2024\n").encode()
    first, again = upload(client, content), upload(client, content, name="ho-so (1).csv")
    batch = ImportBatch.objects.get()
    assert first.url == again.url == reverse("dossier_import:batch", args=[batch.pk])
    assert DBTaskResult.objects.filter(task_path=run_import_batch.module_path).count() == 1  # queued once
    # Other options, or another user, or after the window, or after a failure: a new batch.
    upload(client, content, dry_run="on")
    assert ImportBatch.objects.count() == 2
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    upload(client, content)
    assert ImportBatch.objects.count() == 3
    latest = ImportBatch.objects.filter(dry_run=False).order_by("-pk").first()
    services.import_batch_fail(batch=latest, message="x")
    upload(client, content)
    assert ImportBatch.objects.count() == 4
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    upload(client, content)
    assert ImportBatch.objects.count() == 5


def test_a_small_upload_is_imported_at_once_a_large_one_goes_to_the_worker(client, procedure, units, make_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOSSIER_IMPORT_INLINE_BYTES = 200
    client.force_login(make_user(Role.QUALITY_OFFICER, units["215"]))
    upload(client, (HEADER + "I1;07288;P3;truc_tiep;02/01/2024;05/01/2024\n").encode())
    assert ImportBatch.objects.get().state == ImportBatch.State.DONE and Dossier.objects.filter(code="I1").exists()
    rows = "".join(f"I{i};07288;P3;truc_tiep;02/01/2024;05/01/2024\n" for i in range(2, 20))
    upload(client, (HEADER + rows).encode(), name="lon.csv")
    assert ImportBatch.objects.get(file_name="lon.csv").state == ImportBatch.State.QUEUED


def test_a_queued_batch_without_a_worker_says_the_worker_is_not_running(client, units, make_user, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = make_user(Role.QUALITY_OFFICER, units["215"])
    client.force_login(user)
    batch = stale_batch(created_by=user, state=ImportBatch.State.QUEUED, rows_estimate=0, rows_checked=0,
                        heartbeat_at=None)
    url = reverse("dossier_import:batch", args=[batch.pk])
    page = client.get(url).content.decode()
    assert NO_WORKER not in page and "Đang chờ" in page  # just queued: a worker has a minute to take it
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    page = client.get(url).content.decode()
    assert NO_WORKER in page and "0/0" not in page.replace(" ", "") and '<meta http-equiv="refresh" content="30">' in page
    services.import_worker_beat(name="may-chu:1")
    page = client.get(url).content.decode()
    assert NO_WORKER not in page
    ImportWorker.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=5))
    assert NO_WORKER in client.get(url).content.decode()
    # A worker busy with another import (which beats) is there, even if its own heartbeat is late.
    busy = stale_batch(heartbeat_at=timezone.now())
    assert NO_WORKER not in client.get(url).content.decode()
    busy.delete()
    # Inline tasks (the test and embedded default) have no worker to miss.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert NO_WORKER not in client.get(url).content.decode()


def test_the_worker_fails_abandoned_batches_at_start_then_runs_the_queue(client, procedure, units, make_user, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DOSSIER_IMPORT_INLINE_BYTES = 0
    user = make_user(Role.QUALITY_OFFICER, units["215"])
    client.force_login(user)
    dead = stale_batch(created_by=user)
    upload(client, (HEADER + "Q1;07288;P3;truc_tiep;02/01/2024;05/01/2024\n").encode())
    beats = []
    monkeypatch.setattr("qms.dossiers.management.commands.import_worker._beat", lambda name, stop: beats.append(name))
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    out = io.StringIO()
    call_command("import_worker", "--", "--batch", "--no-startup-delay", stdout=out, stderr=io.StringIO())
    dead.refresh_from_db()
    assert dead.state == ImportBatch.State.FAILED and f"#{dead.pk}" in out.getvalue()
    queued = ImportBatch.objects.exclude(pk=dead.pk).get()
    assert (queued.state, queued.created) == (ImportBatch.State.DONE, 1)
    assert beats == [services.this_runner()]


# --- `make run` -------------------------------------------------------------------------------


def test_make_run_starts_the_web_and_the_worker_from_the_procfile():
    base = Path(django_settings.BASE_DIR)
    processes = dict(line.split(":", 1) for line in (base / "Procfile").read_text().splitlines()
                     if line and not line.startswith("#"))
    assert set(processes) == {"web", "worker"}
    assert "runserver" in processes["web"] and "import_worker" in processes["worker"]
    run_target = (base / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "honcho start" in run_target and "django_tasks_db.DatabaseBackend" in run_target
    assert any(line.startswith("honcho==") for line in (base / "requirements.txt").read_text().splitlines())
