"""The validation circuit of a deliverable (generic over GT1, GT2, GT3): submit, both co-pilots'
validations lock it, return with a comment, reopen with a reason, history, old versions, restore."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


# Only Bordeaux answers in `remplir`: submitting its GT1 list takes the submitter's confirmation.
MALGRE = {"malgre_manquantes": "on"}


def url(territoire, name, type="GT1", **kwargs):
    return reverse(f"livrables:{name}", kwargs={"code": territoire.code, "theme": "RH", "type": type, **kwargs})


def remplir(groupe, cast, specificites="Paie internalisée"):
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire
    from referentiel.models import Activite

    livrable = livrable_de(groupe, "GT1")
    paie = Activite.objects.get(territoire=groupe.schema.territoire, code="RH-PAIE")
    bordeaux = groupe.schema.territoire.organisations.get(code=BORDEAUX)
    do_enregistrer_inventaire(
        livrable,
        bordeaux,
        cast["dgs_bordeaux"],
        {paie.pk: {"exerce": True, "etp": Decimal("3"), "sous_activites": "", "specificites": specificites}},
    )
    livrable.refresh_from_db()
    return livrable


def test_full_circuit_through_the_pages(cast, territoire, groupe_rh, connecte, client):
    livrable = remplir(groupe_rh, cast)
    page = connecte(cast["dgs_bordeaux"]).get(url(territoire, "circuit"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Brouillon" in text and "Soumettre aux co-pilotes" in text
    assert "Inventaire de Bordeaux : 1 activité modifiée" in text  # the history says what changed

    assert client.post(url(territoire, "circuit_soumettre"), MALGRE).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "soumis"
    # A DGS is no co-pilot: she cannot validate.
    assert client.post(url(territoire, "circuit_viser")).status_code == 403

    connecte(cast["copilote_rh_commune"])
    assert "Valider la version" in client.get(url(territoire, "circuit")).content.decode()
    assert client.post(url(territoire, "circuit_viser")).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "soumis"
    connecte(cast["copilote_rh_epci"])
    assert client.post(url(territoire, "circuit_viser")).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "valide" and livrable.verrouille

    # Locked: restoring is refused; the co-pilot cannot reopen, the project team can with a reason.
    response = client.post(url(territoire, "circuit_rouvrir"), {"motif": "Erreur"})
    assert response.status_code == 403
    connecte(cast["equipe_projet"])
    assert client.post(url(territoire, "circuit_restaurer", numero=1)).status_code == 409
    response = client.post(url(territoire, "circuit_rouvrir"), {"motif": ""})
    assert response.status_code == 400
    assert "le motif est obligatoire" in response.content.decode()
    assert client.post(url(territoire, "circuit_rouvrir"), {"motif": "Pessac a oublié la paie"}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "brouillon"
    text = client.get(url(territoire, "circuit")).content.decode()
    assert "Pessac a oublié la paie" in text and "réouverture" in text


def test_return_with_comment(cast, territoire, groupe_rh, connecte, client):
    from livrables.circuit.actions import do_soumettre

    livrable = remplir(groupe_rh, cast)
    do_soumettre(livrable, cast["membre_rh"])
    connecte(cast["copilote_rh_epci"])
    response = client.post(url(territoire, "circuit_renvoyer"), {"commentaire": ""})
    assert response.status_code == 400
    assert client.post(url(territoire, "circuit_renvoyer"), {"commentaire": "Il manque Talence"}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "renvoye"
    assert "Il manque Talence" in client.get(url(territoire, "circuit")).content.decode()
    # The state refuses a second return (409); an observer may not submit (403).
    assert client.post(url(territoire, "circuit_renvoyer"), {"commentaire": "Encore"}).status_code == 409
    connecte(cast["observateur"])
    assert client.post(url(territoire, "circuit_soumettre")).status_code == 403


def test_edit_after_a_visa_voids_it(cast, territoire, groupe_rh):
    from livrables.circuit.actions import do_soumettre, do_viser
    from validation.actions import visas_courants

    livrable = remplir(groupe_rh, cast)
    do_soumettre(livrable, cast["dgs_bordeaux"])
    do_viser(livrable, cast["copilote_rh_commune"])
    assert visas_courants(livrable)
    remplir(groupe_rh, cast, specificites="Autre chose")
    livrable.refresh_from_db()
    assert livrable.etat == "soumis" and not visas_courants(livrable)


def test_old_version_viewed_and_restored(cast, territoire, groupe_rh, connecte, client):
    from livrables.models import LigneInventaire

    livrable = remplir(groupe_rh, cast, "Première rédaction")
    remplir(groupe_rh, cast, "Seconde rédaction")
    livrable.refresh_from_db()
    assert livrable.version == 3
    connecte(cast["dgs_bordeaux"])
    page = client.get(url(territoire, "circuit_version", numero=2))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Première rédaction" in text and "Bordeaux" in text
    assert "Restaurer la version 2" not in text  # a DGS does not restore
    assert client.post(url(territoire, "circuit_restaurer", numero=2)).status_code == 403

    connecte(cast["copilote_rh_commune"])
    assert "Restaurer la version 2" in client.get(url(territoire, "circuit_version", numero=2)).content.decode()
    assert client.post(url(territoire, "circuit_restaurer", numero=2)).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == 4
    ligne = LigneInventaire.objects.get()
    assert ligne.specificites == "Première rédaction"
    assert client.get(url(territoire, "circuit_version", numero=99)).status_code == 404


@pytest.mark.parametrize("type", ["GT2", "GT3"])
def test_generic_over_the_other_deliverables(cast, territoire, groupe_rh, connecte, client, type):
    connecte(cast["membre_rh"])
    assert client.get(url(territoire, "circuit", type=type)).status_code == 200
    assert client.post(url(territoire, "circuit_soumettre", type=type)).status_code == 302
    connecte(cast["copilote_rh_commune"])
    client.post(url(territoire, "circuit_viser", type=type))
    connecte(cast["copilote_rh_epci"])
    client.post(url(territoire, "circuit_viser", type=type))
    from livrables.models import Livrable

    assert Livrable.objects.get(groupe=groupe_rh, type=type).verrouille
    base = url(territoire, "circuit", type="GT1")
    assert client.get(base.replace("/GT1/", "/GT9/")).status_code == 404


def test_badge_include(cast, territoire, groupe_rh):
    from django.template.loader import render_to_string

    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT2")
    html = render_to_string("livrables/includes/circuit.html", {"livrable": livrable, "territoire": territoire})
    assert "Brouillon" in html and url(territoire, "circuit", type="GT2") in html


def test_submission_emails_each_copilot_after_commit(
    cast, territoire, groupe_rh, connecte, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):  # committed before, as in real life
        remplir(groupe_rh, cast)
    mailoutbox.clear()
    client = connecte(cast["copilote_rh_commune"])  # a co-pilot submitting is not e-mailed herself
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(territoire, "circuit_soumettre"), MALGRE).status_code == 302
    visas = [m for m in mailoutbox if "Valider le livrable" in m.subject]
    assert [m.to for m in visas] == [[cast["copilote_rh_epci"].email]]
    message = visas[0]
    assert "GT1 – liste des activités par domaine du groupe Ressources humaines" in message.subject
    assert url(territoire, "circuit") in message.body


def test_a_failing_mail_server_does_not_undo_the_submission(
    cast, territoire, groupe_rh, connecte, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from django.core import mail

    def panne(*args, **kwargs):
        raise OSError("serveur de courriel injoignable")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", panne)
    livrable = remplir(groupe_rh, cast)
    with django_capture_on_commit_callbacks(execute=True):
        assert connecte(cast["dgs_bordeaux"]).post(url(territoire, "circuit_soumettre"), MALGRE).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "soumis"
    assert "courriel de notification" in caplog.text and "non envoyé" in caplog.text


def test_a_gt1_list_with_missing_communes_is_submitted_once_the_submitter_confirms(
    cast, territoire, groupe_rh, connecte
):
    # Issue 11, point 9: 7 communes of 28 answering could be submitted without a word. Names in French
    # order: « Bègles » before « Bruges » (bytes would put « Bruges » first).
    territoire.organisations.filter(code=MERIGNAC).update(nom="Bruges")
    territoire.organisations.filter(code=PESSAC).update(nom="Bègles")
    livrable = remplir(groupe_rh, cast)  # Bordeaux only
    client = connecte(cast["dgs_bordeaux"])
    page = unescape(client.get(url(territoire, "circuit")).content.decode())
    alerte = page.split('id="communes-manquantes"')[1].split("</div>")[0]
    assert "3 communes sur 4 n'ont pas répondu" in alerte
    assert re.findall(r">([^<>]+)</a>", alerte) == ["Bègles", "Bruges", "Talence"]
    assert "Soumettre malgré les communes manquantes" in page

    response = client.post(url(territoire, "circuit_soumettre"))
    assert response.status_code == 400
    livrable.refresh_from_db()
    assert livrable.etat == "brouillon"
    page = unescape(response.content.decode())
    alerte = page.split('id="communes-manquantes"')[1].split("</div>")[0]
    assert re.findall(r">([^<>]+)</a>", alerte) == ["Bègles", "Bruges", "Talence"]
    assert "Livrable non soumis : 3 communes n'ont pas répondu." in page

    assert client.post(url(territoire, "circuit_soumettre"), MALGRE).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "soumis"


def test_a_gt1_list_every_commune_answered_is_submitted_directly(cast, territoire, groupe_rh, connecte):
    from livrables.gt1.actions import do_enregistrer_inventaire

    livrable = remplir(groupe_rh, cast)
    paie = territoire.activites.get(code="RH-PAIE")
    for code in (MERIGNAC, PESSAC, TALENCE):
        commune = territoire.organisations.get(code=code)
        non = {"exerce": False, "etp": None, "sous_activites": "", "specificites": ""}  # « non » is an answer
        do_enregistrer_inventaire(livrable, commune, cast["equipe_projet"], {paie.pk: non})
    client = connecte(cast["dgs_bordeaux"])
    page = client.get(url(territoire, "circuit")).content.decode()
    assert "communes-manquantes" not in page and "malgre_manquantes" not in page
    assert client.post(url(territoire, "circuit_soumettre")).status_code == 302
    livrable.refresh_from_db()
    assert livrable.etat == "soumis"
