"""What the group page shows of the group's three deliverables (their state in the circuit), and the page
of each deliverable (also the circuit page's link back to it)."""

from groupes.panneaux import inscrire
from livrables.enums import TypeLivrable
from livrables.models import Livrable

PAGES = {
    TypeLivrable.INVENTAIRE: "livrables:gt1",
    TypeLivrable.AFOR: "livrables:afor",
    TypeLivrable.MUTUALISABLES: "livrables:gt3",
}


def contexte_groupe(groupe, acces) -> dict:
    existing = {lv.type: lv for lv in Livrable.objects.filter(groupe=groupe)}
    return {
        "panneau_livrables": [
            {"type": t, "libelle": t.label, "url_name": PAGES[t], "livrable": existing.get(t)} for t in TypeLivrable
        ]
    }


def inscrire_panneau() -> None:
    inscrire(lambda groupe, acces, now: contexte_groupe(groupe, acces))
