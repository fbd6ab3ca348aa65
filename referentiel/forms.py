import re

from django import forms
from django.forms.models import BaseInlineFormSet, inlineformset_factory

from commun.forms import FichierField, Formulaire, FormulaireModele
from referentiel import defaut
from referentiel.models import Activite, SousActivite
from referentiel.regles import (
    aligner_reserve,
    normaliser_code,
    normaliser_libelle,
    regle_code_activite,
    regle_code_sous_activite,
)

SOUS_ACTIVITES_VIDES = 3


def _phrase(regle: str) -> str:
    """A rule of referentiel.regles as a sentence under a field."""
    return regle[:1].upper() + regle[1:] + "."


class SousActiviteForm(FormulaireModele):
    class Meta:
        model = SousActivite
        fields = ["code", "libelle", "reserve_cdg"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An empty code is given the next number of the activity (FIN-BUDG-06) by the formset.
        self.fields["code"].required = False
        # The sub-activities are shown as table rows under column headers; each field still gets its own
        # accessible name (RGAA 11.1), numbered like the row.
        rang = self.prefix.rsplit("-", 1)[-1]
        numero = int(rang) + 1 if rang.isdigit() else rang
        self.fields["code"].widget.attrs.update({"aria-label": f"Code de la sous-activité {numero}", "size": 14})
        self.fields["libelle"].widget.attrs["aria-label"] = f"Libellé de la sous-activité {numero}"
        self.fields["reserve_cdg"].widget.attrs["aria-label"] = (
            f"Sous-activité {numero} réservée aux centres de gestion"
        )

    def clean_code(self):
        return normaliser_code(self.cleaned_data["code"] or "")

    def clean_libelle(self):
        return normaliser_libelle(self.cleaned_data["libelle"])

    def validate_unique(self):
        # Codes are checked by the formset and the activity form: the sub-activities are rewritten as a
        # whole, so a swap of two codes, refused row by row against the database, is legitimate.
        pass


class BaseSousActiviteFormSet(BaseInlineFormSet):
    """The sub-activities of one activity. `code_activite` (the activity's new code, set by
    ActiviteForm before validation) gives the prefix, renames codes that carried the old prefix, and
    numbers sub-activities left without a code."""

    code_activite: str | None = None
    ancien_code: str | None = None

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Supprimer"
            numero = index + 1 if index is not None else ""
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Supprimer la sous-activité {numero}"

    def gardees(self) -> list[forms.Form]:
        """The forms that describe a sub-activity to keep, in order."""
        return [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        # Not super().clean(): its uniqueness check compares rows with the database one by one, see
        # SousActiviteForm.validate_unique.
        if any(self.errors):
            return
        code, gardees = self.code_activite, self.gardees()
        if code and self.ancien_code and code != self.ancien_code:
            ancien = self.ancien_code + "-"
            for form in gardees:
                if form.cleaned_data["code"].startswith(ancien):
                    form.cleaned_data["code"] = f"{code}-{form.cleaned_data['code'][len(ancien) :]}"
        if code:
            numero = re.compile(re.escape(code) + r"-(\d+)")
            pris = [int(m.group(1)) for f in gardees if (m := numero.fullmatch(f.cleaned_data["code"]))]
            suivant = max(pris, default=0) + 1
            for form in gardees:
                if not form.cleaned_data["code"]:
                    form.cleaned_data["code"] = f"{code}-{suivant:02d}"
                    suivant += 1
        vus: dict[str, int] = {}
        for rang, form in enumerate(gardees, start=1):
            valeur = form.cleaned_data["code"]
            if not valeur and not code:
                continue  # the activity's code is wrong: it gets the message, the number comes after
            regle = regle_code_sous_activite(valeur, code)
            if regle:
                form.add_error("code", _phrase(regle))
            elif valeur in vus:
                form.add_error("code", f"Code en double : c'est déjà celui de la sous-activité {vus[valeur]}.")
            vus.setdefault(valeur, rang)

    def valeurs(self) -> tuple[defaut.SousActivite, ...]:
        return tuple(
            defaut.SousActivite(f.cleaned_data["code"], f.cleaned_data["libelle"], f.cleaned_data["reserve_cdg"])
            for f in self.gardees()
        )


SousActiviteFormSet = inlineformset_factory(
    Activite,
    SousActivite,
    form=SousActiviteForm,
    formset=BaseSousActiviteFormSet,
    fields=["code", "libelle", "reserve_cdg"],
    extra=SOUS_ACTIVITES_VIDES,
    can_delete=True,
)


class ActiviteForm(FormulaireModele):
    """An activity and, in `self.sous_activites`, its sub-activities (an inline formset validated with
    it): `is_valid()` checks both, `valeur()` gives the result as a plain value for the action."""

    class Meta:
        model = Activite
        fields = ["theme", "code", "libelle", "description", "reserve_cdg"]
        labels = {"libelle": "Libellé de l'activité"}
        help_texts = {
            "code": "Le code du thème, un tiret puis des lettres sans accent ou des chiffres (par exemple "
            "FIN-ACHATS). Les fichiers de masse salariale citent ce code : le changer rend inconnues les lignes "
            "qui citent l'ancien.",
            "reserve_cdg": "Mission que l'article 23 de la loi 84-53 réserve aux centres de gestion pour les "
            "collectivités affiliées : elle ne peut pas entrer dans un service commun. Cochée, "
            "toutes ses sous-activités le sont aussi ; une activité dont toutes les "
            "sous-activités sont réservées est réservée.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, territoire, **kwargs):
        super().__init__(*args, **kwargs)
        self.territoire = territoire
        self.instance.territoire = territoire
        data = args[0] if args else kwargs.get("data")
        self.sous_activites = SousActiviteFormSet(data, instance=self.instance, prefix="sous")
        self.sous_activites.ancien_code = self.instance.code if self.instance.pk else None

    def clean_code(self):
        return normaliser_code(self.cleaned_data["code"])

    def clean_libelle(self):
        return normaliser_libelle(self.cleaned_data["libelle"])

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def clean(self):
        cleaned = super().clean()
        code, theme = cleaned.get("code"), cleaned.get("theme")
        if code is None:
            return cleaned
        regle = regle_code_activite(code, theme)
        if regle:
            self.add_error("code", _phrase(regle))
            return cleaned
        autre = self.territoire.activites.filter(code=code).exclude(pk=self.instance.pk).first()
        if autre is not None:
            self.add_error(
                "code",
                f"Le code {code} est déjà celui de l'activité « {autre.libelle} » : "
                "un code n'est utilisé qu'une fois dans le référentiel.",
            )
        elif SousActivite.objects.filter(activite__territoire=self.territoire, code=code).exists():
            self.add_error("code", f"Le code {code} est déjà celui d'une sous-activité du référentiel.")
        return cleaned

    def is_valid(self):
        valide = super().is_valid()
        self.sous_activites.code_activite = self.cleaned_data.get("code") if "code" not in self.errors else None
        valide = self.sous_activites.is_valid() and valide
        return valide and self._codes_libres()

    def _codes_libres(self) -> bool:
        """Sub-activity codes are unique in the whole referential (docs/contrats §3: payroll files may quote them)."""
        gardees = self.sous_activites.gardees()
        codes = [f.cleaned_data["code"] for f in gardees]
        pris = set(
            SousActivite.objects.filter(activite__territoire=self.territoire, code__in=codes)
            .exclude(activite_id=self.instance.pk)
            .values_list("code", flat=True)
        )
        pris |= set(self.territoire.activites.filter(code__in=codes).values_list("code", flat=True))
        for form in gardees:
            if form.cleaned_data["code"] in pris:
                form.add_error(
                    "code", f"Le code {form.cleaned_data['code']} est déjà utilisé ailleurs dans le référentiel."
                )
        return not pris

    def valeur(self) -> defaut.Activite:
        c = self.cleaned_data
        return aligner_reserve(
            defaut.Activite(
                code=c["code"],
                theme=c["theme"],
                libelle=c["libelle"],
                description=c["description"],
                reserve_cdg=c["reserve_cdg"],
                sous_activites=self.sous_activites.valeurs(),
            )
        )


class ImportForm(Formulaire):
    fichier = FichierField(
        label="Fichier du référentiel",
        accept=".xlsx,.ods,.csv",
        help_text="Un classeur XLSX aux colonnes du référentiel téléchargé (thème, code et nom de l'activité, "
        "description, mission réservée au centre de gestion, code et nom de la sous-activité), une ligne par "
        "sous-activité : le plus simple est de télécharger le référentiel et de le modifier. ODS et CSV "
        "sont lus aussi.",
    )
