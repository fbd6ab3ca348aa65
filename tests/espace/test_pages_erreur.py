"""The error pages: French, in the site's layout (lang="fr", the link home), saying what happened and where
to go; 400, 403 (with the refusal's reason), 404, 405, 409, 500 and the CSRF failure."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def francaise(response, titre):
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert f"<h1>{titre}</h1>" in html
    assert "Où aller maintenant" in html and 'href="/"' in html
    assert "Page not found" not in html and "Forbidden" not in html and "Server Error" not in html
    return html


def test_404_is_a_french_page_with_the_way_home(client):
    francaise(client.get("/nulle-part/"), "Page introuvable")
    assert client.get("/nulle-part/").status_code == 404


def test_403_says_why(connecte, cast, territoire):
    response = connecte(cast["observateur"]).get(reverse("utilisateurs:liste", kwargs={"code": territoire.code}))
    assert response.status_code == 403
    html = francaise(response, "Accès refusé")
    assert "Seule l&#x27;équipe projet gère les comptes du territoire." in html


def test_405_keeps_its_allow_header(connecte, cast, territoire):
    url = reverse("masse_salariale:fonctionnels", kwargs={"code": territoire.code})
    response = connecte(cast["equipe_projet"]).get(url)
    assert response.status_code == 405 and response["Allow"] == "POST"
    francaise(response, "Action impossible depuis cette adresse")


def test_400_on_a_bad_request(client):
    response = client.get("/", HTTP_HOST="hote invalide")
    assert response.status_code == 400
    francaise(response, "Requête invalide")


def test_csrf_failure_is_explained(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["equipe_projet"])
    response = client.post(reverse("comptes:logout"))
    assert response.status_code == 403
    assert "Rechargez la page" in francaise(response, "Formulaire expiré")


def test_500_renders_without_the_database(rf):
    from commun.pages_erreur import erreur_serveur

    response = erreur_serveur(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html and "<h1>Erreur du serveur</h1>" in html and 'href="/"' in html


def test_409_of_an_export_is_a_page(connecte, cast, territoire, lot_courant):
    from scenarios import actions, calcul
    from scenarios.models import ActionScenario

    scenario = actions.do_creer(territoire.schemas.get(), cast["equipe_projet"], "Cassé")
    actions.do_ajouter_actions(
        calcul.contexte(territoire),
        scenario,
        cast["equipe_projet"],
        [
            (
                {
                    "theme": "RH",
                    "activite": "",
                    "toutes": True,
                    "modalite": "service_commun",
                    "part": 1,
                    "gain": 0,
                    "annee": 2027,
                },
                [],
                "A1",
            )
        ],
    )
    ActionScenario.objects.filter(scenario=scenario).update(part=2)  # a rule broken behind the forms' back
    response = connecte(cast["equipe_projet"]).get(
        reverse("scenarios:impact", kwargs={"code": territoire.code, "pk": scenario.pk})
    )
    assert response.status_code == 409
    assert "corrigez-le avant d&#x27;exporter" in francaise(response, "Action refusée")
