"""
The Vietnamese working-day calendar: Monday to Friday, less the public holidays that the
`holidays` package knows (Tết and the others, with their substitute days off). Vectorised with
numpy's business-day functions so an import of a million dossiers never loops in Python.
"""

from __future__ import annotations

import datetime
import functools

import holidays
import numpy as np

#: Years the calendar covers; dates outside still work (weekends only are known there).
FIRST_YEAR, LAST_YEAR = 2015, 2040


@functools.cache
def holiday_dates() -> np.ndarray:
    """Vietnamese public holidays as datetime64[D] (cached: the package computes lunar dates)."""
    days = holidays.Vietnam(years=range(FIRST_YEAR, LAST_YEAR + 1))
    return np.array(sorted(days), dtype="datetime64[D]")


@functools.cache
def calendar() -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=holiday_dates())


def count(start, end) -> np.ndarray:
    """Working days d with start ≤ d < end (arrays of datetime64[D]): the processing time of a
    dossier received on `start` and resolved on `end` (0 = the same day)."""
    return np.busday_count(start, end, busdaycal=calendar())


def is_working_day(days) -> np.ndarray:
    return np.is_busday(days, busdaycal=calendar())


def due_working_days(received, due) -> np.ndarray:
    """Working days granted between receipt and the due date, or -1 when the due date is a day off
    (never right: a due date falls on a working day). For a due date on a working day,
    `due_working_days == n` exactly when due = n working days after the day of receipt."""
    return np.where(is_working_day(due), count(received, due), -1)


def add(day: datetime.date, n: int) -> datetime.date:
    """The date `n` working days after `day` (a day off rolls forward to the next working day first)."""
    return np.busday_offset(np.datetime64(day, "D"), n, roll="forward", busdaycal=calendar()).astype(datetime.date)


def between(start: datetime.date, end: datetime.date) -> int:
    return int(count(np.datetime64(start, "D"), np.datetime64(end, "D")))
