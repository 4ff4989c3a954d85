"""
A date typed as yyyy-mm-dd or dd/mm/yyyy is read as that date; anything else gets a message, never
today. The admin's picker no longer swaps unreadable text for today (validateOnBlur off), in the model
forms Wagtail builds and in the project's own forms.
"""

import datetime
import json
import re

import pytest
from django.forms.models import modelform_factory
from wagtail.admin.forms import WagtailAdminModelForm

from audits.forms import date_field
from procedures_docs.forms import WithdrawForm
from qms.core.models import Unit

pytestmark = pytest.mark.django_db

BAD_DATE = "Nhập ngày dạng dd/mm/yyyy (ví dụ 15/10/2026) hoặc yyyy-mm-dd."
OCTOBER_15 = datetime.date(2026, 10, 15)


def picker_config(html: str) -> dict:
    return json.loads(re.search(r'initDateChooser\("[^"]+", (\{.*?\})\)', html).group(1))


@pytest.mark.parametrize("typed", ["2026-10-15", "15/10/2026"])
def test_both_ways_of_writing_a_date_are_read(typed):
    UnitForm = modelform_factory(Unit, form=WagtailAdminModelForm, fields=["valid_from"])
    form = UnitForm({"valid_from": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["valid_from"] == OCTOBER_15
    assert WithdrawForm({"withdrawn_on": typed, "reason": "Thay thế"}).is_valid()
    assert date_field("Ngày").clean(typed) == OCTOBER_15


@pytest.mark.parametrize("typed", ["15.10.2026", "10/15/2026", "hôm qua", "2026-13-01"])
def test_anything_else_is_refused_with_a_message_never_today(typed):
    UnitForm = modelform_factory(Unit, form=WagtailAdminModelForm, fields=["valid_from"])
    form = UnitForm({"valid_from": typed})
    assert not form.is_valid() and form.errors["valid_from"] == [BAD_DATE]
    withdraw = WithdrawForm({"withdrawn_on": typed, "reason": "Thay thế"})
    assert not withdraw.is_valid() and withdraw.errors["withdrawn_on"] == [BAD_DATE]


def test_the_picker_leaves_typed_text_to_the_server():
    UnitForm = modelform_factory(Unit, form=WagtailAdminModelForm, fields=["valid_from"])
    for html in (str(UnitForm()["valid_from"]), str(WithdrawForm()["withdrawn_on"])):
        config = picker_config(html)
        assert config["validateOnBlur"] is False and config["format"] == "d/m/Y"
