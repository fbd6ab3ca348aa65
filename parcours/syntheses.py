"""A working group's synthesis for the comité de pilotage, generated from its deliverables: who answered
the GT1 list, the AFOR grid's points by quadrant, the GT3 lines with their qualification, feasibility,
scores and préconisation. Nothing in it is a pay amount: the payroll at stake of each GT3 line is read
for each reader when the synthesis is shown (livrables/gt3/enjeux.py, the confidentiality rule), so that a
frozen synthesis never discloses to one reader what another could see."""

from django.db import transaction

from commun import concurrence
from commun.tri import cle_francaise
from livrables.enums import Quadrant, TypeLivrable
from livrables.gt1.regles import reponses
from livrables.gt3.enjeux import enjeux, masse_de_ligne
from livrables.models import ElementAfor, LigneMutualisable
from parcours.models import Synthese
from territoire.models import Evenement

POINTS_AFOR = 4  # per quadrant, the first ones (the grid keeps them all)


def generer(groupe) -> dict:
    territoire = groupe.schema.territoire
    livrables = {l.type: l for l in groupe.livrables.all()}
    contenu = {"gt1": None, "afor": [], "gt3": []}
    if TypeLivrable.INVENTAIRE in livrables:
        r = reponses(territoire, livrables[TypeLivrable.INVENTAIRE])
        contenu["gt1"] = {
            "communes": len(r.communes),
            "repondu": len(r.communes) - len(r.manquantes),
            "manquantes": [c.nom for c in r.manquantes],
        }
    if TypeLivrable.AFOR in livrables:
        elements = ElementAfor.objects.filter(livrable=livrables[TypeLivrable.AFOR], fusionne_dans__isnull=True)
        for q in Quadrant:
            textes = [e.texte for e in elements.filter(quadrant=q).select_related("activite").order_by("pk")]
            contenu["afor"].append({"quadrant": q.label, "nombre": len(textes), "points": textes[:POINTS_AFOR]})
    if TypeLivrable.MUTUALISABLES in livrables:
        lignes = (
            LigneMutualisable.objects.filter(livrable=livrables[TypeLivrable.MUTUALISABLES])
            .select_related("activite")
            .prefetch_related("communes", "notations")
            .order_by("activite__ordre", "pk")
        )
        for l in lignes:
            communes = (
                "toutes les communes membres"
                if l.toutes_communes
                else ", ".join(sorted((c.nom for c in l.communes.all()), key=cle_francaise))
            )
            contenu["gt3"].append(
                {
                    "ligne": l.pk,
                    "activite": l.activite.libelle,
                    "modalite": l.get_modalite_display() if l.modalite else "",
                    "communes": communes,
                    "qualification": l.qualification,
                    "faisabilite": l.get_faisabilite_display() if l.faisabilite else "",
                    "notes": len(l.notations.all()),
                    "preconisation": l.preconisation,
                }
            )
    return contenu


def de_travail(groupe) -> Synthese:
    s, _ = Synthese.objects.get_or_create(groupe=groupe, seance=None)
    return s


def empreinte(synthese: Synthese) -> str:
    """The fingerprint of the co-pilots' text the editing page shows (commun/concurrence.py)."""
    return concurrence.empreinte({"texte": synthese.texte})


@transaction.atomic
def do_modifier(synthese: Synthese, texte: str, user, empreinte_lue: str | None = None) -> Synthese:
    """Save the co-pilots' text; `empreinte_lue`: the fingerprint of the text the page showed, refused when
    it changed since; None for a writer that is no page (the demo)."""
    actuelle = Synthese.objects.select_for_update(of=("self",)).select_related("modifie_par").get(pk=synthese.pk)
    if empreinte_lue is not None:
        concurrence.verifier(
            f"La synthèse du groupe {synthese.groupe.libelle}",
            {"texte": actuelle.texte},
            {"synthèse des co-pilotes": actuelle.texte},
            empreinte_lue,
            qui=actuelle.modifie_par or "",
            accord="e",
        )
    synthese.texte, synthese.modifie_par = texte, user
    synthese.save(update_fields=["texte", "modifie_par", "modifie_le"])
    Evenement.objects.create(
        territoire_id=synthese.groupe.schema.territoire_id,
        utilisateur=user,
        action="parcours.synthese",
        objet=f"Synthèse du groupe {synthese.groupe.libelle}",
    )
    return synthese


def figer(groupe, seance) -> Synthese:
    """The synthesis as it stands, kept for a comité meeting (inside the caller's transaction)."""
    travail = de_travail(groupe)
    s, _ = Synthese.objects.update_or_create(
        groupe=groupe, seance=seance, defaults={"texte": travail.texte, "contenu": generer(groupe)}
    )
    return s


def masses(contenu: dict, groupe, acces) -> dict[int, dict]:
    """The payroll at stake of each GT3 line of a synthesis, for this reader (confidentiality rule)."""
    territoire = groupe.schema.territoire
    table = enjeux(territoire, acces)
    membres = list(territoire.organisations.communes().filter(membre=True).values_list("code", flat=True))
    ids = [x["ligne"] for x in contenu.get("gt3", [])]
    lignes = LigneMutualisable.objects.filter(pk__in=ids).select_related("activite").prefetch_related("communes")
    return {l.pk: masse_de_ligne(table, l, membres) for l in lignes}
