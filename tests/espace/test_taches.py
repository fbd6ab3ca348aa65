"""What awaits each user (commun/taches.py and each app's source) and the notification sent when an
action starts waiting (echanges/attentes.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commun.taches import a_faire
from comptes.perms import acces_pour
from echanges.attentes import signaler
from echanges.models import Notification, PreferenceCourriel
from tests.cast import BORDEAUX

pytestmark = pytest.mark.django_db


@pytest.fixture
def libelles(territoire):
    def _libelles(user):
        return [t.libelle for t in a_faire(acces_pour(user, territoire), user, timezone.now())]

    return _libelles


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def gt1_planifiee(cast, groupe_rh):
    from seances.actions import do_planifier_seance

    debut = timezone.now() + dt.timedelta(days=10)
    return do_planifier_seance(
        groupe_rh,
        cast["equipe_projet"],
        {
            "etape": "GT1",
            "titre": "",
            "debut": debut,
            "fin": debut + dt.timedelta(hours=2),
            "lieu": "Pessac",
            "lien_visio": "",
            "ordre_du_jour": "",
        },
    )


def _repondre(livrable, commune, user, activites, exerce=True):
    from livrables.gt1.actions import do_enregistrer_inventaire

    valeurs = {a.pk: {"exerce": exerce, "etp": None, "sous_activites": "", "specificites": ""} for a in activites}
    do_enregistrer_inventaire(livrable, commune, user, valeurs)


def test_a_commune_s_gt1_list_waits_for_its_dgs_once_the_meeting_is_planned(
    cast, territoire, groupe_rh, libelles, gt1_planifiee
):
    from livrables.actions import livrable_de
    from livrables.gt1.regles import activites_du_theme

    activites = activites_du_theme(territoire, "RH")
    attendu = f"Remplir la liste des activités de Bordeaux (GT1 Ressources humaines) : {len(activites)} activités"
    assert any(l.startswith(attendu) for l in libelles(cast["dgs_bordeaux"]))
    assert not any("Remplir" in l for l in libelles(cast["equipe_projet"]))  # may fill, is not the one who must
    assert not any("Remplir" in l for l in libelles(cast["dgs_metropole"]))  # the EPCI has no GT1 list

    livrable = livrable_de(groupe_rh, "GT1")
    bordeaux = territoire.organisations.get(code=BORDEAUX)
    _repondre(livrable, bordeaux, cast["dgs_bordeaux"], activites[:-1])
    assert any(l.endswith(f"1 activité sur {len(activites)} sans réponse") for l in libelles(cast["dgs_bordeaux"]))
    _repondre(livrable, bordeaux, cast["dgs_bordeaux"], activites[-1:], exerce=False)
    assert not any("Remplir" in l for l in libelles(cast["dgs_bordeaux"]))


def test_no_gt1_list_waits_before_the_group_s_gt1_meeting(cast, libelles):
    assert not any("Remplir" in l for l in libelles(cast["dgs_bordeaux"]))


def test_the_link_leads_to_the_commune_s_page(cast, territoire, gt1_planifiee, connecte):
    user = cast["dgs_merignac"]
    tache = next(t for t in a_faire(acces_pour(user, territoire), user, timezone.now()) if "Remplir" in t.libelle)
    page = connecte(user).get(tache.url)
    assert page.status_code == 200 and "Mérignac" in page.content.decode()


def test_a_submitted_deliverable_waits_for_each_co_pilot_s_visa(cast, groupe_rh, libelles):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre, do_viser

    livrable = livrable_de(groupe_rh, "GT2")
    do_soumettre(livrable, cast["membre_rh"])
    attendu = "Valider le livrable GT2 – grille AFOR du groupe Ressources humaines"
    assert attendu in libelles(cast["copilote_rh_commune"]) and attendu in libelles(cast["copilote_rh_epci"])
    assert attendu not in libelles(cast["membre_rh"]) and attendu not in libelles(cast["equipe_projet"])
    do_viser(livrable, cast["copilote_rh_epci"])
    assert attendu in libelles(cast["copilote_rh_commune"]) and attendu not in libelles(cast["copilote_rh_epci"])
    do_viser(livrable, cast["copilote_rh_commune"])
    assert attendu not in libelles(cast["copilote_rh_commune"])


def test_a_returned_deliverable_waits_for_the_group_s_co_pilots_and_consultant(cast, groupe_rh, libelles):
    from comptes.enums import Role
    from comptes.models import Habilitation
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_renvoyer, do_soumettre

    Habilitation.objects.create(
        utilisateur=cast["consultant"], territoire=groupe_rh.schema.territoire, role=Role.CONSULTANT, groupe=groupe_rh
    )
    livrable = livrable_de(groupe_rh, "GT1")
    do_soumettre(livrable, cast["membre_rh"])
    do_renvoyer(livrable, cast["copilote_rh_epci"], "À compléter")
    attendu = "Reprendre le livrable renvoyé GT1 – liste des activités par domaine du groupe Ressources humaines"
    for role in ("copilote_rh_commune", "copilote_rh_epci", "consultant"):
        assert attendu in libelles(cast[role]), role
    assert attendu not in libelles(cast["dgs_bordeaux"])


def test_gt3_lines_wait_for_each_scorer(cast, territoire, groupe_rh, libelles):
    from livrables.gt3.actions import do_creer_ligne, do_noter

    def ligne(code):
        activite = territoire.activites.get(code=code)
        return do_creer_ligne(groupe_rh, cast["equipe_projet"], {"activite": activite, "toutes_communes": True})

    premiere = ligne("RH-PAIE")
    ligne("RH-FORM")
    assert "Noter 2 lignes de la liste des activités mutualisables (GT3) du groupe Ressources humaines" in libelles(
        cast["copilote_rh_commune"]
    )
    do_noter(premiere, cast["copilote_rh_commune"], "copilote_commune", 3, "2")
    assert "Noter 1 ligne de la liste des activités mutualisables (GT3) du groupe Ressources humaines" in libelles(
        cast["copilote_rh_commune"]
    )
    assert not any("Noter" in l for l in libelles(cast["membre_rh"]))


def test_a_staged_batch_waits_for_whoever_may_decide_it(cast, territoire, payroll_small, libelles):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])
    (tache,) = [l for l in libelles(cast["equipe_projet"]) if "lot de masse salariale" in l]
    assert tache.startswith("Confirmer ou abandonner le lot de masse salariale 2025 « paie.csv » importé le ")
    assert not any("lot de masse salariale" in l for l in libelles(cast["dgs_bordeaux"]))
    do_confirmer_lot(lot, cast["equipe_projet"])
    assert not any("lot de masse salariale" in l for l in libelles(cast["equipe_projet"]))


def test_mandate_letters_wait_for_the_project_team(cast, territoire, groupe_rh, libelles):
    from documents.actions import do_changer_statut, do_generer_lettre

    assert any(l.startswith("Générer les 9 lettres de mission : ") for l in libelles(cast["equipe_projet"]))
    lettre = do_generer_lettre(groupe_rh, cast["equipe_projet"])
    assert "Envoyer la lettre de mission en brouillon : Ressources humaines" in libelles(cast["equipe_projet"])
    do_changer_statut(lettre, "envoyee", cast["equipe_projet"])
    assert "Enregistrer la signature de la lettre de mission envoyée : Ressources humaines" in libelles(
        cast["equipe_projet"]
    )
    assert libelles(cast["dgs_bordeaux"]) == []


def test_the_oldest_wait_comes_first_and_undated_ones_last(monkeypatch, cast, territoire):
    from commun import taches

    now = timezone.now()
    jour = dt.timedelta(days=1)
    monkeypatch.setattr(
        taches,
        "SOURCES",
        [
            lambda acces, user, now: [
                taches.Tache("a", "sans date", "/a/"),
                taches.Tache("b", "hier", "/b/", now - jour),
            ],
            lambda acces, user, now: [taches.Tache("c", "avant-hier", "/c/", now - 2 * jour)],
        ],
    )
    user = cast["dgs_bordeaux"]
    assert [t.libelle for t in a_faire(acces_pour(user, territoire), user, now)] == ["avant-hier", "hier", "sans date"]


# --- the home page ------------------------------------------------------------------------------------


def test_the_home_page_lists_the_waits_with_their_links(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre

    do_soumettre(livrable_de(groupe_rh, "GT2"), cast["membre_rh"])
    page = connecte(cast["copilote_rh_commune"]).get(reverse("espace:accueil", kwargs={"code": territoire.code}))
    html = page.content.decode()
    circuit = reverse("livrables:circuit", kwargs={"code": territoire.code, "theme": "RH", "type": "GT2"})
    assert f'<a href="{circuit}">Valider le livrable GT2 – grille AFOR du groupe Ressources humaines</a>' in html
    assert "Rien n'attend votre action" not in html


# --- notifications ------------------------------------------------------------------------------------


def test_each_new_wait_is_notified_once_and_e_mailed(cast, territoire, groupe_rh, mailoutbox):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre

    do_soumettre(livrable_de(groupe_rh, "GT2"), cast["membre_rh"])
    PreferenceCourriel.objects.create(utilisateur=cast["copilote_rh_epci"], frequence="quotidien")
    signaler(territoire, acteurs={cast["equipe_projet"].pk})
    visa = Notification.objects.filter(tache__startswith="livrables.viser:")
    assert sorted(visa.values_list("destinataire__username", flat=True)) == ["copilote-rh-commune", "copilote-rh-epci"]
    assert all(n.libelle == "Valider le livrable GT2 – grille AFOR du groupe Ressources humaines" for n in visa)
    # the commune co-pilot wants each notification; the EPCI's a daily digest
    envoyes = [m for m in mailoutbox if "Valider le livrable GT2" in m.subject]
    assert [m.to for m in envoyes] == [["copilote-rh-commune@exemple.fr"]]
    assert "/groupes/RH/livrables/GT2/circuit/" in envoyes[0].body
    # the project team's own waits (the letters to generate) are notified as read, without an e-mail
    lettres = Notification.objects.get(destinataire=cast["equipe_projet"], tache__startswith="documents.generer:")
    assert lettres.lue and not any(m.to == ["equipe-projet@exemple.fr"] for m in mailoutbox)

    total, envois = Notification.objects.count(), len(mailoutbox)
    assert signaler(territoire) == [] and Notification.objects.count() == total and len(mailoutbox) == envois


def test_a_new_version_waiting_again_is_notified_again(cast, territoire, groupe_rh):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_renvoyer, do_soumettre

    livrable = livrable_de(groupe_rh, "GT2")
    do_soumettre(livrable, cast["membre_rh"])
    signaler(territoire, envoyer=False)
    do_renvoyer(livrable, cast["copilote_rh_epci"], "À reprendre")
    livrable.refresh_from_db()
    livrable.version += 1  # what an edit does
    livrable.save(update_fields=["version"])
    do_soumettre(livrable, cast["membre_rh"])
    signaler(territoire, envoyer=False)
    assert (
        Notification.objects.filter(
            destinataire=cast["copilote_rh_commune"], tache__startswith="livrables.viser:"
        ).count()
        == 2
    )


def test_a_committed_action_notifies_without_anyone_asking(
    cast, territoire, groupe_rh, connecte, django_capture_on_commit_callbacks
):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre

    livrable = livrable_de(groupe_rh, "GT2")
    with django_capture_on_commit_callbacks(execute=True):
        do_soumettre(livrable, cast["membre_rh"])
    notif = Notification.objects.get(destinataire=cast["copilote_rh_commune"], tache__startswith="livrables.viser:")
    assert not notif.lue
    page = connecte(cast["copilote_rh_commune"]).get(
        reverse("echanges:notifications", kwargs={"code": territoire.code})
    )
    html = page.content.decode()
    assert "Une action vous attend" in html and notif.url in html
    assert "1 notification non lue" in html


def test_a_rolled_back_write_notifies_nothing_and_the_next_commit_still_does(
    cast, territoire, groupe_rh, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre

    livrable = livrable_de(groupe_rh, "GT2")
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                do_soumettre(livrable, cast["copilote_rh_commune"])
                raise RuntimeError("annulé")
        except RuntimeError:
            pass
    assert not Notification.objects.filter(tache__startswith="livrables.viser:").exists()
    livrable.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        do_soumettre(livrable, cast["membre_rh"])
    assert Notification.objects.filter(tache__startswith="livrables.viser:").count() == 2
    # the rolled-back write's author is not taken for an actor of the committed one
    assert not Notification.objects.get(
        destinataire=cast["copilote_rh_commune"], tache__startswith="livrables.viser:"
    ).lue


def test_a_write_by_several_people_leaves_everyone_s_new_waits_unread(
    cast, territoire, groupe_rh, payroll_small, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre
    from masse_salariale.actions import do_preparer_lot

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # a bulk load: the demo, a script
        do_soumettre(livrable_de(groupe_rh, "GT2"), cast["membre_rh"])
        do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])
    lot = Notification.objects.get(destinataire=cast["equipe_projet"], tache__startswith="masse_salariale.")
    assert not lot.lue


def test_her_own_write_s_wait_arrives_read(cast, territoire, payroll_small, django_capture_on_commit_callbacks):
    from masse_salariale.actions import do_preparer_lot

    with django_capture_on_commit_callbacks(execute=True):
        do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])
    assert Notification.objects.get(destinataire=cast["equipe_projet"], tache__startswith="masse_salariale.").lue
