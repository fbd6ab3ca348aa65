"""Rows of the GT2 AFOR grid (docs/permissions.md, « Livrables »): contributing is `peut_contribuer`
(the group's participants, the DGS, the project team), rewording, merging and deleting is
`peut_consolider` (the project team, the group's co-pilots, the consultants). The objects are the RH
group's grid with one item in RH-PAIE. A POST carries no data: a refused form is 400."""

from tests.permissions.commun import members

CONTRIBUTEURS = {
    "equipe_projet",
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "membre_rh",
}
CONSOLIDATEURS = {"equipe_projet", "copilote_rh_commune", "copilote_rh_epci", "consultant"}


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("livrables:afor", "get"): members(200),
    ("livrables:afor_activite", "get"): members(200),
    ("livrables:afor_ajouter", "get"): only(CONTRIBUTEURS, 405),
    ("livrables:afor_ajouter", "post"): only(CONTRIBUTEURS, 400),
    ("livrables:afor_fusionner", "get"): only(CONSOLIDATEURS, 200),
    ("livrables:afor_fusionner", "post"): only(CONSOLIDATEURS, 400),
    ("livrables:afor_reformuler", "get"): only(CONSOLIDATEURS, 405),
    ("livrables:afor_reformuler", "post"): only(CONSOLIDATEURS, 400),
    ("livrables:afor_supprimer", "get"): only(CONSOLIDATEURS, 405),
    ("livrables:afor_supprimer", "post"): only(CONSOLIDATEURS, 302),
}


def cas(cast, territoire) -> dict[str, dict]:
    from livrables.enums import Quadrant
    from livrables.gt2.actions import do_ajouter_element, livrable_afor

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    paie = territoire.activites.get(code="RH-PAIE")
    membre = cast["membre_rh"]
    element = do_ajouter_element(
        livrable_afor(groupe), membre, paie, Quadrant.FAIBLESSE, "Logiciels de paie différents", membre.organisation
    )
    activite = {"theme": "RH", "activite": "RH-PAIE"}
    return {
        "livrables:afor": {"theme": "RH"},
        "livrables:afor_activite": activite,
        "livrables:afor_ajouter": activite,
        "livrables:afor_fusionner": activite,
        "livrables:afor_reformuler": {**activite, "pk": element.pk},
        "livrables:afor_supprimer": {**activite, "pk": element.pk},
    }
