"""Dashboard panels of the shared domain."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from qms.core.models import Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import roles_of


class WelcomePanel(Component):
    """Greets the user by name with their role and units: the first thing on the dashboard."""

    name = "qms_welcome"
    order = 10
    template_name = "core/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        user = self.request.user
        today = timezone.localdate()
        memberships = list(user.memberships.select_related("unit").order_by("unit__code"))
        for membership in memberships:
            membership.in_force = membership.unit.is_in_force(today)
        return {
            "user": user,
            "roles": [role.label for role in sorted(roles_of(user))],
            "memberships": memberships,
            "covered_count": 0 if user.is_superuser else Unit.objects.filter(pk__in=unit_ids_for_user(user)).count(),
        }
