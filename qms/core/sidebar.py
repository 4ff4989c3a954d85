"""
Wagtail's sidebar kept per user and language (issue 11, CPU per page).

Every admin page renders Wagtail's `{% sidebar_props %}`: the main menu, each item asked whether the user
may see it, packed with telepath into JSON for the sidebar's JavaScript. That is about a fifth of the server
CPU of a plain page (the Biểu 06 page, a list). The JSON is the same for a user until what it depends on
changes: their name and e-mail (shown in the account menu), avatar, Django and page permissions, roles and
units, all of which replace the structure version when they change (qms.core.freshness.user_fact), as does
`migrate` (an upgrade's new menu items). The menu only links; every view checks permissions itself.
"""

from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags

from qms.core.freshness import user_fact

_wagtail_sidebar_props = wagtailadmin_tags.sidebar_props


def cached_sidebar_props(context):
    user = context["request"].user
    if not user.is_authenticated:
        return _wagtail_sidebar_props(context)
    html = user_fact(user, f"sidebar:{get_language()}", lambda: str(_wagtail_sidebar_props(context)))
    return mark_safe(html)  # noqa: S308 - Wagtail's own json_script output, kept as it rendered it


def cache_wagtail_sidebar() -> None:
    """Serve Wagtail's `{% sidebar_props %}` from the cache (AppConfig.ready, before any template is parsed)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(cached_sidebar_props)
