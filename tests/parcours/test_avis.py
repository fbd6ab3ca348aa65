"""The state of a commune's opinion (engine/avis.py), table-driven: in time whenever recorded, the last
deliberation dated in time prevails, réputé favorable from the day after the deadline, « hors délai »
kept without changing the deemed opinion."""

import datetime as dt

import pytest

from engine.avis import Avis, EtatAvis, departement_de, etat_avis

D = dt.date
RECU = D(2026, 12, 15)  # deadline 15 March 2027 (a Monday)


@pytest.mark.parametrize(
    ("avis", "aujourdhui", "etat", "retenu"),
    [
        ([], D(2027, 1, 10), EtatAvis.ATTENDU, None),
        ([], D(2027, 3, 15), EtatAvis.ATTENDU, None),  # the deadline day itself: still awaited
        ([], D(2027, 3, 16), EtatAvis.REPUTE_FAVORABLE, None),  # the day after: deemed favourable
        ([Avis(D(2027, 2, 1), "favorable", 1)], D(2027, 2, 2), EtatAvis.EXPRIME, "favorable"),
        # dated on the deadline, recorded weeks later: in time
        ([Avis(D(2027, 3, 15), "defavorable", 1)], D(2027, 4, 30), EtatAvis.EXPRIME, "defavorable"),
        # the council changes its mind within the delay: the last deliberation prevails
        (
            [Avis(D(2027, 1, 20), "defavorable", 1), Avis(D(2027, 3, 1), "favorable", 2)],
            D(2027, 3, 2),
            EtatAvis.EXPRIME,
            "favorable",
        ),
        # recorded in the other order: the date decides, not the recording
        (
            [Avis(D(2027, 3, 1), "favorable", 2), Avis(D(2027, 1, 20), "defavorable", 1)],
            D(2027, 3, 2),
            EtatAvis.EXPRIME,
            "favorable",
        ),
        # two deliberations the same day: the later recorded
        (
            [Avis(D(2027, 3, 1), "favorable", 1), Avis(D(2027, 3, 1), "reserves", 2)],
            D(2027, 3, 2),
            EtatAvis.EXPRIME,
            "reserves",
        ),
        # dated after the deadline: hors délai, the opinion stays deemed favourable
        ([Avis(D(2027, 3, 16), "defavorable", 1)], D(2027, 3, 20), EtatAvis.REPUTE_FAVORABLE, None),
    ],
)
def test_state_of_the_opinion(avis, aujourdhui, etat, retenu):
    e = etat_avis(True, RECU, avis, aujourdhui)
    assert e.echeance.echeance == D(2027, 3, 15)
    assert e.etat == etat
    assert (e.retenu.issue if e.retenu else None) == retenu


def test_a_late_deliberation_is_kept_apart_and_an_in_time_one_still_counts():
    e = etat_avis(
        True, RECU, [Avis(D(2027, 2, 1), "favorable", 1), Avis(D(2027, 4, 1), "defavorable", 2)], D(2027, 4, 2)
    )
    assert e.etat == EtatAvis.EXPRIME and e.retenu.issue == "favorable"
    assert [a.ordre for a in e.hors_delai] == [2]


def test_not_sent_and_receipt_to_record():
    assert etat_avis(False, None, [], D(2027, 1, 1)).etat == EtatAvis.NON_TRANSMIS
    assert etat_avis(True, None, [], D(2027, 1, 1)).etat == EtatAvis.RECEPTION_A_ENREGISTRER
    assert not etat_avis(True, None, [], D(2027, 1, 1)).a_un_avis


@pytest.mark.parametrize(("aujourdhui", "restants"), [(D(2027, 3, 14), 1), (D(2027, 3, 15), 0), (D(2027, 3, 16), None)])
def test_countdown(aujourdhui, restants):
    assert etat_avis(True, RECU, [], aujourdhui).jours_restants == restants


@pytest.mark.parametrize(("code", "dep"), [("33063", "33"), ("57463", "57"), ("97411", "974"), ("2A004", "2A")])
def test_departement_of_a_commune(code, dep):
    assert departement_de(code) == dep
