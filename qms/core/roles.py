"""
The four roles of DOMAIN.md, as Django groups. A user's role is their group; which units they
act on comes from their memberships (`Unit.objects.for_user`). Group names are data (created by
migration core.0002), so migrations of other apps refer to them by these same strings.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    QUALITY_OFFICER = "Cán bộ phụ trách ISO", _("Quality officer")
    LEADER = "Lãnh đạo", _("Leader")
    AUDITOR = "Chuyên gia đánh giá nội bộ", _("Internal auditor")
    UNIT_STAFF = "Công chức một cửa", _("Unit staff")

    def group(self):
        from django.contrib.auth.models import Group

        return Group.objects.get(name=self.value)


def roles_of(user) -> set[Role]:
    """The roles (groups) of `user`; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_qms_roles", None) is None:
        _read_roles_and_level(user)
    return user._qms_roles


def _read_roles_and_level(user) -> None:
    """Cache on `user` its roles and whether it has a district-level membership, read in one query: every
    admin page asks both (the menu, the catalogues' buttons)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Exists, OuterRef

    from qms.core.freshness import user_fact
    from qms.core.models import Membership  # models import nothing from here; avoid loading them at import

    def read():
        district = Exists(Membership.objects.filter(user=OuterRef("pk"), unit__kind__in=DISTRICT_LEVEL_KINDS))
        rows = list(get_user_model()._default_manager.filter(pk=user.pk).annotate(district=district)
                    .values_list("groups__name", "district"))
        names = {name for name, _district in rows}
        return {role for role in Role if role.value in names}, any(district for _name, district in rows)

    roles, district_level = user_fact(user, "roles_and_level", read)
    user._qms_roles, user._qms_district_level = set(roles), district_level


def has_role(user, *roles: Role) -> bool:
    """True when `user` has any of `roles`; superusers have every role."""
    return getattr(user, "is_superuser", False) or bool(roles_of(user) & set(roles))


#: Unit kinds whose members act for the whole district (or above it): they keep the district-wide
#: catalogues (TTHC, audit question bank, ISO clauses).
DISTRICT_LEVEL_KINDS = ("province", "district")


def is_district_level(user) -> bool:
    """
    True for superusers and for active users with a membership of a district or a province: the
    people who keep the district-wide catalogues. A commune's officers, whatever their role, are not.
    A membership has no dates: it counts while it exists, even once its unit ceased to exist (the
    demo district was abolished on 1/7/2025 and its quality officer still keeps the catalogues).
    Cached on the user object for the request.
    """
    if not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if getattr(user, "_qms_district_level", None) is None:
        _read_roles_and_level(user)
    return user._qms_district_level


# --- audit teams ----------------------------------------------------------------------------------
#: Functions `user -> iterable of unit ids` naming the units whose audit `user` is on now. The audits
#: app registers one in its AppConfig.ready(): core and procedures_docs cannot import audits (STYLE:
#: apps above use core), yet the documents app must let an audit team read the audited unit.
_audit_scopes = []


def register_audit_scope(provider) -> None:
    """Add a source of "units this user audits now" (see `audited_unit_ids`); idempotent."""
    if provider not in _audit_scopes:
        _audit_scopes.append(provider)


def audited_unit_ids(user) -> frozenset[int]:
    """
    Ids of the units `user` audits now (on the team of an audit that is not closed), with the units
    below them (a commune's one-stop office). Empty for visitors, inactive users and without the
    audits app. Not cached: an audit closing takes effect on the next request.
    """
    if not getattr(user, "is_active", False) or not getattr(user, "is_authenticated", False):
        return frozenset()
    roots = {pk for provider in _audit_scopes for pk in provider(user)}
    if not roots:
        return frozenset()
    from qms.core.models import Unit

    return frozenset(Unit.objects.descendants_of(roots).values_list("pk", flat=True))
