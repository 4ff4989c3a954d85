from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared domain: organisational units, ISO clauses, the TTHC catalogue, roles."""

    name = "qms.core"
    label = "core"
    verbose_name = _("Shared domain")
    #: Module whose `load(*, stdout, scale)` the `load_demo` command calls (apps are loaded in
    #: INSTALLED_APPS order, so core's units exist before the other apps' demo data).
    demo_module = "qms.core.demo"

    def ready(self):
        from qms.core.exports import protect_wagtail_exports
        from qms.core.sidebar import cache_wagtail_sidebar
        from qms.core.site_paths import read_site_root_paths_once_per_request
        from qms.core.text import name_people_in_vietnamese
        from qms.core.widgets import use_in_admin_forms

        protect_wagtail_exports()
        name_people_in_vietnamese()
        use_in_admin_forms()
        cache_wagtail_sidebar()
        read_site_root_paths_once_per_request()

        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from qms.core.freshness import create_cache_table, record_saved
        from qms.core.models.units import unit_graph_forget

        # A request that changes the unit tree or a unit's page subtree reads them again (units.per_request).
        post_save.connect(unit_graph_forget, dispatch_uid="unit_graph_forget_save")
        post_delete.connect(unit_graph_forget, dispatch_uid="unit_graph_forget_delete")
        # Any record saved makes the dashboards' kept panels stale (qms.core.freshness).
        post_save.connect(record_saved, dispatch_uid="records_changed_save")
        post_delete.connect(record_saved, dispatch_uid="records_changed_delete")
        m2m_changed.connect(record_saved, dispatch_uid="records_changed_m2m")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="create_cache_table")
