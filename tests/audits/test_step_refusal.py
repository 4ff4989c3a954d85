"""
A refused audit step is said where the user is: at the top of the page (the message area, where the long
page opens after the post) and on the refused form, which the browser focuses (autofocus) and so scrolls to.
"""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_report_refusal_is_at_the_top_and_focused(client_for, people, world, today):
    client = client_for(people.auditor_boha)  # the lead auditor; the checklist is not answered yet
    response = client.post(reverse("audits:report", args=[world.audit.pk]),
                           {"on": today.strftime("%d/%m/%Y"), "conclusion": "Hệ thống phù hợp"})
    assert response.status_code == 200
    html = response.content.decode()
    world.audit.refresh_from_db()
    assert world.audit.status == "in_progress"
    messages = re.search(r'<div class="messages"[^>]*>(.*?)</div>', html, re.S)
    assert messages and "Chưa thực hiện:" in messages.group(1)  # at the top, where the page opens
    form = re.search(r'<form[^>]*data-testid="report-form"[^>]*>', html).group(0)
    assert 'autofocus' in form and 'tabindex="-1"' in form
    assert html.index("Chưa thực hiện:") < html.index('data-testid="report-form"')
    # The other step forms are not focused.
    assert not re.search(r'<form[^>]*data-testid="(start|close|finding)-form"[^>]*autofocus', html)


def test_an_accepted_page_focuses_nothing(client_for, people, world):
    html = client_for(people.auditor_boha).get(reverse("audits:page", args=[world.audit.pk])).content.decode()
    assert "autofocus" not in re.search(r'<form[^>]*data-testid="report-form"[^>]*>', html).group(0)
