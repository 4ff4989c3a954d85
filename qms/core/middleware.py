"""
The admin's page screens and Wagtail's own reports, held to the scoping rule before any view runs.
Wagtail's page views (edit, history, revisions, move, copy, workflow actions, previews…) check page
permissions, but several show a page's title, drafts or history to anyone with some permission
somewhere; rather than patch each, every admin URL that names a page is refused (404) when the
page lies in another unit's subtree (`qms.core.pagescope`). New page views are covered too.
"""

from django.apps import apps
from django.http import Http404, HttpResponse
from django.urls import reverse
from wagtail.models import Page
from wagtail.permissions import policy_registry

from qms.core.models.units import unit_graph_per_request
from qms.core.pagescope import page_allowed

#: URL keyword arguments that name a page in Wagtail's admin and in ours.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
#: Namespaces whose `pk` is a page id.
PAGE_PK_NAMESPACES = ("wagtailadmin_pages", "wagtailadmin_api:pages")
#: Wagtail screens that list pages or files of every unit at once: for superusers only. (The admin API's
#: documents answer through the document permission policy, audits.permissions.DocumentPolicy.)
SUPERUSER_ONLY_NAMESPACES = ("wagtailadmin_reports", "wagtailadmin_api:images")
SUPERUSER_ONLY_URLS = ("wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results")


def _page_ids(match) -> list:
    ids = [match.kwargs[name] for name in PAGE_KWARGS if name in match.kwargs]
    if match.namespace in PAGE_PK_NAMESPACES and "pk" in match.kwargs:
        ids.append(match.kwargs["pk"])
    return ids


class AdminScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None  # anonymous visitors meet the views' own login check
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        if match.namespace in SUPERUSER_ONLY_NAMESPACES or match.view_name in SUPERUSER_ONLY_URLS:
            raise Http404
        for page_id in _page_ids(match):
            page = Page.objects.filter(pk=page_id).only("path").first()
            if page is not None and not page_allowed(user, page):
                raise Http404
        if match.url_name == "wagtail_bulk_action":
            _check_bulk_action(request, user, match.kwargs)
        return None


def _check_bulk_action(request, user, kwargs) -> None:
    """Wagtail's bulk actions take ids in the query string and list by title those the user may not act
    on: every id must be of the user's records. "All in the listing" is for superusers only (its
    listing is not scoped)."""
    ids = request.GET.getlist("id")
    if not all(pk.isdigit() for pk in ids):  # "all", or not an id at all
        raise Http404
    try:
        model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    except LookupError:
        raise Http404 from None
    manager = model._default_manager
    if issubclass(model, Page):
        allowed = all(page_allowed(user, page) for page in Page.objects.filter(pk__in=ids).only("path"))
    elif hasattr(manager.all(), "for_user"):
        allowed = not manager.filter(pk__in=ids).exclude(pk__in=manager.for_user(user)).exists()
    else:
        # Documents and users: what the model's permission policy lets the user act on at all.
        policy = policy_registry.get_by_type(model)
        actions = ["add", "change", "delete", "choose"]
        allowed = policy is None or not manager.filter(pk__in=ids).exclude(
            pk__in=policy.instances_user_has_any_permission_for(user, actions).values("pk")
        ).exists()
    if not allowed:
        raise Http404


class PdfFontErrorMiddleware:
    """
    A PDF asked for while the configured font cannot draw Vietnamese (`qms.core.pdf.PdfFontError`):
    the reader gets the reason in Vietnamese (503, the server's setup is at fault) instead of a PDF
    without its diacritics or a bare server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from qms.core.pdf import PdfFontError

        if isinstance(exception, PdfFontError):
            return HttpResponse(str(exception), status=503, content_type="text/plain; charset=utf-8")
        return None


class UnitGraphMiddleware:
    """Every part of a request (scoping, panels, readiness, reports) shares one reading of the unit tree."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with unit_graph_per_request():
            return self.get_response(request)
