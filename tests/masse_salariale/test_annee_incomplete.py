"""Incomplete payroll years (issue 9, point 5): a year where some employers (the EPCI or member communes)
have no current batch is said, with every missing employer named, on each page that shows its figures;
the latest complete year is known."""

import html as html_lib
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv, payroll_rows_small

pytestmark = pytest.mark.django_db


def importer(territoire, user, annee, *rows):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_csv(*rows), f"paie-{annee}.csv", annee, user)
    return do_confirmer_lot(lot, user)


def complete(annee_factor=1):
    """The small payroll plus Talence: every employer of the cast's territory."""
    return [*payroll_rows_small(), f"{TALENCE};T1;FIN;{39000 * annee_factor};1;1;propre;;FIN-BUDG;B"]


def texte(html: str) -> str:
    """The text a reader reads: no tags, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def page(client, territoire, name, **params):
    return client.get(reverse(name, kwargs={"code": territoire.code}), params).content.decode()


def test_one_commune_alone_in_a_year_names_every_missing_employer_on_the_coefficient_pages(
    connecte, cast, territoire, lot_courant
):
    importer(territoire, cast["equipe_projet"], 2026, f"{PESSAC};P1;FIN;30000;1;1;propre;;FIN-BUDG;C")
    client = connecte(cast["elu_copil"])
    html = page(client, territoire, "masse_salariale:coefficient")
    assert (
        "Année 2026 incomplète : 4 employeurs n'ont pas de lot de paie pour cette année : "
        "Bordeaux Métropole, Bordeaux, Mérignac, Talence."
    ) in texte(html)
    assert "Le coefficient ne porte que sur les employeurs présents." in texte(html)
    assert 'role="status"' in html.split("Année 2026 incomplète")[0].rsplit("<div", 1)[1]
    # the drill-down, the territory page and the batches page say it too
    for name in ("masse_salariale:detail", "espace:territoire", "masse_salariale:lots"):
        assert "Année 2026 incomplète : 4 employeurs" in texte(page(client, territoire, name)), name


def test_one_missing_commune_is_said_in_the_singular(connecte, cast, territoire, lot_courant):
    html = page(connecte(cast["equipe_projet"]), territoire, "masse_salariale:coefficient")
    assert "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : Talence." in texte(html)
    # no year is complete: nothing to go back to, and that is said
    assert "Aucune année n'a encore un lot de paie pour chaque employeur du territoire." in texte(html)


def test_a_complete_year_has_no_notice_and_an_incomplete_one_links_to_it(connecte, cast, territoire, lot_courant):
    importer(territoire, cast["equipe_projet"], 2024, *complete())
    client = connecte(cast["equipe_projet"])
    html = page(client, territoire, "masse_salariale:coefficient")  # the latest year by default: 2025
    assert "Année 2025 incomplète" in html and "Talence" in html
    assert "?annee=2024" in html and "Voir la dernière année complète (2024)" in html
    assert "incomplète" not in page(client, territoire, "masse_salariale:coefficient", annee="2024")


def test_latest_complete_year_and_missing_employers_are_read_with_the_payroll(cast, territoire, lot_courant):
    from masse_salariale.lecture import derniere_annee_complete, paie_courante

    assert derniere_annee_complete(territoire) is None
    paie = paie_courante(territoire)
    assert paie.annee == 2025 and [e.code for e in paie.manquants] == [TALENCE] and paie.completes == []
    importer(territoire, cast["equipe_projet"], 2024, *complete())
    importer(territoire, cast["equipe_projet"], 2026, f"{PESSAC};P1;FIN;30000;1;1;propre;;FIN-BUDG;C")
    assert derniere_annee_complete(territoire) == 2024
    assert paie_courante(territoire).annee == 2026  # the pages' default: the latest year
    par_defaut = paie_courante(territoire, complete=True)
    assert par_defaut.annee == 2024 and par_defaut.manquants == [] and not par_defaut.incomplete
    assert par_defaut.completes == [2024] and par_defaut.derniere_complete == 2024
    assert [e.code for e in paie_courante(territoire, 2026).manquants] == [EPCI, BORDEAUX, MERIGNAC, TALENCE]
    assert paie_courante(territoire, 2025).avis() == (
        "Année 2025 incomplète : 1 employeur n'a pas de lot de paie pour cette année : Talence. "
        "Le coefficient ne porte que sur les employeurs présents."
    )


def test_a_commune_that_left_is_not_awaited(cast, territoire, lot_courant):
    from masse_salariale.lecture import derniere_annee_complete, paie_courante

    territoire.organisations.filter(code=TALENCE).update(membre=False)
    assert derniere_annee_complete(territoire) == 2025
    assert not paie_courante(territoire).incomplete


def test_many_missing_employers_are_all_listed_in_a_details_element():
    from masse_salariale.lecture import Employeur, PaieCourante

    paie = PaieCourante(
        2025,
        [2025],
        lots={EPCI: None},
        manquants=[Employeur(f"330{k:02d}", f"Commune {k:02d}") for k in range(20)],
        completes=[],
    )
    html = render_to_string("masse_salariale/includes/annee_incomplete.html", {"paie": paie})
    assert "Année 2025 incomplète : 20 employeurs n'ont pas de lot de paie pour cette année." in texte(html)
    assert "<details>" in html and all(f"<li>Commune {k:02d}</li>" in html for k in range(20))
