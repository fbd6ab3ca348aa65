"""Rows of payroll from DSN files: the sending page for whoever imports payroll; a reading and an
employer's correspondence only for those who import that employer's payroll (Mérignac's DGS, the project
team). `lecture` is a reading of Mérignac's DSN waiting to be placed; `envoi`, a year of Mérignac's DSN sent
by its DGS and waiting for the worker (masse_salariale/imports.py): its page is hers alone (404 for the
other importers, 403 for those who import nothing)."""

from tests.permissions.commun import importers, members


def merignac(ok, refused=403):
    return members(refused, equipe_projet=ok, dgs_merignac=ok)


def envoyeuse(ok):
    return members(403, equipe_projet=404, dgs_metropole=404, dgs_bordeaux=404, dgs_merignac=ok)


MATRIX = {
    ("masse_salariale:dsn", "get"): importers(200),
    ("masse_salariale:dsn", "post"): importers(400),
    ("masse_salariale:dsn_lecture", "get"): merignac(200),
    ("masse_salariale:dsn_placer", "get"): merignac(405),
    ("masse_salariale:dsn_placer", "post"): merignac(302),
    ("masse_salariale:dsn_preparer", "get"): merignac(405),
    ("masse_salariale:dsn_preparer", "post"): merignac(302),
    ("masse_salariale:dsn_abandonner", "get"): merignac(405),
    ("masse_salariale:dsn_abandonner", "post"): merignac(302),
    ("masse_salariale:regles", "get"): merignac(200),
    ("masse_salariale:regles", "post"): merignac(400),
    ("masse_salariale:regles_export", "get"): merignac(200),
    ("masse_salariale:regle_supprimer", "get"): merignac(405),
    ("masse_salariale:regle_supprimer", "post"): merignac(302),
    ("masse_salariale:import", "get"): envoyeuse(200),
    ("masse_salariale:import", "post"): envoyeuse(405),
    ("masse_salariale:import_etat", "get"): envoyeuse(200),
    ("masse_salariale:import_etat", "post"): envoyeuse(405),
}


def cas(cast, territoire) -> dict[str, dict]:
    from decimal import Decimal

    from masse_salariale.models import AgentDSN, ImportPaie, LectureDSN
    from tests.cast import MERIGNAC

    organisation = territoire.organisations.get(code=MERIGNAC)
    lecture = LectureDSN.objects.create(
        territoire=territoire, organisation=organisation, annee=2025, importe_par=cast["dgs_merignac"]
    )
    AgentDSN.objects.create(
        lecture=lecture, matricule="A1", cout=Decimal("30000"), etp=Decimal(1), statut="titulaire", libelle="Jardinier"
    )
    envoi = ImportPaie.objects.create(
        territoire=territoire,
        genre="dsn",
        organisation=organisation,
        annee=2025,
        dossier="0" * 32,
        fichiers=[{"nom": "dsn-2025.zip", "taille": 1000, "role": "dsn"}],
        demande_par=cast["dgs_merignac"],
    )
    lectures = ("dsn_lecture", "dsn_placer", "dsn_preparer", "dsn_abandonner")
    regles = ("regles", "regles_export", "regle_supprimer")
    return {
        **{f"masse_salariale:{n}": {"pk": lecture.pk} for n in lectures},
        **{f"masse_salariale:{n}": {"employeur": MERIGNAC} for n in regles},
        **{f"masse_salariale:{n}": {"pk": envoi.pk} for n in ("import", "import_etat")},
    }
