"""Forms of the GT3 deliverable: a line (the group's consolidated view) and one person's scores."""

from django import forms

from commun.forms import Formulaire
from livrables.enums import Faisabilite, Modalite

QUALIFICATIONS = [
    ("", "–"),
    ("1", "1 – intérêt faible"),
    ("2", "2 – intérêt modéré"),
    ("3", "3 – intérêt fort"),
    ("4", "4 – intérêt majeur"),
]
FAISABILITES = [
    ("", "–"),
    ("0", "0 – impossible en l'état"),
    ("1", "1 – très difficile"),
    ("2", "2 – difficile"),
    ("3", "3 – faisable"),
    ("4", "4 – facilement faisable"),
    ("4+", "4+ – immédiatement faisable"),
]

# The rubric of the two scores, shown on the pages (livrables/gt3_rubrique.html).
RUBRIQUE_QUALIFICATION = [
    (
        "1",
        "Intérêt faible",
        "Peu de volume ou d'enjeu commun : la mutualisation n'apporterait ni économie notable, "
        "ni amélioration visible du service ; l'activité peut rester organisée commune par commune.",
    ),
    (
        "2",
        "Intérêt modéré",
        "Quelques gains possibles (partage de compétences, sécurisation d'un poste isolé), "
        "mais limités à certaines communes ou à une partie de l'activité.",
    ),
    (
        "3",
        "Intérêt fort",
        "Des économies d'échelle et une meilleure qualité de service attendues pour la plupart "
        "des communes ; un effet réel sur le coefficient de mutualisation si l'activité est fonctionnelle.",
    ),
    (
        "4",
        "Intérêt majeur",
        "Enjeu fort pour le coefficient de mutualisation et pour le service rendu : volume "
        "important, doublons manifestes, expertise rare à partager ; une priorité du schéma.",
    ),
]
RUBRIQUE_FAISABILITE = [
    (
        "0",
        "Impossible en l'état",
        "Un obstacle juridique, technique ou politique bloque la mutualisation "
        "(mission réservée au centre de gestion, refus exprimé, outils incompatibles sans alternative).",
    ),
    (
        "1",
        "Très difficile",
        "Des préalables lourds : harmonisation des procédures et des outils, dialogue social "
        "important, investissements ; un horizon de fin de mandat.",
    ),
    (
        "2",
        "Difficile",
        "Faisable avec un projet conduit sur plusieurs années : convention, fiche d'impact, "
        "reprise des agents et des outils à organiser.",
    ),
    (
        "3",
        "Faisable",
        "Les conditions sont réunies pour l'essentiel ; reste à conventionner et à organiser le "
        "service, sur un à deux ans.",
    ),
    (
        "4",
        "Facilement faisable",
        "Peu d'obstacles : pratiques et outils proches, volonté partagée ; mise en "
        "œuvre possible dès le prochain cycle.",
    ),
    (
        "4+",
        "Immédiatement faisable",
        "Déjà engagé ailleurs (entre certaines communes ou avec l'EPCI) ou "
        "éprouvé sur le territoire : il suffit de l'étendre.",
    ),
]


def _entier_ou_none(valeur):
    return int(valeur) if valeur else None


class LigneForm(Formulaire):
    """A GT3 line, as the group consolidates it (co-pilots, consultant, project team)."""

    activite = forms.ModelChoiceField(label="Activité", queryset=None, empty_label="Choisissez une activité")
    sous_activites = forms.CharField(
        label="Sous-activités",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Les sous-activités concernées, si la mutualisation n'en vise qu'une partie.",
    )
    pourquoi = forms.CharField(
        label="Si opportunité de mutualisation, pourquoi ?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    qualification = forms.TypedChoiceField(
        label="Qualification retenue par le groupe (/4)",
        choices=QUALIFICATIONS,
        required=False,
        coerce=int,
        empty_value=None,
        help_text="La valeur de consensus ; les notes de chacun restent affichées à côté.",
    )
    faisabilite = forms.ChoiceField(
        label="Faisabilité retenue par le groupe (de 0 à 4+)", choices=FAISABILITES, required=False
    )
    modalite = forms.ChoiceField(
        label="Modalité suggérée", choices=[("", "–")] + list(Modalite.choices), required=False
    )
    toutes_communes = forms.BooleanField(label="Toutes les communes", required=False)
    communes = forms.ModelMultipleChoiceField(
        label="Communes concernées",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Inutile si « toutes les communes » est coché.",
    )
    preconisation = forms.CharField(label="Préconisation", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, activites, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activite"].queryset = activites
        self.fields["communes"].queryset = communes
        self.fields["communes"].label_from_instance = lambda o: f"{o.nom} ({o.code})"

    def clean(self):
        data = super().clean()
        if data.get("toutes_communes"):
            data["communes"] = []
        elif data.get("modalite") and not data.get("communes"):
            self.add_error(
                "communes",
                "Choisissez les communes concernées par la préconisation, ou cochez « toutes les communes ».",
            )
        return data

    def valeurs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["communes"] = list(data.get("communes") or [])
        return data


class NotationForm(Formulaire):
    """One co-pilot's or the consultant's own scores of a line."""

    qualification = forms.TypedChoiceField(
        label="Ma qualification (/4)", choices=QUALIFICATIONS, required=False, coerce=int, empty_value=None
    )
    faisabilite = forms.ChoiceField(label="Ma faisabilité (de 0 à 4+)", choices=FAISABILITES, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("qualification") and not data.get("faisabilite"):
            raise forms.ValidationError("Donnez au moins une note : qualification ou faisabilité.")
        return data


class ConsensusForm(Formulaire):
    """The group's consensus scores of a line (ids of its own: it shares a page with the scoring form)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_consensus_%s")
        super().__init__(*args, **kwargs)

    qualification = forms.TypedChoiceField(
        label="Qualification retenue (/4)", choices=QUALIFICATIONS, required=False, coerce=int, empty_value=None
    )
    faisabilite = forms.ChoiceField(label="Faisabilité retenue (de 0 à 4+)", choices=FAISABILITES, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


assert [v for v, _ in FAISABILITES[1:]] == list(Faisabilite.values)
