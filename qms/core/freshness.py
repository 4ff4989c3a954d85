"""
What pages compute from many records, kept until a record changes (issue 11: the cost of a page).

A dashboard panel (readiness of every unit, the objectives, the documents to read, Wagtail's workflow
panels), the district overview's rows and the objectives' measurements read dozens of rows and cost tens of
milliseconds, yet are the same on every visit until somebody changes a record. So they are kept in the cache
under a key naming everything they depend on (the panel and the user, or the units and the period; the
language, the day) and the **records version**, a token that every change of any record replaces:

- `post_save`, `post_delete` and `m2m_changed` of every model (memberships, permissions and group changes
  included), except those no page shows (sessions, login attempts, a login's `last_login`, task results,
  Wagtail's editing sessions, the import worker's sign of life): the token is replaced at once, so the
  request that saved sees its change, and again when the transaction commits, so a page computed meanwhile
  from the old rows by another request is not kept under the new token;
- the writes that send no signal call `records_changed` themselves, naming the models they wrote: the dossier
  import (`importer.data_version_bump`), an import batch's state change (`dossiers.services`), a document's
  review demands met by a new issue; a restore names none (everything).

Each app and each model has a token of its own too, replaced with the records version by a save of that model:
a dashboard panel names what it reads (`reads`) and is kept until one of those changes (`keep_panels`), and so
is each part of the units' readiness (`kept_parts`). A change naming no model (`records_changed()`) replaces
the **epoch**, under which all of them are kept.

The token lives in the cache that every process shares (Redis or the database cache; development uses the
database cache too), so a change made by the task worker reaches the web processes. With the database cache
on PostgreSQL, the token's row is written by every transaction that saves a record, so such transactions
take turns on it until they commit; Redis has no such turn. `PANEL_SECONDS` bounds what a missed change can
cost, and panels showing "5 minutes ago" are kept one minute only (`RELATIVE_TIME_SECONDS`).

The everyday listing screens (`QMS_KEPT_PAGES`: the dashboard, the document explorer, the nonconformities,
Biểu 06, the district overview) are kept whole the same way by `KeptPageMiddleware`, for one minute: a
second look at an unchanged list costs a cache read instead of rendering Wagtail's table again.

What nearly every page reads before its own work (the unit tree, the signed-in user's units, roles,
permissions and sidebar) changes far less often than the records, so it is kept under a second token, the
**structure version**, that only a change of units, sites, users, groups, memberships or permissions replaces
(`shared_fact`, `user_fact`). A request reads both tokens, these facts and its kept page in one cache read.
"""

from __future__ import annotations

import hashlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from qms.core.models.units import per_request, per_request_forget, per_request_peek

VERSION_KEY = "qms-records-version"
#: One token per app and one per model (`qms-records-of:audits`, `qms-records-of:audits.nonconformity`), replaced
#: by every change of its records: a panel is kept under the tokens of what it reads (`keep_panels`).
READ_VERSION_PREFIX = "qms-records-of:"
#: Replaced by a change that names no app (a restore, a benchmark's "anything changed"): every panel computed again.
EPOCH_KEY = "qms-records-epoch"
STRUCTURE_KEY = "qms-structure-version"
FACTS_KEY = "qms-shared-facts"
PANEL_SECONDS = 3600
RELATIVE_TIME_SECONDS = 60

#: Rows no page shows: a login, a session, a finished task, Wagtail's editing session (saved every few seconds
#: while a page is edited), the import worker's sign of life (every few seconds), or what `migrate` writes
#: before the cache's table exists.
IGNORED_APPS = frozenset({"sessions", "axes", "django_tasks_database", "wagtailadmin", "migrations", "contenttypes"})
IGNORED_MODELS = frozenset({"auth.permission", "dossiers.importworker"})


def records_version() -> str:
    """The current token, read once per request."""
    return _first_read().version


@dataclass
class _FirstRead:
    """What a request reads from the cache before anything else, in one read (`read_first`)."""

    version: str  # the records version
    structure: str  # the structure version
    facts: dict  # the shared facts kept under this structure version
    user_pk: int | None  # the signed-in user, whose own facts follow
    user_facts: dict
    found: dict  # the other entries asked for (a kept page)


def read_first(user_pk: int | None = None, keys=()) -> _FirstRead:
    """
    The request's first cache read: both versions, the shared facts, the signed-in user's facts and `keys`
    (`KeptPageMiddleware` asks it for the kept page too, so that a page seen again costs one cache read).
    """
    user_key = f"{USER_FACTS_PREFIX}{user_pk}" if user_pk is not None else None
    found = cache.get_many([VERSION_KEY, STRUCTURE_KEY, FACTS_KEY, *([user_key] if user_key else []), *keys])
    version, structure = (found.pop(key, None) or _first_version(key) for key in (VERSION_KEY, STRUCTURE_KEY))
    facts = _kept_under(found.pop(FACTS_KEY, None), structure)
    user_facts = _kept_under(found.pop(user_key, None), structure)
    read = _FirstRead(version, structure, facts, user_pk, user_facts, found)
    per_request_forget(VERSION_KEY)  # what an earlier read of this request held, without the user's facts
    per_request(VERSION_KEY, lambda: read)
    return read


def _kept_under(entry: tuple[str, dict] | None, structure: str) -> dict:
    """The facts of a kept (structure version, facts) entry, if kept under the current structure version."""
    if entry is None or entry[0] != structure:
        return {}
    return entry[1]


def _first_read() -> _FirstRead:
    return per_request(VERSION_KEY, read_first)


def _first_version(key: str) -> str:
    version = uuid.uuid4().hex
    cache.add(key, version, None)
    return cache.get(key, version)


def _new_version(key: str) -> None:
    if cache.set_many({key: uuid.uuid4().hex}, None):  # not written: the old token must not survive
        cache.delete(key)
    per_request_forget(VERSION_KEY)


@dataclass(frozen=True)
class _RecordsBump:
    """Replace the records version and the versions of `names` (apps and models; the epoch, when none is named):
    one write. Equal bumps are one callback on commit, however many rows of the same models a transaction saved."""

    names: frozenset[str]

    def __call__(self) -> None:
        token = uuid.uuid4().hex
        keys = [VERSION_KEY, *(f"{READ_VERSION_PREFIX}{name}" for name in sorted(self.names))] if self.names else [
            VERSION_KEY, EPOCH_KEY]
        if cache.set_many(dict.fromkeys(keys, token), None):  # not written: the old tokens must not survive
            cache.delete_many(keys)
        per_request_forget(VERSION_KEY)


def _new_structure_version() -> None:
    _new_version(STRUCTURE_KEY)
    per_request_forget(FACT_MEMO_KEY)  # the request's own next reads see its change
    per_request(STRUCTURE_CHANGED_KEY, lambda: True)


def read_names(*models) -> frozenset[str]:
    """
    What a reader names to be kept until a save of `models` (`reads`): each model's app and label, and its
    parents' (a document page is a Wagtail page too). A many-to-many table counts as its model's.
    """
    names = set()
    for model in models:
        meta = model._meta.concrete_model._meta
        if meta.auto_created:  # the table of a ManyToManyField
            meta = meta.auto_created._meta
        for each in (meta, *(parent._meta for parent in meta.get_parent_list())):
            names.update({each.app_label, each.label_lower})
    return frozenset(names)


def records_changed(*models) -> None:
    """
    Records of `models` changed (none named: anything may have): now, and once more when the transaction
    commits (see the module). The panels reading those models or their apps are computed again, kept pages all.
    """
    _announce(_RecordsBump(read_names(*models)))


def structure_changed() -> None:
    """What the shared facts are read from changed (`STRUCTURE_MODELS`): now, and once more on commit."""
    _announce(_new_structure_version)


def _announce(bump) -> None:
    bump()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(func == bump for _, func, _ in connection.run_on_commit):
        transaction.on_commit(bump)  # once per transaction: thousands of saves, one callback


#: What the shared facts are read from, besides the pages that own a unit's subtree (`owning_unit_field`):
#: the units, the sites, and who the users are and what they may do (the many-to-many tables included).
STRUCTURE_MODELS = frozenset({
    "core.unit", "core.unitsuccession", "core.membership", "wagtailcore.site", "wagtailcore.grouppagepermission",
    "auth.user", "auth.group", "auth.user_groups", "auth.user_user_permissions", "auth.group_permissions",
    "wagtailusers.userprofile",
})
USER_FACTS_PREFIX = "qms-user-facts:"
#: What a request computed afresh of the shared facts and of its user's: {name: (structure version, value)}.
NEW_FACTS_KEY = "qms-new-facts"
NEW_USER_FACTS_KEY = "qms-new-user-facts"
STRUCTURE_CHANGED_KEY = "qms-structure-changed"
FACT_MEMO_KEY = "qms-facts"


def shared_fact(name: str, compute):
    """
    `compute()` once per request (`per_request`), and shared by the requests that follow while the
    **structure version** is unchanged: the unit tree, the pages owning a unit's subtree and Wagtail's site
    root paths, which nearly every page reads (five queries, and the tree's building) and which change far
    less often than the records. Read in the request's first cache read (`read_first`); kept when the request
    ends (`KeptPageMiddleware`) if the structure version is still the one read before computing them, and not
    by a request that changed the structure itself (its transaction may yet roll back).
    """
    return _memo(("shared", name), lambda: _fact(name, compute, NEW_FACTS_KEY, _first_read().facts))


def user_fact(user, name: str, compute):
    """
    `shared_fact` for what concerns the signed-in user only: their units, roles, Django permissions and
    sidebar, kept per user under the structure version (a change of their groups, permissions, memberships or
    units replaces it). For another user than the request's, `compute()` once per request.
    """
    if not getattr(user, "is_authenticated", False):
        return compute()
    read = _first_read()
    if read.user_pk != user.pk:
        return _memo(("other user", user.pk, name), compute)
    return _memo(("user", name), lambda: _fact(name, compute, NEW_USER_FACTS_KEY, read.user_facts))


def forget_fact(name: str) -> None:
    """The shared fact `name` is computed again when next asked for in this request."""
    per_request(FACT_MEMO_KEY, dict).pop(("shared", name), None)


def _memo(key, compute):
    """Once per request; a change of the structure during the request forgets them all."""
    memo = per_request(FACT_MEMO_KEY, dict)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _fact(name: str, compute, new_key: str, kept: dict):
    if name in kept:
        return kept[name]
    structure = _first_read().structure  # read before computing: a change meanwhile makes it stale
    value = compute()
    per_request(new_key, dict)[name] = (structure, value)
    return value


def _facts_to_keep() -> dict:
    """The facts this request computed and may share: {cache key: (structure version, all facts under it)}."""
    read = per_request_peek(VERSION_KEY)  # forgotten when the request changed a record
    if read is None or per_request_peek(STRUCTURE_CHANGED_KEY):  # its transaction may yet roll back
        return {}
    kinds = [(NEW_FACTS_KEY, FACTS_KEY, read.facts)]
    if read.user_pk:
        kinds.append((NEW_USER_FACTS_KEY, f"{USER_FACTS_PREFIX}{read.user_pk}", read.user_facts))
    entries = {}
    for new_key, key, kept in kinds:
        fresh = {name: value for name, (under, value) in per_request_peek(new_key, {}).items() if under == read.structure}
        if fresh:
            entries[key] = (read.structure, {**kept, **fresh})
    return entries


def record_saved(sender, **kwargs) -> None:
    """Receiver of post_save, post_delete and m2m_changed (CoreConfig.ready)."""
    meta = sender._meta
    if kwargs.get("raw") or meta.app_label in IGNORED_APPS or meta.label_lower in IGNORED_MODELS:
        return
    if kwargs.get("update_fields") == frozenset({"last_login"}):  # a login: no panel shows it
        return
    if sender.__module__ == "__fake__":  # a migration's historical model: migrate runs before the cache exists
        return
    if kwargs.get("action", "post_").startswith("pre_"):  # m2m_changed: only after the change
        return
    records_changed(sender)
    if meta.label_lower in STRUCTURE_MODELS or sender.__dict__.get("owning_unit_field"):
        structure_changed()


def kept(name: str, parts, compute, seconds: int = PANEL_SECONDS):
    """`compute()`, kept in the cache under `name`, `parts` (what else it depends on: the units, the period), the
    day, the language and the records version: the district overview's rows, which cost 100 ms to gather, the
    objectives' measurements."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"qms-kept:{name}:{digest}:{timezone.localdate().isoformat()}:{get_language()}:{records_version()}"
    value = _kept_now(key)
    if value is None:
        value = compute()
        _keep(key, value, seconds)
    return value


#: What a request has computed to keep, written to the cache together when it ends (`KeptPageMiddleware`):
#: {seconds: {key: value}}. None outside a request: written at once.
_to_keep: ContextVar[dict | None] = ContextVar("qms_to_keep", default=None)


def _keep(key: str, value, seconds: int) -> None:
    pending = _to_keep.get()
    if pending is None:
        cache.set(key, value, seconds)
    else:
        pending.setdefault(seconds, {})[key] = value


def _kept_now(key: str):
    """The value kept under `key`: computed earlier in this request, or in the cache."""
    return _kept_many([key]).get(key)


def _kept_many(keys) -> dict:
    """The values kept under `keys`: those computed earlier in this request, the others from the cache."""
    pending = {key: value for entries in (_to_keep.get() or {}).values() for key, value in entries.items()}
    found = {key: pending[key] for key in keys if key in pending}
    missing = [key for key in keys if key not in found]
    return found | (cache.get_many(missing) if missing else {})


def create_cache_table(**kwargs) -> None:
    """After `migrate`: the database cache's table (production's and development's cache; a no-op for others),
    so a migrated database is ready to serve without a further command; and new versions of everything, as an
    upgrade may bring menu items and permissions that the kept sidebars lack, and its data migrations write
    records without the signals (`record_saved` leaves their historical models alone)."""
    call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
    _new_structure_version()
    _RecordsBump(frozenset())()  # the records version and the epoch


def keep_panels(request, panels) -> None:
    """
    Serve each dashboard panel's HTML (or each item of Wagtail's site summary) from the cache while what it reads
    is unchanged, rendering only those not kept yet. A panel naming what it reads (`reads`: apps such as
    "procedures_docs", or models such as "audits.audit") is kept under their versions, the structure version and
    the epoch: a new finding computes the panels of findings again, not Wagtail's page counts
    (tests/core/test_panel_reads.py holds each panel to what it declares). One naming nothing is kept under the
    records version: any change computes it again. One cache read for all of them and their versions.
    """
    user = request.user
    today = timezone.localdate().isoformat()
    names = {panel: getattr(panel, "name", type(panel).__qualname__) for panel in panels}
    keys = {panel: f"qms-panel:{name}:{user.pk}:{get_language()}:{today}" for panel, name in names.items()}
    reads = {panel: getattr(panel, "reads", None) for panel in panels}
    found, versions_of = _read_with_versions(keys.values(), [declared for declared in reads.values() if declared is not None])
    for panel, key in keys.items():
        versions = (records_version(),) if reads[panel] is None else versions_of(reads[panel])
        seconds = RELATIVE_TIME_SECONDS if names[panel] in RELATIVE_TIME_PANELS else PANEL_SECONDS
        entry = found.get(key)
        html = entry[1] if entry is not None and entry[0] == versions else None
        panel.render_html = _kept_render(panel.render_html, key, versions, html, seconds)
        if html is not None and hasattr(panel, "is_shown"):
            panel.is_shown = lambda: True  # a summary item is kept only once shown: spare its permission queries


def _read_with_versions(keys, reads):
    """
    The entries kept under `keys` and, in the same cache read, the versions of what `reads` names (a list of lists
    of apps and models): (entries found, a function giving the versions an entry reading some of them is kept
    under: the structure version, the epoch and theirs). Read before anything is computed, so that what is
    computed from rows older than a change committed meanwhile is kept under the versions that change replaced.
    """
    version_keys = [EPOCH_KEY, *sorted({f"{READ_VERSION_PREFIX}{name}" for names in reads for name in names})]
    found = _kept_many([*keys, *version_keys])
    current = {key: found.get(key) or _first_version(key) for key in version_keys}
    structure = _first_read().structure

    def versions_of(names) -> tuple:
        return (structure, current[EPOCH_KEY], *(current[f"{READ_VERSION_PREFIX}{name}"] for name in sorted(names)))

    return found, versions_of


def kept_parts(name: str, parts, computes: dict, seconds: int = PANEL_SECONDS) -> dict:
    """
    {part: value} of `computes` ({part: (what it reads, compute)}), each kept under `name`, `parts` (what else
    they depend on: the units, the day), the language (a value may hold a label it translated) and the versions
    of what it reads, all read in one cache read: only the parts whose records changed since are computed again
    (a new finding: the readiness's findings, not its documents, audits and objectives).
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    keys = {part: f"qms-part:{name}:{part}:{digest}:{get_language()}" for part in computes}
    found, versions_of = _read_with_versions(keys.values(), [reads for reads, _compute in computes.values()])
    values = {}
    for part, (reads, compute) in computes.items():
        versions, entry = versions_of(reads), found.get(keys[part])
        if entry is not None and entry[0] == versions:
            values[part] = entry[1]
        else:
            values[part] = compute()
            _keep(keys[part], (versions, values[part]), seconds)
    return values


#: Wagtail's panels that say how long ago something happened.
RELATIVE_TIME_PANELS = frozenset(
    {"recent_edits", "locked_pages", "workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
)


def _kept_render(render_html, key: str, versions: tuple, html: str | None, seconds: int):
    def render(parent_context=None):
        if html is not None:
            return mark_safe(html)  # noqa: S308 - the panel's own output, kept as it rendered it
        rendered = render_html(parent_context)
        _keep(key, (versions, str(rendered)), seconds)
        return rendered

    return render


#: What a request carries that its page may depend on besides the user, the path and the records: the session
#: and CSRF cookies (the page's forms carry a token made from the latter), Wagtail's sidebar cookie, the
#: language asked for, the host in absolute links, and what Wagtail's scripts ask for (a fragment).
PAGE_HEADERS = ("HTTP_COOKIE", "HTTP_ACCEPT_LANGUAGE", "HTTP_HOST", "HTTP_ACCEPT", "HTTP_X_REQUESTED_WITH")
#: The response headers kept with a page (the outer middleware adds its own again).
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Expires", "Vary", "Content-Language")


class KeptPageMiddleware:
    """
    A screen of `QMS_KEPT_PAGES` asked for again by the same signed-in browser, with the records unchanged,
    within `RELATIVE_TIME_SECONDS`: the page it was shown, from the cache, without running the view.

    The key names all the view reads besides the records (user, path and query, the request headers above,
    the language, the local day), and the page is kept with the records version it was computed under and
    served only under that version, so a kept page is the page the view would render. The key is read with
    the versions (`read_first`): a page seen again costs that one cache read besides the session and user.
    The user's permissions and units are records too: a change of them changes the version. Not kept: a page
    with a message to show, one whose view set a cookie or wrote the session, one asked for without the CSRF
    cookie its forms' token comes from, anything but a 200 HTML page.
    Last in MIDDLEWARE but axes': every other middleware runs as for any page.

    For every request, what its panels and `kept()` computed is written to the cache together at the end, in
    one write of the database cache instead of one each (`qms.core.cache.DatabaseCache.set_many`).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.view_names = frozenset(settings.QMS_KEPT_PAGES)

    def __call__(self, request):
        key = self.key(request)
        if request.user.is_authenticated:  # one cache read for the versions, the facts and the kept page
            read = read_first(request.user.pk, [key] if key else [])
            kept = read.found.get(key)
            if kept is not None and kept[0] == read.version:
                _version, status, headers, content = kept
                return HttpResponse(content, status=status, headers=headers)
        to_keep = {}
        token = _to_keep.set(to_keep)
        try:
            response = self.get_response(request)
        finally:
            _to_keep.reset(token)
        if key is not None and self.keepable(request, response):
            headers = {name: response[name] for name in KEPT_HEADERS if name in response}
            page = (read.version, response.status_code, headers, response.content)
            to_keep.setdefault(RELATIVE_TIME_SECONDS, {})[key] = page
        to_keep.setdefault(PANEL_SECONDS, {}).update(_facts_to_keep())
        for seconds, entries in to_keep.items():  # one write for the page, its panels and facts (qms.core.cache)
            if entries:
                cache.set_many(entries, seconds)
        return response

    def key(self, request) -> str | None:
        """The kept page's key: the records version it was computed under is kept with it."""
        if request.method != "GET":
            return None
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return None
        if view_name not in self.view_names or not request.user.is_authenticated:
            return None
        if len(get_messages(request)):  # a message is shown once
            return None
        parts = [request.get_full_path(), request.user.pk, get_language(), timezone.localdate().isoformat()]
        parts += [request.META.get(name, "") for name in PAGE_HEADERS]
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
        return f"qms-page:{view_name}:{digest}"

    @staticmethod
    def keepable(request, response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and not request.session.modified
            # Its forms carry a token of the CSRF cookie the browser sent (a new cookie is not on a kept page).
            and request.META.get("CSRF_COOKIE") == request.COOKIES.get(settings.CSRF_COOKIE_NAME)
            and not get_messages(request)._queued_messages  # a message added for the next page
        )
