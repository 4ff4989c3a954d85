"""The Vietnamese translation is complete and compiled: users never meet an English string by accident."""

from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def entries(text: str):
    """(msgid, [msgstr…], flags) of each entry of a .po file; enough of the format for this check."""
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgid, msgstrs, current = [], [], None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith("msgid "):
                current = msgid
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                msgstrs.append([])
                current = msgstrs[-1]
            if current is not None and '"' in line:
                current.append(line[line.index('"') + 1 : line.rindex('"')])
        if msgid or msgstrs:
            yield "".join(msgid), ["".join(s) for s in msgstrs], flags


def test_every_string_is_translated_and_none_is_fuzzy():
    untranslated = [
        msgid for msgid, msgstrs, flags in entries(PO.read_text(encoding="utf-8"))
        if msgid and (not all(msgstrs) or "fuzzy" in flags)
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    """`make messages` was run after the last edit: the .mo holds every translation of the .po."""
    import gettext

    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for msgid, msgstrs, _flags in entries(PO.read_text(encoding="utf-8")):
        if not msgid or len(msgstrs) != 1:
            continue  # header and plural entries
        text = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        wanted = msgstrs[0].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if compiled.gettext(text) != wanted:
            stale.append(text)
    assert stale == []
