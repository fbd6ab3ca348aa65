from django import forms

from commun.concurrence import AvecEmpreinte
from commun.forms import Formulaire, FormulaireModele
from documents import lettres
from documents.enums import StatutLettre
from documents.models import ModeleLettreMission


def _verifier(texte: str) -> str:
    problemes = lettres.erreurs(texte)
    if problemes:
        raise forms.ValidationError(problemes)
    return texte


class ModeleForm(AvecEmpreinte, FormulaireModele):
    class Meta:
        model = ModeleLettreMission
        fields = ["objet", "corps", "signataire_qualite", "signataire_nom"]
        widgets = {
            "corps": forms.Textarea(attrs={"rows": 30, "spellcheck": "true"}),
            "objet": forms.TextInput(attrs={"size": 80}),
        }
        labels = {"objet": "Objet de la lettre", "corps": "Texte de la lettre"}
        help_texts = {
            "objet": "Une ligne ; les champs entre accolades y sont permis.",
            "corps": "Les champs entre accolades sont remplacés à la génération (liste ci-dessous). Une ligne vide "
            "sépare deux paragraphes ; une ligne qui commence par « - » est un élément de liste, par "
            "« # » un intertitre ; {{ et }} écrivent une accolade.",
        }

    def clean_objet(self):
        return _verifier(self.cleaned_data["objet"])

    def clean_corps(self):
        return _verifier(self.cleaned_data["corps"])


class StatutForm(Formulaire):
    statut = forms.ChoiceField(label="nouveau statut", choices=StatutLettre.choices)
