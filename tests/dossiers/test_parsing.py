"""The vectorised date parser of the import accepts and refuses exactly what the shared scalar parser does."""

import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from qms.core.tabular import parse_datetime
from qms.dossiers.importer import _Errors, _parse_datetimes

SAMPLES = [
    "02/01/2024", "2/1/2024", "02/01/2024 07:05", "02/01/2024 7:05", "02/01/2024 07:05:09", "29/02/2024",
    "29/02/2023", "31/04/2024", "32/01/2024", "00/01/2024", "02/13/2024", "02/01/2024 24:00", "02/01/2024 23:60",
    "02-01-2024", "02-01-2024 08:00", "2024-01-02", "2024-01-02 08:00:00", "2024-01-02T08:00:00",
    "2024-01-02T08:00:00+00:00", "2024-01-02T08:00:00.250000", "02/01/24", "2024/01/02", "abc", " 02/01/2024 ",
    "02/01/2024 08:00 ", "1899-12-31", "02/01/1899",
]


def scalar(text):
    try:
        value = parse_datetime(text)
    except ValueError:
        return None
    return value.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None, microsecond=0)


@pytest.mark.parametrize("text", SAMPLES)
def test_vectorised_and_scalar_parsers_agree(text, settings):
    values = pd.Series([text], index=[2], dtype=object)
    frame = pd.DataFrame({"ngay_tiep_nhan": values})
    errors = _Errors(frame, {"ngay_tiep_nhan": "Ngày tiếp nhận"})
    parsed = _parse_datetimes(values, errors, "ngay_tiep_nhan", required=True)
    expected = scalar(text)
    if expected is None:
        assert bool(errors.bad.iloc[0]), f"{text!r} should be refused"
    else:
        assert not errors.bad.iloc[0], f"{text!r} should be accepted"
        assert parsed.iloc[0].to_pydatetime() == expected


def test_dates_parse_as_local_time():
    values = pd.Series(["02/01/2024 08:30"], index=[2], dtype=object)
    errors = _Errors(pd.DataFrame({"ngay_tiep_nhan": values}), {"ngay_tiep_nhan": "x"})
    assert _parse_datetimes(values, errors, "ngay_tiep_nhan", required=True).iloc[0] == pd.Timestamp(datetime.datetime(2024, 1, 2, 8, 30))
