"""Forms of the follow-up (docs/suivi.md)."""

from django import forms

from commun.forms import Formulaire
from commun.tri import ordonne
from parcours.forms import DateBornee, PieceField
from suivi.enums import GenreConvention, InstanceRapport, Jalon, StatutElement


class ElementForm(Formulaire):
    statut = forms.ChoiceField(label="Statut", choices=StatutElement.choices)
    motif = forms.CharField(label="Motif", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    annee_reportee = forms.IntegerField(label="Reportée à l'année", required=False, min_value=2026, max_value=2040)
    progression = forms.IntegerField(
        label="Avancement (%)", required=False, min_value=0, max_value=100, help_text="Vide : non renseigné."
    )
    responsable = forms.ModelChoiceField(label="Responsable", queryset=None, required=False, empty_label="—")

    def __init__(self, *args, personnes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsable"].queryset = personnes
        self.fields["motif"].obligatoire_si = "l'action est abandonnée ou reportée"
        self.fields["annee_reportee"].obligatoire_si = "l'action est reportée"
        for genre, libelle in Jalon.choices:
            self.fields[f"jalon_{genre}"] = DateBornee(label=libelle, required=False)

    def jalons(self) -> dict:
        return {genre: self.cleaned_data[f"jalon_{genre}"] for genre in Jalon.values}

    def champs_jalons(self):
        return [self[f"jalon_{genre}"] for genre in Jalon.values]


class ConventionForm(Formulaire):
    genre = forms.ChoiceField(label="Convention", choices=GenreConvention.choices)
    objet = forms.CharField(label="Objet", max_length=300)
    signee_le = DateBornee(label="Signée le")
    debut = DateBornee(label="Prend effet le")
    fin = DateBornee(label="Prend fin le", required=False)
    membres = forms.ModelMultipleChoiceField(label="Signataires", queryset=None, widget=forms.CheckboxSelectMultiple)
    fichier = PieceField(label="Convention signée (PDF)", required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membres"].queryset = ordonne(organisations)


class BilanForm(Formulaire):
    remboursements = forms.IntegerField(label="Remboursements facturés (€)", required=False, min_value=0)
    ac_votee = forms.IntegerField(
        label="Réfactions d'attribution de compensation votées (€)", required=False, min_value=0
    )
    surcouts = forms.IntegerField(label="Surcoûts d'harmonisation (€)", required=False, min_value=0)
    couts_evites = forms.IntegerField(label="Coûts évités (€)", required=False, min_value=0)
    commentaire = forms.CharField(
        label="Commentaire", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RapportForm(Formulaire):
    annee = forms.IntegerField(label="Année du rapport", min_value=2027, max_value=2040)
    instance = forms.ChoiceField(label="Présenté au", choices=InstanceRapport.choices)
    seance_le = DateBornee(label="Date de la séance")


class PresentationForm(Formulaire):
    presente_le = DateBornee(label="Présenté le")
