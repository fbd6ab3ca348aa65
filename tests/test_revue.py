"""Regression tests of the defects found in review (bad input that gave server errors, rights that
leaked, figures that showed one agent's salary)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masse_salariale.models import Lot
from tests.cast import BORDEAUX, EPCI, payroll_csv, run_command

pytestmark = pytest.mark.django_db


def test_a_superscript_year_is_ignored_not_a_server_error(connecte, cast, territoire, lot_courant):
    client = connecte(cast["elu_copil"])
    for name in ("masse_salariale:coefficient", "masse_salariale:detail", "masse_salariale:lots", "espace:territoire"):
        assert client.get(reverse(name, kwargs={"code": territoire.code}), {"annee": "²"}).status_code == 200


def test_odd_characters_in_a_path_are_not_found(connecte, cast, territoire):
    client = connecte(cast["elu_copil"])
    for path in ("/t/%00/", "/t/243300316/groupes/R%00H/", "/t/243300316/lettres/R%00H/"):
        assert client.get(path).status_code == 404, path


def test_an_activity_code_too_long_to_store_is_a_line_error(connecte, cast, territoire):
    data = payroll_csv(f"{EPCI};E1;FIN;50000;1;1;propre;;Gestion de la paie et des carrieres;A")
    url = reverse("masse_salariale:importer", kwargs={"code": territoire.code})
    response = connecte(cast["equipe_projet"]).post(url, {"fichier": SimpleUploadedFile("p.csv", data), "annee": 2025})
    assert response.status_code == 400
    assert "ligne 2 : activite" in response.content.decode() and "20 caractères au plus" in response.content.decode()
    assert not Lot.objects.exists()


def test_the_batch_page_never_shows_one_agents_salary(connecte, cast, territoire):
    data = payroll_csv(f"{BORDEAUX};Z1;FIN;38123,45;1;1;propre;;;A")
    client = connecte(cast["dgs_bordeaux"])
    client.post(
        reverse("masse_salariale:importer", kwargs={"code": territoire.code}),
        {"fichier": SimpleUploadedFile("p.csv", data), "annee": 2025},
    )
    lot = Lot.objects.get()
    url = reverse("masse_salariale:lot", kwargs={"code": territoire.code, "pk": lot.pk})
    # her own employer's figure: shown to its DGS, rounded to the euro and marked as not to be published
    html = client.get(url).content.decode()
    assert "38\u202f123\u00a0€" in html and "38\u202f123,45" not in html and "confidentiel" in html
    # the importer who is no longer one of its own users (here an observer) no longer sees one agent's pay
    from comptes.models import Habilitation

    Habilitation.objects.filter(utilisateur=cast["dgs_bordeaux"]).update(role="observateur")
    html = client.get(url).content.decode()
    assert "38\u202f123" not in html and "non diffusé" in html


def test_a_user_who_lost_the_right_to_import_cannot_confirm(connecte, cast, territoire):
    from comptes.models import Habilitation

    data = payroll_csv(f"{BORDEAUX};B1;FIN;40000;1;1;propre;;;A")
    client = connecte(cast["dgs_bordeaux"])
    client.post(
        reverse("masse_salariale:importer", kwargs={"code": territoire.code}),
        {"fichier": SimpleUploadedFile("p.csv", data), "annee": 2025},
    )
    lot = Lot.objects.get()
    Habilitation.objects.filter(utilisateur=cast["dgs_bordeaux"]).update(role="observateur")
    url = reverse("masse_salariale:confirmer", kwargs={"code": territoire.code, "pk": lot.pk})
    assert client.post(url).status_code == 403
    lot.refresh_from_db()
    assert lot.statut == "a_confirmer"


def test_a_meeting_title_with_a_line_break_or_a_year_1_is_refused(connecte, cast, territoire):
    from seances.models import Seance

    url = reverse("seances:creer", kwargs={"code": territoire.code, "theme": "RH"})
    client = connecte(cast["equipe_projet"])
    base = {
        "etape": "GT1",
        "titre": "",
        "date": "2030-07-03",
        "heure_debut": "09:30",
        "heure_fin": "12:00",
        "lieu": "Salle 1",
        "lien_visio": "",
        "ordre_du_jour": "x",
    }
    assert client.post(url, {**base, "titre": "GT1\r\nBcc: x@y.z"}).status_code == 400
    assert client.post(url, {**base, "date": "0001-01-01", "heure_debut": "00:01"}).status_code == 400
    assert client.post(url, {**base, "lien_visio": "https://x.fr/" + "a" * 250, "lieu": ""}).status_code == 400
    assert not Seance.objects.exists()


def test_an_empty_repartition_post_keeps_the_copilots(connecte, cast, territoire):
    groupe = territoire.schemas.get().groupes.get(theme="RH")
    url = reverse("groupes:repartition", kwargs={"code": territoire.code, "theme": "RH"})
    connecte(cast["equipe_projet"]).post(url, {})
    assert groupe.participants("copilote_commune") and groupe.participants("copilote_epci")


def test_another_territory_cannot_reactivate_a_deactivated_account(cast, territoire):
    from commun.erreurs import ActionRefusee
    from comptes.actions import do_desactiver, do_inviter
    from comptes.models import Utilisateur
    from tests.cast import creer_territoire, creer_utilisateur

    autre = Utilisateur.objects.get(username="dgs-nantes").habilitations.get().territoire
    equipe_nantes = creer_utilisateur(autre, "equipe-nantes", "equipe_projet", autre.code)
    do_desactiver(territoire, cast["consultant"], cast["equipe_projet"])
    with pytest.raises(ActionRefusee):
        do_inviter(
            autre,
            email=cast["consultant"].email,
            prenom="",
            nom="",
            organisation=None,
            roles_territoire={"consultant"},
            roles_groupes={},
            auteur=equipe_nantes,
            envoyer=False,
        )
    cast["consultant"].refresh_from_db()
    assert not cast["consultant"].is_active
    assert creer_territoire  # the helper module stays importable


def test_an_empty_siren_exits_2(capsys, db):
    status, out, err = run_command(capsys, "territoire", "--siren", "")
    assert status == 2 and out == "" and err.startswith("fichier : ")
