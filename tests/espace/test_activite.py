"""The home page's « dernière activité »: a status change says from what to what (the enums' French
labels), repeated events of one object by one person within espace.activite.FENETRE make one line, the
limit counts lines after grouping, and rows written before the states were recorded still read."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import Utilisateur
from espace.activite import FENETRE, etats, formuler, phrases, regrouper
from territoire.models import Evenement

T0 = dt.datetime(2026, 7, 3, 9, 30, tzinfo=dt.UTC)
ALICE = Utilisateur(pk=1, username="alice", first_name="Alice", last_name="Martin")
BRUNO = Utilisateur(pk=2, username="bruno", first_name="Bruno", last_name="Petit")
LETTRE_RH = "Lettre de mission – GT Ressources humaines"


def ev(minutes, action="lettre.statut", objet=LETTRE_RH, qui=ALICE, **details):
    """An unsaved row of the journal, `minutes` after T0."""
    e = Evenement(action=action, objet=objet, details=details, utilisateur=qui)
    e.quand = T0 + dt.timedelta(minutes=minutes)
    return e


def statut(minutes, avant, apres, **autres):
    return ev(minutes, avant=avant, apres=apres, **autres)


def lignes(*evenements, limite=12):
    """The page's lines from events given in any order (the journal reads them newest first)."""
    ordre = sorted(evenements, key=lambda e: e.quand, reverse=True)
    return [formuler(l) for l in regrouper(ordre, limite)]


# --- wording ---------------------------------------------------------------------------------------------


def test_a_status_change_says_from_what_to_what_with_the_enum_labels():
    [ligne] = lignes(statut(0, "brouillon", "signee"))
    assert ligne["quoi"] == "a changé le statut d'une lettre de mission" and ligne["objet"] == LETTRE_RH
    assert ligne["changement"] == "de « brouillon » à « signée »" and ligne["fois"] == 1
    assert ligne["qui"] == str(ALICE)


def test_the_labels_of_every_app_are_used_not_the_codes():
    [cr] = lignes(ev(0, "seances.compte_rendu.renvoi", "GT1 RH du 3 juillet 2026", avant="soumis", apres="renvoye"))
    assert cr["changement"] == "de « soumis aux co-pilotes » à « renvoyé avec commentaires »"
    [lot] = lignes(ev(0, "masse_salariale.confirmation", "Lot 3 (paie.csv)", avant="a_confirmer", apres="confirme"))
    assert lot["changement"] == "de « à confirmer » à « confirmé »"
    [seance] = lignes(ev(0, "seances.annulation", "GT2 RH du 3 juillet 2026", avant="planifiee", apres="annulee"))
    assert seance["changement"] == "de « planifiée » à « annulée »"


def test_rows_written_before_the_states_were_recorded_read_as_before():
    [ancienne] = lignes(ev(0, groupe="RH"))
    assert ancienne["quoi"] == "a changé le statut d'une lettre de mission" and ancienne["objet"] == LETTRE_RH
    assert ancienne["changement"] == "" and ancienne["fois"] == 1


def test_a_state_unknown_today_is_shown_as_its_code_and_no_change_says_nothing():
    [inconnu] = lignes(statut(0, "brouillon", "archivee"))
    assert inconnu["changement"] == "de « brouillon » à « archivee »"
    # the first co-pilot's visa leaves minutes submitted: nothing changed, nothing to say
    [visa] = lignes(ev(0, "seances.compte_rendu.validation", "GT1 RH", avant="soumis", apres="soumis"))
    assert visa["quoi"] == "a validé un compte rendu" and visa["changement"] == ""


def test_every_status_declared_by_an_app_is_an_action_it_words():
    assert {"lettre.statut", "livrables.soumission", "seances.presences", "masse_salariale.abandon"} <= set(etats())
    assert set(etats()) <= set(phrases())


# --- grouping --------------------------------------------------------------------------------------------


def test_changes_of_one_letter_by_one_person_within_minutes_make_one_line_from_first_to_last_state():
    [ligne] = lignes(statut(0, "brouillon", "envoyee"), statut(4, "envoyee", "signee"))
    assert ligne["changement"] == "de « brouillon » à « envoyée » puis « signée »"
    assert ligne["fois"] == 1  # each change is a step the line names
    assert ligne["quand"] == T0 + dt.timedelta(minutes=4)


def test_a_back_and_forth_names_each_state():
    [ligne] = lignes(statut(0, "brouillon", "envoyee"), statut(2, "envoyee", "brouillon"))
    assert ligne["changement"] == "de « brouillon » à « envoyée » puis « brouillon »"


def test_a_long_run_of_changes_names_the_first_and_last_states_and_counts_them():
    allers = [statut(k, *(("brouillon", "envoyee") if k % 2 == 0 else ("envoyee", "brouillon"))) for k in range(5)]
    [ligne] = lignes(*allers)
    assert ligne["changement"] == "de « brouillon » à « envoyée »" and ligne["fois"] == 5


def test_repeated_actions_without_states_are_counted():
    objet = "GT3 – liste des activités mutualisables – Ressources humaines"
    [ligne] = lignes(*(ev(k, "livrables.gt3_modification", objet) for k in (0, 3, 7)))
    assert ligne["quoi"] == "a modifié une activité mutualisable (GT3)" and ligne["objet"] == objet
    assert ligne["changement"] == "" and ligne["fois"] == 3


def test_the_window_is_counted_from_the_line_s_latest_event():
    assert dt.timedelta(minutes=10) == FENETRE
    recente, ancienne = lignes(*(ev(k, "lettre.generation") for k in (0, 6, 12)))
    assert recente["fois"] == 2 and recente["quand"] == T0 + dt.timedelta(minutes=12)
    assert ancienne["fois"] == 1 and ancienne["quand"] == T0
    assert len(lignes(ev(0, "lettre.generation"), ev(11, "lettre.generation"))) == 2


def test_another_person_another_object_or_another_action_make_their_own_line():
    assert len(lignes(statut(0, "brouillon", "envoyee"), statut(1, "envoyee", "signee", qui=BRUNO))) == 2
    assert len(lignes(ev(0, objet=LETTRE_RH), ev(1, objet="Lettre de mission – GT Finances"))) == 2
    assert len(lignes(ev(0, "lettre.generation"), ev(1))) == 2


def test_someone_else_s_change_in_between_keeps_the_lines_apart():
    """Alice sends, Bruno takes it back to draft, Alice sends again: three lines, each true."""
    alice_2, bruno, alice_1 = lignes(
        statut(0, "brouillon", "envoyee"),
        statut(1, "envoyee", "brouillon", qui=BRUNO),
        statut(2, "brouillon", "envoyee"),
    )
    assert alice_2["qui"] == alice_1["qui"] == str(ALICE) and bruno["qui"] == str(BRUNO)
    assert alice_2["changement"] == alice_1["changement"] == "de « brouillon » à « envoyée »"
    assert bruno["changement"] == "de « envoyée » à « brouillon »"


def test_the_limit_counts_lines_after_grouping_and_reading_stops_when_no_line_can_grow():
    # fifteen letters, each sent then signed a minute later, one letter every half hour
    evenements = []
    for k in range(15):
        objet = f"Lettre de mission – groupe {k}"
        evenements += [statut(30 * k, "brouillon", "envoyee", objet=objet)]
        evenements += [statut(30 * k + 1, "envoyee", "signee", objet=objet)]
    ordre = sorted(evenements, key=lambda e: e.quand, reverse=True)
    lus = []

    def journal():
        for e in ordre:
            lus.append(e)
            yield e

    resultat = [formuler(l) for l in regrouper(journal(), 12)]
    assert len(resultat) == 12
    assert all(l["changement"] == "de « brouillon » à « envoyée » puis « signée »" for l in resultat)
    assert len(lus) == 25  # the 12 letters, and the 13th letter's signature that no line could take


# --- the rows written, and the page ----------------------------------------------------------------------


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.mark.django_db
def test_status_changes_record_the_state_before_and_after(cast, territoire, groupe_rh, payroll_small):
    from documents.actions import do_changer_statut, do_generer_lettre
    from masse_salariale.actions import do_abandonner_lot, do_confirmer_lot, do_preparer_lot
    from seances.actions import (
        do_annuler_seance,
        do_ecrire_compte_rendu,
        do_enregistrer_presences,
        do_planifier_seance,
        do_soumettre_compte_rendu,
    )

    equipe = cast["equipe_projet"]
    lettre = do_generer_lettre(groupe_rh, equipe)
    do_changer_statut(lettre, "envoyee", equipe)

    def seance(jours):
        debut = timezone.now() + dt.timedelta(days=jours)
        valeurs = {"etape": "GT1", "titre": "", "debut": debut, "fin": debut + dt.timedelta(hours=2)}
        return do_planifier_seance(groupe_rh, equipe, {**valeurs, "lieu": "Salle 3", "lien_visio": ""})

    do_annuler_seance(seance(3), equipe)
    tenue = seance(-1)
    do_enregistrer_presences(tenue, equipe, {p.pk: "present" for p in tenue.participations.all()})
    cr, _ = do_ecrire_compte_rendu(tenue, cast["copilote_rh_commune"], "Tour de table.", "")
    do_soumettre_compte_rendu(cr, cast["copilote_rh_commune"])
    lot = do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, equipe)
    do_confirmer_lot(lot, equipe)
    do_abandonner_lot(do_preparer_lot(territoire, payroll_small, "paie-bis.csv", 2024, equipe), equipe)

    def etats_de(action):
        details = Evenement.objects.get(action=action).details
        return details["avant"], details["apres"]

    assert etats_de("lettre.statut") == ("brouillon", "envoyee")
    assert etats_de("seances.annulation") == ("planifiee", "annulee")
    assert etats_de("seances.presences") == ("planifiee", "tenue")
    assert etats_de("seances.compte_rendu.soumission") == ("brouillon", "soumis")
    assert etats_de("masse_salariale.confirmation") == ("a_confirmer", "confirme")
    assert etats_de("masse_salariale.abandon") == ("a_confirmer", "abandonne")
    # the other details stay as they were
    assert Evenement.objects.get(action="seances.presences").details["present"] >= 1


@pytest.mark.django_db
def test_home_page_says_from_what_to_what_a_letter_went_in_one_line(connecte, cast, territoire, groupe_rh):
    from documents.actions import do_changer_statut, do_generer_lettre

    equipe = cast["equipe_projet"]
    lettre = do_generer_lettre(groupe_rh, equipe)
    do_changer_statut(lettre, "envoyee", equipe)
    do_changer_statut(lettre, "signee", equipe)
    # a row from before the states were recorded, on another letter
    Evenement.objects.create(
        territoire=territoire, utilisateur=equipe, action="lettre.statut", objet="Lettre de mission – GT Finances"
    )
    reponse = connecte(cast["dgs_merignac"]).get(reverse("espace:accueil", kwargs={"code": territoire.code}))
    page = html.unescape(reponse.content.decode())
    assert (
        f"{equipe} a changé le statut d'une lettre de mission : Lettre de mission – GT Ressources humaines, "
        "de « brouillon » à « envoyée » puis « signée »</li>"
    ) in page
    assert page.count("a changé le statut d'une lettre de mission") == 2
    assert "a changé le statut d'une lettre de mission : Lettre de mission – GT Finances</li>" in page
    assert "envoyee" not in page and "signee" not in page  # labels, never codes
