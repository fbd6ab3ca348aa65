"""The referential's pages: the list by theme for every member, editing for the project team only."""

import html as html_module

import pytest
from django.urls import reverse

from referentiel.models import Activite, SousActivite
from territoire.models import Evenement
from tests.cast import creer_territoire

pytestmark = pytest.mark.django_db

MEMBRES = [
    "equipe_projet",
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "elu_copil",
]
AUTRES_QUE_EQUIPE = [m for m in MEMBRES if m != "equipe_projet"]


def texte(response) -> str:
    """The page as a reader sees it (entities decoded: ' rather than ')."""
    return html_module.unescape(response.content.decode())


def url(name, territoire, **kwargs):
    return reverse(f"referentiel:{name}", kwargs={"code": territoire.code, **kwargs})


def formulaire(
    theme="FIN",
    code="FIN-TEST",
    libelle="Activité de test",
    description="",
    reserve=False,
    sous=(),
    existantes=0,
    extra=3,
):
    """The POST data of the activity form; `sous` are (code, libellé[, réservée[, supprimer[, id]]])."""
    lignes = list(sous) + [("", "")] * max(0, existantes + extra - len(sous))
    data = {
        "theme": theme,
        "code": code,
        "libelle": libelle,
        "description": description,
        "sous-TOTAL_FORMS": str(len(lignes)),
        "sous-INITIAL_FORMS": str(existantes),
        "sous-MIN_NUM_FORMS": "0",
        "sous-MAX_NUM_FORMS": "1000",
    }
    if reserve:
        data["reserve_cdg"] = "on"
    for i, ligne in enumerate(lignes):
        data[f"sous-{i}-code"], data[f"sous-{i}-libelle"] = ligne[0], ligne[1]
        if len(ligne) > 2 and ligne[2]:
            data[f"sous-{i}-reserve_cdg"] = "on"
        if len(ligne) > 3 and ligne[3]:
            data[f"sous-{i}-DELETE"] = "on"
        if len(ligne) > 4:
            data[f"sous-{i}-id"] = str(ligne[4])
    return data


def formulaire_de(activite, **changes):
    """The POST data of the edit form of an existing activity, unchanged unless said."""
    sous = [(s.code, s.libelle, s.reserve_cdg, False, s.pk) for s in activite.sous_activites.all()]
    values = {
        "theme": activite.theme,
        "code": activite.code,
        "libelle": activite.libelle,
        "description": activite.description,
        "reserve": activite.reserve_cdg,
        "sous": sous,
        "existantes": len(sous),
    }
    return formulaire(**{**values, **changes})


# --- the list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBRES)
def test_every_member_reads_the_referential_grouped_by_theme(connecte, cast, territoire, role):
    page = connecte(cast[role]).get(url("liste", territoire))
    assert page.status_code == 200
    html = texte(page)
    for label in ("Finances", "Ressources humaines", "Travaux d'investissement sur le domaine public"):
        assert f"{label} (" in html
    assert "FIN-BUDG" in html and "Préparation et exécution budgétaire" in html
    assert "Cycle budgétaire annuel" in html  # the description
    assert "RH-PAIE-01" in html  # a sub-activity
    assert "réservée CDG" in html  # RH-CONC, in words rather than colour
    assert "<caption>Activités du thème Finances" in html and '<th scope="col">Code</th>' in html
    editeur = role == "equipe_projet"
    assert ("Ajouter une activité" in html) is editeur
    assert ("Importer un référentiel" in html) is editeur
    assert "Exporter le référentiel" in html


def test_outsiders_get_404_and_anonymous_users_the_login_page(client, connecte, cast, territoire):
    assert client.get(url("liste", territoire)).status_code == 302
    assert connecte(cast["exterieur"]).get(url("liste", territoire)).status_code == 404


def test_the_list_page_runs_a_bounded_number_of_queries(connecte, cast, territoire, django_assert_max_num_queries):
    client = connecte(cast["equipe_projet"])
    client.get(url("liste", territoire))  # warm up the session
    with django_assert_max_num_queries(8):
        assert client.get(url("liste", territoire)).status_code == 200
    # Twice as many activities: still the same queries.
    for a in list(territoire.activites.all()):
        copie = Activite.objects.create(territoire=territoire, theme=a.theme, code=a.code + "X", libelle=a.libelle)
        SousActivite.objects.create(activite=copie, code=copie.code + "-01", libelle="Copie")
    with django_assert_max_num_queries(8):
        assert client.get(url("liste", territoire)).status_code == 200


# --- adding, editing, deleting -----------------------------------------------------------------------


def test_project_team_adds_an_activity_and_the_change_is_logged(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    assert client.get(url("ajouter", territoire) + "?theme=SI").status_code == 200
    data = formulaire(
        theme="SI",
        code=" si-test ",
        libelle="Activité  de test",
        description="Pour voir.",
        sous=[("SI-TEST-01", "Première"), ("", "Deuxième, numérotée"), ("", "")],
    )
    response = client.post(url("ajouter", territoire), data)
    assert response.status_code == 302 and response["Location"].endswith("#activite-SI-TEST")
    activite = territoire.activites.get(code="SI-TEST")
    assert (activite.theme, activite.libelle, activite.description) == ("SI", "Activité de test", "Pour voir.")
    assert [(s.code, s.libelle) for s in activite.sous_activites.all()] == [
        ("SI-TEST-01", "Première"),
        ("SI-TEST-02", "Deuxième, numérotée"),
    ]
    assert activite.ordre > territoire.activites.exclude(pk=activite.pk).order_by("-ordre")[0].ordre
    evenement = Evenement.objects.get(action="referentiel.ajout")
    assert evenement.objet == "SI-TEST" and evenement.utilisateur == cast["equipe_projet"]
    assert evenement.details["sous_activites"] == ["SI-TEST-01", "SI-TEST-02"]
    assert "SI-TEST-02" in client.get(url("liste", territoire)).content.decode()


@pytest.mark.parametrize(
    ("changes", "champ", "message"),
    [
        ({"code": "FIN-BUDG"}, "code", "Le code FIN-BUDG est déjà celui de l'activité « Préparation et exécution"),
        ({"code": "fin-budg-01"}, "code", "Le code FIN-BUDG-01 est déjà celui d'une sous-activité"),
        ({"code": "RH-TEST"}, "code", "Le code d'une activité du thème FIN commence par « FIN- »"),
        ({"code": "FIN-ÉTÉ"}, "code", "Caractères admis : lettres sans accent, chiffres et tirets"),
        ({"code": ""}, "code", "Ce champ est obligatoire"),
        ({"libelle": ""}, "libelle", "Ce champ est obligatoire"),
        ({"theme": "AUTRE"}, "theme", "Sélectionnez un choix valide"),
        (
            {"sous": [("FIN-TEST-01", "Un"), ("FIN-TEST-01", "Deux")]},
            "sous-1-code",
            "Code en double : c'est déjà celui de la sous-activité 1.",
        ),
        (
            {"sous": [("FIN-AUTRE-01", "Un")]},
            "sous-0-code",
            "Le code d'une sous-activité de FIN-TEST commence par « FIN-TEST- »",
        ),
        ({"sous": [("FIN-TEST-01", "")]}, "sous-0-libelle", "Ce champ est obligatoire"),
        (
            {"sous": [("RH-PAIE-01", "Pris")], "code": "RH-PAIE-01X", "theme": "RH"},
            "sous-0-code",
            "Le code d'une sous-activité de RH-PAIE-01X commence par",
        ),
    ],
    ids=[
        "code-pris",
        "code-de-sous-activite",
        "prefixe",
        "accents",
        "code-vide",
        "libelle-vide",
        "theme",
        "sous-en-double",
        "sous-prefixe",
        "sous-sans-libelle",
        "sous-prefixe-2",
    ],
)
def test_invalid_activity_is_refused_with_a_french_message(connecte, cast, territoire, changes, champ, message):
    avant = Activite.objects.count(), SousActivite.objects.count()
    response = connecte(cast["equipe_projet"]).post(url("ajouter", territoire), formulaire(**changes))
    assert response.status_code == 400
    html = texte(response)
    assert message in html
    assert f'id="id_{champ}_error"' in html and 'aria-invalid="true"' in html
    assert (Activite.objects.count(), SousActivite.objects.count()) == avant
    assert not Evenement.objects.filter(action__startswith="referentiel.").exists()


def test_sub_activity_code_used_by_another_activity_is_refused(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    response = client.post(url("ajouter", territoire), formulaire(code="FIN-X", sous=[("FIN-X-Y-01", "Un")]))
    assert response.status_code == 302
    # FIN-X-Y-01 has the prefix of an activity FIN-X-Y too, but is already taken.
    response = client.post(url("ajouter", territoire), formulaire(code="FIN-X-Y", sous=[("FIN-X-Y-01", "Deux")]))
    assert response.status_code == 400
    assert "Le code FIN-X-Y-01 est déjà utilisé ailleurs dans le référentiel" in texte(response)
    assert not territoire.activites.filter(code="FIN-X-Y").exists()


def test_editing_renames_an_activity_its_sub_activities_follow_and_the_diff_is_logged(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    activite = territoire.activites.get(code="FIN-REGI")
    page = client.get(url("modifier", territoire, pk=activite.pk))
    assert page.status_code == 200 and "Régies d'avances et de recettes" in texte(page)
    data = formulaire_de(activite, code="FIN-REGIE", libelle="Régies et encaissements")
    data["sous-1-DELETE"] = "on"  # drop FIN-REGI-02
    data["sous-4-libelle"] = "Nouvelle sous-activité"  # an empty row filled in
    response = client.post(url("modifier", territoire, pk=activite.pk), data)
    assert response.status_code == 302
    activite.refresh_from_db()
    assert (activite.code, activite.libelle) == ("FIN-REGIE", "Régies et encaissements")
    assert [s.code for s in activite.sous_activites.all()] == [
        "FIN-REGIE-01",
        "FIN-REGIE-03",
        "FIN-REGIE-04",
        "FIN-REGIE-05",
    ]
    assert activite.sous_activites.get(code="FIN-REGIE-05").libelle == "Nouvelle sous-activité"
    details = Evenement.objects.get(action="referentiel.modification", objet="FIN-REGIE").details
    assert details["code"] == ["FIN-REGI", "FIN-REGIE"]
    assert details["libelle"] == ["Régies", "Régies et encaissements"]
    assert "FIN-REGI-02" in details["sous_activites_supprimees"]
    assert "FIN-REGIE-05" in details["sous_activites_ajoutees"]


def test_an_unchanged_edit_logs_nothing_and_keeps_the_activity(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    activite = territoire.activites.get(code="RH-PAIE")
    avant = [(s.code, s.libelle, s.reserve_cdg) for s in activite.sous_activites.all()]
    assert client.post(url("modifier", territoire, pk=activite.pk), formulaire_de(activite)).status_code == 302
    assert [(s.code, s.libelle, s.reserve_cdg) for s in activite.sous_activites.all()] == avant
    assert not Evenement.objects.filter(action="referentiel.modification").exists()


def test_reserving_an_activity_reserves_its_sub_activities(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    activite = territoire.activites.get(code="RH-FORM")
    client.post(url("modifier", territoire, pk=activite.pk), formulaire_de(activite, reserve=True))
    activite.refresh_from_db()
    assert activite.reserve_cdg and all(s.reserve_cdg for s in activite.sous_activites.all())
    assert Evenement.objects.get(action="referentiel.modification").details["reserve_cdg"] == [False, True]


def test_project_team_deletes_an_activity_after_confirmation(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    activite = territoire.activites.get(code="ECO-TOUR")
    page = client.get(url("supprimer", territoire, pk=activite.pk))
    assert page.status_code == 200 and "(ECO-TOUR) ?" in texte(page) and "Supprimer l'activité «" in texte(page)
    assert territoire.activites.filter(code="ECO-TOUR").exists()
    response = client.post(url("supprimer", territoire, pk=activite.pk))
    assert response.status_code == 302
    assert not territoire.activites.filter(code="ECO-TOUR").exists()
    assert not SousActivite.objects.filter(activite__territoire=territoire, code__startswith="ECO-TOUR-").exists()
    evenement = Evenement.objects.get(action="referentiel.suppression")
    assert evenement.objet == "ECO-TOUR" and "ECO-TOUR-01" in evenement.details["sous_activites"]


# --- who may change it -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", AUTRES_QUE_EQUIPE)
def test_only_the_project_team_may_change_the_referential(connecte, cast, territoire, role):
    activite = territoire.activites.get(code="FIN-BUDG")
    client = connecte(cast[role])
    assert client.get(url("liste", territoire)).status_code == 200  # reading is fine
    assert client.get(url("ajouter", territoire)).status_code == 403
    assert client.post(url("ajouter", territoire), formulaire()).status_code == 403
    assert client.get(url("modifier", territoire, pk=activite.pk)).status_code == 403
    assert (
        client.post(url("modifier", territoire, pk=activite.pk), formulaire_de(activite, libelle="Piraté")).status_code
        == 403
    )
    assert client.post(url("supprimer", territoire, pk=activite.pk)).status_code == 403
    assert client.post(url("importer", territoire)).status_code == 403
    activite.refresh_from_db()
    assert activite.libelle == "Préparation et exécution budgétaire"
    assert not territoire.activites.filter(code="FIN-TEST").exists()
    assert not Evenement.objects.filter(action__startswith="referentiel.").exists()


def test_other_territories_users_get_404_and_ids_do_not_cross_territories(connecte, cast, territoire):
    activite = territoire.activites.get(code="FIN-BUDG")
    dehors = connecte(cast["exterieur"])
    assert dehors.get(url("exporter", territoire)).status_code == 404
    for name, kwargs in [
        ("ajouter", {}),
        ("modifier", {"pk": activite.pk}),
        ("supprimer", {"pk": activite.pk}),
        ("importer", {}),
    ]:
        assert dehors.get(url(name, territoire, **kwargs)).status_code == 404
        assert dehors.post(url(name, territoire, **kwargs)).status_code == 404
    # The project team of Bordeaux cannot reach Nantes' activities through its own territory's URLs.
    nantes = Activite.objects.get(territoire__code="244400404", code="FIN-BUDG")
    equipe = connecte(cast["equipe_projet"])
    assert equipe.get(url("modifier", territoire, pk=nantes.pk)).status_code == 404
    assert equipe.post(url("supprimer", territoire, pk=nantes.pk)).status_code == 404
    assert Activite.objects.filter(pk=nantes.pk).exists()


def test_a_new_territory_gets_its_own_copy(db):
    a, b = creer_territoire(), creer_territoire(code="200000001", nom="Autre", communes=[("01001", "Une", 10)])
    Activite.objects.filter(territoire=a, code="FIN-BUDG").update(libelle="Changé")
    assert b.activites.get(code="FIN-BUDG").libelle == "Préparation et exécution budgétaire"
