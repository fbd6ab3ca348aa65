"""Planned versus actual on hand-computed cases (engine/suivi.py, issue 14): an action realised, one partly,
one not started, a mise à disposition ascendante, a commune whose payroll rose for other reasons, a
commune without the year's payroll; and the weighted progress."""

import polars as pl
import pytest

from engine import suivi as regle
from masse_salariale.lecture import AGREGAT_SCHEMA

EPCI = "200000001"
A, B, C, D, E, F = "10001", "10002", "10003", "10004", "10005", "10006"


def agregats(rows):
    """rows: (employer, theme, activity, situation, beneficiary, cost, etp)."""
    return pl.DataFrame(
        [(e, t, a, s, b, "B", 1, cout, etp) for e, t, a, s, b, cout, etp in rows], schema=AGREGAT_SCHEMA, orient="row"
    )


Y0 = agregats(
    [
        (EPCI, "RH", "RH-FORM", "propre", "", 100_000, 2.0),
        (A, "RH", "RH-PAIE", "propre", "", 80_000, 2.0),
        (B, "RH", "RH-PAIE", "propre", "", 160_000, 4.0),
        (C, "RH", "RH-PAIE", "propre", "", 40_000, 1.0),
        (D, "RH", "RH-PAIE", "propre", "", 42_000, 1.0),
        (E, "RH", "RH-PAIE", "propre", "", 50_000, 1.0),
        (F, "RH", "RH-PAIE", "propre", "", 45_000, 1.0),
        (A, "FIN", "FIN-BUDG", "propre", "", 90_000, 2.0),
    ]
)
N = agregats(
    [
        # The EPCI took A's two agents and two of B's (transferred), with a 2 % rise.
        (EPCI, "RH", "RH-FORM", "propre", "", 102_000, 2.0),
        (EPCI, "RH", "RH-PAIE", "transfere", "", 244_800, 6.0),
        (B, "RH", "RH-PAIE", "propre", "", 81_600, 2.0),
        (C, "RH", "RH-PAIE", "propre", "", 40_800, 1.0),  # not started
        (D, "RH", "RH-PAIE", "mad", EPCI, 42_840, 1.0),  # made available: still D's payroll
        (E, "RH", "RH-PAIE", "propre", "", 52_500, 1.0),  # a 5 % rise, nobody moved
        (A, "FIN", "FIN-BUDG", "propre", "", 91_800, 2.0),
        # F has no payroll this year.
    ]
)


def test_the_realised_move_of_each_commune_against_its_planned_one():
    y0, n = regle.Index(Y0, EPCI), regle.Index(N, EPCI)
    prevus = {
        c: regle.Volume(*v)
        for c, v in {
            A: (80_000, 2),
            B: (160_000, 4),
            C: (40_000, 1),
            D: (42_000, 1),
            E: (50_000, 1),
            F: (45_000, 1),
        }.items()
    }
    mesures = {m.commune: m for m in regle.mesurer(y0, n, prevus, "RH", "RH-PAIE")}
    assert mesures[A].realise == regle.Volume(80_000, 2.0) and mesures[A].etat == regle.REALISE
    assert mesures[B].realise == regle.Volume(78_400, 2.0) and mesures[B].taux == 0.5
    assert mesures[B].etat == regle.PARTIEL
    assert mesures[C].realise == regle.Volume(-800, 0.0) and mesures[C].etat == regle.NON_CONSTATE
    # D's agent is made available: the commune still pays her, the rise of its mise à disposition counts.
    assert mesures[D].realise.etp == 1.0 and mesures[D].etat == regle.REALISE
    # E's payroll rose for other reasons: a negative amount, no ETP moved, never a negative realisation.
    assert mesures[E].realise == regle.Volume(-2_500, 0.0) and mesures[E].taux == 0.0
    assert mesures[F].realise is None and mesures[F].etat == regle.SANS_DONNEE
    noms = {A: "Aubin", B: "Blaye", C: "Cenac", D: "Dax", E: "Eysus", F: "Fargues"}
    assert regle.phrase(list(mesures.values()), 2027, noms) == (
        "réalisé en 2027 pour 2 communes sur 5, partiellement pour 1 ; "
        "pas de masse salariale 2027 pour Fargues : pas de mesure"
    )


def test_an_activity_is_measured_on_its_own_lines_and_a_theme_on_all_of_them():
    y0, n = regle.Index(Y0, EPCI), regle.Index(N, EPCI)
    assert regle.realise(y0, n, A, "FIN", "FIN-BUDG") == regle.Volume(-1_800, 0.0)
    assert regle.realise(y0, n, A, "RH", None) == regle.Volume(80_000, 2.0)
    assert regle.realise(y0, n, A, "", None).etp == 2.0  # all themes: the FIN agents stayed


def test_nothing_to_measure_is_said_so():
    assert regle.phrase([], 2027, {}) == "aucune base à mesurer dans la masse salariale de l'année du schéma"
    m = regle.MesureCommune(C, regle.Volume(), regle.Volume(0, 0))
    assert m.etat == regle.SANS_BASE and m.taux is None


def test_the_epci_side_and_the_communes_side_of_each_theme():
    y0, n = regle.Index(Y0, EPCI), regle.Index(N, EPCI)
    communes = [A, B, C, D, E, F]
    depart, apres = regle.par_theme(y0, communes, ["RH"]), regle.par_theme(n, communes, ["RH"])
    assert depart["RH"]["epci"].etp == 2.0 and depart["RH"]["communes"].etp == 10.0
    assert apres["RH"]["epci"].etp == 2.0 + 6.0 + 1.0  # its own, the transferred, D's made available
    assert apres["RH"]["communes"].etp == 4.0
    prevu = regle.prevu_par_theme(depart, [("RH", regle.Volume(80_000, 2.0), 0.1), ("FIN", regle.Volume(1, 1), 0)])
    assert prevu["RH"]["communes"].etp == 8.0 and prevu["RH"]["epci"].etp == pytest.approx(3.8)
    assert regle.transferes_et_mis_a_disposition(n, communes) == 7.0
    assert regle.transferes_et_mis_a_disposition(y0, communes) == 0.0


def test_progress_weighted_by_what_is_at_stake_counts_an_item_without_progress_as_zero():
    assert regle.avancement_pondere([(50, 100_000), (None, 50_000), (100, 50_000)]) == (50.0, 1)
    assert regle.avancement_pondere([(None, 10), (None, 30)]) == (0.0, 2)
    assert regle.avancement_pondere([]) == (None, 0)
    assert regle.avancement_pondere([(80, 0)]) == (None, 0)
