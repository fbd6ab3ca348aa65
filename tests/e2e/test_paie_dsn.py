"""Payroll from DSN files in a real browser: a commune DGS sends her twelve monthly DSN, sets the year's rates,
follows their reading by the worker on its page, places the unplaced libellés on the page, confirms the batch
and reads the coefficient; the next year, her files need only the new libellé, and last year's rates are
proposed, not applied."""

import re

import pytest

from territoire.models import Organisation
from tests.cast import MERIGNAC, MOT_DE_PASSE
from tests.dsn_ecriture import SIREN, contrat, dsn_mois
from tests.e2e.conftest import check_accessibility, login
from tests.taches import travailleur

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def ecrire(dossier, annee, individus_du_mois):
    dossier.mkdir()
    chemins = []
    for m in range(1, 13):
        chemin = dossier / f"dsn-{annee}-{m:02d}.dsn"
        chemin.write_text(dsn_mois(m, individus_du_mois(m), annee=annee), encoding="utf-8")
        chemins.append(str(chemin))
    return chemins


def mois_2025(m):
    return [
        ("A1", [contrat("1", libelle="Gestionnaire de paie")], [("1", "2000.00")]),
        ("A2", [contrat("1", libelle="Comptable")], [("1", "2200.00")]),
        ("A3", [contrat("1", libelle="Jardinier")], [("1", "1800.00")]),
        ("A4", [contrat("1", libelle="Jardinier")], [("1", "1750.00")]),
    ]


def mois_2026(m):
    return [*mois_2025(m)[:3], ("A5", [contrat("1", libelle="Agent d'entretien")], [("1", "1700.00")])]


def envoyer(page, chemins, annee, cnracl="37,65"):
    page.get_by_label("Année de référence").fill(str(annee))
    page.get_by_label("Fichiers DSN de l'année").set_input_files(chemins)
    if cnracl:
        page.get_by_label(re.compile("CNRACL")).fill(cnracl)
    page.get_by_role("button", name="Lire les DSN").click()
    # The worker of the queue « imports » reads them; their page shows the progress, then leads on by itself
    # (static/js/progression.js).
    page.get_by_role("heading", name=re.compile("Lecture des DSN")).wait_for()
    assert page.get_by_role("status").inner_text().startswith("En attente")
    check_accessibility(page)
    travailleur("imports")


def placer(page, libelle, theme, activite=None):
    carte = page.locator("section.carte", has=page.get_by_role("heading", name=re.compile(f"« {libelle} »")))
    carte.get_by_label("Thème").first.select_option(label=theme)
    if activite:
        carte.get_by_label("Activité").first.select_option(value=activite)
    carte.get_by_role("button", name=re.compile(f"Placer « {libelle}")).click()
    page.get_by_text(re.compile("placé sur")).wait_for()


def test_a_dgs_turns_her_dsn_into_payroll_then_next_year_places_only_the_new_libelle(page, cast, territoire, tmp_path):
    Organisation.objects.filter(territoire=territoire, code=MERIGNAC).update(siren=SIREN)
    login(page, "dgs-merignac", MOT_DE_PASSE)
    page.get_by_role("link", name="Masse salariale").click()
    page.get_by_role("link", name="Envoyer les DSN d'une année").click()
    check_accessibility(page)

    # Without rates, nothing is assumed: the year is refused with the regime named.
    envoyer(page, ecrire(tmp_path / "2025", 2025, mois_2025), 2025, cnracl="")
    page.get_by_role("heading", name="Les DSN n'ont pas été lues").wait_for()
    assert "le taux « CNRACL » (cnracl) manque" in page.get_by_role("list", name="Erreurs").inner_text()
    check_accessibility(page)

    envoyer(page, [str(p) for p in sorted((tmp_path / "2025").iterdir())], 2025)
    page.get_by_role("heading", name="4 agents à placer").wait_for()
    assert "« Jardinier » : 2 agents, 2,0 ETP" in page.content()
    check_accessibility(page)
    placer(page, "Gestionnaire de paie", "Ressources humaines", "RH-PAIE")
    placer(page, "Comptable", "Finances")
    placer(page, "Jardinier", "Hors des neuf thèmes")
    page.get_by_role("button", name="Préparer le lot").click()

    page.get_by_role("heading", name=re.compile("Source : DSN 2025 de Mérignac")).wait_for()
    bruts = page.get_by_role("table", name=re.compile("Rémunération brute lue chaque mois")).inner_text()
    assert "janvier 2025" in bruts and "7\u202f750,00" in bruts
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_role("heading", name="Coefficient de mutualisation des services").wait_for()
    # Only Mérignac is present (the EPCI's numerator is 0): its functional payroll is the denominator,
    # (12 × 2 000 + 12 × 2 200) × 1.3765 = 69 375,60 €.
    assert "0,00" in page.locator(".chiffre-principal").inner_text()
    assert "69\u202f376\u00a0€" in page.get_by_role("table", name=re.compile("par employeur", re.I)).first.inner_text()

    # The next year: rates proposed, applied only when taken; only the new libellé is to be placed.
    page.goto(page.base + f"/t/{territoire.code}/masse-salariale/dsn/?employeur={MERIGNAC}&annee=2026")
    assert page.get_by_label(re.compile("CNRACL")).input_value() == ""
    page.get_by_role("link", name="Reprendre les taux de 2025 pour 2026").click()
    assert page.get_by_label(re.compile("CNRACL")).input_value() == "37,65"
    envoyer(page, ecrire(tmp_path / "2026", 2026, mois_2026), 2026, cnracl=None)
    page.get_by_role("heading", name="1 agent à placer").wait_for()
    assert "« Agent d'entretien »" in page.content() and "Jardinier" not in page.locator("#a-placer").inner_text()
    placer(page, "Agent d'entretien", "Hors des neuf thèmes")
    page.get_by_role("button", name="Préparer le lot").click()
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_role("heading", name="Coefficient de mutualisation des services").wait_for()
