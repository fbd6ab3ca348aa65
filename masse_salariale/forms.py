from django import forms
from django.conf import settings
from django.utils import timezone

from commun.formatage import nombre
from commun.forms import FichierField, Formulaire
from engine.themes import THEME_BY_CODE, THEME_OR_AUTRE, THEMES
from masse_salariale.actions import ANNEE_MAX, ANNEE_MIN
from masse_salariale.enums import Situation


class ImportForm(Formulaire):
    fichier = FichierField(
        label="Fichier de masse salariale",
        help_text="CSV (séparateur ; , ou tabulation), XLSX ou ODS, une ligne par agent et affectation.",
    )
    annee = forms.IntegerField(
        label="Année de référence",
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="L'année de paie que décrit le fichier (en général celle du dernier compte administratif).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["annee"].initial = timezone.localdate().year - 1


class ConfirmationForm(Formulaire):
    remplacer = forms.BooleanField(
        label="Remplacer les lots courants de ces employeurs pour cette année (ils restent dans l'historique)",
        required=False,
    )


class FonctionnelsForm(Formulaire):
    """The themes a territory counts as functional services in its coefficient."""

    themes = forms.MultipleChoiceField(
        label="Thèmes comptés comme services fonctionnels",
        choices=[(t.code, t.label) for t in THEMES],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "cochez au moins un thème"},
    )


# --- Payroll from DSN files (docs/contrats/9-dsn.md) --------------------------------------------------


class _PlusieursFichiers(forms.ClearableFileInput):
    allow_multiple_selected = True


class FichiersDSNField(forms.FileField):
    """Several DSN files or zips at once; their total is bounded by `DSN_UPLOAD_MAX_BYTES` (the uncompressed
    size of a zip is checked when it is opened: masse_salariale/dsn.py)."""

    widget = _PlusieursFichiers(attrs={"accept": ".dsn,.txt,.edi,.zip"})
    default_error_messages = {"required": "fichiers : aucun fichier envoyé"}

    def clean(self, data, initial=None):
        envois = [d for d in (data or []) if d]
        for envoi in envois:
            if not envoi.size:
                raise forms.ValidationError(f"fichiers : le fichier « {envoi.name} » est vide")
        if not envois:
            raise forms.ValidationError(self.error_messages["required"])
        total, limite = sum(e.size for e in envois), settings.DSN_UPLOAD_MAX_BYTES
        if total > limite:
            raise forms.ValidationError(
                f"fichiers : {nombre(total / 1_048_576, 1)} Mo envoyés, au-delà de la limite de "
                f"{nombre(limite / 1_048_576)} Mo pour une année de DSN"
            )
        return envois


class _Taux(forms.DecimalField):
    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            required=False,
            min_value=0,
            max_value=150,
            max_digits=6,
            decimal_places=2,
            localize=True,
            help_text="En pourcentage du brut, par exemple 49,65. Requis si des agents relèvent de ce régime.",
            **kwargs,
        )


class _Euros(forms.DecimalField):
    """An amount as the French write it: « 1 234 567,89 » (spaces between thousands, a decimal comma)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace("€", "")
        return super().to_python(value)


class DSNForm(Formulaire):
    organisation = forms.ModelChoiceField(
        label="Employeur", queryset=None, empty_label=None, help_text="Celui dont les DSN sont envoyées."
    )
    annee = forms.IntegerField(label="Année de référence", min_value=ANNEE_MIN, max_value=ANNEE_MAX)
    fichiers = FichiersDSNField(
        label="Fichiers DSN de l'année",
        help_text="Les DSN mensuelles (douze fichiers, ou un zip), dans l'ordre où elles ont été déposées ; "
        "les déclarations « annule et remplace » s'appliquent dans cet ordre. Les fichiers sont lus puis "
        "supprimés : seuls leur nom, leur taille et leur empreinte sont gardés.",
    )
    agents = FichierField(
        label="Fichier des agents (matricule ; service)",
        required=False,
        help_text="Exporté du logiciel RH : le code de service de chaque agent, pour les règles par service.",
    )
    taux_cnracl = _Taux("Taux de cotisations patronales, CNRACL (%)")
    taux_general = _Taux("Taux de cotisations patronales, régime général (%)")
    chapitre_012 = _Euros(
        label="Total du chapitre 012 de l'année (€)",
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        localize=True,
        help_text="Le compte administratif : le rapport le compare à la somme des coûts calculés.",
    )
    mois_manquants = forms.BooleanField(label="Accepter des mois sans déclaration (ils comptent zéro)", required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].to_field_name = "code"

    def taux(self) -> dict:
        """The rates given, as fractions (49,65 % → 0.4965), per regime."""
        d = self.cleaned_data
        return {
            regime: d[champ] / 100
            for regime, champ in (("cnracl", "taux_cnracl"), ("general", "taux_general"))
            if d.get(champ) is not None
        }


class ChoixPlacement:
    """The territory's activities (grouped by theme) and organisations, read once for every placing form
    of a page."""

    def __init__(self, territoire):
        groupes: dict[str, list] = {}
        self.theme_de: dict[str, str] = {}
        for code, libelle, theme in territoire.activites.values_list("code", "libelle", "theme").order_by(
            "theme", "ordre", "code"
        ):
            groupes.setdefault(THEME_BY_CODE[theme].label, []).append((code, f"{code} – {libelle}"))
            self.theme_de[code] = theme
        self.activites = [("", "(aucune)"), *groupes.items()]
        self.beneficiaires = [("", "(aucun)"), *territoire.organisations.values_list("code", "nom")]


class PlacementForm(Formulaire):
    """One placement from the page: a libellé (an emploi rule) or one agent (a matricule rule), on one theme
    and activity for all its time; rules with parts come by file."""

    cle = forms.ChoiceField(
        choices=[("emploi", "emploi"), ("matricule", "matricule"), ("defaut", "defaut")], widget=forms.HiddenInput
    )
    valeur = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)
    theme = forms.ChoiceField(
        label="Thème",
        choices=[("", "Choisir un thème"), *THEME_OR_AUTRE],
        error_messages={"required": "thème : choisissez un thème"},
    )
    activite = forms.ChoiceField(label="Activité", required=False)
    situation = forms.ChoiceField(label="Situation", choices=Situation.choices, initial="propre")
    beneficiaire = forms.ChoiceField(label="Bénéficiaire (mise à disposition)", required=False)

    def __init__(self, *args, choix: "ChoixPlacement", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activite"].choices = choix.activites
        self.fields["beneficiaire"].choices = choix.beneficiaires
        self.activites = choix.theme_de

    def clean(self):
        d = super().clean()
        activite, theme = d.get("activite"), d.get("theme")
        if activite and theme and self.activites.get(activite) != theme:
            self.add_error("activite", "activité : elle n'appartient pas au thème choisi")
        if d.get("situation") == "mad" and not d.get("beneficiaire"):
            self.add_error("beneficiaire", "bénéficiaire : obligatoire pour une mise à disposition")
        if d.get("situation") != "mad" and d.get("beneficiaire"):
            self.add_error("beneficiaire", "bénéficiaire : seulement pour une mise à disposition")
        return d


class ReglesForm(Formulaire):
    fichier = FichierField(
        label="Table de correspondance",
        accept=".csv,.txt,.xlsx,.ods",
        help_text="Colonnes cle ; valeur ; theme ; activite ; part ; situation ; beneficiaire. Elle remplace toutes "
        "les règles de l'employeur, si elle est valide en entier.",
    )
