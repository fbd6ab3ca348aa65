"""Forms of the legal path: what the user types, checked for its shape; the rules of the path are
parcours/actions.py's."""

import re

from django import forms
from django.core.validators import MaxValueValidator

from commun.concurrence import AvecEmpreinte
from commun.forms import Formulaire, FormulaireModele
from formats.scdl import MATIERE_DEFAUT, MATIERES
from parcours.enums import EtatVersion, Instance, IssueAvis, ModeEnvoi
from parcours.models import TAILLE_PIECE, Decision, Deliberation, SeanceInstance
from territoire.models import valider_siret

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Every date of the path lies within these years: anything else is a typing error (and 9999-12-31 would
# break the calendars built from it).
ANNEES = (2000, 2100)
VOTES_MAX = 1000  # no council or comité counts more members
# What a piece may be, by its extension and its first bytes (a file renamed .pdf is refused).
SIGNATURES = {"pdf": (b"%PDF-",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",)}


def entier(valeur) -> int | None:
    """A number typed in a URL or a hidden field (« 12 »), or None for anything else (« abc », « ² »)."""
    texte = str(valeur) if valeur is not None else ""
    return int(texte) if re.fullmatch(r"[0-9]{1,9}", texte) else None


def _dans_les_annees(valeur):
    if valeur is not None and not ANNEES[0] <= valeur.year <= ANNEES[1]:
        raise forms.ValidationError(f"la date doit tomber entre {ANNEES[0]} et {ANNEES[1]}")


class DateBornee(forms.DateField):
    widget = DATE
    default_validators = [_dans_les_annees]


class DateHeureBornee(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
    default_validators = [_dans_les_annees]


class PieceField(forms.FileField):
    """A PDF (or, for a receipt, a scan), within its size limit, checked by its extension and content."""

    default_error_messages = {"empty": "le fichier est vide", "invalid": "aucun fichier reçu : vérifiez le formulaire"}

    def __init__(self, *args, extensions=("pdf",), **kwargs):
        super().__init__(*args, **kwargs)
        self.extensions = extensions
        self.widget.attrs["accept"] = ",".join(f".{e}" for e in extensions)

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f is None:
            return f
        if f.size > TAILLE_PIECE:
            raise forms.ValidationError(f"le fichier dépasse la limite de {TAILLE_PIECE // 1_048_576} Mo")
        extension = f.name.rsplit(".", 1)[-1].lower() if "." in f.name else ""
        attendus = ", ".join(e.upper() for e in self.extensions)
        if extension not in self.extensions:
            raise forms.ValidationError(f"« {f.name} » : seuls les fichiers {attendus} sont acceptés")
        debut = f.read(16)
        f.seek(0)
        if not debut.startswith(SIGNATURES[extension]):
            raise forms.ValidationError(f"« {f.name} » n'est pas un fichier {extension.upper()} valide")
        return f


class FigerForm(Formulaire):
    scenario = forms.ModelChoiceField(label="Scénario", queryset=None, empty_label=None)
    etat = forms.ChoiceField(
        label="Version figée",
        choices=[(EtatVersion.COMITE, EtatVersion.COMITE.label), (EtatVersion.PROJET, EtatVersion.PROJET.label)],
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios


class EnvoiForm(Formulaire):
    communes = forms.ModelMultipleChoiceField(label="Communes", queryset=None, widget=forms.CheckboxSelectMultiple)
    envoye_le = DateBornee(label="Envoyé le")
    mode = forms.ChoiceField(label="Mode d'envoi", choices=ModeEnvoi.choices)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes


class ReceptionForm(Formulaire):
    recu_le = DateBornee(label="Reçu le")
    preuve = PieceField(
        label="Preuve de réception (accusé de réception, PDF ou image)",
        required=False,
        extensions=("pdf", "png", "jpg", "jpeg"),
    )


CHAMPS_VOTE = ["effectif", "presents", "pour", "contre", "abstention"]
CHAMPS_PUBLICATION = ["fichier", "lien", "pref_id", "pref_date", "matiere"]


class DeliberationForm(FormulaireModele):
    fichier = PieceField(label="Délibération (PDF)", required=False)

    class Meta:
        model = Deliberation
        fields = ["date", "numero", "objet", "issue", "motifs", *CHAMPS_VOTE, *CHAMPS_PUBLICATION]
        widgets = {"date": DATE, "pref_date": DATE, "motifs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, approbation=False, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("date", "pref_date"):
            champ = self.fields[nom]
            self.fields[nom] = DateBornee(label=champ.label, required=champ.required)
        for nom in CHAMPS_VOTE:
            self.fields[nom].validators.append(MaxValueValidator(VOTES_MAX))
            self.fields[nom].widget.attrs["max"] = VOTES_MAX
        if approbation:
            del self.fields["issue"]
            del self.fields["motifs"]
        else:
            self.fields["issue"].required = True
            self.fields["issue"].choices = [("", "—"), *IssueAvis.choices]
        self.fields["matiere"] = forms.ChoiceField(
            label="Matière (nomenclature ACTES)",
            choices=[(code, f"{code} {nom}") for code, nom in MATIERES.items() if "." in code],
            initial=MATIERE_DEFAUT,
            required=False,
            help_text="Par défaut 5.7 Intercommunalité.",
        )
        self.fields[
            "pref_id"
        ].help_text = (
            "L'entité du contrôle de légalité, telle que l'accusé de réception la nomme (par exemple PREF033)."
        )
        self.fields["objet"].initial = (
            "Approbation du schéma de mutualisation des services"
            if approbation
            else "Avis sur le projet de schéma de mutualisation des services"
        )

    def clean(self):
        d = super().clean()
        if d.get("pref_date") and d.get("date") and d["pref_date"] < d["date"]:
            self.add_error("pref_date", "l'accusé de réception en préfecture ne peut précéder la délibération")
        return d

    def valeurs(self) -> dict:
        valeurs = {k: v for k, v in self.cleaned_data.items() if k != "fichier" or v}
        valeurs["matiere"] = valeurs.get("matiere") or MATIERE_DEFAUT
        return valeurs


class ApprobationForm(DeliberationForm):
    malgre_differences = forms.BooleanField(
        label="Approuver cette version malgré ses différences avec le projet transmis aux communes", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, approbation=True, **kwargs)

    def valeurs(self) -> dict:
        return {k: v for k, v in super().valeurs().items() if k != "malgre_differences"}


class SeanceInstanceForm(FormulaireModele):
    fichier = PieceField(label="Procès-verbal ou compte rendu (PDF)", required=False)

    class Meta:
        model = SeanceInstance
        fields = ["instance", "organisation", "date", "objet", "numero", "fichier", "lien"]
        widgets = {"date": DATE}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"] = DateBornee(label=self.fields["date"].label)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = "— (l'EPCI)"
        self.fields["instance"].choices = Instance.choices


class CalendrierForm(Formulaire):
    """The start and end of each phase."""

    def __init__(self, *args, etapes, **kwargs):
        super().__init__(*args, **kwargs)
        for e in etapes:
            self.fields[f"{e.phase}_debut"] = DateBornee(
                label=f"{e.get_phase_display()} : début", widget=DATE, initial=e.debut
            )
            self.fields[f"{e.phase}_fin"] = DateBornee(
                label=f"{e.get_phase_display()} : fin", widget=DATE, initial=e.fin
            )
        self.etapes = etapes

    def dates(self) -> dict:
        return {
            e.phase: (self.cleaned_data[f"{e.phase}_debut"], self.cleaned_data[f"{e.phase}_fin"]) for e in self.etapes
        }


class SiretForm(Formulaire):
    """The SIRET of each organisation of the territory (the EPCI first)."""

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        for o in self.organisations:
            self.fields[o.code] = forms.CharField(
                label=f"SIRET de {o.nom}",
                required=False,
                max_length=14,
                initial=o.siret,
                validators=[valider_siret],
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 16}),
            )

    def sirets(self) -> dict[str, str]:
        return {o.code: self.cleaned_data[o.code].strip() for o in self.organisations}


class MembresForm(Formulaire):
    membres = forms.ModelMultipleChoiceField(
        label="Membres", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, utilisateurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membres"].queryset = utilisateurs


class SeanceComiteForm(Formulaire):
    debut = DateHeureBornee(label="Date et heure")
    lieu = forms.CharField(label="Lieu", max_length=300, required=False)


class PointForm(Formulaire):
    """An agenda item and what it decides on (one choice, or none)."""

    objet = forms.CharField(label="Objet", max_length=300)
    cible = forms.ChoiceField(label="Porte sur", required=False)

    def __init__(self, *args, versions, scenarios, lignes, groupes, **kwargs):
        super().__init__(*args, **kwargs)
        self.objets = {
            **{f"version-{v.pk}": ("version", v) for v in versions},
            **{f"scenario-{s.pk}": ("scenario", s) for s in scenarios},
            **{f"ligne-{l.pk}": ("ligne_gt3", l) for l in lignes},
            **{f"groupe-{g.pk}": ("groupe", g) for g in groupes},
        }
        self.fields["cible"].choices = [
            ("", "— (aucun objet lié)"),
            ("Versions du schéma", [(f"version-{v.pk}", f"Version {v.numero} : {v.scenario.nom}") for v in versions]),
            ("Scénarios", [(f"scenario-{s.pk}", s.nom) for s in scenarios]),
            ("Propositions d'un groupe de travail", [(f"groupe-{g.pk}", f"GT {g.libelle}") for g in groupes]),
            (
                "Lignes GT3",
                [(f"ligne-{l.pk}", f"{l.livrable.groupe.libelle} : {l.activite.libelle}") for l in lignes],
            ),
        ]

    def valeurs(self) -> dict:
        valeurs = {"objet": self.cleaned_data["objet"]}
        cible = self.cleaned_data["cible"]
        if cible:
            champ, objet = self.objets[cible]
            valeurs[champ] = objet
        return valeurs


class DecisionForm(AvecEmpreinte, FormulaireModele):
    class Meta:
        model = Decision
        fields = ["issue", "presents", "pour", "contre", "abstention", "texte", "motifs"]
        widgets = {"texte": forms.Textarea(attrs={"rows": 3}), "motifs": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("presents", "pour", "contre", "abstention"):
            self.fields[nom].validators.append(MaxValueValidator(VOTES_MAX))
            self.fields[nom].widget.attrs["max"] = VOTES_MAX


class CompteRenduForm(AvecEmpreinte):
    texte = forms.CharField(
        label="Compte rendu", max_length=20000, widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"})
    )


class RenvoiForm(Formulaire):
    commentaire = forms.CharField(
        label="Ce qui doit être repris", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CoPresidentsForm(Formulaire):
    copresident_epci = forms.ModelChoiceField(label="Co-président pour l'EPCI", queryset=None)
    copresident_commune = forms.ModelChoiceField(label="Co-président pour les communes", queryset=None)

    def __init__(self, *args, membres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copresident_epci"].queryset = membres
        self.fields["copresident_commune"].queryset = membres


class SyntheseForm(AvecEmpreinte):
    texte = forms.CharField(
        label="Synthèse des co-pilotes",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text="Ce que le groupe propose au comité : ses arbitrages, ses points d'attention. Le reste de la "
        "page est tiré des livrables du groupe.",
    )


class PresencesForm(Formulaire):
    presents = forms.ModelMultipleChoiceField(
        label="Membres présents", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, membres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presents"].queryset = membres
