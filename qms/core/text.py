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
    """A user's name in Vietnamese order, family name first: "Nguyễn Thị Hoa" (Django's
    get_full_name() would give "Hoa Nguyễn Thị"). Falls back to the username."""
    if user is None:
        return ""
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()
