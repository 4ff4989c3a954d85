"""
The project's catalogue wins over Wagtail's and Django's (LOCALE_PATHS comes first), so a project
msgid without context that Wagtail or Django also use replaces their translation on their own
screens: "title" became "tên chương trình" on the document upload, "In progress" "Đang đánh giá" in a
page's workflow history. Such a msgid needs a context (pgettext) or the same translation.
"""

from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.catalogues import read

PROJECT_PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
WAGTAIL_VI_PO = settings.BASE_DIR / "locale" / "wagtail" / "vi" / "LC_MESSAGES" / "django.po"


def _singulars(po: Path) -> dict[str, str]:
    """msgid → translation of the entries of `po` without context or plural ("" when untranslated)."""
    return {e.msgid: e.msgstrs[0] for e in read(po) if e.msgctxt is None and e.msgid_plural is None}


def _their_catalogues(language: str) -> list[Path]:
    return [
        po
        for package in (Path(wagtail.__file__).parent, Path(django.__file__).parent)
        for po in sorted(package.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))
    ]


def _what_they_show() -> dict[str, str]:
    """Every msgid of Wagtail and Django (their English catalogues list all) → the Vietnamese their
    screens would show without our catalogue: our Wagtail catalogue, else theirs, else the English."""
    shown: dict[str, str] = {}
    for po in _their_catalogues("en"):
        for msgid in _singulars(po):
            shown.setdefault(msgid, msgid)
    for po in _their_catalogues("vi"):
        for msgid, text in _singulars(po).items():
            if text and shown.get(msgid) == msgid:
                shown[msgid] = text
    for msgid, text in _singulars(WAGTAIL_VI_PO).items():
        if text and msgid in shown:
            shown[msgid] = text
    return shown


def test_no_project_msgid_changes_a_wagtail_or_django_screen():
    theirs = _what_they_show()
    assert len(theirs) > 1000  # the installed catalogues were found
    clashes = {
        msgid: (ours, theirs[msgid])
        for msgid, ours in _singulars(PROJECT_PO).items()
        if msgid in theirs and ours != theirs[msgid]
    }
    assert clashes == {}, "give these msgids a context (pgettext) or Wagtail's translation"


def test_wagtails_words_stay_wagtails_and_ours_keep_their_context():
    with translation.override("vi"):
        assert translation.gettext("title") == "tiêu đề"
        assert translation.gettext("In progress") == "Đang thực hiện"
        assert translation.pgettext("audit programme", "title") == "tên chương trình"
        assert translation.pgettext("audit status", "In progress") == "Đang đánh giá"
        assert translation.pgettext("corrective action", "Due on") == "Hạn hoàn thành"


def test_document_upload_says_title_not_programme_name(admin_client):
    html = admin_client.get(reverse("wagtaildocs:add")).content.decode()
    assert "Tiêu đề" in html
    assert "ên chương trình" not in html
