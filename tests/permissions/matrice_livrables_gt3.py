"""Rows of GT3 « liste des activités mutualisables » (docs/permissions.md, « Livrables »). The object is a
line of the RH group's GT3, in draft. A POST carries no data: a refused form is 400."""

from tests.permissions.commun import members

CONSOLIDATEURS = {"equipe_projet", "copilote_rh_commune", "copilote_rh_epci", "consultant"}  # peut_consolider
NOTEURS = {"copilote_rh_commune", "copilote_rh_epci", "consultant"}  # peut_noter


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("livrables:gt3", "get"): members(200),
    ("livrables:gt3", "post"): members(405),
    ("livrables:gt3_candidats", "get"): members(200),
    ("livrables:gt3_ligne", "get"): members(200),
    ("livrables:gt3_ajouter", "get"): only(CONSOLIDATEURS, 200),
    ("livrables:gt3_ajouter", "post"): only(CONSOLIDATEURS, 400),
    ("livrables:gt3_modifier", "get"): only(CONSOLIDATEURS, 200),
    ("livrables:gt3_modifier", "post"): only(CONSOLIDATEURS, 400),
    ("livrables:gt3_consensus", "get"): only(CONSOLIDATEURS, 405),
    ("livrables:gt3_consensus", "post"): only(CONSOLIDATEURS, 400),
    ("livrables:gt3_noter", "get"): only(NOTEURS, 405),
    ("livrables:gt3_noter", "post"): only(NOTEURS, 400),
    ("livrables:gt3_supprimer", "get"): only(CONSOLIDATEURS, 200),
    ("livrables:gt3_supprimer", "post"): only(CONSOLIDATEURS, 302),
}


def cas(cast, territoire) -> dict[str, dict]:
    from livrables.gt3.actions import do_creer_ligne

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    ligne = do_creer_ligne(
        groupe,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "modalite": "service_commun",
            "toutes_communes": True,
            "faisabilite": "3",
            "qualification": 4,
            "communes": [],
        },
    )
    par_ligne = {"theme": "RH", "pk": ligne.pk}
    return {
        "livrables:gt3": {"theme": "RH"},
        "livrables:gt3_candidats": {"theme": "RH"},
        "livrables:gt3_ajouter": {"theme": "RH"},
        **{f"livrables:gt3_{nom}": par_ligne for nom in ("ligne", "modifier", "consensus", "noter", "supprimer")},
    }
