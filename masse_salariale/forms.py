from django import forms
from django.conf import settings
from django.utils import timezone

from masse_salariale.actions import ANNEE_MAX, ANNEE_MIN
from engine.themes import THEMES
from mutualis.formatage import nombre


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier de masse salariale",
        help_text="CSV (séparateur ; , ou tabulation), XLSX ou ODS, une ligne par agent et affectation.",
        error_messages={"required": "choisissez un fichier", "empty": "le fichier est vide",
                        "invalid": "aucun fichier reçu : vérifiez le formulaire"},
    )
    annee = forms.IntegerField(
        label="Année de référence", min_value=ANNEE_MIN, max_value=ANNEE_MAX,
        help_text="L'année de paie que décrit le fichier (en général celle du dernier compte administratif).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].initial = timezone.localdate().year - 1
        self.fields["fichier"].widget.attrs["accept"] = ".csv,.txt,.xlsx,.ods"

    def clean_fichier(self):
        f = self.cleaned_data["fichier"]
        limit = settings.UPLOAD_MAX_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                f"fichier : le fichier fait {nombre(f.size / 1_048_576, 1)} Mo, au-delà de la limite de "
                f"{nombre(limit / 1_048_576)} Mo"
            )
        return f


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
