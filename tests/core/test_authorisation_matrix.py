"""
The authorisation matrix (issue 10, docs/security.md). Every URL of the site that takes an object or
page id is found by walking the URL resolver, so a new URL is covered without anyone adding it here.
Each is requested by five people of the demo district: the one-stop officer, an auditor, the quality
officer and the leader of Xã Bố Hạ, and a quality officer of the former Huyện Yên Thế only:
- with a record of a unit outside their scope: it must be refused (403, 404, or Wagtail's redirect to
  the dashboard or the login), on GET and, for views that only accept POST, on POST, changing nothing;
- with a record of their own: it must not fail, and at least one of the five must reach it.
Wagtail's own screens for administrators (users, groups, sites, workflows, collections…) must refuse
all five, and work for the superuser. A URL this file cannot classify fails the test: say here which
record its id names.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.viewsets import viewsets as viewset_registry
from wagtail.documents import get_document_model
from wagtail.models import Collection, ReferenceIndex, Revision, TaskState, WorkflowState

from audits.models import ChecklistItem, CorrectiveAction, Finding
from audits.services import evidence_document_create
from procedures_docs.models import ControlledDocumentPage
from procedures_docs.services import document_access_sync
from qms.core.models import Membership, Unit
from qms.core.models.units import unit_ids_for_user
from qms.core.roles import Role
from qms.dossiers.models import ImportBatch
from qms.feedback.models import FeedbackPage

ROLES = {
    "staff": (Role.UNIT_STAFF, "BN-BOHA"),
    "auditor": (Role.AUDITOR, "BN-BOHA"),
    "officer": (Role.QUALITY_OFFICER, "BN-BOHA"),
    "leader": (Role.LEADER, "BN-BOHA"),
    "district_officer": (Role.QUALITY_OFFICER, "215"),
}

#: Keyword arguments that name a page.
PAGE_KWARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}

#: Wagtail's screens for administrators only: every role here must be refused, the superuser served.
ADMIN_ONLY_NAMESPACES = {
    "wagtailadmin_collections", "wagtailadmin_workflows", "wagtailredirects", "wagtailsettings",
    "wagtailimages", "wagtailimages_chooser", "wagtailsites", "wagtailusers_users", "wagtailusers_groups",
    "wagtailadmin_api:images", "wagtailadmin_editing_sessions", "wagtailadmin_reports",
    "login_successes", "login_failures", "login_lockouts",
}

#: URLs whose arguments name no record (or a public token), with the reason they are not in the matrix.
NOT_RECORDS = {
    "wagtailadmin_password_reset_confirm": "a one-time token, not a record",
    "wagtailadmin_tag_model_autocomplete": "a model name; answers tag names only",
    "wagtailcore_authenticate_with_password": "the public site's password form of a restricted page",
    "wagtaildocs_authenticate_with_password": "the public site's password form of a restricted collection",
    "wagtailadmin_pages:choose_parent": "a page type; lists only the parents the user may add to",
    "wagtailadmin_pages:add": "a page type and a parent: covered with the parent as a page id below",
    "wagtailadmin_pages:preview_on_add": "a page type and a parent: covered with the parent as a page id below",
    "wagtail_bulk_action": "ids in the query string: see test_bulk_actions_refuse_other_units_records",
}

#: Routes with unnamed groups (regular expressions): what they name and their arguments for a record.
POSITIONAL_URLS = {
    "wagtaildocs_serve": ("document", lambda document: [document.pk, document.filename]),
    "wagtail_serve": ("page_path", None),  # the public site by path: reading copies check `can_read`
}

#: URLs of a viewset whose id is not the viewset's model.
SUBJECT_OVERRIDES = {
    "audits:attachment": "document",
    "dossier_import:batch": ImportBatch,
    "dossier_import:errors": ImportBatch,
    "dossier_import:file": ImportBatch,
    "readiness:unit": Unit,
    "feedback_poster": "feedback_page",
    "wagtailforms:list_submissions": "feedback_page",
    "wagtailforms:list_submissions_results": "feedback_page",
    "wagtailforms:delete_submissions": "feedback_page",
    "wagtaildocs_chooser:chosen": "document",
    "wagtailadmin_api:documents:detail": "document",
    "audit_questions:edit": None,  # the question bank is shared by every unit: see SHARED below
    "user_guide_image": None,  # a screenshot of the user guide, the same for every admin user (tests/core/test_user_guide.py)
}


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def _params(route: str) -> list[str]:
    named = re.findall(r"<(?:\w+:)?(\w+)>", route) or re.findall(r"\(\?P<(\w+)>", route)
    return named or [f"arg{i}" for i in range(len(re.findall(r"\((?!\?:)", route)))]


def id_urls() -> dict[str, list[str]]:
    """URL name → its parameters, for every URL with parameters (two routes of one name: the longest)."""
    urls: dict[str, list[str]] = {}
    for name, route in _walk(get_resolver()):
        params = _params(route)
        if params and len(params) >= len(urls.get(name, [])):
            urls[name] = params
    return urls


def _viewset_models() -> dict[str, type]:
    models = {}
    for viewset in viewset_registry.viewsets:
        model = getattr(viewset, "model", None)
        if isinstance(model, str) or model is None or not getattr(viewset, "name", None):
            continue
        models[viewset.url_namespace] = model
    return models


def subject_of(name: str, params: list[str]):
    """What the URL's id names: a model, "page", "feedback_page", "document", "admin_only", or None (shared)."""
    if name in SUBJECT_OVERRIDES:
        return SUBJECT_OVERRIDES[name]
    namespace = name.rpartition(":")[0]
    if namespace in ADMIN_ONLY_NAMESPACES or name in ("wagtailadmin_pages:type_use", "wagtailadmin_pages:type_use_results"):
        return "admin_only"
    if PAGE_KWARGS & set(params) or namespace in ("wagtailadmin_pages", "wagtailadmin_api:pages"):
        return "page"
    if namespace == "wagtaildocs":
        return "document"
    models = _viewset_models()
    if namespace in models:
        return models[namespace]
    raise LookupError(f"{name} {params}: say in SUBJECT_OVERRIDES or NOT_RECORDS which record its id names")


# --- the demo world ------------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, object]
    superuser: object
    evidence: dict[str, object] = field(default_factory=dict)
    originals: dict[str, object] = field(default_factory=dict)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo district (small scale), five role users and evidence files, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--scale", "0.02", stdout=io.StringIO())
        User = get_user_model()
        users = {}
        for key, (role, code) in ROLES.items():
            user = User.objects.create_user(username=f"matrix.{key}", first_name=f"Matrix {key}")
            user.groups.add(role.group())
            Membership.objects.create(user=user, unit=Unit.objects.get(code=code), position="Matrix")
            users[key] = user
        document_access_sync(users=list(users.values()))
        from axes.models import AccessAttempt

        AccessAttempt.objects.create(username="matrix.staff", ip_address="127.0.0.1", user_agent="test", failures_since_start=3)
        world = World(users=users, superuser=User.objects.get(username="admin"))
        # Evidence files on a Bố Hạ record and on one of another commune.
        for label, item in (
            ("own", CorrectiveAction.objects.for_user(users["officer"]).first()),
            ("foreign", CorrectiveAction.objects.exclude(pk__in=CorrectiveAction.objects.for_user(users["district_officer"])).exclude(pk__in=CorrectiveAction.objects.for_user(users["officer"])).first()),
        ):
            document = evidence_document_create(
                file=ContentFile(b"evidence", name=f"{label}.txt"), by=world.superuser, unit=item.nonconformity.unit
            )
            item.attachments.add(document)
            world.evidence[label] = document
        # Originals (Word files) attached to a Bố Hạ document and to another commune's.
        scope = unit_ids_for_user(users["officer"]) | unit_ids_for_user(users["district_officer"])
        for label, page in (
            ("own", ControlledDocumentPage.objects.filter(owner_unit__in=unit_ids_for_user(users["officer"])).first()),
            ("foreign", ControlledDocumentPage.objects.exclude(owner_unit__in=scope).first()),
        ):
            original = get_document_model().objects.create(
                title=f"Bản gốc {label}", file=ContentFile(b"original", name=f"ban-goc-{label}.docx"),
                collection=Collection.get_first_root_node(), uploaded_by_user=world.superuser,
            )
            page.attachments = [("original", original)]
            page.save()
            ReferenceIndex.create_or_update_for_object(page)
            world.originals[label] = original
        yield world
        transaction.set_rollback(True)


def _scoped_ids(model, user) -> set:
    return set(model._default_manager.for_user(user).values_list("pk", flat=True))


def records_for(subject, user) -> tuple[object | None, object | None]:
    """(one of `user`'s own records, one of a unit outside their scope) for `subject`."""
    if subject in ("page", "feedback_page"):
        model = ControlledDocumentPage if subject == "page" else FeedbackPage
        field_name = "owner_unit" if subject == "page" else "unit"
        scope = unit_ids_for_user(user)
        pages = model.objects.order_by("-latest_revision_id")
        # Prefer pages with a workflow behind them: the workflow screens need one.
        with_states = pages.filter(pk__in=[int(pk) for pk in WorkflowState.objects.values_list("object_id", flat=True)])
        own = with_states.filter(**{f"{field_name}__in": scope}).first() or pages.filter(**{f"{field_name}__in": scope}).first()
        foreign = with_states.exclude(**{f"{field_name}__in": scope}).first() or pages.exclude(**{f"{field_name}__in": scope}).first()
        return own, foreign
    if subject == "document":
        # Originals of controlled documents: a page of the user's units attaches one, another unit's the other.
        Document = get_document_model()
        scope = unit_ids_for_user(user)
        referenced = ReferenceIndex.objects.filter(to_content_type__model="document").values_list("to_object_id", "object_id")
        owners = dict(ControlledDocumentPage.objects.values_list("pk", "owner_unit_id"))
        own = {int(doc) for doc, page in referenced if owners.get(int(page)) in scope}
        foreign = {int(doc) for doc, page in referenced if owners.get(int(page)) not in scope} - own
        return Document.objects.filter(pk__in=own).first(), Document.objects.filter(pk__in=foreign).first()
    manager = subject._default_manager
    if not hasattr(manager.all(), "for_user"):
        return manager.first(), None
    own_ids = _scoped_ids(subject, user)
    own = manager.filter(pk__in=own_ids).order_by("pk").first()
    foreign = manager.exclude(pk__in=own_ids).order_by("pk").first()
    return own, foreign


def _document_ids_everywhere() -> set:
    ids = set()
    for model in (ChecklistItem, Finding, CorrectiveAction):
        ids |= set(model.objects.values_list("attachments", flat=True))
    return ids - {None}


def _page_workflow(page):
    state = WorkflowState.objects.filter(object_id=str(page.pk)).order_by("-pk").first()
    task_state = TaskState.objects.filter(workflow_state=state).order_by("-pk").first() if state else None
    return state, task_state


def kwargs_for(name: str, params: list[str], obj) -> dict | None:
    """The URL's keyword arguments for `obj`, or None when `obj` lacks what the URL needs."""
    kwargs = {}
    for param in params:
        if param in PAGE_KWARGS or param in ("pk", "document_id", "doc_id", "object_id"):
            kwargs[param] = obj.pk
        elif param == "revision_id":
            kwargs[param] = obj.latest_revision_id
        elif param in ("revision_id_a", "revision_id_b"):
            revisions = Revision.objects.for_instance(obj).order_by("pk")
            if not revisions.exists():
                return None
            kwargs[param] = (revisions.first() if param.endswith("a") else revisions.last()).pk
        elif param in ("task_state_id", "workflow_state_id", "task_id"):
            state, task_state = _page_workflow(obj)
            if task_state is None:
                return None
            kwargs[param] = {"task_state_id": task_state.pk, "workflow_state_id": state.pk, "task_id": task_state.task_id}[param]
        elif param == "action_name":
            kwargs[param] = "approve"
        elif param in ("app_label", "content_type_app_name"):
            kwargs[param] = obj._meta.app_label if name.startswith("wagtailadmin_pages") else "wagtailcore"
        elif param in ("model_name", "content_type_model_name"):
            kwargs[param] = obj._meta.model_name if name.startswith("wagtailadmin_pages") else "page"
        elif param == "session_id":
            kwargs[param] = 0
        elif param == "workflow_pk":
            kwargs[param] = 1
        else:
            return None
    return kwargs


# --- requests and verdicts -----------------------------------------------------------------------


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        logins = (reverse("wagtailadmin_home"), reverse("wagtailadmin_login"), reverse("wagtailcore_login"))
        return response.url.split("?")[0] in logins
    return False


def worked(response) -> bool:
    return response.status_code in (200, 204) or (response.status_code == 302 and not refused(response))


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


URLS = id_urls()


def test_every_model_screen_applies_the_scoping_rule():
    from wagtail.admin.viewsets.pages import PageViewSet

    from qms.core.viewsets import QmsModelViewSet

    # Pages are scoped by their place in the tree (qms.core.pagescope: the explorer's hooks, AdminScopeMiddleware).
    ours = [v for v in viewset_registry.viewsets if not type(v).__module__.startswith("wagtail.")
            and getattr(v, "model", None) and not isinstance(v, PageViewSet)]
    assert ours and all(isinstance(v, QmsModelViewSet) for v in ours), [type(v).__name__ for v in ours if not isinstance(v, QmsModelViewSet)]


def test_every_positional_route_is_classified():
    positional = {name for name, params in URLS.items() if params[0].startswith("arg")}
    assert positional == set(POSITIONAL_URLS), "say in POSITIONAL_URLS what these routes' arguments name"


@pytest.mark.django_db
def test_files_are_served_only_to_their_records_users(world):
    """Wagtail's document URL serves another unit's evidence to nobody, their own to those who may see it."""
    subject, args_for = POSITIONAL_URLS["wagtaildocs_serve"]
    problems = []
    for key, user in world.users.items():
        own, foreign = records_for(subject, user)
        if foreign is not None:
            response = _client(user).get(reverse("wagtaildocs_serve", args=args_for(foreign)))
            if not refused(response):
                problems.append(f"{key}: another unit's file → {response.status_code} {getattr(response, 'url', '')}")
    anonymous = Client().get(reverse("wagtaildocs_serve", args=args_for(world.evidence["own"])))
    if anonymous.status_code == 200:
        problems.append("anonymous: a file was served")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n in URLS if n not in NOT_RECORDS and n not in POSITIONAL_URLS))
def test_url_answers_only_with_the_users_records(world, name):
    params = URLS[name]
    subject = subject_of(name, params)
    problems, reached = [], []
    clients = {key: _client(user) for key, user in world.users.items()}
    TALLY["urls"] += 1
    if subject == "admin_only":
        obj = _any_admin_object(name)
        kwargs = kwargs_for(name, params, obj) if obj is not None else None
        if kwargs is None:
            pytest.skip(f"the demo has no record for {name}")
        url = reverse(name, kwargs=kwargs)
        for key, client in clients.items():
            response = _request_refusable(client, url)
            if not refused(response):
                problems.append(f"{key}: administrators' screen answered {response.status_code} {url}")
        response = _request(_client(world.superuser), url)
        if response.status_code >= 500:
            problems.append(f"superuser: server error {response.status_code} {url}")
        assert not problems, "\n".join(problems)
        return
    for key, user in world.users.items():
        client = clients[key]
        own, foreign = records_for(subject, user) if subject is not None else (None, None)
        if foreign is not None and (kwargs := kwargs_for(name, params, foreign)) is not None:
            url = reverse(name, kwargs=kwargs)
            response = _request_refusable(client, url)
            if response.status_code >= 500:
                problems.append(f"{key}: another unit's record → server error {response.status_code}")
            elif not refused(response):
                problems.append(f"{key}: another unit's record → {response.status_code} (leak) {url}")
        if own is not None and (kwargs := kwargs_for(name, params, own)) is not None:
            url = reverse(name, kwargs=kwargs)
            response = _request(client, url)
            if response.status_code >= 500:
                problems.append(f"{key}: own record → server error {response.status_code} {url}")
            elif worked(response) or response.status_code == 405:
                reached.append(key)
    if subject is not None and not reached:
        # Nobody of the commune may use it (an administrators' action, or a kept record): the
        # superuser's request must still answer without an error.
        own = _any_record(subject)
        if own is not None and (kwargs := kwargs_for(name, params, own)) is not None:
            response = _request(_client(world.superuser), reverse(name, kwargs=kwargs))
            if response.status_code >= 500:
                problems.append(f"superuser: server error {response.status_code}")
    assert not problems, "\n".join(problems)


def _request(client, url, method="get"):
    response = getattr(client, method)(url, **({} if method == "get" else {"data": {}}))
    TALLY["requests"] += 1
    TALLY["server_errors"] += response.status_code >= 500
    return response


def _request_refusable(client, url):
    """A request that must be refused: GET, or POST for a view that only takes POST (changing nothing)."""
    response = _request(client, url)
    if response.status_code == 405:
        response = _request(client, url, "post")
    TALLY["must_refuse"] += 1
    TALLY["refused"] += refused(response)
    return response


def _any_record(subject):
    if subject in ("page", "feedback_page"):
        return (ControlledDocumentPage if subject == "page" else FeedbackPage).objects.first()
    if subject == "document":
        return get_document_model().objects.filter(pk__in=_document_ids_everywhere()).first()
    return subject._default_manager.first()


def _any_admin_object(name):
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Site, Task, Workflow

    namespace, _sep, view = name.rpartition(":")
    if name.startswith("wagtailadmin_pages:") or name in ("wagtailadmin_workflows:remove", "wagtailadmin_editing_sessions:ping"):
        return ControlledDocumentPage.objects.first()
    by_namespace = {
        "wagtailadmin_collections": lambda: Collection.objects.filter(depth__gt=1).first(),
        "wagtailadmin_workflows": lambda: (Task if "task" in view else Workflow).objects.first(),
        "wagtailredirects": lambda: Redirect.objects.first(),
        "wagtailimages": lambda: get_image_model().objects.first(),
        "wagtailimages_chooser": lambda: get_image_model().objects.first(),
        "wagtailadmin_api:images": lambda: get_image_model().objects.first(),
        "wagtailsites": lambda: Site.objects.first(),
        "wagtailusers_users": lambda: get_user_model().objects.filter(is_superuser=True).first(),
        "wagtailusers_groups": lambda: Group.objects.first(),
        "login_lockouts": lambda: AccessAttempt.objects.first(),
    }
    return by_namespace.get(namespace, lambda: None)()


#: URLs walked, requests made, requests that had to be refused and were, server errors (closing figures).
TALLY = {"urls": 0, "requests": 0, "must_refuse": 0, "refused": 0, "server_errors": 0}


@pytest.fixture(scope="module", autouse=True)
def _write_tally():
    """The module's figures in the temporary folder, one file per pytest-xdist worker (pytest-playwright
    empties test-results/ when the browser tests start): `cat /tmp/qms-authorisation-matrix-*.json`."""
    yield
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (Path(tempfile.gettempdir()) / f"qms-authorisation-matrix-{worker}.json").write_text(json.dumps(TALLY))


def _bulk_actions():
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    bulk_action_registry._scan_for_bulk_actions()
    for app_label, models in bulk_action_registry.actions.items():
        for model_name, actions in models.items():
            for action in actions:
                yield app_label, model_name, action


def _bulk_subject(app_label, model_name):
    if (app_label, model_name) == ("wagtailcore", "page"):
        return "page"
    if (app_label, model_name) == ("wagtaildocs", "document"):
        return "document"
    return "admin_only"


@pytest.mark.django_db
def test_bulk_actions_refuse_other_units_records(world):
    """Wagtail's bulk actions (ids in the query string) neither act on nor name another unit's records."""
    problems = []
    actions = list(_bulk_actions())
    assert actions, "Wagtail registered no bulk action: the walk is broken"
    for app_label, model_name, action in actions:
        subject = _bulk_subject(app_label, model_name)
        url = reverse("wagtail_bulk_action", args=(app_label, model_name, action))
        for key, user in world.users.items():
            client = _client(user)
            if subject == "admin_only":
                target = get_user_model().objects.filter(is_superuser=True).first() if model_name == "user" else None
            else:
                _own, target = records_for(subject, user)
            if target is None:
                continue
            for query in (f"?id={target.pk}", "?id=all"):
                response = client.get(url + query)
                title = str(target.title if hasattr(target, "title") else target)
                if response.status_code >= 500:
                    problems.append(f"{key}: {url}{query} → server error")
                elif not refused(response) and title in response.content.decode():
                    problems.append(f"{key}: {url}{query} names another unit's record {title!r}")
                post = client.post(url + query, {})
                if post.status_code >= 500 or not (refused(post) or post.status_code == 200):
                    problems.append(f"{key}: POST {url}{query} → {post.status_code}")
                if hasattr(target, "refresh_from_db"):
                    target.refresh_from_db()  # still there: a refused bulk delete deleted nothing
    assert not problems, "\n".join(problems)
