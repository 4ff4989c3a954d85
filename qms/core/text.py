"""Vietnamese text helpers shared by search, imports and headers."""

import re
import unicodedata

from unidecode import unidecode

_SEPARATORS = re.compile(r"[\s_\-./]+")


def nfc(text: str) -> str:
    """Compose combining marks: decomposed (NFD) input renders badly in PDFs and fails equality."""
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case, diacritics removed (đ → d), whitespace collapsed: "Kiểm soát" → "kiem soat"."""
    if not text:
        return ""
    return " ".join(unidecode(nfc(str(text))).lower().split())


def fold_key(text: str | None) -> str:
    """`fold` with separators dropped, for matching column headers: "Mã hồ sơ" → "mahoso"."""
    return _SEPARATORS.sub("", fold(text))


def person_name(user) -> str:
    """A user's name in Vietnamese order, family name first: "Nguyễn Thị Hoa" (Django's own
    get_full_name() would give "Hoa Nguyễn Thị"). Falls back to the username."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


def name_people_in_vietnamese() -> None:
    """
    Make `person_name` the name of a user everywhere: `str(user)` (every ModelChoiceField, filter and
    table column naming a chair, owner or responsible person) and `get_full_name()` (Wagtail's own
    screens: page owners, revisions, workflow history, comments). The project keeps Django's User model
    (swapping it later needs a migration of every foreign key), so the two methods are set on it here.
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user_model.__str__ = person_name
    user_model.get_full_name = lambda user: f"{user.last_name} {user.first_name}".strip()


# Codes such as "QT-07" or "BM-07-01": full-text parsers split them or keep them whole (SQLite and
# PostgreSQL disagree), so the search index also holds them without separators ("qt07"), one word for both.
_CODE = re.compile(r"\b[0-9a-z]+(?:[-./][0-9a-z]+)+\b")
_CODE_SEPARATORS = re.compile(r"[-./]")


def compact_codes(folded: str) -> list[str]:
    """Words with inner separators, written without them: "bm-07-01" → "bm0701"."""
    return [_CODE_SEPARATORS.sub("", word) for word in _CODE.findall(folded)]


def search_text(text: str | None) -> str:
    """What the search index holds of `text`: folded, followed by its codes written without separators
    ("Quy trình QT-07" → "quy trinh qt-07 qt07")."""
    folded = fold(text)
    codes = compact_codes(folded)
    return f"{folded} {' '.join(codes)}" if codes else folded


def search_terms(query: str | None) -> str:
    """A user's query folded like the index: "QT-07 Kiểm soát" → "qt07 kiem soat"."""
    return " ".join(_CODE_SEPARATORS.sub("", word) if _CODE.fullmatch(word) else word for word in fold(query).split())


def ascii_slug(text: str | None) -> str:
    """An address segment without diacritics: "QT-18" → "qt-18", "Xã Yên Thế" → "xa-yen-the" (Wagtail's own
    slugs keep the accents, which browsers show percent-encoded)."""
    from django.utils.text import slugify

    return slugify(fold(text))
