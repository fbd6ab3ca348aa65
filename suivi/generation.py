"""A yearly report's documents, written in the background like the schéma's (publication/generation.py):
from its frozen content once presented, else from the follow-up as it reads now."""

from django.dispatch import receiver
from django.tasks import task
from django.tasks.signals import task_finished
from django.utils.text import slugify

from publication.blocs import depuis_json
from publication.generation import interrompue, mettre_en_forme, produire
from suivi import rapport as rapports
from suivi.models import DocumentRapport


def document_du_rapport(rapport):
    """The report's content: frozen when presented, else read now."""
    return depuis_json(rapport.fige) if rapport.fige else rapports.document(rapport)


def nom_de_fichier(rapport, format: str, section: bool = False) -> str:
    territoire = slugify(rapport.schema.territoire.nom)
    genre = "section-mutualisation-rapport-activite" if section else "etat-avancement-schema"
    return f"{genre}-{territoire}-{rapport.annee}.{format}"


@task(backend="documents", queue_name="documents")
def generer_rapport(pk: int) -> str:
    return produire(
        DocumentRapport,
        pk,
        lambda d, progression: mettre_en_forme(document_du_rapport(d.rapport), d.format, progression),
        lambda d: nom_de_fichier(d.rapport, d.format),
        lambda d: (
            d.rapport.schema.territoire_id,
            "suivi.document",
            f"État d'avancement {d.rapport.annee} ({d.get_format_display()})",
            {"rapport": d.rapport_id},
        ),
    )


@receiver(task_finished, dispatch_uid="suivi.generation")
def _rapport_interrompu(sender, task_result, **kwargs) -> None:
    interrompue(DocumentRapport, generer_rapport, task_result)
