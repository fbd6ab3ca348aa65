"""The rule of free text (commun/forms.py): every form of the project bounds every text field, refuses control
characters in a single-line one, and says the bound of a text area."""

import datetime as dt
import inspect
import os

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from commun.formatage import nombre
from commun.forms import LIGNE_MAX, TEXTE_MAX, Borne, une_ligne


def _formulaires_du_projet():
    def sous_classes(c):
        for s in c.__subclasses__():
            yield s
            yield from sous_classes(s)

    racine = str(settings.BASE_DIR)
    for cls in set(sous_classes(forms.BaseForm)):
        fichier = inspect.getsourcefile(cls) or ""
        if fichier.startswith(racine) and ".venv" not in fichier and f"{os.sep}tests{os.sep}" not in fichier:
            yield cls


def _importer_tous_les_formulaires():
    from django.apps import apps

    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)) or ".venv" in app.path:
            continue
        for dossier, _, fichiers in os.walk(app.path):
            for f in fichiers:
                if f.startswith("forms") and f.endswith(".py"):
                    module = os.path.relpath(os.path.join(dossier, f), settings.BASE_DIR)[:-3].replace(os.sep, ".")
                    __import__(module)


def _verifier(form):
    for nom, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, (forms.HiddenInput, forms.PasswordInput)):
            continue
        ou = f"{type(form).__name__}.{nom}"
        assert field.max_length is not None, ou
        assert str(field.max_length) == str(field.widget.attrs.get("maxlength")), ou
        if isinstance(field.widget, forms.Textarea):
            assert "caractères au plus" in str(field.help_text), ou
        else:
            assert une_ligne in field.validators, ou


def test_every_form_of_the_project_applies_the_rule():
    _importer_tous_les_formulaires()
    classes = list(_formulaires_du_projet())
    assert len(classes) > 50
    assert [c.__name__ for c in classes if not issubclass(c, Borne)] == []
    verifies = 0
    for cls in classes:
        if cls.__module__ == "commun.forms":
            continue  # the bases themselves
        try:
            form = cls()
        except (TypeError, AttributeError):
            continue  # needs its page's context (a territory, a group…): covered by the cases below
        _verifier(form)
        verifies += 1
    assert verifies > 25


def test_fields_added_by_a_form_s_own_init_are_bounded_too():
    from publication.forms import GabaritForm
    from seances.forms import TramesForm

    trames = TramesForm(trames=None)
    _verifier(trames)
    assert trames.fields["GT1"].max_length == TEXTE_MAX
    gabarit = GabaritForm()
    _verifier(gabarit)
    assert gabarit.fields["intro_synthese"].max_length == 5000  # its own, narrower bound kept
    assert gabarit.fields["intro_synthese"].help_text.endswith(f"{nombre(5000)} caractères au plus.")


def test_a_control_character_or_an_overlong_text_is_refused_in_french():
    from seances.forms import CompteRenduForm, SeanceForm

    form = SeanceForm(data={"titre": "Séance\r\nBcc: tous@exemple.fr"})
    form.is_valid()
    assert "ce champ tient sur une ligne" in str(form.errors["titre"])
    form = SeanceForm(data={"lieu": "x" * (LIGNE_MAX + 1)})
    form.is_valid()
    assert "au plus 300 caractères" in str(form.errors["lieu"])
    form = CompteRenduForm(data={"texte": "x" * (TEXTE_MAX + 1), "decisions": ""})
    assert not form.is_valid() and "au plus 100000 caractères" in str(form.errors["texte"])
    texte = "Ligne 1\nLigne 2\tavec tabulation"
    form = CompteRenduForm(data={"texte": texte + "x" * (TEXTE_MAX - len(texte)), "decisions": ""})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_minutes_page_says_its_bound_and_keeps_it(cast, territoire, connecte):
    from seances.actions import do_planifier_seance
    from seances.models import CompteRendu

    debut = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    valeurs = {"etape": "GT1", "titre": "", "debut": debut, "fin": debut + dt.timedelta(hours=2)}
    groupe = territoire.schemas.get().groupes.get(theme="RH")
    seance = do_planifier_seance(groupe, cast["equipe_projet"], {**valeurs, "lieu": "Salle 2", "lien_visio": ""})
    url = reverse("seances:compte_rendu", kwargs={"code": territoire.code, "theme": "RH", "pk": seance.pk})
    client = connecte(cast["membre_rh"])
    page = client.get(url).content.decode()
    assert f"{nombre(TEXTE_MAX)} caractères au plus." in page and 'maxlength="100000"' in page
    reponse = client.post(url, {"texte": "x" * (TEXTE_MAX + 1), "decisions": ""})
    assert reponse.status_code == 400 and not CompteRendu.objects.exists()
    assert "au plus 100000 caractères" in reponse.content.decode()
