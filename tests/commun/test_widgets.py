"""The project's copies of Django's widget templates (templates/django/forms/widgets/: a list of options
without one include per option) write what Django's own write, whitespace aside: the same tags, the same
attributes, escaped the same way."""

import re

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from commun.forms import Formulaire


class Essai(Formulaire):
    texte = forms.CharField(
        max_length=20, initial='a "b" <c> & d', widget=forms.TextInput(attrs={"title": '« l\'été » <b> & "c"'})
    )
    nombre = forms.IntegerField(required=False, widget=forms.NumberInput(attrs={"step": 1, "data-x": False}))
    choix = forms.ChoiceField(choices=[("", "—"), ("a", "A & <b>"), ("b", 'B "c"')], initial="a")
    groupes = forms.ChoiceField(choices=[("G1", [("1", "un"), ("2", "deux")]), ("3", "trois")], initial="2")
    cases = forms.MultipleChoiceField(
        choices=[("x", "X <i>"), ("y", "Y")], initial=["y"], widget=forms.CheckboxSelectMultiple
    )
    plusieurs = forms.MultipleChoiceField(choices=[("p", "P"), ("q", "Q")], initial=["p", "q"])
    radio = forms.ChoiceField(choices=[("r", "R"), ("s", "S")], widget=forms.RadioSelect, initial="s")
    case = forms.BooleanField(required=False, initial=True)


def _normalise(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).replace("> ", ">").strip()


def test_the_project_renders_widgets_with_its_own_templates():
    renderer = get_default_renderer()
    assert not isinstance(renderer, DjangoTemplates)
    origin = renderer.get_template("django/forms/widgets/select.html").origin.name
    assert origin.endswith("templates/django/forms/widgets/select.html") and "site-packages" not in origin


def test_each_widget_writes_what_django_writes():
    ours = Essai()
    django = Essai(renderer=DjangoTemplates())
    for name in Essai.base_fields:
        mine, reference = str(ours[name]), str(django[name])
        assert mine != "" and _normalise(mine) == _normalise(reference), name
    # with submitted values (a list's several choices, a stale value) and an error's attributes
    data = {"texte": "x" * 30, "choix": "b", "cases": ["x", "y"], "plusieurs": ["q"], "radio": "z"}
    ours, django = Essai(data), Essai(data, renderer=DjangoTemplates())
    assert not ours.is_valid() and not django.is_valid()
    for name in Essai.base_fields:
        assert _normalise(str(ours[name])) == _normalise(str(django[name])), name
