"""The répartition des thématiques (/t/<code>/groupes/): a column per theme, a row per role, each cell a
person with her organisation; the project team edits it, one group at a time."""

import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.enums import Role
from comptes.models import Habilitation
from engine.themes import THEMES
from territoire.models import Evenement
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, creer_utilisateur

pytestmark = pytest.mark.django_db

AUTRES_QUE_EQUIPE = [
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "elu_copil",
    "membre_rh",
    "observateur",
]


def texte(response) -> str:
    return html_module.unescape(response.content.decode())


def liste(territoire):
    return reverse("groupes:liste", kwargs={"code": territoire.code})


def repartition(territoire, theme):
    return reverse("groupes:repartition", kwargs={"code": territoire.code, "theme": theme})


def groupe(territoire, theme):
    return territoire.schemas.get().groupes.avec_participants().get(theme=theme)


def test_the_table_has_the_nine_themes_in_columns_and_the_three_roles_in_rows(connecte, cast, territoire):
    page = texte(connecte(cast["elu_copil"]).get(liste(territoire)))
    table = page[page.index('<table class="tableau tableau-compact repartition">') :]
    table = table[: table.index("</table>")]
    assert "<caption" in table and "Répartition des thématiques" in table
    entetes = re.findall(r'<th scope="col">(?:<a [^>]*>)?([^<]*)', table)
    assert entetes == ["Rôle", *(t.label for t in THEMES)]
    lignes = re.findall(r'<th scope="row">([^<]*)</th>', table)
    assert lignes == ["Co-pilote commune", "Co-pilote EPCI", "Consultant accompagnant"]
    # The RH column: the cast's co-pilots with their organisation; the other cells are to be designated.
    assert 'copilote-rh-commune</span><br><span class="aide">Pessac' in table
    assert 'copilote-rh-epci</span><br><span class="aide">Bordeaux Métropole' in table
    assert table.count("à désigner") == 9 * 3 - 2
    assert "Modifier" not in table  # the elu reads only


def test_the_project_team_sees_an_edit_link_per_group(connecte, cast, territoire):
    page = texte(connecte(cast["equipe_projet"]).get(liste(territoire)))
    for t in THEMES:
        assert repartition(territoire, t.code) in page
    assert "la répartition du groupe Finances" in page  # the link's full name for screen readers


def test_project_team_sets_the_copilots_and_consultant_of_a_group(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    page = client.get(repartition(territoire, "FIN"))
    assert page.status_code == 200
    # Each list offers the people who fit: communes' people, the EPCI's, the consultants.
    formulaire = texte(page)
    commune = formulaire[formulaire.index('name="copilote_commune"') : formulaire.index('name="copilote_epci"')]
    assert "dgs-bordeaux" in commune and "dgs-metropole" not in commune and '<optgroup label="Bordeaux">' in commune
    consultant = formulaire[formulaire.index('name="consultant"') :]
    consultant = consultant[: consultant.index("</select>")]
    assert ">consultant<" in consultant and "dgs-bordeaux" not in consultant

    response = client.post(
        repartition(territoire, "FIN"),
        {
            "copilote_commune": cast["dgs_bordeaux"].pk,
            "copilote_epci": cast["dgs_metropole"].pk,
            "consultant": cast["consultant"].pk,
        },
    )
    assert response.status_code == 302 and response.url == liste(territoire)
    fin = groupe(territoire, "FIN")
    assert fin.participants(Role.COPILOTE_COMMUNE) == [cast["dgs_bordeaux"]]
    assert fin.participants(Role.COPILOTE_EPCI) == [cast["dgs_metropole"]]
    assert fin.participants(Role.CONSULTANT) == [cast["consultant"]]
    event = Evenement.objects.get(action="groupes.repartition")
    assert event.utilisateur == cast["equipe_projet"] and event.details["groupe"] == "FIN"
    page = texte(client.get(liste(territoire)))
    assert 'dgs-bordeaux</span><br><span class="aide">Bordeaux<' in page


def test_a_new_holder_replaces_the_previous_one_who_keeps_her_other_roles(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    # The RH member becomes its co-pilote commune: she is no longer a plain member.
    response = client.post(
        repartition(territoire, "RH"),
        {"copilote_commune": cast["membre_rh"].pk, "copilote_epci": cast["copilote_rh_epci"].pk, "consultant": ""},
    )
    assert response.status_code == 302
    rh = groupe(territoire, "RH")
    assert rh.participants(Role.COPILOTE_COMMUNE) == [cast["membre_rh"]]
    assert rh.participants(Role.MEMBRE) == []
    assert not Habilitation.objects.filter(utilisateur=cast["copilote_rh_commune"], groupe=rh).exists()
    assert rh.participants(Role.COPILOTE_EPCI) == [cast["copilote_rh_epci"]]
    assert (
        "à la place de copilote-rh-commune"
        in Evenement.objects.get(action="groupes.repartition").details["changements"][0]
    )


def test_emptying_a_cell_leaves_it_to_be_designated(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    client.post(
        repartition(territoire, "RH"),
        {"copilote_commune": "", "copilote_epci": cast["copilote_rh_epci"].pk, "consultant": ""},
    )
    assert groupe(territoire, "RH").participants(Role.COPILOTE_COMMUNE) == []


@pytest.mark.parametrize(
    "champ, qui, message",
    [
        (
            "copilote_commune",
            "dgs_metropole",
            "Le co-pilote commune appartient à une commune membre ; dgs-metropole appartient à Bordeaux Métropole.",
        ),
        (
            "copilote_commune",
            "consultant",
            "Le co-pilote commune appartient à une commune membre ; consultant n'a pas d'organisation.",
        ),
        (
            "copilote_epci",
            "dgs_bordeaux",
            "Le co-pilote EPCI appartient à Bordeaux Métropole ; dgs-bordeaux appartient à Bordeaux.",
        ),
        ("consultant", "dgs_merignac", "dgs-merignac n'a pas le rôle de consultant"),
        ("consultant", "exterieur", "Choisissez une personne du territoire dans la liste."),
        ("copilote_epci", "pas-un-nombre", "Choisissez une personne du territoire dans la liste."),
    ],
)
def test_the_form_says_who_does_not_fit(connecte, cast, territoire, champ, qui, message):
    client = connecte(cast["equipe_projet"])
    data = {"copilote_commune": "", "copilote_epci": "", "consultant": "", champ: cast[qui].pk if qui in cast else qui}
    response = client.post(repartition(territoire, "FIN"), data)
    assert response.status_code == 400
    assert message in texte(response)
    assert "La répartition n'a pas été enregistrée" in texte(response)
    assert not Habilitation.objects.filter(groupe__theme="FIN").exists()
    assert not Evenement.objects.filter(action="groupes.repartition").exists()


def test_a_deactivated_account_cannot_be_chosen(connecte, cast, territoire):
    cast["dgs_bordeaux"].is_active = False
    cast["dgs_bordeaux"].save()
    response = connecte(cast["equipe_projet"]).post(
        repartition(territoire, "FIN"), {"copilote_commune": cast["dgs_bordeaux"].pk}
    )
    assert response.status_code == 400
    assert "Le compte de dgs-bordeaux est désactivé" in texte(response)


@pytest.mark.parametrize("role", AUTRES_QUE_EQUIPE)
def test_only_the_project_team_edits_the_repartition(connecte, cast, territoire, role):
    client = connecte(cast[role])
    assert client.get(repartition(territoire, "RH")).status_code == 403
    response = client.post(repartition(territoire, "RH"), {"copilote_commune": cast["dgs_bordeaux"].pk})
    assert response.status_code == 403
    assert groupe(territoire, "RH").participants(Role.COPILOTE_COMMUNE) == [cast["copilote_rh_commune"]]


def test_other_territories_and_unknown_themes_answer_404(connecte, cast, territoire):
    client = connecte(cast["exterieur"])
    assert client.get(liste(territoire)).status_code == 404
    assert client.post(repartition(territoire, "RH"), {}).status_code == 404
    client = connecte(cast["equipe_projet"])
    assert client.get(repartition(territoire, "XYZ")).status_code == 404


def test_the_repartition_page_runs_a_bounded_number_of_queries(connecte, cast, territoire):
    client = connecte(cast["elu_copil"])
    client.get(liste(territoire))

    def requetes():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(liste(territoire)).status_code == 200
        return len(ctx.captured_queries)

    peu = requetes()
    communes = (BORDEAUX, MERIGNAC, PESSAC, TALENCE)
    for i, theme in enumerate(t.code for t in THEMES):
        creer_utilisateur(territoire, f"cc-{theme}", Role.COPILOTE_COMMUNE, communes[i % 4], theme)
        creer_utilisateur(territoire, f"ce-{theme}", Role.COPILOTE_EPCI, EPCI, theme) if theme != "RH" else None
        for j in range(5):
            creer_utilisateur(territoire, f"m-{theme}-{j}", Role.MEMBRE, communes[j % 4], theme)
    beaucoup = requetes()
    assert beaucoup == peu
    assert peu <= 11  # + the header badge of unread notifications
