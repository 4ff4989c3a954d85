"""Permission policies: records that history must keep (STYLE: closed records are never deleted), and
district-wide catalogues that only district-level users edit."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.permissions import ModelPermissionPolicy

from qms.core.freshness import user_fact
from qms.core.roles import DISTRICT_LEVEL_KINDS, is_district_level


class OneQueryModelBackend(ModelBackend):
    """Django's ModelBackend, reading a user's own and their groups' permissions in one query instead of
    two, and for the signed-in user none while their permissions are unchanged (`user_fact`): every admin
    request asks for them (issue 11, queries per page)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):

            def read():
                perms = Permission.objects.all()
                if not user_obj.is_superuser:
                    own = get_user_model().user_permissions.through.objects.filter(user=user_obj)
                    of_groups = Group.permissions.through.objects.filter(group__user=user_obj)
                    perms = perms.filter(Q(pk__in=own.values("permission_id")) | Q(pk__in=of_groups.values("permission_id")))
                return {f"{app}.{codename}" for app, codename in perms.values_list("content_type__app_label", "codename")}

            user_obj._perm_cache = set(user_fact(user_obj, "permissions", read))
        return user_obj._perm_cache


class KeptRecordPolicy(ModelPermissionPolicy):
    """
    A model's usual Django permissions, minus `denied` actions that nobody has, superusers included:
    the admin then offers no such button and refuses the URL. Register it in `wagtail_hooks.py`:
    `register_permission_policy(Model, KeptRecordPolicy(Model, denied={"delete"}))`.
    """

    def __init__(self, model, *, denied=frozenset({"delete"}), auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self.denied = frozenset(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.denied]
        return super().users_with_any_permission(allowed) if allowed else get_user_model().objects.none()


class DistrictCataloguePolicy(ModelPermissionPolicy):
    """
    A district-wide catalogue (TTHC, audit question bank, ISO clauses): every role with the view
    permission reads it, but only district-level users (`qms.core.roles.is_district_level`) holding
    the usual Django permission add, change, delete or copy its entries. The admin then hides the
    buttons and refuses the URLs of a commune's officers. Register it in `wagtail_hooks.py`:
    `register_permission_policy(Model, DistrictCataloguePolicy(Model))`.
    """

    #: Actions that change the catalogue ("copy" is checked as "add" by Wagtail, listed for clarity).
    editing = frozenset({"add", "change", "delete", "copy"})

    def user_has_permission(self, user, action):
        if action in self.editing and not is_district_level(user):
            return False
        return super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        editing = [action for action in actions if action in self.editing]
        reading = [action for action in actions if action not in self.editing]
        district = Q(is_superuser=True) | Q(memberships__unit__kind__in=DISTRICT_LEVEL_KINDS)
        users = super().users_with_any_permission(editing).filter(district) if editing else None
        if reading:
            readers = super().users_with_any_permission(reading)
            users = readers if users is None else get_user_model().objects.filter(
                Q(pk__in=readers.values("pk")) | Q(pk__in=users.values("pk"))
            )
        return users.distinct() if users is not None else get_user_model().objects.none()
