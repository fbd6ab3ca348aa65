"""Rows of the schéma's priority matrix: every member reads it, as the GT3 lists (docs/permissions.md,
« Livrables »); a reading page (other methods 405). The RH group has a placed GT3 line."""

from tests.permissions.commun import members

MATRIX = {
    ("scenarios:matrice", "get"): members(200),
    ("scenarios:matrice", "post"): members(405),
}


def cas(cast, territoire) -> dict[str, dict]:
    from livrables.gt3.actions import do_creer_ligne

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    do_creer_ligne(
        groupe,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-FORM"),
            "modalite": "groupement_commandes",
            "toutes_communes": True,
            "faisabilite": "4+",
            "qualification": 2,
            "communes": [],
        },
    )
    return {"scenarios:matrice": {}}
