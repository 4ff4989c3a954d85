"""
`manage.py backup` and `manage.py restore` on the test database itself (SQLite's backup API, or
pg_dump/pg_restore on the PostgreSQL run) and the test media folder: back up, change rows and files,
restore, find everything as it was; a damaged or too new backup is refused and nothing is touched.
"""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from qms.core.models import Unit
from tests.core.factories import UnitFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump/pg_restore are not installed",
    ),
]


def media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def unit_rows() -> list[tuple]:
    return list(Unit.objects.order_by("code").values_list("code", "name", "kind"))


@pytest.fixture
def site():
    """Two units and three uploaded files, one of them binary and one with a Vietnamese name."""
    UnitFactory(code="B0001", name="Xã Bố Hạ")
    UnitFactory(code="B0002", name="Xã Đồng Kỳ")
    root = Path(settings.MEDIA_ROOT)
    (root / "evidence" / "2026").mkdir(parents=True, exist_ok=True)
    (root / "evidence" / "2026" / "biên bản.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)))
    (root / "imports").mkdir(exist_ok=True)
    (root / "imports" / "hoso.csv").write_text("ma_ho_so,ngay_nhan\nHS-1,01/07/2025\n", encoding="utf-8")
    (root / "keep.txt").write_text("giữ nguyên", encoding="utf-8")
    return root


def back_up(directory: Path) -> Path:
    out = StringIO()
    call_command("backup", "--dir", str(directory), stdout=out)
    assert "Đã sao lưu vào" in out.getvalue()
    (path,) = [p for p in directory.iterdir() if p.name.startswith("qms-backup-")]
    return path


def change_everything(root: Path):
    UnitFactory(code="B0003", name="Xã Mới Thêm")
    Unit.objects.filter(code="B0001").update(name="Tên đã sửa")
    (root / "evidence" / "2026" / "biên bản.pdf").unlink()
    (root / "imports" / "hoso.csv").write_text("ma_ho_so\nHS-2\n", encoding="utf-8")
    (root / "new-upload.txt").write_text("tệp tải lên sau khi sao lưu", encoding="utf-8")


def test_restore_brings_back_rows_and_file_bytes(site, tmp_path):
    rows, files = unit_rows(), media_files()
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert "media/evidence/2026/biên bản.pdf" in manifest["files"]
    assert manifest["migrations"]["core"].startswith("00")

    change_everything(site)
    assert unit_rows() != rows
    assert media_files() != files

    out = StringIO()
    call_command("restore", str(path), "--noinput", stdout=out)
    assert "mọi tệp khớp SHA-256" in out.getvalue()
    assert "Đã khôi phục" in out.getvalue()
    assert unit_rows() == rows
    assert not Unit.objects.filter(code="B0003").exists()
    assert media_files() == files
    # No staging or old media folder is left beside MEDIA_ROOT.
    assert not [p for p in site.parent.iterdir() if p.name.startswith(f".{site.name}.")]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: _flip_byte(p / "media" / "imports" / "hoso.csv"), "không khớp với SHA-256"),
        (lambda p: _flip_byte(next(p.glob("database.*"))), "không khớp với SHA-256"),
        (lambda p: (p / "media" / "keep.txt").unlink(), "thiếu tệp media/keep.txt"),
    ],
    ids=["media file changed", "database changed", "file missing"],
)
def test_damaged_backup_is_refused_and_nothing_is_touched(site, tmp_path, damage, message):
    path = back_up(tmp_path)
    damage(path)
    change_everything(site)
    rows, files = unit_rows(), media_files()

    with pytest.raises(CommandError, match=message) as refused:
        call_command("restore", str(path), "--noinput", stdout=StringIO())
    assert "Chưa khôi phục gì" in str(refused.value)
    assert unit_rows() == rows
    assert media_files() == files


def test_backup_newer_than_the_code_is_refused(site, tmp_path):
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["migrations"]["core"] = "9999_from_the_future"
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    change_everything(site)
    rows, files = unit_rows(), media_files()

    with pytest.raises(CommandError, match=r"mới hơn mã nguồn.*core\.9999_from_the_future"):
        call_command("restore", str(path), "--noinput", stdout=StringIO())
    assert unit_rows() == rows
    assert media_files() == files


def test_backup_of_the_other_database_kind_is_refused(site, tmp_path):
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    change_everything(site)
    rows, files = unit_rows(), media_files()

    with pytest.raises(CommandError, match="nhưng hệ thống đang dùng"):
        call_command("restore", str(path), "--noinput", stdout=StringIO())
    assert unit_rows() == rows
    assert media_files() == files


def test_backup_older_than_the_code_restores_and_asks_for_migrate(site, tmp_path):
    rows = unit_rows()
    path = back_up(tmp_path)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    manifest["migrations"]["core"] = "0001_initial"
    (path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    change_everything(site)

    out = StringIO()
    call_command("restore", str(path), "--noinput", stdout=out)
    assert "manage.py migrate" in out.getvalue()
    assert unit_rows() == rows


def test_restore_asks_first_and_a_no_changes_nothing(site, tmp_path, monkeypatch):
    path = back_up(tmp_path)
    change_everything(site)
    rows, files = unit_rows(), media_files()
    questions = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "không")

    out = StringIO()
    call_command("restore", str(path), stdout=out)
    assert "Gõ 'yes'" in questions[0]
    assert "TOÀN BỘ cơ sở dữ liệu" in out.getvalue()
    assert "Đã hủy khôi phục" in out.getvalue()
    assert unit_rows() == rows
    assert media_files() == files


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(tmp_path), "--noinput", stdout=StringIO())


def test_keep_deletes_the_oldest_backups_beyond_n(site, tmp_path):
    (tmp_path / "notes.txt").write_text("not a backup", encoding="utf-8")
    made = []
    for _ in range(3):
        out = StringIO()
        call_command("backup", "--dir", str(tmp_path), "--keep", "2", stdout=out)
        made.append(sorted(p for p in tmp_path.iterdir() if p.name.startswith("qms-backup-"))[-1])
    assert "Đã xóa bản sao lưu cũ" in out.getvalue()
    assert sorted(p for p in tmp_path.iterdir() if p.name.startswith("qms-backup-")) == made[1:]
    assert (tmp_path / "notes.txt").exists()

    with pytest.raises(CommandError, match="--keep phải từ 1 trở lên"):
        call_command("backup", "--dir", str(tmp_path), "--keep", "0", stdout=StringIO())


def _flip_byte(file: Path):
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x01
    file.write_bytes(bytes(data))
