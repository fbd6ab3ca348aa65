"""Mandate letters (lettres de mission) of the co-pilot tandems, generated from a template that the
project team edits with placeholders from a fixed list (documents/lettres.py), never a Django template."""

from django.conf import settings
from django.db import models

from documents.enums import StatutLettre


class ModeleLettreMission(models.Model):
    schema = models.OneToOneField("territoire.Schema", on_delete=models.CASCADE, related_name="modele_lettre")
    objet = models.CharField("objet", max_length=300)
    corps = models.TextField("texte", help_text="Champs disponibles entre accolades, par exemple {theme}.")
    signataire_qualite = models.CharField(
        "qualité du signataire pour l'EPCI",
        max_length=200,
        default="Le Président",
        help_text="Par exemple « Le Président de Bordeaux Métropole » ou « La Présidente ».",
    )
    signataire_nom = models.CharField(
        "nom du signataire pour l'EPCI",
        max_length=200,
        blank=True,
        help_text="Facultatif ; repris par le champ {president} et sous la signature.",
    )
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "modèle de lettre de mission"


class LettreMission(models.Model):
    """One per working group (its co-pilot tandem). The text is fixed when generated, so that a sent or
    signed letter does not change when the template does."""

    groupe = models.OneToOneField("groupes.GroupeTravail", on_delete=models.CASCADE, related_name="lettre")
    objet = models.CharField("objet", max_length=300)
    texte = models.TextField("texte")
    # The signatories when the letter was generated, in signing order: [{"qualite", "nom", "organisation",
    # "role"}]; a co-pilot not yet designated has an empty name (the letter cannot be sent).
    signatures = models.JSONField("signataires", default=list, blank=True)
    statut = models.CharField("statut", max_length=10, choices=StatutLettre.choices, default=StatutLettre.BROUILLON)
    generee_le = models.DateTimeField("générée le")
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    signee_le = models.DateTimeField("signée le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "lettre de mission"
        verbose_name_plural = "lettres de mission"

    def __str__(self):
        return f"Lettre de mission – {self.groupe}"

    # The status workflow: only the project team moves it (comptes.perms), only a draft is regenerated.
    TRANSITIONS = {
        StatutLettre.BROUILLON: (StatutLettre.ENVOYEE,),
        StatutLettre.ENVOYEE: (StatutLettre.SIGNEE, StatutLettre.BROUILLON),
        StatutLettre.SIGNEE: (),
    }
    LIBELLES_TRANSITION = {
        StatutLettre.ENVOYEE: "Marquer comme envoyée",
        StatutLettre.SIGNEE: "Marquer comme signée",
        StatutLettre.BROUILLON: "Remettre en brouillon",
    }

    @property
    def regenerable(self) -> bool:
        """A sent or signed letter keeps its text: only a draft is generated again."""
        return self.statut == StatutLettre.BROUILLON

    def transitions(self) -> list[tuple[str, str]]:
        """(status, button label) of the moves allowed from the current status."""
        return [(s, self.LIBELLES_TRANSITION[s]) for s in self.TRANSITIONS[StatutLettre(self.statut)]]

    def peut_passer_a(self, statut: str) -> bool:
        return statut in self.TRANSITIONS[StatutLettre(self.statut)]

    def copilotes_manquants(self) -> list[str]:
        """The co-pilot roles without a name in the letter (both are needed to send it)."""
        return [s["qualite"] for s in self.signatures if s.get("role", "").startswith("copilote") and not s.get("nom")]

    @property
    def date_statut(self):
        """The date of the current status: signed, sent or generated."""
        return self.signee_le or self.envoyee_le or self.generee_le
