"""What the schéma's documents make the project team wait for (commun/taches.py): the latest version of
the schéma, not yet approved, whose rapport et projet de schéma has no PDF prepared (or whose last
preparation failed)."""

from django.urls import reverse

from commun.taches import Tache
from parcours.enums import EtatVersion
from parcours.models import VersionSchema
from publication.enums import FormatDocument, StatutGeneration
from publication.models import DocumentSchema


def taches(acces, user, now) -> list[Tache]:
    if not acces.peut_conduire_parcours():
        return []
    version = (
        VersionSchema.objects.filter(schema__territoire=acces.territoire)
        .order_by("-schema__mandat", "-numero")
        .select_related("schema")
        .first()
    )
    if version is None or version.etat == EtatVersion.APPROUVE:
        return []
    dernier = (
        DocumentSchema.objects.filter(version=version, format=FormatDocument.PDF).order_by("-demande_le", "-pk").first()
    )
    if dernier is not None and dernier.statut != StatutGeneration.ECHEC:
        return []
    quoi = (
        "relancer la préparation du rapport et projet de schéma (échec)"
        if dernier
        else "préparer le rapport et projet de schéma"
    )
    return [
        Tache(
            cle=f"publication:{version.pk}:{dernier.pk if dernier else 0}",
            libelle=f"Version {version.numero} du schéma : {quoi}",
            url=reverse("publication:version", args=[acces.territoire.code, version.numero]),
            depuis=version.cree_le,
        )
    ]
