"""English screens of this install keep the day-first dates the admin's date picker writes."""

from django.conf.locale.en.formats import *  # noqa: F403

from qms.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
