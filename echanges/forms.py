from django import forms

from commun.forms import Formulaire
from echanges.enums import Frequence
from echanges.models import TEXTE_MAX


class CommentaireForm(Formulaire):
    texte = forms.CharField(
        label="Votre commentaire",
        max_length=TEXTE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mentionnez quelqu'un avec @identifiant ou @prénom.nom : il ou elle sera prévenu(e).",
        error_messages={
            "required": "Écrivez un commentaire.",
            "max_length": f"Un commentaire a au plus {TEXTE_MAX} caractères.",
        },
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    groupe = forms.IntegerField(required=False, widget=forms.HiddenInput)
    suivant = forms.CharField(required=False, widget=forms.HiddenInput)


class PreferenceForm(Formulaire):
    frequence = forms.ChoiceField(label="Recevoir par courriel", choices=Frequence.choices, widget=forms.RadioSelect)
