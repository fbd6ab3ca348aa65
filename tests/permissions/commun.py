"""Roles and helpers of the permission matrix (docs/permissions.md); each app's rows are in
tests/permissions/matrice_<app>.py: `MATRIX` and `cas(cast, territoire)` (extra URL kwargs)."""

ROLES = [
    "anonyme",
    "exterieur",
    "equipe_projet",
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "elu_copil",
    "membre_rh",
    "observateur",
]
MEMBRES = ROLES[2:]
IMPORTEURS = {"equipe_projet", "dgs_metropole", "dgs_bordeaux", "dgs_merignac"}
PUBLIC = {
    "comptes:login",
    "comptes:password_reset",
    "comptes:password_reset_done",
    "comptes:password_reset_confirm",
    "comptes:password_reset_complete",
    # A private calendar address: the address is the key (tests/parcours/test_pages.py).
    "calendrier:flux",
}


def members(status, **overrides):
    """anonymous → login, outsider → 404, every member → `status` unless overridden."""
    table = {"anonyme": 302, "exterieur": 404, **{r: status for r in MEMBRES}}
    table.update(overrides)
    return table


def importers(ok, refused=403, **overrides):
    return members(refused, **{r: ok for r in IMPORTEURS}, **overrides)


def team_only(ok, refused=403):
    return members(refused, equipe_projet=ok)
