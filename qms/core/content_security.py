"""
The Content-Security-Policy header (django-csp): one strict policy for every page, widened only for
the Wagtail admin, whose widget and panel templates start their scripts inline (the date pickers of
list filters and forms, inline panels; wagtailadmin/widgets/date_input.html and others).
docs/security.md, "Content-Security-Policy".
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


class ProjectCSPMiddleware(CSPMiddleware):
    """`CONTENT_SECURITY_POLICY` everywhere; `QMS_CSP_ADMIN_UPDATE` added to it under the admin's URL."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.update = settings.QMS_CSP_ADMIN_UPDATE
        return parts
