"""
Wagtail's sidebar kept per user for a few minutes (issue 11, CPU per page).

Every admin page renders Wagtail's `{% sidebar_props %}`: the main menu, each item asked whether the user
may see it, packed with telepath into JSON for the sidebar's JavaScript. That is about a fifth of the server
CPU of a plain page (the Biểu 06 page, a list). The JSON is the same for a user until what it depends on
changes, so it is cached under a key naming all of that: the user, their name and e-mail (shown in the
account menu), the language, their Django permissions, their page permissions (the explorer's start page),
their roles and units. Anything else (an avatar, a menu item added by an upgrade) shows within
`SIDEBAR_SECONDS`; the menu only links, and every view checks permissions itself.
"""

import hashlib

from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import Page
from wagtail.permissions import policy_registry

from qms.core.models.units import unit_ids_for_user
from qms.core.roles import is_district_level, roles_of

SIDEBAR_SECONDS = 300

_wagtail_sidebar_props = wagtailadmin_tags.sidebar_props


def sidebar_key(user) -> str:
    """A cache key that changes whenever anything the user's sidebar shows may change."""
    page_permissions = sorted(
        (perm.page_id, perm.permission_id) for perm in policy_registry.get_by_type(Page).get_cached_permissions_for_user(user)
    )
    facts = (
        user.pk, user.get_username(), user.get_full_name(), user.email, user.is_superuser, get_language(),
        sorted(user.get_all_permissions()), page_permissions,
        sorted(roles_of(user)), is_district_level(user), sorted(unit_ids_for_user(user)),
    )
    return "qms-sidebar:" + hashlib.sha256(repr(facts).encode()).hexdigest()


def cached_sidebar_props(context):
    user = context["request"].user
    if not user.is_authenticated:
        return _wagtail_sidebar_props(context)
    key = sidebar_key(user)
    html = cache.get(key)
    if html is None:
        html = _wagtail_sidebar_props(context)
        cache.set(key, str(html), SIDEBAR_SECONDS)
    return mark_safe(html)  # noqa: S308 - Wagtail's own json_script output, cached as it rendered it


def cache_wagtail_sidebar() -> None:
    """Serve Wagtail's `{% sidebar_props %}` from the cache (AppConfig.ready, before any template is parsed)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(cached_sidebar_props)
