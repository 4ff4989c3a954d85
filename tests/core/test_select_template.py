"""templates/django/forms/widgets/select.html writes each option in place (issue 11, the cost of a form with long
unit lists): its markup must stay exactly Django's, for plain, grouped, multiple and model choices."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from qms.core.models import Unit

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    plain = forms.ChoiceField(choices=[("1", "Một"), ("2", "Hai <b>")], initial="2", required=False)
    grouped = forms.MultipleChoiceField(choices=[("Nhóm", [("x", "X"), ("y", "Y")]), ("z", "Z")], initial=["y", "z"])
    yes_no = forms.NullBooleanField()
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("code"))
    disabled = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select(attrs={"disabled": True, "data-x": 1}))


@pytest.mark.usefixtures("units")
def test_the_project_select_writes_what_djangos_writes():
    assert get_default_renderer().__class__.__name__ == "TemplatesSetting"  # the project's template is used
    ours, django_s = Sample(), Sample(renderer=DjangoTemplates())
    for name in Sample.base_fields:
        assert str(ours[name]) == str(django_s[name]), name
    assert 'selected>Hai &lt;b&gt;</option>' in str(ours["plain"])
