"""Forms of the schéma's documents: the presentation of the flagged rows, the layout (docs/publication.md)."""

from django import forms

from commun.concurrence import AvecEmpreinte
from commun.forms import Formulaire
from parcours.forms import DateBornee
from publication.contenu import CHAPITRES
from publication.enums import Presentation
from publication.gabarit import COULEUR, TAILLE_LOGO, type_logo

RICHE = {"rows": 4, "class": "texte-riche"}
AIDE_RICHE = (
    "Une ligne vide sépare deux paragraphes ; une ligne qui commence par « - » est un élément de liste ; "
    "**gras**, *italique*. Un texte collé depuis un éditeur garde ses paragraphes, gras, italiques, listes et "
    "liens ; le reste de sa mise en forme est retiré."
)


class PresentationForm(Formulaire):
    """One choice per flagged row: « coût moyen », « regrouper » or « montrer » (with its DGS's consent)."""

    def __init__(self, *args, signalements, dgs: dict, choix: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.signalements = signalements
        self.lignes = []
        for s in signalements:
            c = choix.get(s.code)
            self.fields[f"p_{s.code}"] = forms.ChoiceField(
                label=f"Présentation de la ligne {s.nom}",
                choices=[(p, Presentation(p).label) for p in s.choix_possibles],
                initial=s.presentation,
            )
            self.fields[f"dgs_{s.code}"] = forms.ModelChoiceField(
                label=f"DGS qui a donné son accord ({s.nom})",
                queryset=dgs[s.code],
                required=False,
                initial=c.consentement_de_id if c else None,
                empty_label="—",
            )
            self.fields[f"le_{s.code}"] = DateBornee(
                label=f"Accord donné le ({s.nom})", required=False, initial=c.consentement_le if c else None
            )
            for champ in ("dgs", "le"):
                self.fields[f"{champ}_{s.code}"].obligatoire_si = "« montrer »"
            self.lignes.append((s, self[f"p_{s.code}"], self[f"dgs_{s.code}"], self[f"le_{s.code}"]))

    def choix(self, organisations: dict) -> dict:
        """organisation -> (presentation, consenting DGS, date), for publication.actions.do_choisir."""
        return {
            organisations[s.code]: (
                self.cleaned_data[f"p_{s.code}"],
                self.cleaned_data[f"dgs_{s.code}"],
                self.cleaned_data[f"le_{s.code}"],
            )
            for s in self.signalements
        }


class CouleurField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "color"})

    def clean(self, value):
        value = super().clean(value)
        if not COULEUR.match(value or ""):
            raise forms.ValidationError(f"« {value} » : attendu une couleur #RRVVBB, par exemple #0b5d6b")
        return value.lower()


class LogoField(forms.FileField):
    default_error_messages = {"empty": "le fichier est vide", "invalid": "aucun fichier reçu : vérifiez le formulaire"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".png,.jpg,.jpeg"

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if not f:
            return f
        if f.size > TAILLE_LOGO:
            raise forms.ValidationError(f"« {f.name} » : un logo fait au plus {TAILLE_LOGO // 1024} Ko")
        debut = f.read(8)
        f.seek(0)
        if not type_logo(debut):
            raise forms.ValidationError(f"« {f.name} » n'est pas une image PNG ou JPEG")
        return f


class GabaritForm(AvecEmpreinte):
    logo = LogoField(label="Logo (PNG ou JPEG, 1 Mo au plus)", required=False)
    retirer_logo = forms.BooleanField(label="Retirer le logo", required=False)
    couleur = CouleurField(label="Couleur principale", max_length=7)
    couleur_secondaire = CouleurField(label="Couleur secondaire (fonds des encadrés et des totaux)", max_length=7)
    titre = forms.CharField(label="Titre de la couverture", max_length=200, required=False)
    sous_titre = forms.CharField(label="Sous-titre de la couverture", max_length=300, required=False)
    mention = forms.CharField(label="Mention en bas de la couverture", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for cle, titre in CHAPITRES.items():
            self.fields[f"intro_{cle}"] = forms.CharField(
                label=f"Introduction : {titre}",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs=RICHE),
                help_text=AIDE_RICHE,
            )

    def introductions(self) -> dict:
        return {cle: self.cleaned_data[f"intro_{cle}"] for cle in CHAPITRES}

    def valeurs(self) -> dict:
        return {
            **{k: self.cleaned_data[k] for k in ("couleur", "couleur_secondaire", "titre", "sous_titre", "mention")},
            "introductions": self.introductions(),
        }
