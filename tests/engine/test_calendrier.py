"""The councils' opinion clock (engine/calendrier.py, docs/consultation.md), by tables of cases: three months
to the same day number or the month's last day, never moved but flagged on a weekend or a holiday of the
département, réputé favorable the day after, the convocation's clear days and the reminders."""

import datetime as dt

import pytest

from engine.calendrier import (
    Rappel,
    ajouter_mois,
    derniere_convocation,
    echeance_avis,
    jour_non_ouvre,
    rappels,
)

D = dt.date


@pytest.mark.parametrize(
    ("depart", "mois", "attendu"),
    [
        (D(2026, 1, 21), 1, D(2026, 2, 21)),  # CE 17 septembre 2010: 21 January → 21 February
        (D(2026, 12, 15), 3, D(2027, 3, 15)),  # the same day number, across the year
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # no 30 February: the month's last day
        (D(2026, 11, 29), 3, D(2027, 2, 28)),  # no 29 February in 2027
        (D(2027, 11, 29), 3, D(2028, 2, 29)),  # 29 February 2028 exists
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # leap year: its last day is the 29th
        (D(2028, 2, 29), 3, D(2028, 5, 29)),  # received on 29 February
        (D(2027, 2, 28), 3, D(2027, 5, 28)),  # received on the month's last day: not the 31st
        (D(2026, 12, 31), 3, D(2027, 3, 31)),
        (D(2027, 1, 31), 3, D(2027, 4, 30)),
        (D(2027, 8, 31), 3, D(2027, 11, 30)),
        (D(2026, 10, 31), 3, D(2027, 1, 31)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2027, 3, 5), 0, D(2027, 3, 5)),
    ],
)
def test_months_are_counted_to_the_same_day_or_the_months_last(depart, mois, attendu):
    assert ajouter_mois(depart, mois) == attendu


@pytest.mark.parametrize(
    ("reception", "departement", "echeance", "motif", "dernier_jour_ouvre"),
    [
        (D(2026, 12, 15), None, D(2027, 3, 15), None, D(2027, 3, 15)),  # a Monday
        (D(2026, 12, 13), None, D(2027, 3, 13), "samedi", D(2027, 3, 12)),
        (D(2026, 12, 14), None, D(2027, 3, 14), "dimanche", D(2027, 3, 12)),
        (D(2026, 11, 30), None, D(2027, 2, 28), "dimanche", D(2027, 2, 26)),
        (D(2026, 2, 1), "33", D(2026, 5, 1), "Fête du Travail", D(2026, 4, 30)),  # a Friday
        (D(2027, 2, 1), "33", D(2027, 5, 1), "Fête du Travail", D(2027, 4, 30)),  # a Saturday: the holiday is named
        # Good Friday 2027: a holiday in Moselle and Alsace, not in Gironde nor in Paris
        (D(2026, 12, 26), "57", D(2027, 3, 26), "Vendredi saint", D(2027, 3, 25)),
        (D(2026, 12, 26), "67", D(2027, 3, 26), "Vendredi saint", D(2027, 3, 25)),
        (D(2026, 12, 26), "68", D(2027, 3, 26), "Vendredi saint", D(2027, 3, 25)),
        (D(2026, 12, 26), "33", D(2027, 3, 26), None, D(2027, 3, 26)),
        (D(2026, 12, 26), "75", D(2027, 3, 26), None, D(2027, 3, 26)),
        (D(2026, 12, 26), "2A", D(2027, 3, 26), None, D(2027, 3, 26)),
        (D(2026, 12, 26), None, D(2027, 3, 26), None, D(2027, 3, 26)),
        # Easter Monday: back over the weekend, and over Good Friday too in Moselle
        (D(2026, 12, 29), "33", D(2027, 3, 29), "Lundi de Pâques", D(2027, 3, 26)),
        (D(2026, 12, 29), "57", D(2027, 3, 29), "Lundi de Pâques", D(2027, 3, 25)),
        # a Sunday after Christmas Friday: back over the weekend and the holiday
        (D(2026, 9, 27), "33", D(2026, 12, 27), "dimanche", D(2026, 12, 24)),
        (D(2026, 9, 27), "57", D(2026, 12, 27), "dimanche", D(2026, 12, 24)),
        (D(2025, 9, 26), "57", D(2025, 12, 26), "Saint-Étienne", D(2025, 12, 24)),  # a Friday in Moselle
        (D(2025, 9, 26), "33", D(2025, 12, 26), None, D(2025, 12, 26)),
        (D(2026, 10, 1), None, D(2027, 1, 1), "Jour de l'an", D(2026, 12, 31)),  # back into the previous year
        # overseas holidays on weekdays, each in its own département only
        (D(2026, 12, 4), "971", D(2027, 3, 4), "Mi-Carême", D(2027, 3, 3)),
        (D(2026, 12, 4), "972", D(2027, 3, 4), None, D(2027, 3, 4)),
        (D(2027, 2, 27), "971", D(2027, 5, 27), "Abolition de l'esclavage", D(2027, 5, 26)),
        (D(2027, 2, 27), "33", D(2027, 5, 27), None, D(2027, 5, 27)),
        (D(2026, 2, 22), "972", D(2026, 5, 22), "Abolition de l'esclavage", D(2026, 5, 21)),
        (D(2027, 3, 10), "973", D(2027, 6, 10), "Abolition de l'esclavage", D(2027, 6, 9)),
        (D(2026, 1, 27), "976", D(2026, 4, 27), "Abolition de l'esclavage", D(2026, 4, 24)),  # a Monday
    ],
)
def test_deadline_is_never_moved_but_flagged(reception, departement, echeance, motif, dernier_jour_ouvre):
    e = echeance_avis(reception, departement)
    assert e.reception == reception
    assert e.echeance == echeance
    assert e.motif_non_ouvre == motif
    assert e.jour_non_ouvre is (motif is not None)
    assert e.dernier_jour_ouvre == dernier_jour_ouvre


@pytest.mark.parametrize(
    ("reception", "reputee_favorable_le"),
    [
        (D(2026, 12, 15), D(2027, 3, 16)),
        (D(2026, 11, 30), D(2027, 3, 1)),  # deadline 28 February 2027
        (D(2027, 11, 30), D(2028, 3, 1)),  # deadline 29 February 2028
        (D(2026, 12, 31), D(2027, 4, 1)),  # deadline 31 March 2027
        (D(2026, 9, 30), D(2026, 12, 31)),  # deadline 30 December 2026
        (D(2026, 10, 1), D(2027, 1, 2)),  # deadline on New Year's Day: not moved, deemed the day after
        (D(2026, 12, 14), D(2027, 3, 15)),  # deadline on a Sunday: still the day after, not after the weekend
    ],
)
def test_opinion_is_deemed_favourable_from_the_day_after_the_deadline(reception, reputee_favorable_le):
    assert echeance_avis(reception).reputee_favorable_le == reputee_favorable_le


@pytest.mark.parametrize(
    ("jour", "departement", "motif"),
    [
        (D(2027, 3, 12), None, None),
        (D(2027, 3, 13), None, "samedi"),
        (D(2027, 3, 14), None, "dimanche"),
        (D(2027, 5, 1), None, "Fête du Travail"),
        (D(2027, 7, 14), "2B", "Fête nationale"),
        (D(2027, 3, 26), "57", "Vendredi saint"),
        (D(2027, 3, 26), "75", None),
        (D(2026, 12, 26), "57", "Saint-Étienne"),  # a Saturday: the holiday is named
        (D(2026, 12, 26), "33", "samedi"),
        (D(2027, 3, 4), "971", "Mi-Carême"),
        (D(2027, 3, 4), None, None),
        (D(2027, 3, 26), "2a", None),  # lower case accepted
    ],
)
def test_reason_a_day_is_not_worked(jour, departement, motif):
    assert jour_non_ouvre(jour, departement) == motif


@pytest.mark.parametrize("departement", ["99", "20", "00", "96", "979", "970", "1", "033", "", "Gironde", "2C"])
def test_unknown_departement_is_refused_in_french(departement):
    with pytest.raises(ValueError, match=f"^département inconnu : « {departement} »$"):
        echeance_avis(D(2026, 12, 15), departement)
    with pytest.raises(ValueError, match="département inconnu"):
        jour_non_ouvre(D(2027, 3, 15), departement)


@pytest.mark.parametrize(
    ("echeance", "population", "derniere"),
    [
        # 3 clear days under 3,500 inhabitants: sent on D-4, the days D-3, D-2, D-1 are clear
        (D(2027, 3, 15), 3499, D(2027, 3, 11)),
        (D(2027, 3, 15), 0, D(2027, 3, 11)),
        # 5 clear days from 3,500
        (D(2027, 3, 15), 3500, D(2027, 3, 9)),
        (D(2027, 3, 15), 267_991, D(2027, 3, 9)),
        (D(2027, 3, 15), None, D(2027, 3, 9)),  # unknown population: the longer delay
        (D(2027, 3, 3), 3499, D(2027, 2, 27)),
        (D(2027, 3, 3), 3500, D(2027, 2, 25)),
        (D(2028, 3, 3), 3500, D(2028, 2, 26)),  # across 29 February
    ],
)
def test_last_day_to_convene_the_council(echeance, population, derniere):
    assert derniere_convocation(echeance, population) == derniere


@pytest.mark.parametrize(
    ("echeance", "population", "attendus"),
    [
        (
            D(2027, 3, 15),
            3499,
            (Rappel("J-60", D(2027, 1, 14)), Rappel("J-30", D(2027, 2, 13)), Rappel("convocation", D(2027, 3, 11))),
        ),
        (
            D(2027, 3, 15),
            3500,
            (Rappel("J-60", D(2027, 1, 14)), Rappel("J-30", D(2027, 2, 13)), Rappel("convocation", D(2027, 3, 9))),
        ),
        (
            D(2028, 2, 29),
            None,
            (Rappel("J-60", D(2027, 12, 31)), Rappel("J-30", D(2028, 1, 30)), Rappel("convocation", D(2028, 2, 23))),
        ),
    ],
)
def test_reminders_by_date(echeance, population, attendus):
    out = rappels(echeance, population)
    assert out == attendus
    assert [r.le for r in out] == sorted(r.le for r in out)
