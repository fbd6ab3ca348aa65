"""Rows of the territory's accounts (/t/<code>/comptes/): the project team alone lists, invites, edits,
deactivates (docs/permissions.md, « Comptes »). The login and password pages are public (commun.PUBLIC)."""

from tests.permissions.commun import members, team_only

# The DGS of an organisation designates its payroll referents (docs/confidentialite.md).
DGS = {"dgs_metropole", "dgs_bordeaux", "dgs_merignac"}

# (url name, method) -> expected status per role. The account acted upon is the observer's.
MATRIX = {
    ("utilisateurs:liste", "get"): team_only(200),
    ("utilisateurs:inviter", "get"): team_only(200),
    ("utilisateurs:inviter", "post"): team_only(400),
    ("utilisateurs:compte", "get"): team_only(200),
    ("utilisateurs:compte", "post"): team_only(400),
    ("utilisateurs:desactiver", "get"): team_only(405),
    ("utilisateurs:desactiver", "post"): team_only(302),
    ("utilisateurs:reactiver", "get"): team_only(405),
    ("utilisateurs:reactiver", "post"): team_only(302),
    ("utilisateurs:renvoyer", "get"): team_only(405),
    ("utilisateurs:renvoyer", "post"): team_only(302),
    ("utilisateurs:referents_paie", "get"): members(403, **{r: 200 for r in DGS}),
    ("utilisateurs:referents_paie", "post"): members(403, **{r: 400 for r in DGS}),
}


def cas(cast, territoire) -> dict[str, dict]:
    """Extra URL kwargs (besides the territory code): the observer's account."""
    compte = {"pk": cast["observateur"].pk}
    return {
        name: compte
        for name in (
            "utilisateurs:compte",
            "utilisateurs:desactiver",
            "utilisateurs:reactiver",
            "utilisateurs:renvoyer",
        )
    }
