"""The published minutes of a working group's meeting as a document (PDF, DOCX, ODT), with the
co-pilots' visas and their dates, laid out as the mandate letters are (documents/rendu.py,
documents/bureautique.py)."""

from django.utils import timezone

from commun.formatage import date as date_fr
from documents import bureautique, rendu
from documents.bureautique import MiseEnPage
from documents.lettres import blocs
from validation.actions import visas_courants

ROLES = {"copilote_commune": "Co-pilote commune", "copilote_epci": "Co-pilote EPCI"}
FORMATS = {"pdf": rendu.pdf_de, "docx": bureautique.docx, "odt": bureautique.odt}


def signatures(validable, roles: dict[str, str]) -> list[dict]:
    """The visas of the current version of validated minutes as signature blocks: « <role>, visa du 7
    décembre 2026 » and the name (a group's co-pilots, a comité's co-presidents: `roles` names them)."""
    return [
        {
            "role": "visa",
            "qualite": f"{roles[role]}, visa du {date_fr(timezone.localtime(v.quand).date())}",
            "nom": str(v.utilisateur),
        }
        for role, v in sorted(visas_courants(validable).items())
    ]


def mise_en_page(cr) -> MiseEnPage:
    seance = cr.seance
    groupe = seance.groupe
    schema = groupe.schema
    jour = date_fr(timezone.localtime(seance.debut).date())
    texte = cr.texte
    if cr.decisions.strip():
        texte += "\n\n# Décisions et suites à donner\n" + cr.decisions
    return MiseEnPage(
        territoire=schema.territoire.nom,
        sous_titre=f"Schéma de mutualisation des services {schema.mandat}",
        date=f"Séance du {jour}" + (f", {seance.lieu}" if seance.lieu else ""),
        destinataires=[],
        objet=f"Compte rendu : {seance} (groupe de travail {groupe.libelle}), version {cr.version}",
        blocs=blocs(texte),
        signatures=signatures(cr, ROLES),
        pied=f"Compte rendu – {seance} du {jour}",
    )


def nom_de_fichier(cr, extension: str) -> str:
    seance = cr.seance
    jour = timezone.localtime(seance.debut).date().isoformat()
    return f"compte-rendu-{seance.groupe.theme.lower()}-{seance.etape.lower()}-{jour}.{extension}"
