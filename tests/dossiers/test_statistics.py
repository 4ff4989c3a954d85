"""
The planner knows the dossier table after an import (issue 15): the import refreshes its statistics, and the table
carries only indexes some query uses (no PostgreSQL "_like" index on the code).
"""

import pytest
from django.db import connection

from qms.core import demo as core_demo
from qms.dossiers.models import Dossier
from tests.dossiers.helpers import COLUMNS, import_rows

TABLE = Dossier._meta.db_table


def rows(n):
    return [(f"ST-{i}", "07243", "DEMO-HT-01", "truc_tiep", "10/01/2024 08:00", "12/01/2024 08:00",
             "11/01/2024 09:00", "", "") for i in range(n)]


def planner_rows() -> int | None:
    """The row count the planner believes (None: no statistics)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [TABLE])
            value = cursor.fetchone()[0]
            return None if value < 0 else int(value)
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone():
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s AND idx = 'dossier_reach'", [TABLE])
        found = cursor.fetchone()
        return int(found[0].split()[0]) if found else None


def test_an_import_refreshes_the_planner_statistics(db, units, tmp_path):
    core_demo.load_procedures()
    import_rows(tmp_path, rows(30))
    assert planner_rows() == 30
    import_rows(tmp_path, rows(75), name="more.csv")
    assert planner_rows() == 75


def test_a_rejected_file_leaves_them_alone(db, units, tmp_path):
    from qms.dossiers.services import dossier_import

    core_demo.load_procedures()
    import_rows(tmp_path, rows(30))
    path = tmp_path / "bad.csv"
    good, bad = rows(80), ("ST-X", "nowhere", "DEMO-HT-01", "truc_tiep", "10/01/2024 08:00", "12/01/2024 08:00", "", "", "")
    path.write_text(COLUMNS + "".join(";".join(row) + "\n" for row in [*good, bad]), encoding="utf-8")
    assert dossier_import(path=path).error_count
    assert planner_rows() == 30


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the _like index exists on PostgreSQL only")
def test_no_pattern_index_on_the_code(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [TABLE])
        indexes = dict(cursor.fetchall())
    assert not [name for name in indexes if name.endswith("_like")], indexes
    assert any("UNIQUE" in definition and "(code)" in definition for definition in indexes.values()), indexes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="VACUUM and the visibility map are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_an_import_outside_a_transaction_leaves_the_open_dossiers_readable_from_their_index(units, tmp_path):
    """The stock at today reads the open dossiers from `dossier_open` alone only where the visibility map says their
    blocks are all visible: the import vacuums, so that holds right after it, not when autovacuum comes."""
    core_demo.load_procedures()
    import_rows(tmp_path, rows(20) + [("OPEN-1", "07243", "DEMO-HT-01", "truc_tiep", "10/01/2024 08:00",
                                       "12/01/2024 08:00", "", "", "")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpages, relallvisible FROM pg_class WHERE relname = %s", [TABLE])
        pages, all_visible = cursor.fetchone()
    assert pages > 0 and all_visible == pages
