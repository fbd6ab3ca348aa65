"""Rows of the GT1 spreadsheet round trip (livrables/urls_tableur.py): the export is readable by every
member (like the commune's page); importing and resolving conflicts are `peut_remplir_inventaire`
(Bordeaux's DGS and the project team for Bordeaux). A POST carries no file: a refused form is 400;
the conflict resolution without a signed token is 400 too."""

from tests.cast import BORDEAUX
from tests.permissions.commun import members

REMPLISSEURS = {"equipe_projet", "dgs_bordeaux"}


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("livrables:gt1_tableur_xlsx", "get"): members(200),
    ("livrables:gt1_tableur_ods", "get"): members(200),
    ("livrables:gt1_tableur_importer", "get"): only(REMPLISSEURS, 200),
    ("livrables:gt1_tableur_importer", "post"): only(REMPLISSEURS, 400),
    ("livrables:gt1_tableur_resoudre", "get"): only(REMPLISSEURS, 405),
    ("livrables:gt1_tableur_resoudre", "post"): only(REMPLISSEURS, 400),
}


def cas(cast, territoire) -> dict[str, dict]:
    commune = {"theme": "RH", "commune": BORDEAUX}
    return {name: commune for name, _ in MATRIX}
