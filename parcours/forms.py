"""Forms of the legal path: what the user types, checked for its shape; the rules of the path are
parcours/actions.py's."""

from django import forms

from formats.scdl import MATIERE_DEFAUT, MATIERES
from parcours.enums import EtatVersion, Instance, IssueAvis, ModeEnvoi
from parcours.models import TAILLE_PIECE, Deliberation, SeanceInstance
from territoire.models import valider_siret

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PieceField(forms.FileField):
    """A PDF or a scan (receipt, deliberation, minutes), within its size limit."""

    default_error_messages = {"empty": "le fichier est vide", "invalid": "aucun fichier reçu : vérifiez le formulaire"}

    def __init__(self, *args, accept=".pdf", **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = accept

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f is not None and f.size > TAILLE_PIECE:
            raise forms.ValidationError(f"le fichier dépasse la limite de {TAILLE_PIECE // 1_048_576} Mo")
        return f


class FigerForm(forms.Form):
    scenario = forms.ModelChoiceField(label="Scénario", queryset=None, empty_label=None)
    etat = forms.ChoiceField(
        label="Version figée",
        choices=[(EtatVersion.COMITE, EtatVersion.COMITE.label), (EtatVersion.PROJET, EtatVersion.PROJET.label)],
    )
    note = forms.CharField(label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, scenarios, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = scenarios


class EnvoiForm(forms.Form):
    communes = forms.ModelMultipleChoiceField(label="Communes", queryset=None, widget=forms.CheckboxSelectMultiple)
    envoye_le = forms.DateField(label="Envoyé le", widget=DATE)
    mode = forms.ChoiceField(label="Mode d'envoi", choices=ModeEnvoi.choices)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].queryset = communes


class ReceptionForm(forms.Form):
    recu_le = forms.DateField(label="Reçu le", widget=DATE)
    preuve = PieceField(
        label="Preuve de réception (accusé de réception, PDF ou image)", required=False, accept=".pdf,.png,.jpg,.jpeg"
    )


CHAMPS_VOTE = ["effectif", "presents", "pour", "contre", "abstention"]
CHAMPS_PUBLICATION = ["fichier", "lien", "pref_id", "pref_date", "matiere"]


class DeliberationForm(forms.ModelForm):
    fichier = PieceField(label="Délibération (PDF)", required=False)

    class Meta:
        model = Deliberation
        fields = ["date", "numero", "objet", "issue", "motifs", *CHAMPS_VOTE, *CHAMPS_PUBLICATION]
        widgets = {"date": DATE, "pref_date": DATE, "motifs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, approbation=False, **kwargs):
        super().__init__(*args, **kwargs)
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


class SeanceInstanceForm(forms.ModelForm):
    fichier = PieceField(label="Procès-verbal ou compte rendu (PDF)", required=False)

    class Meta:
        model = SeanceInstance
        fields = ["instance", "organisation", "date", "objet", "numero", "fichier", "lien"]
        widgets = {"date": DATE}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].empty_label = "— (l'EPCI)"
        self.fields["instance"].choices = Instance.choices


class CalendrierForm(forms.Form):
    """The start and end of each phase."""

    def __init__(self, *args, etapes, **kwargs):
        super().__init__(*args, **kwargs)
        for e in etapes:
            self.fields[f"{e.phase}_debut"] = forms.DateField(
                label=f"{e.get_phase_display()} : début", widget=DATE, initial=e.debut
            )
            self.fields[f"{e.phase}_fin"] = forms.DateField(
                label=f"{e.get_phase_display()} : fin", widget=DATE, initial=e.fin
            )
        self.etapes = etapes

    def dates(self) -> dict:
        return {
            e.phase: (self.cleaned_data[f"{e.phase}_debut"], self.cleaned_data[f"{e.phase}_fin"]) for e in self.etapes
        }


class SiretForm(forms.Form):
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
