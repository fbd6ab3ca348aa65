"""The submission of a deliverable to its co-pilots: a GT1 list that some member communes have not answered
is submitted only once the submitter has seen their names and ticked a box (no JavaScript needed)."""

from django import forms

from commun.forms import Formulaire


class SoumissionForm(Formulaire):
    malgre_manquantes = forms.BooleanField(label="Soumettre malgré les communes manquantes", required=False)

    def __init__(self, *args, manquantes=(), **kwargs):
        """`manquantes`: the member communes that have not answered (none for a GT2 or GT3 deliverable)."""
        super().__init__(*args, **kwargs)
        self.manquantes = list(manquantes)

    def clean(self):
        d = super().clean()
        if self.manquantes and not d.get("malgre_manquantes"):
            n = len(self.manquantes)
            self.add_error(
                "malgre_manquantes",
                f"Livrable non soumis : {n} commune{'s' if n > 1 else ''} "
                f"n'{'ont' if n > 1 else 'a'} pas répondu. Cochez « {self.fields['malgre_manquantes'].label} » "
                "pour le soumettre quand même.",
            )
        return d
