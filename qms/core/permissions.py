"""Permission policies for records that history must keep (STYLE: closed records are never deleted)."""

from django.contrib.auth import get_user_model
from wagtail.permissions import ModelPermissionPolicy


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
