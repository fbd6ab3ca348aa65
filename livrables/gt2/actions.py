"""Writes of the GT2 AFOR grid: add, reword, merge and delete items. Each write runs in one transaction:
the rows change (their `version` bumped, `modifie_par` set), then validation.do_versionner records one
new version of the deliverable with a French description; a locked deliverable refuses the whole
change (ActionRefusee, nothing written). Who may call each action is decided by the views through
comptes.perms (`peut_contribuer`, `peut_consolider`): the refusal messages are here."""

from django.db import transaction

from commun import concurrence
from commun.erreurs import ActionRefusee
from livrables.actions import evenement, livrable_de, verifier_modifiable
from livrables.enums import Quadrant, TypeLivrable
from livrables.models import ElementAfor, Livrable
from validation import actions as validation

LONGUEUR_MAX = 2000
REFUS_CONTRIBUER = (
    "Seuls les participants du groupe, les DGS des communes et de l'EPCI et l'équipe projet "
    "ajoutent des éléments à la grille AFOR."
)
REFUS_CONSOLIDER = (
    "Seuls l'équipe projet, les co-pilotes du groupe et les consultants reformulent, fusionnent "
    "ou suppriment les éléments de la grille AFOR."
)


def livrable_afor(groupe) -> Livrable:
    """The group's GT2 deliverable, created as an empty draft the first time it is written to."""
    return livrable_de(groupe, TypeLivrable.AFOR)


def _texte(texte: str) -> str:
    texte = " ".join((texte or "").split())
    if not texte:
        raise ActionRefusee(["élément : écrivez le texte de l'élément"])
    if len(texte) > LONGUEUR_MAX:
        raise ActionRefusee([f"élément : {LONGUEUR_MAX} caractères au plus ({len(texte)} saisis)"])
    return texte


def _court(texte: str, n: int = 60) -> str:
    return texte if len(texte) <= n else texte[: n - 1].rstrip() + "…"


def _libelle_quadrant(quadrant) -> str:
    return Quadrant(quadrant).label


def _toucher(element, user):
    element.version += 1
    element.modifie_par = user


@transaction.atomic
def do_ajouter_element(livrable, user, activite, quadrant: str, texte: str, organisation) -> ElementAfor:
    """A member's item in one quadrant of an activity, tagged with her organisation (None: none)."""
    if quadrant not in Quadrant.values:
        raise ActionRefusee(["quadrant : choisissez Avantages, Faiblesses, Opportunités ou Risques"])
    texte = _texte(texte)
    verifier_modifiable(livrable)
    element = ElementAfor.objects.create(
        livrable=livrable,
        activite=activite,
        quadrant=quadrant,
        texte=texte,
        organisation=organisation,
        auteur=user,
        modifie_par=user,
        version=1,
    )
    qui = organisation.nom if organisation is not None else "sans organisation"
    validation.do_versionner(
        livrable,
        user,
        f"Grille AFOR « {activite.libelle} » : ajout d'un élément ({_libelle_quadrant(quadrant)}, {qui}) "
        f"« {_court(texte)} »",
    )
    evenement(livrable, user, "livrables.afor_ajout", activite=activite.code, element=element.pk)
    return element


def empreinte(element: ElementAfor) -> str:
    """The fingerprint of the item's text the rewording form shows (commun/concurrence.py)."""
    return concurrence.empreinte({"texte": element.texte})


@transaction.atomic
def do_reformuler_element(livrable, user, element: ElementAfor, texte: str, empreinte_lue: str | None = None) -> bool:
    """Reword an item (the group). Returns False when the text is unchanged (nothing written). Refused when
    the item was reworded since the page showed it (`empreinte_lue`; None for a writer that is no page)."""
    texte = _texte(texte)
    verifier_modifiable(livrable)
    element = (
        ElementAfor.objects.select_for_update(of=("self",))
        .select_related("activite", "modifie_par")
        .get(pk=element.pk, livrable=livrable)
    )
    if empreinte_lue is not None:
        concurrence.verifier(
            f"L'élément « {_court(element.texte)} »",
            {"texte": element.texte},
            {"texte de l'élément": element.texte},
            empreinte_lue,
            qui=element.modifie_par or "",
        )
    if element.texte == texte:
        return False
    avant = element.texte
    element.texte = texte
    _toucher(element, user)
    element.save()
    validation.do_versionner(
        livrable,
        user,
        f"Grille AFOR « {element.activite.libelle} » : élément reformulé "
        f"({_libelle_quadrant(element.quadrant)}) « {_court(avant)} » "
        f"→ « {_court(texte)} »",
    )
    evenement(livrable, user, "livrables.afor_reformulation", activite=element.activite.code, element=element.pk)
    return True


@transaction.atomic
def do_fusionner_elements(
    livrable, user, elements: list[ElementAfor], garder: ElementAfor | None, texte: str | None = None
) -> ElementAfor:
    """Merge two or more items of the same activity and quadrant into one: `garder` (one of them; None:
    the oldest) keeps its id and takes `texte` when given (else keeps its own text); the others are
    marked `fusionne_dans` it, hidden from the grid but kept with their organisations. Items already
    merged into one of them follow it."""
    verifier_modifiable(livrable)
    ids = sorted({e.pk for e in elements})
    rows = list(
        ElementAfor.objects.select_for_update()
        .filter(pk__in=ids, livrable=livrable)
        .select_related("activite")
        .order_by("id")
    )
    if len(rows) < 2 or len(rows) != len(ids):
        raise ActionRefusee(["fusion : choisissez au moins deux éléments de la grille"])
    if len({(r.activite_id, r.quadrant) for r in rows}) > 1:
        raise ActionRefusee(["fusion : les éléments fusionnés doivent être de la même activité et du même quadrant"])
    if any(r.fusionne_dans_id for r in rows):
        raise ActionRefusee(["fusion : un des éléments choisis est déjà fusionné dans un autre"])
    cible = rows[0] if garder is None else next((r for r in rows if r.pk == garder.pk), None)
    if cible is None:
        raise ActionRefusee(["fusion : le texte conservé doit être celui d'un des éléments choisis"])
    if texte is not None:
        cible.texte = _texte(texte)
    _toucher(cible, user)
    cible.save()
    autres = [r for r in rows if r.pk != cible.pk]
    suivants = list(ElementAfor.objects.select_for_update().filter(livrable=livrable, fusionne_dans__in=autres))
    for r in autres + suivants:
        r.fusionne_dans = cible
        _toucher(r, user)
        r.save()
    validation.do_versionner(
        livrable,
        user,
        f"Grille AFOR « {cible.activite.libelle} » : {len(rows)} éléments fusionnés "
        f"({_libelle_quadrant(cible.quadrant)}) en « {_court(cible.texte)} »",
    )
    evenement(
        livrable,
        user,
        "livrables.afor_fusion",
        activite=cible.activite.code,
        element=cible.pk,
        fusionnes=[r.pk for r in autres],
    )
    return cible


@transaction.atomic
def do_supprimer_element(livrable, user, element: ElementAfor) -> int:
    """Delete an item (the group), with the items merged into it. Returns how many rows were deleted.
    The deliverable's history keeps them (a version can be restored)."""
    verifier_modifiable(livrable)
    element = ElementAfor.objects.select_for_update().select_related("activite").get(pk=element.pk, livrable=livrable)
    fusionnes = list(ElementAfor.objects.filter(livrable=livrable, fusionne_dans=element).values_list("pk", flat=True))
    ElementAfor.objects.filter(pk__in=[element.pk, *fusionnes]).delete()
    n = 1 + len(fusionnes)
    pluriel = "s" if len(fusionnes) > 1 else ""
    avec = f" et des {len(fusionnes)} élément{pluriel} fusionné{pluriel} dedans" if fusionnes else ""
    validation.do_versionner(
        livrable,
        user,
        f"Grille AFOR « {element.activite.libelle} » : suppression de l'élément "
        f"({_libelle_quadrant(element.quadrant)}) « {_court(element.texte)} »{avec}",
    )
    evenement(livrable, user, "livrables.afor_suppression", activite=element.activite.code, element=element.pk)
    return n
