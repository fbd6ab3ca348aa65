"""Forms of the GT2 AFOR grid pages. They validate and hand plain values to livrables/gt2/actions.py:
no form writes to the database."""

from django import forms

from commun.concurrence import AvecEmpreinte
from commun.forms import Formulaire
from livrables.enums import Quadrant
from livrables.gt2.actions import LONGUEUR_MAX

AUTRE = "autre"


class ElementForm(Formulaire):
    """Add an item to one quadrant (one form per quadrant on the grid page)."""

    quadrant = forms.ChoiceField(choices=Quadrant.choices, widget=forms.HiddenInput)
    texte = forms.CharField(
        label="Nouvel élément",
        max_length=LONGUEUR_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        error_messages={"required": "Écrivez le texte de l'élément."},
    )

    def __init__(self, *args, quadrant=None, **kwargs):
        if quadrant is not None:
            kwargs.setdefault("initial", {"quadrant": quadrant})
            kwargs.setdefault("auto_id", f"id_{quadrant}_%s")
        super().__init__(*args, **kwargs)


class ReformulationForm(AvecEmpreinte):
    texte = forms.CharField(
        label="Nouveau texte",
        max_length=LONGUEUR_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "Écrivez le nouveau texte de l'élément."},
    )


class FusionForm(Formulaire):
    """Merge the chosen items (at least two, same quadrant): keep the text of one, or write a new one."""

    elements = forms.MultipleChoiceField(label="Éléments à fusionner", widget=forms.MultipleHiddenInput)
    choix = forms.ChoiceField(
        label="Texte de l'élément fusionné",
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le texte à conserver."},
    )
    texte = forms.CharField(
        label="Texte modifié",
        max_length=LONGUEUR_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Seulement si vous choisissez « texte modifié ».",
    )

    def __init__(self, *args, candidats=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidats = {str(e.pk): e for e in candidats}
        self.fields["elements"].choices = [(pk, pk) for pk in self.candidats]
        self.fields["choix"].choices = [(pk, f"Conserver « {e.texte} »") for pk, e in self.candidats.items()] + [
            (AUTRE, "Texte modifié (ci-dessous)")
        ]

    def clean(self):
        data = super().clean()
        choisis = data.get("elements") or []
        if "elements" not in self.errors and len(set(choisis)) < 2:
            self.add_error("elements", "Choisissez au moins deux éléments à fusionner.")
        if data.get("choix") == AUTRE and not data.get("texte"):
            self.add_error("texte", "Écrivez le texte de l'élément fusionné.")
        return data

    def valeurs(self) -> dict:
        d = self.cleaned_data
        elements = [self.candidats[pk] for pk in d["elements"]]
        if d["choix"] == AUTRE:
            return {"elements": elements, "garder": None, "texte": d["texte"]}
        return {"elements": elements, "garder": self.candidats[d["choix"]], "texte": None}
