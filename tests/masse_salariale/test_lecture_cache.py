"""The current payroll's frames are read once per process and set of batches (masse_salariale/lecture.py,
commun/cache.py): a page then reads no aggregate row, yet a new import, a replaced batch or a changed list
of functional themes shows new figures at the next request, and two territories never share an entry.

The cast's payroll (tests/cast.py): 267 000 / 667 000 = 40,03 % for 2025, Talence missing."""

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, TALENCE, creer_territoire, payroll_csv, payroll_rows_small

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_vide():
    from masse_salariale import lecture

    lecture._CACHE.clear()
    yield
    lecture._CACHE.clear()


def coefficient(client, territoire):
    response = client.get(reverse("masse_salariale:coefficient", kwargs={"code": territoire.code}))
    assert response.status_code == 200
    return response.context["result"]


def importer(territoire, user, *rows, annee=2025, remplacer=False, nom="paie.csv"):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_csv(*rows), nom, annee, user)
    return do_confirmer_lot(lot, user, remplacer=remplacer)


def test_a_second_reading_of_the_same_batches_reads_no_aggregate(
    cast, territoire, lot_courant, django_assert_num_queries
):
    from masse_salariale.lecture import paie_courante

    premiere = paie_courante(territoire)
    with django_assert_num_queries(2):  # the current entries and the employers, never the aggregates
        seconde = paie_courante(territoire)
    assert seconde.agregats is premiere.agregats and seconde.effectifs is premiere.effectifs
    assert seconde.lots.keys() == premiere.lots.keys() and seconde.manquants == premiere.manquants


def test_the_coefficient_page_reads_no_aggregate_once_cached(
    connecte, cast, territoire, lot_courant, django_assert_max_num_queries
):
    client = connecte(cast["equipe_projet"])
    coefficient(client, territoire)
    with django_assert_max_num_queries(12) as requetes:
        coefficient(client, territoire)
    tables = " ".join(q["sql"] for q in requetes.captured_queries)
    assert "masse_salariale_agregat" not in tables and "masse_salariale_effectiftheme" not in tables


def test_a_new_import_shows_new_figures_at_once(connecte, cast, territoire, lot_courant):
    client = connecte(cast["equipe_projet"])
    avant = coefficient(client, territoire)
    assert (avant.numerator, avant.denominator) == pytest.approx((267000, 667000))
    importer(territoire, cast["equipe_projet"], f"{TALENCE};T1;FIN;33000;1;1;propre;;FIN-BUDG;C", nom="talence.csv")
    apres = coefficient(client, territoire)
    assert (apres.numerator, apres.denominator) == pytest.approx((267000, 700000))


def test_a_replaced_batch_shows_new_figures_at_once(connecte, cast, territoire, lot_courant):
    client = connecte(cast["equipe_projet"])
    coefficient(client, territoire)
    rows = [r for r in payroll_rows_small() if not r.startswith(f"{BORDEAUX};B")]  # Bordeaux's FIN agents leave
    importer(territoire, cast["equipe_projet"], *rows, remplacer=True, nom="corrige.csv")
    apres = coefficient(client, territoire)
    assert (apres.numerator, apres.denominator) == pytest.approx((267000, 667000 - 5 * 40000))


def test_a_changed_functional_list_shows_new_figures_at_once(connecte, cast, territoire, lot_courant):
    from masse_salariale.lecture import paie_courante
    from territoire.actions import do_changer_fonctionnels

    client = connecte(cast["equipe_projet"])
    avant = coefficient(client, territoire)
    frames = paie_courante(territoire).agregats
    do_changer_fonctionnels(territoire, ["FIN"], cast["equipe_projet"])
    apres = coefficient(client, territoire)
    assert apres.functional_themes == ("FIN",) and avant.functional_themes != ("FIN",)
    assert (apres.numerator, apres.denominator) == pytest.approx((4 * 50000, 4 * 50000 + 5 * 40000))
    assert paie_courante(territoire).agregats is frames  # the same batches: the frames are kept


def test_two_territories_never_share_an_entry(cast, territoire, lot_courant):
    from masse_salariale import lecture

    nantes = creer_territoire(code="244400404", nom="Nantes Métropole", communes=[("44109", "Nantes", 320000)])
    # the same file's checksum would not do: each territory has its own batches, and its key its own pk
    importer(nantes, cast["equipe_projet"], *[f"244400404;N{i};FIN;50000;1;1;propre;;FIN-BUDG;A" for i in range(3)])
    bordeaux, autre = lecture.paie_courante(territoire), lecture.paie_courante(nantes)
    assert set(bordeaux.agregats["employeur"]) >= {EPCI, BORDEAUX}
    assert set(autre.agregats["employeur"]) == {"244400404"}
    cles = [cle for cle, _ in lecture._CACHE.items()]
    assert len(cles) == 2 and {cle[0] for cle in cles} == {territoire.pk, nantes.pk}


def test_reductions_are_kept_with_the_frames_and_keyed_on_what_else_they_use(cast, territoire, lot_courant):
    from masse_salariale.lecture import paie_courante
    from masse_salariale.tableaux import etp_par_cellule

    paie = paie_courante(territoire)
    calculs = []

    def compter(valeur):
        calculs.append(valeur)
        return valeur

    assert paie.reduite(("essai", "FIN"), lambda: compter(1)) == 1
    assert paie_courante(territoire).reduite(("essai", "FIN"), lambda: compter(2)) == 1  # kept
    assert paie_courante(territoire).reduite(("essai", "RH"), lambda: compter(3)) == 3  # another key
    assert calculs == [1, 3]
    assert etp_par_cellule(paie_courante(territoire)) is etp_par_cellule(paie)
