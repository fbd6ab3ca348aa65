"""The schéma's published documents (docs/publication.md): how each row of the impact table that is not
diffusible is presented (recorded with the version), each generation of the document (its progress, the
stored file and its checksum), and the territory's layout (logo, colours, cover texts, introductions)."""

from django.conf import settings
from django.db import models

from publication.enums import FormatDocument, Presentation, StatutGeneration


class ChoixPublication(models.Model):
    """The presentation chosen for one organisation's row in the documents of one version of the schéma.
    A flagged row without a choice is presented at the category average cost (the default)."""

    version = models.ForeignKey("parcours.VersionSchema", on_delete=models.CASCADE, related_name="choix_publication")
    organisation = models.ForeignKey("territoire.Organisation", on_delete=models.PROTECT, related_name="+")
    presentation = models.CharField("présentation", max_length=10, choices=Presentation.choices)
    # « montrer »: the consent of the organisation's DGS, who and when.
    consentement_de = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consentement_le = models.DateField("accord donné le", null=True, blank=True)
    choisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    choisi_le = models.DateTimeField("choisi le", auto_now=True)

    class Meta:
        verbose_name = "choix de publication"
        verbose_name_plural = "choix de publication"
        constraints = [
            models.UniqueConstraint(fields=["version", "organisation"], name="choix_publication_unique"),
        ]


class Generation(models.Model):
    """One generation of a document in one format (publication/generation.py): queued, running (with its
    progress), ready (the stored file and its SHA-256) or failed (with the French reason). The schéma's
    documents and the yearly reports (suivi/) are kinds of it."""

    format = models.CharField("format", max_length=4, choices=FormatDocument.choices)
    statut = models.CharField("statut", max_length=7, choices=StatutGeneration.choices)
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    etape = models.CharField("étape", max_length=120, blank=True)
    erreur = models.TextField("erreur", blank=True)
    fichier = models.FileField("fichier", upload_to="publication/", blank=True)
    empreinte = models.CharField("SHA-256", max_length=64, blank=True)
    taille = models.PositiveIntegerField("taille (octets)", null=True, blank=True)
    pages = models.PositiveSmallIntegerField("pages", null=True, blank=True)
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    demande_le = models.DateTimeField("demandé le", auto_now_add=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-demande_le", "-pk"]


class DocumentSchema(Generation):
    """A generation of the schéma document of a version."""

    version = models.ForeignKey("parcours.VersionSchema", on_delete=models.CASCADE, related_name="documents")
    # What the document was built from: the publication choices and the layout, as a fingerprint.
    parametres = models.CharField("empreinte des paramètres", max_length=64)

    class Meta(Generation.Meta):
        verbose_name = "document du schéma"
        verbose_name_plural = "documents du schéma"


class Gabarit(models.Model):
    """The layout of a schéma's documents, set by the project team without code."""

    schema = models.OneToOneField("territoire.Schema", on_delete=models.CASCADE, related_name="gabarit")
    logo = models.FileField("logo", upload_to="publication/logos/", blank=True)
    couleur = models.CharField("couleur principale", max_length=7, default="#0b5d6b")
    couleur_secondaire = models.CharField("couleur secondaire", max_length=7, default="#e8f1f2")
    titre = models.CharField("titre de la couverture", max_length=200, blank=True)
    sous_titre = models.CharField("sous-titre de la couverture", max_length=300, blank=True)
    mention = models.CharField("mention de la couverture", max_length=300, blank=True)
    # chapter key (publication/contenu.CHAPITRES) -> the text as typed, sanitised when used (gabarit.html_de)
    introductions = models.JSONField("introductions des chapitres", default=dict, blank=True)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "gabarit des documents"
        verbose_name_plural = "gabarits des documents"
