"""Rows of the foundation: territory, payroll, coefficient, referential."""

from tests.permissions.commun import MEMBRES, importers, members, team_only

# (url name, method) -> expected status per role. `lot` is a batch imported by the project team.
MATRIX = {
    ("accueil", "get"): {"anonyme": 302, "exterieur": 302, **{r: 302 for r in MEMBRES}},
    ("espace:accueil", "get"): members(200),
    ("espace:territoire", "get"): members(200),
    ("masse_salariale:coefficient", "get"): members(200),
    ("masse_salariale:detail", "get"): members(200),
    ("masse_salariale:fonctionnels", "get"): team_only(405),
    ("masse_salariale:fonctionnels", "post"): team_only(302),
    ("masse_salariale:lots", "get"): members(200),
    ("masse_salariale:importer", "get"): importers(302),
    ("masse_salariale:importer", "post"): importers(400),
    ("masse_salariale:modele", "get"): importers(200),
    ("masse_salariale:lot", "get"): team_only(200),
    ("masse_salariale:confirmer", "get"): team_only(405),
    ("masse_salariale:confirmer", "post"): team_only(302),
    ("masse_salariale:abandonner", "get"): team_only(405),
    ("masse_salariale:abandonner", "post"): team_only(302),
    ("referentiel:liste", "get"): members(200),
    ("referentiel:exporter", "get"): members(200),
    ("referentiel:importer", "get"): team_only(302),
    ("referentiel:importer", "post"): team_only(400),
    ("referentiel:ajouter", "get"): team_only(200),
    ("referentiel:ajouter", "post"): team_only(400),
    ("referentiel:modifier", "get"): team_only(200),
    ("referentiel:modifier", "post"): team_only(400),
    ("referentiel:supprimer", "get"): team_only(200),
    ("referentiel:supprimer", "post"): team_only(302),
}


def cas(cast, territoire) -> dict[str, dict]:
    """Extra URL kwargs (besides the territory code) of the URLs that need an object."""
    from masse_salariale.actions import do_preparer_lot
    from tests.cast import payroll_csv, payroll_rows_small

    lot = do_preparer_lot(territoire, payroll_csv(*payroll_rows_small()), "paie.csv", 2025, cast["equipe_projet"])
    activite = territoire.activites.values_list("pk", flat=True).first()
    return {
        **{
            name: {"pk": lot.pk}
            for name in ("masse_salariale:lot", "masse_salariale:confirmer", "masse_salariale:abandonner")
        },
        **{name: {"pk": activite} for name in ("referentiel:modifier", "referentiel:supprimer")},
    }
