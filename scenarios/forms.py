"""Forms of the scenarios. Shares (part, gain, partage des gains) are typed as percentages, as the élus
and DGS speak; the forms turn them into the [0, 1] values of docs/contrats §5. Ranges are checked here for
the field's message; the rules that involve the whole scenario (overlaps, codes) are the engine's,
applied by scenarios/actions.py."""

from decimal import Decimal

from django import forms

from commun.forms import Formulaire
from commun.tri import ordonne
from engine.themes import THEMES
from engine.vocabulaire import FAISABILITE_RANG
from livrables.enums import Modalite
from scenarios.models import DERNIERE_ANNEE, PREMIERE_ANNEE

CENT = Decimal(100)
ANNEES = [(a, str(a)) for a in range(PREMIERE_ANNEE, DERNIERE_ANNEE + 1)]


def _pourcent(label, initial, maximum=100, help_text=""):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=maximum,
        max_digits=6,
        decimal_places=2,
        initial=initial,
        localize=True,
        help_text=help_text,
        error_messages={
            "max_value": f"au plus {str(maximum).replace('.', ',')} %%",
            "min_value": "au moins 0 %%",
            "invalid": "un pourcentage, par exemple 12,5",
        },
    )


def en_pourcent(part) -> Decimal:
    """A stored share (0.1250) as the percentage a form shows (12.5; 100 rather than 100.0000)."""
    p = (Decimal(part) * CENT).quantize(Decimal("0.01"))
    return p.to_integral_value() if p == p.to_integral_value() else p.normalize()


def _euros(label, required=False, help_text=""):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=required,
        localize=True,
        help_text=help_text,
        error_messages={"min_value": "un montant positif ou nul", "invalid": "un montant en euros, par exemple 12 500"},
    )


class ScenarioForm(Formulaire):
    nom = forms.CharField(label="Nom du scénario", max_length=120)
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    partage_gains = _pourcent(
        "Part des gains rendue aux communes (%)",
        0,
        help_text="Part des gains de productivité reversée aux communes par l'attribution de "
        "compensation (0 % : l'EPCI garde les gains).",
    )
    annee_paie = forms.TypedChoiceField(
        label="Année de la masse salariale",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Automatique : la dernière année où chaque employeur du territoire (l'EPCI et ses communes "
        "membres) a un lot de paie courant. Une année incomplète ne porte que sur les employeurs présents.",
    )

    def __init__(self, *args, annees=None, actuelle: int | None = None, **kwargs):
        """`annees`: the territory's calcul.AnneePaie (years with batches, complete years); `actuelle`: the
        scenario's stored choice, kept as a choice even when it no longer has any batch."""
        super().__init__(*args, **kwargs)
        presentes = list(annees.annees) if annees else []
        completes = list(annees.completes) if annees else []
        if completes:
            auto = f"Automatique : dernière année complète ({completes[0]})"
        elif presentes:
            auto = f"Automatique : dernière année importée ({presentes[0]}, incomplète)"
        else:
            auto = "Automatique"

        def libelle(a):
            if a in completes:
                return str(a)
            return f"{a} (incomplète)" if a in presentes else f"{a} (aucun lot courant)"

        offertes = sorted({*presentes, *([actuelle] if actuelle is not None else [])}, reverse=True)
        self.fields["annee_paie"].choices = [("", auto)] + [(a, libelle(a)) for a in offertes]

    def valeurs(self) -> dict:
        d = self.cleaned_data
        return {
            "nom": d["nom"].strip(),
            "description": d["description"].strip(),
            "partage_gains": d["partage_gains"] / CENT,
            "annee_paie": d.get("annee_paie"),
        }

    @classmethod
    def depuis(cls, scenario, **kwargs):
        return cls(
            initial={
                "nom": scenario.nom,
                "description": scenario.description,
                "partage_gains": en_pourcent(scenario.partage_gains),
                "annee_paie": scenario.annee_paie,
            },
            actuelle=scenario.annee_paie,
            **kwargs,
        )


class CommunesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.nom


class ActionForm(Formulaire):
    identifiant = forms.CharField(
        label="Identifiant", max_length=40, required=False, help_text="Laissé vide : le suivant (A1, A2…)."
    )
    theme = forms.ChoiceField(label="Thème", choices=[(t.code, t.label) for t in THEMES])
    activite = forms.ChoiceField(label="Activité", required=False, help_text="Aucune : tout le thème.")
    modalite = forms.ChoiceField(label="Modalité", choices=Modalite.choices)
    toutes = forms.BooleanField(label="Toutes les communes membres", required=False)
    communes = CommunesField(label="Communes concernées", queryset=None, required=False)
    part = _pourcent("Part de l'activité mutualisée (%)", 100)
    gain = _pourcent(
        "Gain de productivité (%)",
        0,
        maximum=Decimal("99.99"),
        help_text="Sur ce qui est mutualisé ; strictement moins de 100 %.",
    )
    annee = forms.TypedChoiceField(
        label="Année d'effet (1er janvier)", choices=ANNEES, coerce=int, initial=PREMIERE_ANNEE
    )
    economie = _euros(
        "Économies hors masse salariale (€ par an)",
        help_text="Pour les modalités sans transfert de personnel : réparties selon la population.",
    )
    charges_associees = _euros("Charges associées transférées (€ par an)")
    cout_unitaire = _euros("Coût unitaire de fonctionnement (€)", help_text="D5211-16, avec les unités.")
    unites = forms.DecimalField(
        label="Unités de fonctionnement", min_value=0, max_digits=14, decimal_places=4, required=False, localize=True
    )

    def __init__(self, *args, territoire, activites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = ordonne(territoire.organisations.communes().filter(membre=True))
        self.fields["activite"].choices = [("", "– tout le thème –")] + [
            (a.code, f"{a.theme} · {a.libelle}") for a in activites
        ]
        self._themes = {a.code: a.theme for a in activites}

    def clean(self):
        d = super().clean()
        activite = d.get("activite")
        if activite and d.get("theme") and self._themes.get(activite) != d["theme"]:
            self.add_error("activite", "cette activité n'est pas du thème choisi")
        if not d.get("toutes") and not d.get("communes"):
            self.add_error("communes", "cochez au moins une commune, ou « toutes les communes membres »")
        if (d.get("cout_unitaire") is None) != (d.get("unites") is None):
            self.add_error("unites", "le coût unitaire et les unités vont ensemble : les deux ou aucun")
        return d

    def valeurs(self) -> tuple[dict, list, str]:
        d = self.cleaned_data
        valeurs = {
            "theme": d["theme"],
            "activite": d["activite"] or "",
            "toutes": d["toutes"],
            "modalite": d["modalite"],
            "part": d["part"] / CENT,
            "gain": d["gain"] / CENT,
            "annee": d["annee"],
            "economie": d["economie"] or 0,
            "charges_associees": d["charges_associees"] or 0,
            "cout_unitaire": d["cout_unitaire"],
            "unites": d["unites"],
        }
        return valeurs, list(d["communes"] or []), d["identifiant"].strip()

    @classmethod
    def depuis(cls, action, **kwargs):
        return cls(
            initial={
                "identifiant": action.identifiant,
                "theme": action.theme,
                "activite": action.activite,
                "modalite": action.modalite,
                "toutes": action.toutes,
                "communes": list(action.communes.all()),
                "part": en_pourcent(action.part),
                "gain": en_pourcent(action.gain),
                "annee": action.annee,
                "economie": action.economie or None,
                "charges_associees": action.charges_associees or None,
                "cout_unitaire": action.cout_unitaire,
                "unites": action.unites,
            },
            **kwargs,
        )


class Gt3Form(Formulaire):
    """Add GT3 lines (their préconisation: modalité and communes) with a year and shares."""

    lignes = forms.TypedMultipleChoiceField(
        label="Lignes GT3",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "cochez au moins une ligne GT3"},
    )
    annee = ActionForm.base_fields["annee"]
    part = _pourcent("Part de l'activité mutualisée (%)", 100)
    gain = _pourcent("Gain de productivité (%)", 0, maximum=Decimal("99.99"))

    def __init__(self, *args, lignes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lignes"].choices = [(l.pk, str(l.pk)) for l in lignes]


class OptimiseurForm(Formulaire):
    MODES = [
        ("cible", "Atteindre un coefficient cible avec le moins d'ETP déplacés"),
        ("budget", "Maximiser le coefficient dans un budget d'ETP déplacés"),
    ]
    mode = forms.ChoiceField(label="Objectif", choices=MODES, widget=forms.RadioSelect, initial="cible")
    cible = _pourcent("Coefficient cible (%)", None)
    budget = forms.DecimalField(
        label="ETP déplacés au plus", min_value=0, max_digits=10, decimal_places=2, required=False, localize=True
    )
    faisabilite_min = forms.ChoiceField(
        label="Faisabilité minimale", required=False, choices=[("", "aucune")] + [(k, k) for k in FAISABILITE_RANG]
    )
    plafond_annuel = forms.DecimalField(
        label="ETP déplacés par an au plus", min_value=0, max_digits=10, decimal_places=2, required=False, localize=True
    )
    annee = ActionForm.base_fields["annee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each is required by its objective only (the engine takes exactly one: engine.optimiseur.optimise),
        # which the page cannot know before the choice is sent, without JavaScript: not « (facultatif) » but
        # « (obligatoire si …) » (templates/includes/champ.html), and clean() says which one is missing.
        self.fields["cible"].required = False
        self.fields["cible"].obligatoire_si = "l'objectif est d'atteindre un coefficient cible"
        self.fields["budget"].obligatoire_si = "l'objectif est de maximiser le coefficient dans un budget d'ETP"

    def clean(self):
        d = super().clean()
        if d.get("mode") == "cible" and d.get("cible") is None:
            self.add_error("cible", "indiquez le coefficient à atteindre, en %")
        if d.get("mode") == "budget" and d.get("budget") is None:
            self.add_error("budget", "indiquez le nombre d'ETP déplacés au plus")
        return d
