"""The vocabulary of the schéma's published documents (docs/publication.md), declared once."""

from django.db import models


class Presentation(models.TextChoices):
    """How a row of the impact table that is not diffusible is presented in a published document."""

    COUT_MOYEN = "cout_moyen", "Coût moyen par catégorie"
    REGROUPER = "regrouper", "Regrouper avec les autres lignes signalées"
    MONTRER = "montrer", "Montrer les montants réels, avec l'accord du DGS"


class FormatDocument(models.TextChoices):
    PDF = "pdf", "PDF"
    ODT = "odt", "ODT (LibreOffice)"
    DOCX = "docx", "DOCX (Word)"


class StatutGeneration(models.TextChoices):
    EN_ATTENTE = "attente", "En attente"
    EN_COURS = "cours", "En cours"
    PRET = "pret", "Prêt"
    ECHEC = "echec", "Échec"


TYPES = {
    FormatDocument.PDF: "application/pdf",
    FormatDocument.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FormatDocument.ODT: "application/vnd.oasis.opendocument.text",
}
