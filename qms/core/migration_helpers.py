"""
Helpers for data migrations that give the role groups their permissions. They take the
migration's `apps`, so they stay correct as models change; keep them stable.
"""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Permissions are normally created after `migrate`; data migrations need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None


def grant(apps, group_name: str, perms: list[str]) -> None:
    """Give `group_name` (created if missing) the permissions named "app_label.codename"."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for perm in perms:
        app_label, codename = perm.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
