"""The payroll year of the scenarios (issue 9, point 5): the latest year in which every employer of the
territory has a current batch, unless the scenario chose another; each page says which year it uses and,
for an incomplete year, which employers are missing. The reduced payroll is cached per year used.

The cast's payroll (tests/cast.py, coefficient 267 000 / 667 000 = 40,03 %) is 2025 without Talence: an
incomplete year. A 2024 batch of every employer, with the communes' functional payroll doubled, is the
latest complete year (267 000 / 1 067 000 = 25,02 % before any action)."""

import html as html_lib
import io
import re

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"scenarios:{name}", kwargs={"code": territoire.code, **kwargs})


def texte(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def paie_2024() -> list[str]:
    rows = [f"{EPCI};E{i};FIN;50000;1;1;propre;;FIN-BUDG;A" for i in range(4)]
    rows.append(f"{EPCI};E9;RH;45000;1;1;transfere;;RH-PAIE;B")
    rows += [f"{BORDEAUX};B{i};FIN;80000;1;1;propre;;FIN-BUDG;B" for i in range(5)]
    rows += [f"{BORDEAUX};R{i};RH;84000;1;1;propre;;RH-PAIE;C" for i in range(3)]
    rows.append(f"{MERIGNAC};M1;RH;44000;0,5;1;mad;{EPCI};RH-PAIE;B")
    rows.append(f"{MERIGNAC};M2;RH;76000;1;0,8;propre;;RH-FORM;C")
    rows.append(f"{PESSAC};P1;BML;72000;1;1;mad;{TALENCE};;C")
    rows.append(f"{TALENCE};T1;AUTRE;30000;1;1;propre;;;C")
    return rows


@pytest.fixture
def annee_complete(cast, territoire, lot_courant):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_csv(*paie_2024()), "paie-2024.csv", 2024, cast["equipe_projet"])
    return do_confirmer_lot(lot, cast["equipe_projet"])


@pytest.fixture
def scenario(cast, territoire, lot_courant, connecte):
    from scenarios.models import Scenario

    client = connecte(cast["equipe_projet"])
    assert client.post(u(territoire, "liste"), {"nom": "Paie commune", "partage_gains": "0"}).status_code == 302
    return Scenario.objects.get(nom="Paie commune")


def modifier(client, territoire, scenario, annee):
    return client.post(
        u(territoire, "modifier", pk=scenario.pk),
        {"nom": scenario.nom, "partage_gains": "0", "annee_paie": str(annee) if annee else ""},
    )


def test_scenarios_default_to_the_latest_complete_year(cast, territoire, scenario, annee_complete, connecte):
    client = connecte(cast["elu_copil"])
    response = client.get(u(territoire, "scenario", pk=scenario.pk))
    lu = texte(response.content.decode())
    assert response.context["paie"].annee == 2024 and scenario.annee_paie is None
    assert "Masse salariale 2024 (dernière année complète)" in lu
    assert 'id="annee-incomplete"' not in response.content.decode()  # no notice: 2024 is complete
    assert "25,02 %" in lu.replace("\u00a0", " ")  # 267 000 / 1 067 000, not 2025's 40,03 %
    liste = texte(client.get(u(territoire, "liste")).content.decode())
    assert "Masse salariale 2024 (dernière année complète)" in liste


def test_a_chosen_year_is_used_said_and_warned_when_incomplete(cast, territoire, scenario, annee_complete, connecte):
    client = connecte(cast["equipe_projet"])
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert '<option value="2025">2025 (incomplète)</option>' in page
    assert "Automatique : dernière année complète (2024)" in page
    assert modifier(client, territoire, scenario, 2025).status_code == 302
    scenario.refresh_from_db()
    assert scenario.annee_paie == 2025
    response = client.get(u(territoire, "scenario", pk=scenario.pk))
    lu = texte(response.content.decode())
    assert response.context["paie"].annee == 2025
    assert "Masse salariale 2025 (choisie)" in lu
    assert "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : Talence." in lu
    # 2025 was read and cached before 2024 was imported: the page still knows 2024 is complete
    assert "Aucune année n'a encore" not in lu
    assert "40,03 %" in lu.replace("\u00a0", " ")
    # back to automatic
    assert modifier(client, territoire, scenario, None).status_code == 302
    scenario.refresh_from_db()
    assert scenario.annee_paie is None
    # a reader cannot choose
    assert modifier(connecte(cast["elu_copil"]), territoire, scenario, 2025).status_code == 403


def test_without_a_complete_year_the_latest_is_used_and_the_missing_employers_named(
    cast, territoire, scenario, connecte
):
    lu = texte(connecte(cast["dgs_bordeaux"]).get(u(territoire, "scenario", pk=scenario.pk)).content.decode())
    assert "Masse salariale 2025 (dernière année importée : aucune année n'est complète)" in lu
    assert "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : Talence." in lu


def test_a_chosen_year_without_batches_falls_back_and_says_so(cast, territoire, scenario, annee_complete, connecte):
    scenario.annee_paie = 2019
    scenario.save(update_fields=["annee_paie"])
    response = connecte(cast["equipe_projet"]).get(u(territoire, "scenario", pk=scenario.pk))
    lu = texte(response.content.decode())
    assert response.context["paie"].annee == 2024
    assert (
        "Masse salariale 2024 (dernière année complète) : l'année choisie, 2019, n'a plus de lot de paie courant" in lu
    )
    assert '<option value="2019" selected>2019 (aucun lot courant)</option>' in response.content.decode()


def test_comparison_says_the_year_of_each_scenario(cast, territoire, scenario, annee_complete, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "dupliquer", pk=scenario.pk))
    from scenarios.models import Scenario

    copie = Scenario.objects.get(nom="Paie commune (copie)")
    modifier(client, territoire, copie, 2025)
    lu = texte(client.get(u(territoire, "comparer") + f"?s={scenario.pk}&s={copie.pk}").content.decode())
    assert "Masse salariale 2024 (dernière année complète)" in lu and "Masse salariale 2025 (choisie)" in lu
    assert "ne portent pas sur la même année de masse salariale" in lu
    assert (
        "« Paie commune (copie) » : Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette "
        "année : Talence."
    ) in lu


def test_impact_export_says_the_year_and_the_missing_employers(cast, territoire, scenario, connecte):
    from openpyxl import load_workbook

    response = connecte(cast["equipe_projet"]).get(u(territoire, "impact", pk=scenario.pk))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value.startswith(
        "Masse salariale 2025 (dernière année importée : aucune année n'est complète). "
        "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : "
        "Talence."
    )
    assert ws["A4"].value == "Organisation"  # the table stays where it was


def test_optimiser_uses_the_latest_complete_year_and_says_it(cast, territoire, annee_complete, connecte):
    client = connecte(cast["equipe_projet"])
    response = client.get(u(territoire, "optimiser"))
    assert response.context["paie"].annee == 2024
    assert "Masse salariale 2024 (dernière année complète)" in texte(response.content.decode())


def test_reduced_payroll_is_cached_per_year_used(cast, territoire, annee_complete):
    from scenarios import calcul

    calcul._CACHE.clear()
    auto = calcul.contexte(territoire)
    choisie = calcul.contexte(territoire, 2025)
    assert (auto.paie.annee, auto.annee_paie.choisie, auto.annee_paie.complete) == (2024, False, True)
    assert (choisie.paie.annee, choisie.annee_paie.choisie, choisie.annee_paie.complete) == (2025, True, False)
    assert auto.bases.total_denominator != choisie.bases.total_denominator
    cles = list(calcul._CACHE)
    assert sorted(c[1] for c in cles) == [2024, 2025]  # one entry per year actually used
    assert all(paie.courante.annee == cle[1] for cle, paie in calcul._CACHE.items())
    # the same year again is a cache hit, chosen or automatic
    assert calcul.contexte(territoire, 2024).bases is auto.bases
    assert len(calcul._CACHE) == 2


def test_a_new_batch_of_an_unused_year_keeps_the_cache_and_one_of_the_used_year_changes_it(
    cast, territoire, annee_complete
):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from scenarios import calcul

    calcul._CACHE.clear()
    avant = calcul.contexte(territoire)
    lot = do_preparer_lot(
        territoire,
        payroll_csv(f"{PESSAC};P1;FIN;30000;1;1;propre;;FIN-BUDG;C"),
        "2026.csv",
        2026,
        cast["equipe_projet"],
    )
    do_confirmer_lot(lot, cast["equipe_projet"])
    pendant = calcul.contexte(territoire)
    assert pendant.bases is avant.bases  # 2026 is incomplete: the scenarios stay on 2024, from the cache
    assert pendant.annee_paie.annees == (2026, 2025, 2024)  # though the years are read afresh
    lot = do_preparer_lot(
        territoire, payroll_csv(f"{TALENCE};T1;FIN;39000;1;1;propre;;FIN-BUDG;B"), "t.csv", 2025, cast["equipe_projet"]
    )
    do_confirmer_lot(lot, cast["equipe_projet"])
    apres = calcul.contexte(territoire)  # 2025 is now complete, and the latest complete year
    assert apres.paie.annee == 2025 and apres.annee_paie.complete and not apres.paie.incomplete


def test_gt3_payroll_at_stake_and_the_priority_matrix_use_the_latest_complete_year(
    cast, territoire, annee_complete, connecte
):
    from livrables.gt3.actions import do_creer_ligne

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    ligne = do_creer_ligne(
        groupe,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "communes": [],
            "toutes_communes": True,
            "qualification": 4,
            "faisabilite": "3",
            "modalite": "service_commun",
        },
    )
    client = connecte(cast["equipe_projet"])
    liste = client.get(reverse("livrables:gt3", kwargs={"code": territoire.code, "theme": "RH"}))
    assert liste.context["paie"].annee == 2024
    assert "masse salariale 2024 (dernière année complète)" in texte(liste.content.decode())
    fiche = client.get(reverse("livrables:gt3_ligne", kwargs={"code": territoire.code, "theme": "RH", "pk": ligne.pk}))
    assert "Masse salariale en jeu (2024)" in texte(fiche.content.decode())
    matrice = client.get(u(territoire, "matrice"))
    assert matrice.context["paie"].annee == 2024
    assert "d'après la masse salariale 2024 (dernière année complète)" in texte(matrice.content.decode())


def test_priority_matrix_names_the_missing_employers_when_no_year_is_complete(cast, territoire, lot_courant, connecte):
    lu = texte(connecte(cast["elu_copil"]).get(u(territoire, "matrice")).content.decode())
    assert "d'après la masse salariale 2025 (dernière année importée : aucune année n'est complète)" in lu
    assert (
        "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : Talence. "
        "La masse salariale en jeu ne porte que sur les employeurs présents."
    ) in lu
