"""
SQLite as the settings configure it (QMS_SQLITE_OPTIONS) on a database file: a second writer
waits for the first and succeeds, where Django's default (deferred) transactions fail with
"database is locked". Runs on both CI runs: the database is a temporary file, not the test database.
"""

import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

ALIAS = "concurrency"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """configure(options) registers ALIAS for a fresh database file; each thread gets its own connection."""

    def configure(options):
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "site.sqlite3"), "OPTIONS": options}
        configured = connections.configure_settings({"default": connections.settings["default"], ALIAS: db})
        connections.settings[ALIAS] = configured[ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE login (id INTEGER PRIMARY KEY, seen INTEGER NOT NULL)")
        connections[ALIAS].close()

    with django_db_blocker.unblock():
        yield configure
        if ALIAS in connections.settings:
            connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


def _writer(*, holds_lock: threading.Event, release: threading.Event):
    """A long writer (an import): takes the write lock, holds it until told, commits."""
    try:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO login (seen) VALUES (1)")
            holds_lock.set()
            release.wait(5)
    finally:
        connections[ALIAS].close()


def _count_then_insert(result: dict, *, before_insert=None):
    """A short writer (a login): reads, then writes, in one transaction."""
    started = time.monotonic()
    try:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM login")
            result["seen_before"] = cursor.fetchone()[0]
            if before_insert:
                before_insert()
            cursor.execute("INSERT INTO login (seen) VALUES (2)")
    except OperationalError as error:
        result["error"] = str(error)
    finally:
        result["waited"] = time.monotonic() - started
        connections[ALIAS].close()


def test_settings_configure_sqlite_for_concurrent_writers(sqlite_file):
    assert settings.QMS_SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert settings.QMS_SQLITE_OPTIONS["timeout"] >= 10
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        assert settings.DATABASES["default"]["OPTIONS"] == settings.QMS_SQLITE_OPTIONS
    sqlite_file(dict(settings.QMS_SQLITE_OPTIONS))
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL


def test_second_writer_waits_for_the_first_and_succeeds(sqlite_file):
    sqlite_file(dict(settings.QMS_SQLITE_OPTIONS))
    holds_lock, release, login = threading.Event(), threading.Event(), {}
    importer = threading.Thread(target=_writer, kwargs={"holds_lock": holds_lock, "release": release})
    importer.start()
    assert holds_lock.wait(5)
    second = threading.Thread(target=_count_then_insert, args=(login,))
    second.start()
    time.sleep(0.5)  # the login is now waiting for the import's lock
    release.set()
    importer.join(10)
    second.join(10)

    assert "error" not in login, login.get("error")
    assert login["waited"] >= 0.4
    # It began after the import committed, so it read the import's row: no lost update.
    assert login["seen_before"] == 1
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT seen FROM login ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]


def test_deferred_transactions_fail_where_immediate_ones_wait(sqlite_file):
    """The forbidden path: Django's default (deferred) with the same timeout says "database is locked"."""
    options = dict(settings.QMS_SQLITE_OPTIONS)
    del options["transaction_mode"]
    sqlite_file(options)
    holds_lock, release, login = threading.Event(), threading.Event(), {}

    def let_the_import_commit():
        # The login has read; the import now commits, so the login's snapshot is stale.
        release.set()
        importer.join(10)

    importer = threading.Thread(target=_writer, kwargs={"holds_lock": holds_lock, "release": release})
    importer.start()
    assert holds_lock.wait(5)
    second = threading.Thread(target=_count_then_insert, args=(login,), kwargs={"before_insert": let_the_import_commit})
    second.start()
    second.join(10)

    assert "database is locked" in login["error"]
    assert login["waited"] < 5  # it did not even wait for the timeout
