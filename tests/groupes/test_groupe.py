"""A working group's page: co-pilots, consultant, périmètre, members (project team), sub-groups (project
team and the group's co-pilots), and the panels of the meetings and the mandate letter."""

import html as html_module

import pytest
from django.urls import reverse

from comptes.enums import Role
from comptes.models import Habilitation
from groupes.actions import do_creer_sous_groupe
from groupes.models import SousGroupe
from territoire.models import Evenement

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
    "membre_rh",
    "observateur",
]
COORDINATEURS = ["equipe_projet", "copilote_rh_commune", "copilote_rh_epci"]


def texte(response) -> str:
    return html_module.unescape(response.content.decode())


def url(name, territoire, theme="RH", **kwargs):
    return reverse(f"groupes:{name}", kwargs={"code": territoire.code, "theme": theme, **kwargs})


def rh(territoire):
    return territoire.schemas.get().groupes.avec_participants().get(theme="RH")


@pytest.fixture
def paie(cast, territoire):
    """A « Paie » sub-group of RH with its member."""
    return do_creer_sous_groupe(
        rh(territoire),
        nom="Paie",
        description="Paie et carrières",
        membres=[cast["membre_rh"]],
        auteur=cast["equipe_projet"],
    )


# --- the page -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBRES)
def test_every_member_reads_the_group_page(connecte, cast, territoire, paie, role):
    response = connecte(cast[role]).get(url("groupe", territoire))
    assert response.status_code == 200
    page = texte(response)
    assert "Groupe de travail « Ressources humaines »" in page
    assert "copilote-rh-commune (Pessac)" in page and "copilote-rh-epci (Bordeaux Métropole)" in page
    assert "membre-rh" in page and "Talence" in page
    assert "Paie et carrières" in page
    templates = {t.name for t in response.templates}
    assert {"seances/includes/panneau_groupe.html", "documents/includes/panneau_groupe.html"} <= templates
    assert ("Ajouter au groupe" in page) == (role == "equipe_projet")
    assert ("Créer un sous-groupe" in page) == (role in COORDINATEURS)


def test_the_theme_is_found_in_lower_case_and_an_unknown_one_is_404(connecte, cast, territoire):
    client = connecte(cast["elu_copil"])
    assert client.get(url("groupe", territoire, theme="rh")).status_code == 200
    assert client.get(url("groupe", territoire, theme="NOPE")).status_code == 404


def test_the_panels_context_is_merged(connecte, cast, territoire, monkeypatch):
    from groupes import panneaux

    # the meetings, the mandate letter and the deliverables declare their panels when Django starts
    assert len(panneaux.PANNEAUX) == 3
    vus = {}

    def panneau_test(groupe, acces, now):
        vus["test"] = (groupe.theme, acces.utilisateur, now is not None)
        return {"panneau_test": "test", "groupe": "pas le groupe"}

    monkeypatch.setattr(panneaux, "PANNEAUX", [*panneaux.PANNEAUX, panneau_test])
    response = connecte(cast["elu_copil"]).get(url("groupe", territoire))
    assert response.status_code == 200
    assert vus == {"test": ("RH", cast["elu_copil"], True)}
    assert response.context["panneau_test"] == "test"
    assert "panneau_seances" in response.context and "panneau_lettre" in response.context
    assert response.context["groupe"].theme == "RH"  # a panel cannot hide the page's own keys


def test_other_territories_answer_404(connecte, cast, territoire, paie):
    client = connecte(cast["exterieur"])
    for name, kwargs in (
        ("groupe", {}),
        ("perimetre", {}),
        ("ajouter_sous_groupe", {}),
        ("modifier_sous_groupe", {"pk": paie.pk}),
    ):
        assert client.get(url(name, territoire, **kwargs)).status_code == 404
    assert client.post(url("ajouter_membre", territoire), {"utilisateur": cast["exterieur"].pk}).status_code == 404


# --- périmètre ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", COORDINATEURS)
def test_the_project_team_and_the_copilots_edit_the_perimetre(connecte, cast, territoire, role):
    client = connecte(cast[role])
    assert client.get(url("perimetre", territoire)).status_code == 200
    response = client.post(url("perimetre", territoire), {"perimetre": "Paie, carrières, formation.\nHors CDG."})
    assert response.status_code == 302
    assert rh(territoire).perimetre == "Paie, carrières, formation.\nHors CDG."
    event = Evenement.objects.get(action="groupes.perimetre")
    assert event.utilisateur == cast[role] and event.details == {"groupe": "RH", "avant": ""}
    assert "Paie, carrières, formation.<br>Hors CDG." in texte(client.get(url("groupe", territoire)))


@pytest.mark.parametrize("role", ["dgs_metropole", "consultant", "elu_copil", "membre_rh", "observateur"])
def test_other_members_cannot_edit_the_perimetre(connecte, cast, territoire, role):
    client = connecte(cast[role])
    assert client.get(url("perimetre", territoire)).status_code == 403
    assert client.post(url("perimetre", territoire), {"perimetre": "piraté"}).status_code == 403
    assert rh(territoire).perimetre == ""


def test_the_copilots_of_one_group_cannot_edit_another(connecte, cast, territoire):
    client = connecte(cast["copilote_rh_commune"])
    assert client.post(url("perimetre", territoire, theme="FIN"), {"perimetre": "x"}).status_code == 403
    assert client.post(url("ajouter_sous_groupe", territoire, theme="FIN"), {"nom": "x"}).status_code == 403
    assert not SousGroupe.objects.exists()


# --- members --------------------------------------------------------------------------------------------


def test_the_project_team_adds_and_removes_members(client, connecte, cast, territoire, paie):
    connecte(cast["equipe_projet"])
    page = texte(client.get(url("groupe", territoire)))
    liste = page[page.index('name="utilisateur"') :]
    liste = liste[: liste.index("</select>")]
    assert "dgs-bordeaux" in liste and "membre-rh" not in liste and "copilote-rh-epci" not in liste

    response = client.post(url("ajouter_membre", territoire), {"utilisateur": cast["dgs_bordeaux"].pk})
    assert response.status_code == 302
    assert {u.username for u in rh(territoire).participants(Role.MEMBRE)} == {"membre-rh", "dgs-bordeaux"}
    habilitation = Habilitation.objects.get(utilisateur=cast["dgs_bordeaux"], role=Role.MEMBRE)
    assert habilitation.organisation.code == "33063" and habilitation.territoire == territoire
    assert Evenement.objects.filter(action="groupes.membre_ajout", details__compte=cast["dgs_bordeaux"].pk).exists()

    # Removing a member takes her out of the sub-groups too.
    response = client.post(url("retirer_membre", territoire, pk=cast["membre_rh"].pk))
    assert response.status_code == 302
    assert [u.username for u in rh(territoire).participants(Role.MEMBRE)] == ["dgs-bordeaux"]
    assert list(paie.membres.all()) == []
    assert Evenement.objects.filter(action="groupes.membre_retrait").exists()
    # Her account and other roles are untouched: she keeps access to the territory if she had another role.
    assert client.post(url("retirer_membre", territoire, pk=cast["membre_rh"].pk)).status_code == 404


@pytest.mark.parametrize(
    "qui, message",
    [
        ("copilote_rh_epci", "copilote-rh-epci participe déjà au groupe (co-pilote EPCI)."),
        ("membre_rh", "membre-rh participe déjà au groupe (membre)."),
        ("exterieur", "Choisissez une personne du territoire dans la liste."),
        ("", "Choisissez la personne à ajouter au groupe."),
    ],
)
def test_adding_a_member_says_what_is_wrong(connecte, cast, territoire, qui, message):
    client = connecte(cast["equipe_projet"])
    response = client.post(url("ajouter_membre", territoire), {"utilisateur": cast[qui].pk if qui else ""})
    assert response.status_code == 400
    page = texte(response)
    assert message in page and "Le membre n'a pas été ajouté" in page
    assert "Groupe de travail « Ressources humaines »" in page  # the group page, with the form's error
    assert Habilitation.objects.filter(role=Role.MEMBRE).count() == 1


@pytest.mark.parametrize(
    "role", ["copilote_rh_commune", "copilote_rh_epci", "dgs_metropole", "consultant", "membre_rh"]
)
def test_members_are_managed_by_the_project_team_only(connecte, cast, territoire, role):
    """The page shows no member form to them; a direct POST is refused."""
    client = connecte(cast[role])
    assert "Ajouter au groupe" not in texte(client.get(url("groupe", territoire)))
    assert client.post(url("ajouter_membre", territoire), {"utilisateur": cast["dgs_bordeaux"].pk}).status_code == 403
    assert client.post(url("retirer_membre", territoire, pk=cast["membre_rh"].pk)).status_code == 403
    assert [u.username for u in rh(territoire).participants(Role.MEMBRE)] == ["membre-rh"]


# --- sub-groups -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", COORDINATEURS)
def test_the_project_team_and_the_copilots_create_rename_and_delete_sub_groups(
    client, connecte, cast, territoire, role
):
    connecte(cast[role])
    page = texte(client.get(url("ajouter_sous_groupe", territoire)))
    assert "<legend>Membres du sous-groupe</legend>" in page
    assert "membre-rh (Talence)" in page and "copilote-rh-epci (Bordeaux Métropole)" in page
    assert "dgs-bordeaux" not in page  # not in the group

    response = client.post(
        url("ajouter_sous_groupe", territoire),
        {
            "nom": "  Formation   continue ",
            "description": "Plan de formation mutualisé",
            "membres": [cast["membre_rh"].pk, cast["copilote_rh_commune"].pk],
        },
    )
    assert response.status_code == 302
    sous_groupe = SousGroupe.objects.get()
    assert sous_groupe.nom == "Formation continue" and sous_groupe.groupe.theme == "RH"
    assert set(sous_groupe.membres.all()) == {cast["membre_rh"], cast["copilote_rh_commune"]}
    assert Evenement.objects.get(action="groupes.sous_groupe_creation").utilisateur == cast[role]

    response = client.post(
        url("modifier_sous_groupe", territoire, pk=sous_groupe.pk),
        {"nom": "Formation", "description": "", "membres": [cast["copilote_rh_epci"].pk]},
    )
    assert response.status_code == 302
    sous_groupe.refresh_from_db()
    assert sous_groupe.nom == "Formation" and list(sous_groupe.membres.all()) == [cast["copilote_rh_epci"]]
    assert "Formation" in texte(client.get(url("groupe", territoire)))

    assert client.get(url("supprimer_sous_groupe", territoire, pk=sous_groupe.pk)).status_code == 200
    response = client.post(url("supprimer_sous_groupe", territoire, pk=sous_groupe.pk))
    assert response.status_code == 302
    assert not SousGroupe.objects.exists()
    assert [e.action for e in Evenement.objects.filter(action__startswith="groupes.sous_groupe")] == [
        "groupes.sous_groupe_suppression",
        "groupes.sous_groupe_modification",
        "groupes.sous_groupe_creation",
    ]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"nom": ""}, "Ce champ est obligatoire."),
        ({"nom": "paie"}, "Le groupe a déjà un sous-groupe « paie » : choisissez un autre nom."),
        ({"nom": "Carrières", "membres": ["DGS"]}, "Choisissez les membres parmi les participants du groupe."),
    ],
)
def test_sub_group_form_says_what_is_wrong(connecte, cast, territoire, paie, data, message):
    if data.get("membres") == ["DGS"]:
        data["membres"] = [cast["dgs_bordeaux"].pk]  # not in the group
    client = connecte(cast["copilote_rh_epci"])
    response = client.post(url("ajouter_sous_groupe", territoire), data)
    assert response.status_code == 400
    assert message in texte(response)
    assert "Le sous-groupe n'a pas été enregistré" in texte(response)
    assert SousGroupe.objects.count() == 1


@pytest.mark.parametrize("role", ["dgs_metropole", "consultant", "elu_copil", "membre_rh", "observateur"])
def test_others_cannot_touch_sub_groups(connecte, cast, territoire, paie, role):
    client = connecte(cast[role])
    assert client.get(url("ajouter_sous_groupe", territoire)).status_code == 403
    assert client.post(url("ajouter_sous_groupe", territoire), {"nom": "Autre"}).status_code == 403
    assert client.post(url("modifier_sous_groupe", territoire, pk=paie.pk), {"nom": "Renommé"}).status_code == 403
    assert client.post(url("supprimer_sous_groupe", territoire, pk=paie.pk)).status_code == 403
    assert [s.nom for s in SousGroupe.objects.all()] == ["Paie"]


def test_a_sub_group_is_reached_through_its_own_group_only(connecte, cast, territoire, paie):
    client = connecte(cast["equipe_projet"])
    assert client.get(url("modifier_sous_groupe", territoire, theme="FIN", pk=paie.pk)).status_code == 404
    assert client.post(url("supprimer_sous_groupe", territoire, theme="FIN", pk=paie.pk)).status_code == 404
    assert SousGroupe.objects.filter(pk=paie.pk).exists()


def test_a_copilot_replaced_in_the_repartition_leaves_the_sub_groups(connecte, cast, territoire, paie):
    paie.membres.add(cast["copilote_rh_commune"])
    client = connecte(cast["equipe_projet"])
    response = client.post(
        url("repartition", territoire),
        {"copilote_commune": cast["dgs_bordeaux"].pk, "copilote_epci": cast["copilote_rh_epci"].pk},
    )
    assert response.status_code == 302
    assert list(paie.membres.all()) == [cast["membre_rh"]]
