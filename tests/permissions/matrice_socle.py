"""Rows of the foundation: territory, payroll, coefficient, referential."""

from tests.permissions.commun import MEMBRES, importers, members, team_only


def profil_merignac(ok):
    """Mérignac's export profile: its DGS and the team; another DGS does not see it (404)."""
    return members(403, equipe_projet=ok, dgs_merignac=ok, dgs_bordeaux=404, dgs_metropole=404)


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
    ("masse_salariale:consultations", "get"): importers(200),  # the project team and the DGS
    ("masse_salariale:importer", "get"): importers(302),
    ("masse_salariale:importer", "post"): importers(400),
    ("masse_salariale:modele", "get"): importers(200),
    ("masse_salariale:lot", "get"): team_only(200),
    ("masse_salariale:confirmer", "get"): team_only(405),
    ("masse_salariale:confirmer", "post"): team_only(302),
    ("masse_salariale:abandonner", "get"): team_only(405),
    ("masse_salariale:abandonner", "post"): team_only(302),
    # A payroll export mapped column by column; `profil` is Mérignac's profile: its DGS and the team only.
    ("masse_salariale:export", "get"): importers(200),
    ("masse_salariale:export", "post"): importers(400),
    ("masse_salariale:export_correspondance", "get"): importers(302),
    ("masse_salariale:export_correspondance", "post"): importers(302),
    ("masse_salariale:export_abandonner", "get"): importers(405),
    ("masse_salariale:export_abandonner", "post"): importers(302),
    ("masse_salariale:export_profil_supprimer", "get"): profil_merignac(405),
    ("masse_salariale:export_profil_supprimer", "post"): profil_merignac(302),
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
    from masse_salariale.models import ProfilColonnes
    from tests.cast import MERIGNAC, payroll_csv, payroll_rows_small

    lot = do_preparer_lot(territoire, payroll_csv(*payroll_rows_small()), "paie.csv", 2025, cast["equipe_projet"])
    activite = territoire.activites.values_list("pk", flat=True).first()
    profil = ProfilColonnes.objects.create(
        organisation=territoire.organisations.get(code=MERIGNAC), nom="Export annuel", colonnes={"Matricule": "agent"}
    )
    return {
        "masse_salariale:export_profil_supprimer": {"pk": profil.pk},
        **{
            name: {"pk": lot.pk}
            for name in ("masse_salariale:lot", "masse_salariale:confirmer", "masse_salariale:abandonner")
        },
        **{name: {"pk": activite} for name in ("referentiel:modifier", "referentiel:supprimer")},
    }
