"""One workflow-and-history mechanism for everything the co-pilots validate: minutes (comptes rendus),
the groups' deliverables, the comité de pilotage's minutes, the schéma's versions.

A validated record inherits `Validable` (its state and current version number) and implements
`contenu()` / `appliquer_contenu()`; the history (`Version`, `Trace`, `Visa`) lives in three generic
tables. Writes go through validation/actions.py only."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from validation.enums import Action, Etat


class Validable(models.Model):
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.BROUILLON)
    version = models.PositiveIntegerField("version", default=0)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    # What the final state is called for this kind of record ("publié" for minutes).
    LIBELLE_FINAL = "validé et verrouillé"

    class Meta:
        abstract = True

    def contenu(self) -> dict:
        """The editable content, as JSON-able values (a version's snapshot)."""
        raise NotImplementedError

    def appliquer_contenu(self, contenu: dict) -> None:
        """Set the editable content from a snapshot (restoring a version); the caller saves."""
        raise NotImplementedError

    def copilotes(self):
        """The users whose two visas lock the record: {role: [users]} for copilote_commune and copilote_epci."""
        raise NotImplementedError

    @property
    def verrouille(self) -> bool:
        return self.etat == Etat.VALIDE

    @property
    def modifiable(self) -> bool:
        return self.etat != Etat.VALIDE

    def libelle_etat(self) -> str:
        return self.LIBELLE_FINAL.capitalize() if self.etat == Etat.VALIDE else self.get_etat_display()


class HistoriqueQuerySet(models.QuerySet):
    def de(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Version(models.Model):
    """Every saved content of a record, numbered from 1."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    numero = models.PositiveIntegerField("numéro")
    contenu = models.JSONField("contenu")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    quand = models.DateTimeField("date", auto_now_add=True)

    objects = HistoriqueQuerySet.as_manager()

    class Meta:
        verbose_name = "version"
        ordering = ["-numero"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "numero"], name="version_numero_unique")
        ]


class Trace(models.Model):
    """Who did what and when, with the comment of a return or a reopening."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    action = models.CharField("action", max_length=14, choices=Action.choices)
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    quand = models.DateTimeField("date", auto_now_add=True)
    version = models.PositiveIntegerField("version")
    etat_avant = models.CharField(max_length=10, choices=Etat.choices, blank=True)
    etat_apres = models.CharField(max_length=10, choices=Etat.choices, blank=True)
    commentaire = models.TextField("commentaire", blank=True)

    objects = HistoriqueQuerySet.as_manager()

    class Meta:
        verbose_name = "trace"
        ordering = ["-quand", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Visa(models.Model):
    """A co-pilot's validation of one version; an edit makes the visas of older versions void."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    version = models.PositiveIntegerField("version")
    role = models.CharField("au titre de", max_length=20)
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quand = models.DateTimeField("date", auto_now_add=True)

    objects = HistoriqueQuerySet.as_manager()

    class Meta:
        verbose_name = "visa"
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "version", "role"], name="visa_unique"),
        ]
