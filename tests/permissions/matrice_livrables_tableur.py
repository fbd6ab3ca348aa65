"""Rows of the spreadsheet round trips (livrables/tableur/urls.py). GT1: the export is readable by every
member (like the commune's page); importing and resolving conflicts are `peut_remplir_inventaire`
(Bordeaux's DGS and the project team for Bordeaux). GT2: export and import are
`peut_contribuer`, like adding an item on the grid. GT3: export and import are
`peut_consolider`, like editing a line. A POST carries no file: a refused form is 400; the conflict
resolution without a signed token is 400 too."""

from tests.cast import BORDEAUX
from tests.permissions.commun import members

REMPLISSEURS = {"equipe_projet", "dgs_bordeaux"}
CONTRIBUTEURS = {
    "equipe_projet",
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "membre_rh",
}  # peut_contribuer
CONSOLIDATEURS = {"equipe_projet", "copilote_rh_commune", "copilote_rh_epci", "consultant"}  # peut_consolider


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("livrables:gt1_tableur_xlsx", "get"): members(200),
    ("livrables:gt1_tableur_ods", "get"): members(200),
    ("livrables:gt1_tableur_importer", "get"): only(REMPLISSEURS, 200),
    ("livrables:gt1_tableur_importer", "post"): only(REMPLISSEURS, 400),
    ("livrables:gt1_tableur_resoudre", "get"): only(REMPLISSEURS, 405),
    ("livrables:gt1_tableur_resoudre", "post"): only(REMPLISSEURS, 400),
    **{
        key: expected
        for gt, roles in (("gt2", CONTRIBUTEURS), ("gt3", CONSOLIDATEURS))
        for key, expected in {
            (f"livrables:{gt}_tableur_xlsx", "get"): only(roles, 200),
            (f"livrables:{gt}_tableur_ods", "get"): only(roles, 200),
            (f"livrables:{gt}_tableur_importer", "get"): only(roles, 200),
            (f"livrables:{gt}_tableur_importer", "post"): only(roles, 400),
            (f"livrables:{gt}_tableur_resoudre", "get"): only(roles, 405),
            (f"livrables:{gt}_tableur_resoudre", "post"): only(roles, 400),
        }.items()
    },
}


def cas(cast, territoire) -> dict[str, dict]:
    commune = {"theme": "RH", "commune": BORDEAUX}
    return {name: commune if name.startswith("livrables:gt1") else {"theme": "RH"} for name, _ in MATRIX}
