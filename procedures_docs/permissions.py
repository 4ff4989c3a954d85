"""
Page permissions of controlled documents on top of Wagtail's group page permissions (which the
per-unit library groups carry, see `services.library_access_ensure`):

- Publishing is the issue of a revision, so it happens only as the last step of an approved
  workflow, by the user who approved that step; nobody publishes a document directly, apart from
  a superuser repairing data.
- A document that was ever in force is never deleted, moved or unpublished, by anyone: it is
  withdrawn (made obsolete) instead. Superusers included. The database agrees (PROTECT).
- An obsolete document is frozen: no edits, no new forms under it.
"""

from __future__ import annotations

from wagtail.models import PagePermissionTester, WorkflowState


def workflow_states_of(page):
    """Every workflow state of a page (Page's two generic relations share a query name, so be explicit)."""
    return WorkflowState.objects.filter(base_content_type=page.get_base_content_type(), object_id=str(page.pk))


def ever_issued(page) -> bool:
    """True when the page or a page below it has been issued (was ever in force)."""
    from procedures_docs.models import IssuedRevision

    known = getattr(page, "qms_ever_issued", None)  # annotated by a listing (selectors.with_issue_facts)
    if known is not None:
        return known
    return IssuedRevision.objects.filter(document__path__startswith=page.path).exists()


def finishing_approval_by(page, user) -> bool:
    """
    True while the workflow that `user` just approved (its final step) publishes the page: the last
    workflow state is approved, its last approved step was finished by `user`, and the latest
    revision is not live yet. Wagtail checks `can_publish` at exactly that moment.
    """
    from wagtail.models import Page, TaskState

    state = workflow_states_of(page).order_by("-created_at", "-pk").first()
    if state is None or state.status != WorkflowState.STATUS_APPROVED:
        return False
    last_step = state.task_states.filter(status=TaskState.STATUS_APPROVED).order_by("-finished_at", "-pk").first()
    if last_step is None or last_step.finished_by_id != user.pk:
        return False
    live_id, latest_id = Page.objects.filter(pk=page.pk).values_list("live_revision_id", "latest_revision_id").get()
    return live_id != latest_id


class DocumentPermissionTester(PagePermissionTester):
    def can_publish(self):
        if not self.user.is_active or self.page.is_obsolete:
            return False
        return self.user.is_superuser or finishing_approval_by(self.page, self.user)

    def can_publish_subpage(self):
        return self.user.is_active and self.user.is_superuser and not self.page.is_obsolete

    def can_unpublish(self):
        return False  # withdraw instead: the document stays readable as obsolete

    def can_delete(self, ignore_bulk=False):
        if ever_issued(self.page):
            return False
        if (self.user.is_active and not self.user.is_superuser and self.page.is_leaf()
                and "change" in self.permissions and "publish" not in self.permissions):
            # Wagtail's answer for a drafter's leaf page ("nothing live among the pages deleted"), without
            # the query per explorer row that `get_descendants(inclusive=True).live().exists()` costs.
            return not self.page.live
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return False  # the owning unit is fixed; history stays with it

    def can_copy(self):
        return False  # a copy would carry this unit's code and owner

    def can_edit(self):
        return not self.page.is_obsolete and super().can_edit()

    def can_add_subpage(self):
        if self.page.is_form or self.page.is_obsolete:
            return False
        return super().can_add_subpage()

    def can_submit_for_moderation(self):
        return not self.page.is_obsolete and super().can_submit_for_moderation()


class LibraryPermissionTester(PagePermissionTester):
    def can_delete(self, ignore_bulk=False):
        if ever_issued(self.page):
            return False
        return super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return False
