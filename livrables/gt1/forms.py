"""The form of a commune's GT1 list: one form per activity of the theme, in one formset."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from commun.forms import Formulaire

OUI_NON = [("", "non renseigné"), ("oui", "oui"), ("non", "non")]


class InventaireForm(Formulaire):
    # The field's name in the banner above a refused list (« Paie (RH-PAIE), réponse oui ou non : … ») when its label
    # is a question.
    NOMS_COURTS = {"exerce": "réponse oui ou non"}

    exerce = forms.ChoiceField(
        label="La commune exerce-t-elle cette activité ?", choices=OUI_NON, required=False, widget=forms.RadioSelect
    )
    etp = forms.DecimalField(
        label="ETP",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
        error_messages={
            "invalid": "Saisissez un nombre d'ETP (par exemple 2,5).",
            "min_value": "Le nombre d'ETP ne peut pas être négatif.",
            "max_digits": "Le nombre d'ETP est trop grand.",
            "max_decimal_places": "Deux décimales au plus pour les ETP.",
        },
    )
    sous_activites = forms.MultipleChoiceField(
        label="Sous-activités exercées", required=False, widget=forms.CheckboxSelectMultiple
    )
    autres_sous_activites = forms.CharField(
        label="Autres sous-activités",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Une par ligne, celles que le référentiel ne cite pas.",
    )
    specificites = forms.CharField(
        label="Spécificités", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, activite, etp_paie=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.activite = activite
        self.etp_paie = etp_paie
        if etp_paie is not None:
            self.fields["etp"].widget.attrs["aria-describedby"] = f"id_{self.add_prefix('etp')}_paie"
        libelles = [s.libelle for s in activite.sous_activites.all()]
        self.fields["sous_activites"].choices = [(l, l) for l in libelles]
        if not libelles:
            del self.fields["sous_activites"]
            self.fields["autres_sous_activites"].label = "Sous-activités exercées"
            self.fields["autres_sous_activites"].help_text = "Une par ligne."

    def nom_court(self, nom: str) -> str:
        """« ETP », « spécificités », « sous-activités exercées » (its label, as it is on this row)…"""
        label = self.NOMS_COURTS.get(nom) or str(self.fields[nom].label)
        return label if label[:2].isupper() else label[:1].lower() + label[1:]

    def clean(self):
        data = super().clean()
        if data.get("exerce") == "non" and data.get("etp"):
            self.add_error("etp", "La commune n'exerce pas cette activité : laissez l'ETP vide ou à 0.")
        return data

    def valeurs(self) -> dict:
        d = self.cleaned_data
        exerce = {"oui": True, "non": False}.get(d.get("exerce") or "")
        lignes = list(d.get("sous_activites") or []) + [
            l.strip() for l in (d.get("autres_sous_activites") or "").splitlines() if l.strip()
        ]
        return {
            "exerce": exerce,
            "etp": d.get("etp"),
            "sous_activites": "\n".join(lignes),
            "specificites": d.get("specificites") or "",
        }


class BaseInventaireFormSet(forms.BaseFormSet):
    def __init__(self, *args, activites, etp_paie, **kwargs):
        self.activites = activites
        self.etp_paie_par_activite = etp_paie
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        activite = self.activites[index] if index is not None and index < len(self.activites) else self.activites[-1]
        return {"activite": activite, "etp_paie": self.etp_paie_par_activite.get(activite.pk)}

    def erreurs_par_activite(self) -> list[dict]:
        """What the banner above a refused list says: every error of every activity's row, as {activite,
        champ (its short name), message, ancre (the id of the field's first input, which the banner links
        to)}, in the order of the page."""
        erreurs = []
        for form in self.forms:
            for nom, messages in form.errors.items():
                if nom == NON_FIELD_ERRORS:
                    champ, ancre = "", f"activite-{form.activite.code}"
                else:
                    bf = form[nom]
                    # A list of radio buttons or boxes has no id of its own: its first choice's.
                    champ, ancre = form.nom_court(nom), bf.id_for_label or f"{bf.auto_id}_0"
                erreurs += [{"activite": form.activite, "champ": champ, "message": m, "ancre": ancre} for m in messages]
        return erreurs

    def clean(self):
        if self.total_form_count() != len(self.activites):
            raise forms.ValidationError(
                "Le formulaire ne correspond plus à la liste des activités : rechargez la page."
            )


InventaireFormSet = forms.formset_factory(InventaireForm, formset=BaseInventaireFormSet, extra=0)
