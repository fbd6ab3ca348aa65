from django import forms
from django.utils import timezone

from commun.forms import FichierField
from engine.themes import THEMES
from masse_salariale.actions import ANNEE_MAX, ANNEE_MIN


class ImportForm(forms.Form):
    fichier = FichierField(
        label="Fichier de masse salariale",
        help_text="CSV (séparateur ; , ou tabulation), XLSX ou ODS, une ligne par agent et affectation.",
    )
    annee = forms.IntegerField(
        label="Année de référence",
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="L'année de paie que décrit le fichier (en général celle du dernier compte administratif).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].initial = timezone.localdate().year - 1


class ConfirmationForm(forms.Form):
    remplacer = forms.BooleanField(
        label="Remplacer les lots courants de ces employeurs pour cette année (ils restent dans l'historique)",
        required=False,
    )


class FonctionnelsForm(forms.Form):
    """The themes a territory counts as functional services in its coefficient."""

    themes = forms.MultipleChoiceField(
        label="Thèmes comptés comme services fonctionnels",
        choices=[(t.code, t.label) for t in THEMES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "cochez au moins un thème"},
    )
