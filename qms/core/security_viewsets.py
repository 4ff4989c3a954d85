"""
The login trail (django-axes' records) in the Wagtail admin, under Settings, for superusers only:
successful logins, failed logins (with lockouts) and the running failure counts, where an administrator
lifts a lockout. Read-only: nobody adds, edits or deletes a trail row here. docs/security.md, "Login".
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import ListingButton
from wagtail.permissions import ModelPermissionPolicy, register_permission_policy

from qms.core.login_guard import login_unlock
from qms.core.views import AdminPageMixin
from qms.core.viewsets import QmsModelViewSet

LABEL_TIME = pgettext_lazy("login attempt", "Time")
LABEL_USERNAME = _("Username")
LABEL_IP = _("IP address")
LABEL_USER_AGENT = _("Browser (user agent)")
LABEL_LOCKED_OUT = _("Locked out")
LABEL_LOGOUT = _("Signed out at")
LABEL_FAILURES = _("Failures in a row")
LABEL_UNLOCK = pgettext_lazy("login", "Unlock")
MSG_UNLOCKED = _("The login of “%(username)s” is unlocked; they can sign in again.")
YES, NO = _("yes"), _("no")


class SuperuserReadOnlyPolicy(ModelPermissionPolicy):
    """Superusers read; nobody adds, changes or deletes (the trail is a record). Anyone else is refused
    even if someone granted them axes' model permissions."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if "view" in actions else users.none()


def local_time(name: str, label=LABEL_TIME) -> Column:
    """A sortable date and time in Vietnam's time zone, whatever the viewer's own setting."""

    def value(obj):
        moment = getattr(obj, name)
        zone = timezone.get_default_timezone()  # settings.TIME_ZONE, not the viewer's preference
        return timezone.localtime(moment, timezone=zone).strftime("%d/%m/%Y %H:%M:%S") if moment else ""

    return Column(name, label=label, accessor=value, sort_key=name)


def yes_no(name: str, label) -> Column:
    return Column(name, label=label, accessor=lambda obj: YES if getattr(obj, name) else NO)


COMMON_COLUMNS = [
    Column("username", label=LABEL_USERNAME, sort_key="username"),
    Column("ip_address", label=LABEL_IP, sort_key="ip_address"),
    Column("user_agent", label=LABEL_USER_AGENT),
]


class LoginTrailViewSet(QmsModelViewSet):
    """One of axes' tables, read-only, for superusers."""

    add_to_settings_menu = True
    copy_view_enabled = False
    # No add or edit view is ever allowed (the policy); Wagtail still wants a form definition.
    exclude_form_fields: list[str] = []
    inspect_view_enabled = False
    search_fields = ["username", "ip_address"]
    list_per_page = 50
    ordering = ["-attempt_time"]

    def on_register(self):
        register_permission_policy(self.model, SuperuserReadOnlyPolicy(self.model))
        super().on_register()

    def get_urlpatterns(self):
        # The list only: no add, edit, delete, history or usage screen exists to be reached by id.
        return [pattern for pattern in super().get_urlpatterns() if pattern.name in {"index", "index_results"}]


class AccessLogViewSet(LoginTrailViewSet):
    """Successful logins (and when the session signed out)."""

    model = AccessLog
    name = "login_successes"
    icon = "user"
    menu_label = _("Successful logins")
    menu_order = 9001
    list_display = [local_time("attempt_time"), *COMMON_COLUMNS, local_time("logout_time", LABEL_LOGOUT)]
    list_filter = ["username"]


class AccessFailureLogViewSet(LoginTrailViewSet):
    """Every failed login; `locked_out` marks those refused or locked by the throttle."""

    model = AccessFailureLog
    name = "login_failures"
    icon = "warning"
    menu_label = _("Failed logins")
    menu_order = 9002
    list_display = [local_time("attempt_time"), *COMMON_COLUMNS, yes_no("locked_out", LABEL_LOCKED_OUT)]
    list_filter = ["locked_out", "username"]


class LoginAttemptIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            ListingButton(LABEL_UNLOCK, url=reverse("login_lockouts:unlock", args=[instance.pk]), icon_name="lock-open", priority=10)
        ]


class LoginUnlockView(AdminPageMixin, TemplateView):
    """Confirm, then lift the lockout of the attempt's username (superusers only)."""

    template_name = "core/login_unlock.html"
    page_title = LABEL_UNLOCK
    header_icon = "lock-open"

    def dispatch(self, request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        self.attempt = get_object_or_404(AccessAttempt, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "attempt": self.attempt, "index_url": reverse("login_lockouts:index")}

    def post(self, request, *args, **kwargs):
        login_unlock(username=self.attempt.username, by=request.user)
        messages.success(request, MSG_UNLOCKED % {"username": self.attempt.username})
        return redirect("login_lockouts:index")


class AccessAttemptViewSet(LoginTrailViewSet):
    """Running counts of failures per username, address and browser within the cool-off; from here a
    superuser unlocks a login."""

    model = AccessAttempt
    name = "login_lockouts"
    icon = "lock"
    menu_label = _("Login lockouts")
    menu_order = 9003
    index_view_class = LoginAttemptIndexView
    # The username first: Wagtail puts the row's buttons (Unlock) in the first column.
    list_display = [
        "username", local_time("attempt_time"), *COMMON_COLUMNS[1:],
        Column("failures_since_start", label=LABEL_FAILURES, sort_key="failures_since_start"),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("unlock/<int:pk>/", LoginUnlockView.as_view(), name="unlock")]


def login_trail_viewsets():
    """For the `register_admin_viewset` hook."""
    return [AccessLogViewSet(), AccessFailureLogViewSet(), AccessAttemptViewSet()]
