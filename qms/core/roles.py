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
