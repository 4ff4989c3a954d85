"""Assertions and PDF readers shared by every app's tests."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

HAVE_POPPLER = shutil.which("pdftotext") is not None

#: Tests that read a PDF back need poppler-utils. `make test` installs it with apt when it runs as root
#: (scripts/ensure-browser.sh); elsewhere only these tests are skipped, with this reason in the summary.
needs_poppler = pytest.mark.skipif(
    not HAVE_POPPLER, reason="poppler-utils missing: `make test` installs it when run as root (scripts/ensure-browser.sh)"
)


def assert_forbidden(response):
    """The user was refused: a 403, a 404 (the record is hidden from them), or Wagtail's redirect
    to the dashboard with "Sorry, you do not have permission"."""
    if response.status_code in (403, 404):
        return
    assert response.status_code == 302, f"expected a refusal, got {response.status_code}"
    assert response.url == reverse("wagtailadmin_home"), f"redirected to {response.url}, not refused"


def pdftotext(path, *options: str) -> str:
    """The text of the PDF at `path` as poppler's pdftotext reads it (UTF-8); `options` such as "-f", "2"."""
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_words(path) -> str:
    """The PDF's text with every run of whitespace made one space (lines wrap where the layout says)."""
    return " ".join(pdftotext(path).split())


def reset_sequences(connection):
    """The flush restarted PostgreSQL's id sequences and the restore wrote rows with their own ids (the home
    page is 2): move the sequences past them, as loaddata does, or the next page created gets id 1 again."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def restore_migrated_data(serialized: str) -> None:
    """Empty the tables (post_migrate off, or content types clash) and load what migrations created."""
    from django.contrib.auth.models import Group

    connection = connections["default"]
    name = str(connection.settings_dict["NAME"])
    # Never the real database (this runs from a test hook, outside pytest-django's own guards).
    if not (Path(name).name.startswith("test") or connection.creation.is_in_memory_db(name)):
        raise RuntimeError(f"refusing to flush {name}: not a test database")
    if Group.objects.exists():
        return
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connections["default"].creation.deserialize_db_from_string(serialized)
    reset_sequences(connections["default"])
