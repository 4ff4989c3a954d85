"""
Vietnamese date formats: Django's own, plus the input formats it lacks. Without them a form reads
"10/05/2024" month first (Django's default), while the admin's date picker writes it day first
(WAGTAIL_DATE_FORMAT), so 10 May would be saved as 5 October.
"""

from django.conf.locale.vi.formats import *  # noqa: F403

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
]
