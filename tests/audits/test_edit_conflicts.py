"""Two people editing the same record: the second save is refused with what changed, nothing is lost."""

import pytest
from django.urls import reverse

from qms.core.roles import Role

pytestmark = pytest.mark.django_db


def opened_form(client, url):
    """The edit form's fields as the browser would post them back, version token included."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        elif hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        data[name] = "" if value is None else value
    return data


def test_second_save_of_a_nonconformity_is_refused_with_what_changed(client_for, people, units, world, make_user):
    other_officer = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], username="qo2")
    url = reverse("nonconformities:edit", args=[world.nc.pk])
    first = opened_form(client_for(people.qo), url)
    from django.test import Client

    second_client = Client()
    second_client.force_login(other_officer)
    second = opened_form(second_client, url)

    response = client_for(people.qo).post(url, {**first, "description": "Mô tả của người thứ nhất"})
    assert response.status_code == 302
    response = second_client.post(url, {**second, "description": "Mô tả của người thứ hai"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Người khác vừa lưu bản ghi này" in page and "mô tả" in page.lower()
    assert "Mô tả của người thứ hai" in page  # what they typed is still on the form
    world.nc.refresh_from_db()
    assert world.nc.description == "Mô tả của người thứ nhất"
    # Saving again, now knowing the other change, goes through.
    again = response.context["form"].data.copy()
    assert second_client.post(url, again).status_code == 302
    world.nc.refresh_from_db()
    assert world.nc.description == "Mô tả của người thứ hai"
