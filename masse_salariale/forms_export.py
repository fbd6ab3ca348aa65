"""The two forms of a payroll export's import: the upload (file, employer, year, profile to start from), then
the mapping of its columns and of the values of its service and statut columns."""

from django import forms
from django.utils import timezone

from commun.forms import FichierField, Formulaire
from commun.tri import ordonne
from engine.themes import THEME_BY_CODE, THEME_OR_AUTRE
from formats.export_paie import CHAMPS, LIBELLES, STATUTS, Colonne, Correspondance, verifier
from masse_salariale.actions import ANNEE_MAX, ANNEE_MIN
from masse_salariale.profils import profils_visibles

VIDE = "(cellule vide)"


class ProfilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nom} ({obj.organisation.nom})"


class DepotForm(Formulaire):
    fichier = FichierField(
        label="Export de votre logiciel de paie",
        help_text="CSV, XLSX ou ODS, tel que votre logiciel le produit, avec une ligne d'en-têtes : une ligne par "
        "agent (ou par agent et affectation).",
    )
    employeur = forms.ModelChoiceField(
        label="Employeur",
        queryset=None,
        empty_label=None,
        help_text="L'organisme qui paie les agents du fichier : il est pris pour chaque ligne quand le fichier n'a "
        "pas de colonne d'employeur, et le profil enregistré est le sien.",
    )
    annee = forms.IntegerField(
        label="Année de référence",
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text="L'année de paie que décrit le fichier (en général celle du dernier compte administratif).",
    )
    profil = ProfilChoiceField(
        label="Profil de colonnes",
        queryset=None,
        required=False,
        empty_label="Aucun : deviner d'après les en-têtes",
        help_text="La correspondance enregistrée lors d'un import précédent : elle préremplit l'étape suivante.",
    )

    def __init__(self, *args, acces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employeur"].queryset = ordonne(acces.organisations_importables())
        self.fields["profil"].queryset = profils_visibles(acces).order_by("organisation__nom", "nom")
        self.fields["annee"].initial = timezone.localdate().year - 1
        if acces.organisation is not None:
            self.fields["employeur"].initial = acces.organisation.pk


def _activites(activites) -> list:
    """The referential's activities as grouped choices, by theme."""
    groupes: dict[str, list] = {}
    for a in activites:
        groupes.setdefault(a.theme, []).append((a.code, f"{a.code} – {a.libelle}"))
    return [(THEME_BY_CODE[t].label, choix) for t, choix in groupes.items() if t in THEME_BY_CODE]


class CorrespondanceForm(Formulaire):
    """One select per column of the export (a field of the payroll file, or ignored), then a theme and an
    activity for each value of the service column, a statut for each value of the statut column.

    `services` and `statuts`: the distinct values (with their number of lines) of the columns the tables were
    built for, `colonne_services` and `colonne_statuts` (hidden fields, so that a change of column is seen).
    `jeton`: the token of the export the page maps (masse_salariale/depot.py), so that a page left open on an
    export since replaced in another tab is refused."""

    jeton = forms.CharField(widget=forms.HiddenInput, required=False)
    colonne_services = forms.CharField(widget=forms.HiddenInput, required=False)
    colonne_statuts = forms.CharField(widget=forms.HiddenInput, required=False)
    nom_profil = forms.CharField(
        label="Enregistrer cette correspondance comme profil de colonnes",
        max_length=100,
        required=False,
        help_text="Un nom (par exemple « Export annuel de notre logiciel ») : le profil est proposé au prochain "
        "import de cet employeur. Un profil du même nom est mis à jour ; vide, rien n'est enregistré.",
    )

    def __init__(self, *args, cols: list[Colonne], services, statuts, activites, employeur: str, jeton="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jeton"].initial = jeton
        self.cols, self.services, self.statuts, self.employeur = cols, services, statuts, employeur
        choix = [("", "Ignorer cette colonne"), *((c, LIBELLES[c]) for c in CHAMPS)]
        for c in cols:
            self.fields[f"col_{c.position}"] = forms.ChoiceField(label=c.entete, choices=choix, required=False)
        themes = [("", "À choisir"), *THEME_OR_AUTRE]
        activites_ = [("", "Aucune activité précise"), *_activites(activites)]
        for j, (valeur, _) in enumerate(services):
            shown = valeur or VIDE
            self.fields[f"service_theme_{j}"] = forms.ChoiceField(
                label=f"Thème du service « {shown} »", choices=themes, required=False
            )
            self.fields[f"service_activite_{j}"] = forms.ChoiceField(
                label=f"Activité du service « {shown} »", choices=activites_, required=False
            )
        for j, (valeur, _) in enumerate(statuts):
            self.fields[f"statut_{j}"] = forms.ChoiceField(
                label=f"Statut « {valeur} »", choices=[("", "À choisir"), *STATUTS.items()], required=False
            )

    # Rows of the page's three tables: what each row shows next to its fields.
    def lignes_colonnes(self, remplissage: dict[int, tuple[int, int]]):
        return [(c, self[f"col_{c.position}"], *remplissage.get(c.position, (0, 0))) for c in self.cols]

    def lignes_services(self):
        return [
            (valeur or VIDE, n, self[f"service_theme_{j}"], self[f"service_activite_{j}"])
            for j, (valeur, n) in enumerate(self.services)
        ]

    def lignes_statuts(self):
        return [(valeur, n, self[f"statut_{j}"]) for j, (valeur, n) in enumerate(self.statuts)]

    def correspondance(self) -> Correspondance:
        """The mapping the form says (cleaned data)."""
        d = self.cleaned_data
        valeurs: dict[str, dict[str, str]] = {"theme": {}, "activite": {}, "statut": {}}
        for j, (valeur, _) in enumerate(self.services):
            valeurs["theme"][valeur] = d.get(f"service_theme_{j}", "")
            valeurs["activite"][valeur] = d.get(f"service_activite_{j}", "")
        for j, (valeur, _) in enumerate(self.statuts):
            valeurs["statut"][valeur] = d.get(f"statut_{j}", "")
        return Correspondance(
            {c.entete: d.get(f"col_{c.position}", "") for c in self.cols},
            {champ: v for champ, v in valeurs.items() if v},
            self.employeur,
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for erreur in verifier(self.correspondance(), self.cols):
                self.add_error(None, erreur)
        return cleaned


def colonnes_choisies(data, cols: list[Colonne]) -> dict[str, str]:
    """The mapping a posted form says, before it is validated (which columns the value tables follow)."""
    out = {}
    for c in cols:
        champ = data.get(f"col_{c.position}", "")
        out[c.entete] = champ if champ in CHAMPS else ""
    return out
