"""Exchanges (issue 4, point 6): threaded comments on a record of an allow-list (echanges/cibles.py),
@mentions, notifications in the app and by e-mail (immediately or in a daily digest).

A comment is attached to its target by ContentType + id (like validation's history); a discussion of
an activity of the referential within a working group also stores the group. One level of replies:
a reply's parent is always a top-level comment. Writes go through echanges/actions.py only."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from echanges.enums import Frequence, Motif

TEXTE_MAX = 5000


class Commentaire(models.Model):
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    cible = GenericForeignKey("content_type", "object_id")
    groupe = models.ForeignKey(
        "groupes.GroupeTravail",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Le groupe où se discute une activité du référentiel.",
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="reponses")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    texte = models.TextField("commentaire", max_length=TEXTE_MAX)
    mentionnes = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="personnes mentionnées"
    )
    cree_le = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["cree_le", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"Commentaire {self.pk} de {self.auteur}"

    @property
    def racine(self):
        return self.parent if self.parent_id else self


class Notification(models.Model):
    """A comment that concerns the recipient (a mention, a reply), or an action that started waiting for
    her (commun/taches.py: `tache` is the wait's key, `libelle` and `url` what and where)."""

    destinataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="+")
    commentaire = models.ForeignKey(
        Commentaire, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    motif = models.CharField("motif", max_length=10, choices=Motif.choices)
    tache = models.CharField("action attendue (clé)", max_length=200, blank=True)
    libelle = models.CharField("action attendue", max_length=400, blank=True)
    url = models.CharField("page de l'action", max_length=300, blank=True)
    creee_le = models.DateTimeField("date", auto_now_add=True, db_index=True)
    lue_le = models.DateTimeField("lue le", null=True, blank=True)
    envoyee_le = models.DateTimeField("envoyée par courriel le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        ordering = ["-creee_le", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["destinataire", "commentaire"], name="notification_unique"),
            models.UniqueConstraint(
                fields=["destinataire", "territoire", "tache"],
                condition=~models.Q(tache=""),
                name="notification_tache_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(commentaire__isnull=False, tache="")
                | models.Q(commentaire__isnull=True, motif="tache") & ~models.Q(tache=""),
                name="notification_commentaire_ou_tache",
            ),
        ]
        indexes = [models.Index(fields=["destinataire", "territoire", "lue_le"])]

    @property
    def lue(self) -> bool:
        return self.lue_le is not None


class PreferenceCourriel(models.Model):
    """How a user wants her notifications by e-mail; no row means « chaque notification »."""

    utilisateur = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequence = models.CharField("courriels", max_length=10, choices=Frequence.choices, default=Frequence.IMMEDIAT)
    dernier_resume = models.DateTimeField("dernier résumé envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "préférence de courriel"
