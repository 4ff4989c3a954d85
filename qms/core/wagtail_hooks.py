"""Registration only: the admin screens and dashboard panels of the shared domain."""

from wagtail import hooks

from qms.core.panels import WelcomePanel
from qms.core.security_viewsets import login_trail_viewsets
from qms.core.viewsets import CatalogueGroup


@hooks.register("register_admin_viewset")
def register_catalogues():
    return CatalogueGroup()


hooks.register("register_admin_viewset", login_trail_viewsets)


@hooks.register("construct_homepage_panels")
def add_welcome_panel(request, panels):
    panels.insert(0, WelcomePanel(request))
