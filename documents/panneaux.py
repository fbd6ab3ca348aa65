"""What the group page shows of the group's mandate letter (filled by the documents app).

The group page adds `contexte_groupe(groupe, acces)` to its context and includes
templates/documents/includes/panneau_groupe.html; everything the include needs is under the one key
`panneau_lettre`, so that it cannot collide with the other panels' keys."""

from django.urls import reverse

from documents.models import LettreMission
from groupes.panneaux import inscrire


def contexte_groupe(groupe, acces) -> dict:
    """Context for templates/documents/includes/panneau_groupe.html: the letter's status and links.
    `acces` is the comptes.perms.Acces of the reader (any member reads the letter; the project team
    also gets the link to prepare it)."""
    lettre = LettreMission.objects.filter(groupe=groupe).first()
    kwargs = {"code": groupe.schema.territoire.code, "theme": groupe.theme}
    return {
        "panneau_lettre": {
            "lettre": lettre,
            "statut": lettre.get_statut_display() if lettre else "Pas encore générée",
            "statut_code": lettre.statut if lettre else "absente",
            "date": lettre.date_statut if lettre else None,
            "url": reverse("documents:lettre", kwargs=kwargs),
            "telechargements": [
                (
                    libelle,
                    reverse(f"documents:{fmt}", kwargs=kwargs),
                    f"{libelle}, lettre de mission du groupe {groupe.libelle}",
                )
                for fmt, libelle in (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("odt", "OpenDocument (ODT)"))
            ]
            if lettre
            else [],
            "equipe": acces.peut_gerer_groupes(),
        }
    }


def inscrire_panneau() -> None:
    inscrire(lambda groupe, acces, now: contexte_groupe(groupe, acces))
