"""Posting the Wagtail page editor as a user would: the form is read from the page the user was served."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

#: StreamFields are drawn by JavaScript, so the served HTML has no inputs for them: post them empty
#: (the test documents have no body) unless a test gives them.
STREAM_FIELDS = ("body", "records", "attachments")


def editor_data(client, url, form_id="page-edit-form", **changes):
    """The editor's form at `url` as the browser would post it, with `changes` applied (None removes a key)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    data = querydict_from_html(response.content.decode(), form_id=form_id)
    for key, value in nested_form_data({name: streamfield([]) for name in STREAM_FIELDS}).items():
        data.setdefault(key, value)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=["procedures_docs", "controlleddocumentpage", parent.pk])
