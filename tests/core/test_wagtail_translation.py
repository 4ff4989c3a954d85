"""
The Wagtail admin speaks Vietnamese: locale/wagtail/vi translates Wagtail's own strings (its
shipped Vietnamese covers a seventh of them), locale/vi still wins for the project's strings.
See docs/translation.md.
"""

import json
import re
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from tests.catalogues import read, stale, untranslated
from tests.core.factories import AdministrativeProcedureFactory

LOCALE = Path(settings.BASE_DIR) / "locale"
WAGTAIL_VI = LOCALE / "wagtail" / "vi" / "LC_MESSAGES"
CATALOGUES = [WAGTAIL_VI / "django.po", WAGTAIL_VI / "djangojs.po"]
PROJECT_PO = LOCALE / "vi" / "LC_MESSAGES" / "django.po"

# The Wagtail apps whose English catalogues are the source of locale/wagtail (docs/translation.md).
WAGTAIL_APPS = [
    "", "admin", "users", "documents", "images", "snippets", "search", "sites", "contrib/forms",
    "contrib/settings", "contrib/redirects", "contrib/table_block", "contrib/typed_table_block",
    "locales", "embeds",
]


def shows(html: str, text: str) -> bool:
    """`text` is on the page, as HTML or inside the JSON props Wagtail renders its sidebar from."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture
def client_for(client, demo_users):
    def login(username):
        client.force_login(demo_users[username])
        return client

    return login


# The catalogue itself.


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.name)
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    assert untranslated(po) == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.name)
def test_compiled_catalogue_matches_the_source(po):
    """The .mo was rebuilt after the last edit of the .po (docs/translation.md says how)."""
    assert stale(po) == []


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.name)
def test_translations_keep_every_placeholder(po):
    """%(name)s, %s and {name} are filled in by Wagtail: a lost or misspelt one is a crash or a hole."""
    placeholder = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
    broken = [
        e.msgid for e in read(po)
        if any(sorted(placeholder.findall(s)) != sorted(placeholder.findall(e.msgid_plural or e.msgid)) for s in e.msgstrs)
    ]
    assert broken == []


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogue_covers_the_installed_wagtail(domain):
    """Every msgid of the installed Wagtail's English catalogues is translated. After a Wagtail
    upgrade this lists the new strings to add (docs/translation.md, "After a Wagtail upgrade")."""
    root = Path(wagtail.__file__).parent
    wanted = set()
    for app in WAGTAIL_APPS:
        source = root / app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
        if source.exists():
            wanted |= {(e.msgctxt, e.msgid) for e in read(source)}
    have = {(e.msgctxt, e.msgid) for e in read(WAGTAIL_VI / f"{domain}.po")}
    assert wanted, "no English catalogue found in the installed Wagtail"
    assert sorted(wanted - have, key=str) == []


# How Django combines the catalogues.


def test_makemessages_writes_to_the_projects_catalogue():
    """makemessages writes the project's strings to the first LOCALE_PATHS entry: locale/, not locale/wagtail."""
    assert [Path(p) for p in settings.LOCALE_PATHS] == [LOCALE, LOCALE / "wagtail"]


def _translate(entry):
    if entry.msgid_plural:
        if entry.msgctxt:
            return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
        return translation.ngettext(entry.msgid, entry.msgid_plural, 2)
    if entry.msgctxt:
        return translation.pgettext(entry.msgctxt, entry.msgid)
    return translation.gettext(entry.msgid)


def test_our_catalogue_overrides_wagtails_own_vietnamese():
    """LOCALE_PATHS come before the apps' catalogues: Wagtail's shipped "Biên tập" (Edit) and
    "Trang tổng quan" (Dashboard) give way to this catalogue's wording, for every msgid."""
    project = {e.msgid for e in read(PROJECT_PO)}
    with translation.override("vi"):
        assert translation.gettext("Edit") == "Sửa"
        assert translation.gettext("Dashboard") == "Bảng điều khiển"
        differ = [
            e.msgid for e in read(WAGTAIL_VI / "django.po")
            if e.msgid not in project and _translate(e) != e.msgstrs[0]
        ]
    assert differ == []


def test_where_both_define_a_msgid_the_project_says_it_with_a_context():
    """A project msgid without context would win on Wagtail's screens too (tests/core/test_translation_contexts.py):
    the project's own wording of "Show" ("Xem", a filter's button) has a context, Wagtail's keeps its own."""
    ours = {e.msgid: e for e in read(WAGTAIL_VI / "django.po")}
    shared = [e for e in read(PROJECT_PO) if e.msgid in ours and e.msgctxt is None]
    assert "Log in" in {e.msgid for e in shared}
    with translation.override("vi"):
        assert translation.gettext("Show") == ours["Show"].msgstrs[0] != "Xem"
        assert translation.pgettext("filter", "Show") == "Xem"
        assert [e.msgid for e in shared if _translate(e) != e.msgstrs[0]] == []


# The admin, as a user sees it.


def test_dashboard_in_vietnamese(client_for):
    html = client_for("qlcl").get(reverse("wagtailadmin_home")).content.decode()
    assert shows(html, "Tìm kiếm tất cả các trang…")  # search box placeholder
    assert shows(html, "Trợ giúp")  # Help menu
    assert shows(html, "Tài khoản")  # Account
    assert "Search all pages" not in html


def test_tthc_listing_search_and_pagination_in_vietnamese(client_for):
    for code, name in [("HT-91", "Thủ tục đăng ký khai sinh"), ("HT-92", "Thủ tục đăng ký khai tử"),
                       ("HT-93", "Thủ tục đăng ký kết hôn")]:
        AdministrativeProcedureFactory(code=code, name=name, field="Hộ tịch")
    html = client_for("qlcl").get(reverse("tthc:index"), {"q": "dang ky khai"}).content.decode()
    assert re.search(r"Có\s+2\s+kết quả phù hợp", html), "the “There are N matches” line"
    assert "Trang 1/1" in html  # "Page 1 of 1"
    assert 'placeholder="Tìm kiếm…"' in html
    assert 'aria-label="Hiện bộ lọc"' in html  # "Show filters"
    assert "There are" not in html and "Page 1 of" not in html


def test_page_explorer_and_editor_in_vietnamese(client_for):
    client = client_for("admin")
    html = client.get(reverse("wagtailadmin_explore_root")).content.decode()
    assert "Cấp gốc là nơi thêm trang web mới" in html  # "The root level is where you can add new sites…"
    assert "Trang 1/1" in html
    assert "đã xuất bản" in html  # the "live" status of the home page

    home = Page.objects.get(depth=2)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    for text in ["Lưu bản nháp", "Xuất bản", "Nội dung", "Quảng bá", "Lịch sử"]:  # the home page is never unpublished
        assert text in html, text
    assert "Save draft" not in html and "Unpublish" not in html


def test_login_form_labels_in_vietnamese(client, db):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "Mật khẩu" in html and "Ghi nhớ đăng nhập" in html and "Quên mật khẩu?" in html
    assert "Password" not in html


def test_time_since_in_vietnamese():
    """"3 minutes ago" in the users list: Django's own Vietnamese lacks these, this catalogue adds them."""
    with translation.override("vi"):
        assert translation.ngettext("%(num)d minute", "%(num)d minutes", 3) % {"num": 3} == "3 phút"


def test_javascript_catalogue_in_vietnamese(client_for):
    body = client_for("qlcl").get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    assert json.dumps("Lỗi khi lưu")[1:-1] in body  # "Save error"
    assert json.dumps("Đang tự động lưu…")[1:-1] in body  # "Autosave in progress…"


def test_english_still_available(client_for):
    html = client_for("qlcl").get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Search all pages…" in html


def test_wagtails_default_groups_and_workflow_have_vietnamese_names(db, admin_client):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Biên tập viên trang", "Kiểm duyệt viên trang"} <= names and not names & {"Editors", "Moderators"}
    assert list(Workflow.objects.filter(name__contains="Moderators")) == []
    html = admin_client.get(reverse("wagtailusers_groups:index")).content.decode()
    assert "Kiểm duyệt viên trang" in html and "Moderators" not in html
