"""Writing a schéma document in the background (docs/publication.md): a task of Django's tasks framework
on the database backend (`documents` in settings.TASKS; its worker is `mutualis db_worker --queue-name
documents`, started by `make run`). The task records its progress on its DocumentSchema row, which the
page reads; the file is stored with its SHA-256, written in the territory's audit trail."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import receiver
from django.tasks import TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import timezone
from django.utils.text import slugify

from commun.travaux import INTERROMPU
from publication.contenu import document
from publication.docx_schema import docx
from publication.enums import FormatDocument, StatutGeneration
from publication.models import DocumentSchema
from publication.odt_schema import odt
from publication.pdf import pdf
from territoire.models import Evenement


def ecrire(version, format: str, progression=None) -> tuple[bytes, int | None]:
    """The document of `version` in `format` and, for a PDF, its number of pages (the command line and the
    task both write through here)."""

    def dire(p, texte):
        if progression is not None:
            progression(p, texte)

    return mettre_en_forme(document(version, progression=dire), format, progression)


def nom_de_fichier(version, format: str) -> str:
    territoire = slugify(version.schema.territoire.nom)
    return f"schema-mutualisation-{territoire}-{version.schema.mandat}-v{version.numero}.{format}"


def existante(documents, format: str, parametres: str):
    """A request of `format` for the same content, under way or stored: it is served again, not repeated
    (a second tab, a double click, the same choices)."""
    vivants = (StatutGeneration.EN_ATTENTE, StatutGeneration.EN_COURS, StatutGeneration.PRET)
    return documents.filter(format=format, parametres=parametres, statut__in=vivants).first()


def produire(modele, pk: int, ecrire_, nom, evenement) -> str:
    """Write one requested document (a row of a publication.models.Generation kind) with `ecrire_(demande,
    progression) -> (bytes, pages)`, store it under `nom(demande)` with its SHA-256, and write the audit row
    `evenement(demande) -> (territory id, action, objet, details)`; returns the SHA-256. A failure is
    recorded on the row (in French) and raised again, so the worker logs it."""
    demande = modele.objects.get(pk=pk)

    def progression(p, etape):
        modele.objects.filter(pk=pk).update(progression=p, etape=etape[:120])

    modele.objects.filter(pk=pk).update(statut=StatutGeneration.EN_COURS, progression=5, etape="Démarrage")
    try:
        contenu, pages = ecrire_(demande, progression)
    except Exception as exc:
        modele.objects.filter(pk=pk).update(
            statut=StatutGeneration.ECHEC,
            termine_le=timezone.now(),
            erreur=f"la génération a échoué ({type(exc).__name__}) : réessayez, ou signalez-le à l'administrateur",
        )
        raise
    progression(95, "Enregistrement")
    empreinte = hashlib.sha256(contenu).hexdigest()
    with transaction.atomic():
        demande.fichier.save(nom(demande), ContentFile(contenu), save=False)
        demande.statut, demande.progression, demande.etape = StatutGeneration.PRET, 100, "Terminé"
        demande.empreinte, demande.taille, demande.pages = empreinte, len(contenu), pages
        demande.termine_le = timezone.now()
        demande.save(
            update_fields=["fichier", "statut", "progression", "etape", "empreinte", "taille", "pages", "termine_le"]
        )
        territoire_id, action, objet, details = evenement(demande)
        Evenement.objects.create(
            territoire_id=territoire_id,
            utilisateur=demande.demande_par,
            action=action,
            objet=objet[:200],
            details={**details, "format": demande.format, "sha256": empreinte},
        )
    return empreinte


def interrompue(modele, tache, task_result) -> None:
    """A document whose task was recorded as failed without the task saying so (its worker died twice
    in the middle, commun/travaux.py): its row says so, instead of « en cours » for ever."""
    if task_result.task.func is not tache.func or task_result.status != TaskResultStatus.FAILED:
        return
    modele.objects.filter(
        pk=task_result.args[0], statut__in=(StatutGeneration.EN_ATTENTE, StatutGeneration.EN_COURS)
    ).update(
        statut=StatutGeneration.ECHEC,
        termine_le=timezone.now(),
        erreur=f"{INTERROMPU} : demandez de nouveau le document",
    )


def mettre_en_forme(doc, format: str, progression=None) -> tuple[bytes, int | None]:
    """A document value (publication/blocs.py) in `format`, and for a PDF its number of pages."""
    if progression is not None:
        progression(60, f"Mise en page ({FormatDocument(format).label})")
    if format == FormatDocument.PDF:
        return pdf(doc)
    return (docx(doc) if format == FormatDocument.DOCX else odt(doc)), None


@task(backend="documents", queue_name="documents")
def generer_document(pk: int) -> str:
    """Write one requested schéma document (publication.models.DocumentSchema)."""
    return produire(
        DocumentSchema,
        pk,
        lambda d, progression: ecrire(d.version, d.format, progression),
        lambda d: nom_de_fichier(d.version, d.format),
        lambda d: (
            d.version.schema.territoire_id,
            "publication.document",
            f"Schéma, version {d.version.numero} ({d.get_format_display()})",
            {"version": d.version_id},
        ),
    )


@receiver(task_finished, dispatch_uid="publication.generation")
def _document_interrompu(sender, task_result, **kwargs) -> None:
    interrompue(DocumentSchema, generer_document, task_result)
