"""French order of names on the pages and in the exports (issue 11, point 6): on Bordeaux Métropole as
the official files describe it, Bègles comes before Bruges and Le Bouscat under L, where the database's
byte order put Bègles after Bruges and Émilie after Zoé."""

import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.cast import EPCI, creer_territoire, creer_utilisateur
from tests.commun.test_tri import COMMUNES_EN_ORDRE

pytestmark = pytest.mark.django_db


@pytest.fixture
def metropole(db):
    """Bordeaux Métropole and its 28 communes from the official data, as the demo installs it."""
    from mutualis.installation import do_installer_territoire
    from territoire.actions import description_officielle

    return do_installer_territoire(description_officielle(EPCI))[0]


@pytest.fixture
def equipe(metropole):
    from comptes.enums import Role

    return creer_utilisateur(metropole, "equipe-projet", Role.EQUIPE_PROJET, EPCI)


def noms_dans(html: str, noms) -> list[str]:
    """The given names in the order the page prints them (each at its first place)."""
    places = {nom: html.find(f">{escape(nom)}<") for nom in noms}
    assert all(p >= 0 for p in places.values()), [n for n, p in places.items() if p < 0]
    return sorted(places, key=places.get)


def test_gt1_consolidated_page_has_one_column_per_commune_in_french_order(client, metropole, equipe):
    client.force_login(equipe)
    page = client.get(reverse("livrables:gt1", kwargs={"code": metropole.code, "theme": "RH"}))
    assert page.status_code == 200
    assert [c.nom for c in page.context["communes"]] == COMMUNES_EN_ORDRE
    entetes = page.content.decode().split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert noms_dans(entetes, COMMUNES_EN_ORDRE) == COMMUNES_EN_ORDRE  # Bègles, Blanquefort… Bruges… Le Bouscat


def test_priority_matrix_lists_and_filters_communes_in_french_order(client, metropole, equipe):
    from livrables.gt3.actions import do_creer_ligne

    groupe = metropole.schemas.get().groupes.get(theme="RH")
    communes = [metropole.organisations.get(nom=n) for n in ("Le Bouscat", "Bruges", "Bègles")]
    do_creer_ligne(
        groupe,
        equipe,
        {"activite": metropole.activites.get(code="RH-PAIE"), "communes": communes, "modalite": "service_commun"},
    )
    client.force_login(equipe)
    page = client.get(reverse("scenarios:matrice", kwargs={"code": metropole.code}))
    assert page.status_code == 200
    (rangee,) = page.context["non_placees"]
    assert rangee["communes"] == "Bègles, Bruges, Le Bouscat"
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page.content.decode())
    assert options == [escape(nom) for nom in COMMUNES_EN_ORDRE]


def test_forms_offer_organisations_in_french_order(client, metropole, equipe):
    client.force_login(equipe)
    page = client.get(reverse("utilisateurs:inviter", kwargs={"code": metropole.code}))
    choix = [o.nom for o in page.context["form"].fields["organisation"].queryset]
    assert choix == ["Bordeaux Métropole", *COMMUNES_EN_ORDRE]  # the EPCI first


def test_the_accounts_page_lists_people_in_french_order(client, metropole, equipe):
    from comptes.enums import Role

    for login, prenom, nom in (
        ("zoe", "Zoé", "Zidane"),
        ("emilie", "Émilie", "Écuyer"),
        ("eric", "Éric", "ecuyer"),
        ("denis", "Denis", "Durand"),
    ):
        user = creer_utilisateur(metropole, login, Role.MEMBRE, "33039", "RH")
        user.first_name, user.last_name = prenom, nom
        user.save(update_fields=["first_name", "last_name"])
    client.force_login(equipe)
    page = client.get(reverse("utilisateurs:liste", kwargs={"code": metropole.code}))
    noms = [u.username for u in page.context["utilisateurs"]]
    # no name first (the project team's login), then Durand, ecuyer before Écuyer (at equal letters, the
    # one without accent first), Zidane: the database put Écuyer after Zidane
    assert noms == ["equipe-projet", "denis", "eric", "emilie", "zoe"]


@pytest.fixture
def cinq_communes(db):
    """Five communes of Bordeaux Métropole, created in the byte order that put Bruges before Bègles."""
    return creer_territoire(
        communes=[
            ("33075", "Bruges", 20020),
            ("33069", "Le Bouscat", 25081),
            ("33063", "Bordeaux", 267991),
            ("33056", "Blanquefort", 17215),
            ("33039", "Bègles", 31831),
        ]
    )


def test_the_impact_table_and_its_xlsx_export_list_the_epci_then_communes_in_french_order(client, cinq_communes):
    from openpyxl import load_workbook

    from comptes.enums import Role
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from scenarios.models import Scenario
    from tests.cast import payroll_csv

    territoire = cinq_communes
    equipe = creer_utilisateur(territoire, "equipe-projet", Role.EQUIPE_PROJET, EPCI)
    codes = [EPCI, "33075", "33069", "33063", "33056", "33039"]
    rows = [f"{code};A{code}{i};SI;40000;1;1;propre;;;B" for code in codes for i in range(3)]
    lot = do_preparer_lot(territoire, payroll_csv(*rows), "paie.csv", 2025, equipe)
    do_confirmer_lot(lot, equipe)

    client.force_login(equipe)
    liste = reverse("scenarios:liste", kwargs={"code": territoire.code})
    assert client.post(liste, {"nom": "Entente", "partage_gains": "50"}).status_code == 302
    scenario = Scenario.objects.get(nom="Entente")
    args = {"code": territoire.code, "pk": scenario.pk}
    action = {
        "identifiant": "si",
        "theme": "SI",
        "activite": "",
        "modalite": "entente",
        "toutes": "on",
        "part": "100",
        "gain": "0",
        "annee": "2026",
        "economie": "9000",
    }
    response = client.post(reverse("scenarios:action_ajouter", kwargs=args), action)
    assert response.status_code == 302, response.content.decode()

    attendu = ["Bordeaux Métropole", "Bègles", "Blanquefort", "Bordeaux", "Bruges", "Le Bouscat"]
    page = client.get(reverse("scenarios:scenario", kwargs=args))
    assert [r["nom"] for r in page.context["impact"]] == attendu
    choix = [o.nom for o in page.context["form_action"].fields["communes"].queryset]
    assert choix == attendu[1:]

    classeur = load_workbook(io.BytesIO(client.get(reverse("scenarios:impact", kwargs=args)).content)).active
    lignes = list(classeur.iter_rows(values_only=True))
    entetes = next(k for k, r in enumerate(lignes) if r[0] == "Organisation")
    assert [r[0] for r in lignes[entetes + 1 :] if r[0] in attendu] == attendu
