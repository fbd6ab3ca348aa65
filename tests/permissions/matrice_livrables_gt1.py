"""Rows of the GT1 inventory and of the deliverables' validation circuit (docs/permissions.md,
« Livrables »). A commune's inventory is filled by its DGS or a delegate and the project team
(`peut_remplir_inventaire`); submitting is `peut_soumettre_livrable` (the group's participants, the
DGS, the project team); validating and returning the co-pilots'; reopening the project team's;
restoring a version `peut_consolider`. The objects: the RH group's GT1 filled by Bordeaux and submitted
(version 2), the FIN group's GT1 as a draft (to submit). A POST carries no data: a refused form is 400."""

from tests.cast import BORDEAUX
from tests.permissions.commun import members, team_only

COPILOTES = {"copilote_rh_commune", "copilote_rh_epci"}
CONSOLIDATEURS = {"equipe_projet", "consultant"} | COPILOTES
SOUMETTEURS_FIN = {"equipe_projet", "dgs_metropole", "dgs_bordeaux", "dgs_merignac", "consultant"}


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("livrables:gt1", "get"): members(200),
    ("livrables:gt1_commune", "get"): members(200),
    ("livrables:gt1_activite", "get"): members(200),
    ("livrables:gt1_activite", "post"): members(405),
    ("livrables:gt1_commune", "post"): only({"equipe_projet", "dgs_bordeaux"}, 400),
    ("livrables:circuit", "get"): members(200),
    ("livrables:circuit_soumettre", "get"): only(SOUMETTEURS_FIN, 405),
    # FIN's list has no answer: submitting it takes a confirmation the empty POST does not carry.
    ("livrables:circuit_soumettre", "post"): only(SOUMETTEURS_FIN, 400),
    ("livrables:circuit_viser", "get"): only(COPILOTES, 405),
    ("livrables:circuit_viser", "post"): only(COPILOTES, 302),
    ("livrables:circuit_renvoyer", "get"): only(COPILOTES, 405),
    ("livrables:circuit_renvoyer", "post"): only(COPILOTES, 400),
    ("livrables:circuit_rouvrir", "get"): team_only(405),
    ("livrables:circuit_rouvrir", "post"): team_only(400),
    ("livrables:circuit_version", "get"): members(200),
    ("livrables:circuit_restaurer", "get"): only(CONSOLIDATEURS, 405),
    ("livrables:circuit_restaurer", "post"): only(CONSOLIDATEURS, 302),
}


def cas(cast, territoire) -> dict[str, dict]:
    from decimal import Decimal

    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre
    from livrables.gt1.actions import do_enregistrer_inventaire

    schema = territoire.schemas.get()
    rh, fin = schema.groupes.get(theme="RH"), schema.groupes.get(theme="FIN")
    livrable = livrable_de(rh, "GT1")
    paie = territoire.activites.get(code="RH-PAIE")
    do_enregistrer_inventaire(
        livrable,
        territoire.organisations.get(code=BORDEAUX),
        cast["dgs_bordeaux"],
        {paie.pk: {"exerce": True, "etp": Decimal("3"), "sous_activites": "", "specificites": "Paie interne"}},
    )
    do_soumettre(livrable, cast["dgs_bordeaux"])
    livrable_de(fin, "GT1")
    rh_gt1 = {"theme": "RH", "type": "GT1"}
    return {
        "livrables:gt1": {"theme": "RH"},
        "livrables:gt1_commune": {"theme": "RH", "commune": BORDEAUX},
        "livrables:gt1_activite": {"theme": "RH", "activite": "RH-PAIE"},
        "livrables:circuit": rh_gt1,
        "livrables:circuit_soumettre": {"theme": "FIN", "type": "GT1"},
        "livrables:circuit_viser": rh_gt1,
        "livrables:circuit_renvoyer": rh_gt1,
        "livrables:circuit_rouvrir": rh_gt1,
        "livrables:circuit_version": {**rh_gt1, "numero": 1},
        "livrables:circuit_restaurer": {**rh_gt1, "numero": 1},
    }
