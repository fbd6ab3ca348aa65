"""Forms of the meetings pages. They validate and hand plain values to seances.actions: no form
writes to the database (a ModelForm would change the instance before the action compares it)."""

import datetime as dt

from django import forms
from django.utils import timezone

from commun.concurrence import AvecEmpreinte
from commun.forms import Formulaire
from seances.enums import Etape, Presence
from seances.trames import ordre_du_jour_suivi


class SeanceForm(Formulaire):
    etape = forms.ChoiceField(label="Étape", choices=Etape.choices)
    titre = forms.CharField(
        label="Titre",
        max_length=200,
        required=False,
        help_text="Laissé vide : l'étape et le groupe, par exemple « GT1 Ressources humaines ».",
    )
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format : jj/mm/aaaa.",
    )
    heure_debut = forms.TimeField(
        label="Heure de début",
        help_text="Format : hh:mm, heure de Paris.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    heure_fin = forms.TimeField(
        label="Heure de fin",
        help_text="Format : hh:mm, heure de Paris.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    lieu = forms.CharField(
        label="Lieu",
        max_length=300,
        required=False,
        help_text="Salle et adresse ; laissez vide pour une séance en visioconférence seulement.",
    )
    lien_visio = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="L'adresse de la réunion en ligne.",
    )
    ordre_du_jour = forms.CharField(
        label="Ordre du jour",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
        help_text="Prérempli avec la trame d'animation de l'étape ; repris dans l'invitation.",
    )

    def __init__(self, *args, seance=None, trames=None, **kwargs):
        """`trames` ({stage: agenda}), for a new meeting: the agenda sent follows the chosen stage unless the
        user wrote her own (seances.trames.ordre_du_jour_suivi); a page sent back with errors shows it too."""
        if seance is not None and "initial" not in kwargs:
            debut, fin = timezone.localtime(seance.debut), timezone.localtime(seance.fin)
            kwargs["initial"] = {
                "etape": seance.etape,
                "titre": seance.titre,
                "date": debut.date(),
                "heure_debut": debut.time(),
                "heure_fin": fin.time(),
                "lieu": seance.lieu,
                "lien_visio": seance.lien_visio,
                "ordre_du_jour": seance.ordre_du_jour,
            }
        super().__init__(*args, **kwargs)
        etape, saisi = self.add_prefix("etape"), self.add_prefix("ordre_du_jour")
        if trames and self.is_bound and self.data.get(etape) in trames:
            self.data = self.data.copy()
            self.data[saisi] = ordre_du_jour_suivi(self.data[etape], self.data.get(saisi, ""), trames)
        self.fields["lien_visio"].error_messages["invalid"] = (
            "Saisissez une adresse web complète, par exemple https://visio.exemple.fr/gt-rh."
        )

    def clean(self):
        data = super().clean()
        jour, debut, fin = data.get("date"), data.get("heure_debut"), data.get("heure_fin")
        if jour and not 2000 <= jour.year <= 2100:
            self.add_error("date", "date : choisissez une date entre 2000 et 2100")
            jour = None
        for name in ("titre", "lieu"):
            if any(ord(ch) < 32 for ch in data.get(name) or ""):
                self.add_error(name, f"{name} : pas de retour à la ligne ni de caractère de contrôle")
        if debut and fin and fin <= debut:
            self.add_error("heure_fin", "L'heure de fin doit suivre l'heure de début.")
        if not data.get("lieu") and not data.get("lien_visio") and "lien_visio" not in self.errors:
            self.add_error("lieu", "Indiquez un lieu ou un lien de visioconférence.")
        if jour and debut and fin:
            data["debut"] = timezone.make_aware(dt.datetime.combine(jour, debut))
            data["fin"] = timezone.make_aware(dt.datetime.combine(jour, fin))
        return data

    def valeurs(self) -> dict:
        d = self.cleaned_data
        return {
            "etape": d["etape"],
            "titre": d["titre"].strip(),
            "debut": d["debut"],
            "fin": d["fin"],
            "lieu": d["lieu"].strip(),
            "lien_visio": d["lien_visio"],
            "ordre_du_jour": d["ordre_du_jour"].strip(),
        }


class ModificationSeanceForm(SeanceForm):
    prevenir = forms.BooleanField(
        label="Envoyer la mise à jour de l'invitation aux participants",
        required=False,
        initial=True,
        help_text=(
            "Les invitations ont déjà été envoyées : sans cet envoi, les agendas des participants gardent "
            "l'ancienne version."
        ),
    )

    def __init__(self, *args, seance=None, **kwargs):
        super().__init__(*args, seance=seance, **kwargs)
        # Only a meeting still to come gets an update; a past one keeps its revision for the record.
        if seance is None or not seance.invitations_envoyees or not seance.peut_inviter(timezone.now()):
            del self.fields["prevenir"]


class AnnulationForm(Formulaire):
    motif = forms.CharField(
        label="Motif de l'annulation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Repris dans le message d'annulation envoyé aux participants.",
    )


class TramesForm(AvecEmpreinte):
    def __init__(self, *args, trames=None, **kwargs):
        super().__init__(*args, **kwargs)
        for etape, libelle in Etape.choices:
            # The three stages have their trame; another meeting may start empty.
            autre = etape == Etape.AUTRE
            self.fields[etape] = forms.CharField(
                label=libelle,
                required=not autre,
                widget=forms.Textarea(attrs={"rows": 12, "cols": 80}),
                initial=trames[etape].ordre_du_jour if trames else "",
                help_text="Laissé vide, une autre réunion part d'un ordre du jour vide." if autre else "",
                error_messages={"required": f"L'ordre du jour type de l'étape {etape} ne peut pas être vide."},
            )

    def textes(self) -> dict[str, str]:
        return {etape: self.cleaned_data[etape].strip() for etape in Etape.values}


class PresencesForm(Formulaire):
    """One choice per participation: présent, excusé or absent."""

    CHOIX = [(Presence.PRESENT, "Présent"), (Presence.EXCUSE, "Excusé"), (Presence.ABSENT, "Absent")]

    def __init__(self, *args, participations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.participations = list(participations)
        for p in self.participations:
            nom = str(p.utilisateur)
            self.fields[f"p{p.pk}"] = forms.ChoiceField(
                label=nom,
                choices=self.CHOIX,
                widget=forms.RadioSelect,
                initial=p.presence if p.presence != Presence.INVITE else None,
                error_messages={"required": f"Indiquez si {nom} était présent, excusé ou absent."},
            )

    def lignes(self):
        return [(p, self[f"p{p.pk}"]) for p in self.participations]

    def presences(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in self.participations}


class CompteRenduForm(AvecEmpreinte):
    texte = forms.CharField(
        label="Compte rendu",
        widget=forms.Textarea(attrs={"rows": 18, "cols": 90}),
        help_text="Participants, échanges et points abordés, dans l'ordre du jour.",
        error_messages={"required": "Écrivez le compte rendu avant de l'enregistrer."},
    )
    decisions = forms.CharField(
        label="Décisions et suites à donner",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 90}),
        help_text="Ce qui a été décidé, qui fait quoi et pour quand.",
    )
