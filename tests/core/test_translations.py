"""The Vietnamese translation is complete and compiled: users never meet an English string by accident."""

from pathlib import Path

from django.conf import settings

from tests.catalogues import read, stale, untranslated

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_string_is_translated_and_none_is_fuzzy():
    assert untranslated(PO) == []


def test_compiled_catalogue_matches_the_source():
    """`make messages` was run after the last edit: the .mo holds every translation of the .po."""
    assert stale(PO) == []


def test_the_catalogue_is_read_whole():
    """The reader above sees every entry, plural ones included (else the checks prove nothing)."""
    entries = read(PO)
    assert len(entries) > 100
    assert any(e.msgid_plural for e in entries)
