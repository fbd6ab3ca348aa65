"""An approved schéma to follow: the payroll of 2025, a version with four actions (RH-PAIE of Bordeaux,
Mérignac and Pessac in a service commun in 2026; FIN-BUDG of Bordeaux in 2027; RH-FORM of Talence made
available to the EPCI in 2026; a purchasing group in 2026), sent to the communes in January 2026 and
approved once their opinions are deemed favourable; then the payroll of 2026 where Bordeaux's and
Mérignac's payroll agents moved to the EPCI, Pessac's did not, Talence's agent is made available, and
every salary rose by 2 %."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv

D = dt.date


def paie_2025() -> list[str]:
    rows = [f"{EPCI};E{i};FIN;50000;1;1;propre;;FIN-BUDG;A" for i in range(6)]
    rows += [f"{BORDEAUX};B{i};RH;{40000 + 1000 * i};1;1;propre;;RH-PAIE;C" for i in range(6)]
    rows += [f"{BORDEAUX};F{i};FIN;45000;1;1;propre;;FIN-BUDG;B" for i in range(5)]
    rows += [f"{MERIGNAC};M{i};RH;42000;1;1;propre;;RH-PAIE;C" for i in range(5)]
    rows += [f"{PESSAC};P{i};RH;39000;1;1;propre;;RH-PAIE;C" for i in range(5)]
    rows += [f"{TALENCE};T{i};RH;41000;1;1;propre;;RH-FORM;B" for i in range(5)]
    return rows


def paie_2026() -> list[str]:
    """Bordeaux's and Mérignac's payroll agents now at the EPCI (transferred), Pessac's still at home,
    Talence's made available to the EPCI, 2 % more for everyone."""
    rows = [f"{EPCI};E{i};FIN;51000;1;1;propre;;FIN-BUDG;A" for i in range(6)]
    rows += [f"{EPCI};XB{i};RH;{round((40000 + 1000 * i) * 1.02)};1;1;transfere;;RH-PAIE;C" for i in range(6)]
    rows += [f"{EPCI};XM{i};RH;42840;1;1;transfere;;RH-PAIE;C" for i in range(5)]
    rows += [f"{BORDEAUX};F{i};FIN;45900;1;1;propre;;FIN-BUDG;B" for i in range(5)]
    rows += [f"{MERIGNAC};MF;FIN;40000;1;1;propre;;FIN-BUDG;B"]
    rows += [f"{PESSAC};P{i};RH;39780;1;1;propre;;RH-PAIE;C" for i in range(5)]
    rows += [f"{TALENCE};T{i};RH;41820;1;1;mad;{EPCI};RH-FORM;B" for i in range(5)]
    return rows


def importer(territoire, lignes, annee, user):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_csv(*lignes), f"paie-{annee}.csv", annee, user)
    return do_confirmer_lot(lot, user)


def approuver_version(cast, territoire):
    from parcours.actions import do_approuver, do_envoyer_projet, do_figer_version
    from scenarios import calcul
    from scenarios.actions import do_ajouter_actions, do_creer

    equipe = cast["equipe_projet"]
    importer(territoire, paie_2025(), 2025, equipe)
    schema = territoire.schemas.get()
    scenario = do_creer(schema, equipe, "Schéma 2026-2032")
    orgs = {o.code: o for o in territoire.organisations.all()}

    def action(theme, activite, modalite, annee, communes, gain="0"):
        return (
            {
                "theme": theme,
                "activite": activite,
                "modalite": modalite,
                "part": Decimal("1"),
                "gain": Decimal(gain),
                "annee": annee,
            },
            [orgs[c] for c in communes],
            None,
        )

    do_ajouter_actions(
        calcul.contexte(territoire),
        scenario,
        equipe,
        [
            action("RH", "RH-PAIE", "service_commun", 2026, (BORDEAUX, MERIGNAC, PESSAC)),
            action("FIN", "FIN-BUDG", "service_commun", 2027, (BORDEAUX,)),
            action("RH", "RH-FORM", "mad_ascendante", 2026, (TALENCE,)),
            action("CPAJ", "CPAJ-MARC", "groupement_commandes", 2026, (BORDEAUX, MERIGNAC)),
        ],
    )
    version = do_figer_version(schema, scenario, "projet", equipe)
    communes = list(territoire.organisations.communes())
    envois = do_envoyer_projet(version, communes, D(2026, 1, 5), "courriel", equipe, D(2026, 1, 5))
    from parcours.actions import do_enregistrer_reception

    for e in envois:
        do_enregistrer_reception(
            e,
            D(2026, 1, 6),
            SimpleUploadedFile("ar.pdf", b"%PDF-1.4 ar", content_type="application/pdf"),
            equipe,
            D(2026, 1, 6),
        )
    valeurs = {
        "date": D(2026, 4, 10),
        "numero": "2026-101",
        "objet": "Approbation du schéma de mutualisation",
        "effectif": 100,
        "presents": 90,
        "pour": 85,
        "contre": 3,
        "abstention": 2,
    }
    do_approuver(version, valeurs, equipe, D(2026, 4, 10))
    version.refresh_from_db()
    return version


@pytest.fixture
def approuvee(cast, territoire):
    return approuver_version(cast, territoire)


@pytest.fixture
def avec_2026(cast, territoire, approuvee):
    importer(territoire, paie_2026(), 2026, cast["equipe_projet"])
    return approuvee
