"""
The import holds about one chunk in memory whatever the file's size (issue 15): the checked chunks wait on disk
until the write, so a file four times longer does not need four times the memory, and it still writes every row,
finds a code given twice across chunks, and writes nothing when one row is wrong.
"""

import datetime
import tracemalloc

import pandas as pd
import pytest

from qms.core import demo as core_demo
from qms.dossiers import importer
from qms.dossiers.demo import generate
from qms.dossiers.models import Dossier
from qms.dossiers.services import dossier_import


@pytest.fixture
def small_chunks(monkeypatch, db, units):
    core_demo.load_procedures()
    monkeypatch.setattr(importer, "CHUNK_ROWS", 500)


def csv_of(tmp_path, n, name, *, first_index=0):
    frame = generate(n, seed=3, first_index=first_index, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    frame = frame.iloc[:n].drop_duplicates("ma_ho_so")  # the generator adds a few double entries on purpose
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path, frame


def peak_of(path) -> tuple[int, object]:
    tracemalloc.start()
    try:
        batch = dossier_import(path=path)
        return tracemalloc.get_traced_memory()[1], batch
    finally:
        tracemalloc.stop()


def test_four_times_the_rows_need_about_the_same_memory(small_chunks, tmp_path):
    small, _ = csv_of(tmp_path, 2_000, "small.csv")
    large, frame = csv_of(tmp_path, 8_000, "large.csv", first_index=10_000)
    peak_small, batch_small = peak_of(small)
    peak_large, batch_large = peak_of(large)
    assert batch_small.error_count == 0 and batch_large.error_count == 0, batch_large.errors[:3]
    assert batch_large.created == len(frame) and Dossier.objects.filter(code__in=frame["ma_ho_so"]).count() == len(frame)
    assert peak_large < 1.5 * peak_small, (peak_small, peak_large)


def test_a_code_repeated_in_a_later_chunk_rejects_the_file(small_chunks, tmp_path):
    path, frame = csv_of(tmp_path, 1_500, "repeat.csv")
    repeated = frame.iloc[[10]].copy()
    frame = frame.copy()
    frame.iloc[1_200, frame.columns.get_loc("ma_ho_so")] = repeated["ma_ho_so"].iloc[0]
    frame.to_csv(path, index=False)
    batch = dossier_import(path=path)
    assert batch.error_count == 1 and batch.errors[0]["row"] == 1_202
    assert batch.errors[0]["message"] == "Mã hồ sơ này đã có ở dòng 12."
    assert not Dossier.objects.exists() and batch.created == 0


def repeats_found(rows: int, chunk: int = 50_000) -> tuple[dict, int, int]:
    """Codes of `rows` rows spilled chunk by chunk, the last chunk's 8th row repeating row 3: (the repeats found,
    the first row of that code, the traced peak of finding them)."""
    spill = importer._Spill()
    try:
        for start in range(0, rows, chunk):
            index = pd.RangeIndex(start, start + chunk)
            codes = pd.Series([f"HS-{i:08d}" for i in index], index=index)
            if start + chunk >= rows:
                codes.iloc[7] = "HS-00000003"
            spill.add(codes, pd.DataFrame())
        tracemalloc.start()
        repeated, first_row = spill.repeated()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        spill.close()
    return repeated.to_dict(), int(first_row["HS-00000003"]), peak


def test_codes_given_twice_are_found_holding_one_bucket_of_hashes_at_a_time(db):
    """Four times the rows, about the same memory: the hashes of every row held together took 25 bytes a row
    (250 MB at 10 million); what remains is one chunk's codes, read back to compare the rows of equal hashes."""
    small, first_small, peak_small = repeats_found(250_000)
    large, first_large, peak_large = repeats_found(1_000_000)
    assert (small, first_small) == ({200_007: "HS-00000003"}, 3)
    assert (large, first_large) == ({950_007: "HS-00000003"}, 3)
    assert peak_large < 1.3 * peak_small, (peak_small, peak_large)
