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
    cached = getattr(user, "_qms_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = user._qms_roles = {role for role in Role if role.value in names}
    return cached


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
    cached = getattr(user, "_qms_district_level", None)
    if cached is None:
        from qms.core.models import Membership  # models import nothing from here; avoid loading them at import

        cached = user._qms_district_level = Membership.objects.filter(
            user=user, unit__kind__in=DISTRICT_LEVEL_KINDS
        ).exists()
    return cached
