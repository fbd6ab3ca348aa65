"""The territory's accounts: the project team invites by e-mail, edits roles and organisation, deactivates;
the invited person sets her password through the link and logs in with her e-mail."""

import html as html_module
import re
from urllib.parse import urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.enums import Role
from comptes.models import Habilitation, Utilisateur
from territoire.models import Evenement
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, creer_utilisateur

pytestmark = pytest.mark.django_db

NOUVEAU_MOT_DE_PASSE = "Un-mot-de-passe-solide-2026"
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


def url(name, territoire, **kwargs):
    return reverse(f"utilisateurs:{name}", kwargs={"code": territoire.code, **kwargs})


def org(territoire, code):
    return territoire.organisations.get(code=code).pk


def invitation(territoire, **changes):
    data = {
        "prenom": "Marie",
        "nom": "Durand",
        "email": "Marie.Durand@Pessac.fr",
        "organisation": org(territoire, PESSAC),
        "roles": ["observateur"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def lien_du_courriel(message) -> str:
    match = re.search(r"https?://\S+/comptes/mot-de-passe/\S+/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def choisir_mot_de_passe(client, path, mot_de_passe=NOUVEAU_MOT_DE_PASSE):
    response = client.get(path)
    assert response.status_code == 302  # Django hides the token behind a redirect
    formulaire = response.url
    response = client.post(formulaire, {"new_password1": mot_de_passe, "new_password2": mot_de_passe})
    assert response.status_code == 302, texte(response)
    assert response.url == reverse("comptes:password_reset_complete")


# --- invitation ---------------------------------------------------------------------------------------


def test_project_team_invites_by_email_and_the_invitee_sets_her_password_and_logs_in(
    client, connecte, cast, territoire, mailoutbox
):
    connecte(cast["equipe_projet"])
    page = client.get(url("inviter", territoire))
    assert page.status_code == 200
    assert "Rôles dans les groupes de travail" in texte(page)

    response = client.post(url("inviter", territoire), invitation(territoire, groupe_FIN="membre", roles=["elu"]))
    assert response.status_code == 302
    assert response.url == url("liste", territoire)

    marie = Utilisateur.objects.get(email="marie.durand@pessac.fr")
    assert (marie.first_name, marie.last_name, marie.organisation.code) == ("Marie", "Durand", PESSAC)
    assert not marie.has_usable_password() and marie.invitation_en_attente
    roles = set(Habilitation.objects.filter(utilisateur=marie).values_list("role", "groupe__theme"))
    assert roles == {("elu", None), ("membre", "FIN")}
    event = Evenement.objects.get(action="comptes.invitation")
    assert event.utilisateur == cast["equipe_projet"] and event.details["compte"] == marie.pk

    assert len(mailoutbox) == 1
    courriel = mailoutbox[0]
    assert courriel.to == ["marie.durand@pessac.fr"]
    assert "Bordeaux Métropole" in courriel.subject
    assert "Membre – Finances" in courriel.body and "Élu (comité de pilotage)" in courriel.body

    liste = texte(client.get(url("liste", territoire)))
    assert "Marie Durand" in liste and "invitation en attente" in liste

    client.logout()
    choisir_mot_de_passe(client, lien_du_courriel(courriel))
    marie.refresh_from_db()
    assert marie.check_password(NOUVEAU_MOT_DE_PASSE)
    # The link is single-use.
    again = client.get(lien_du_courriel(courriel), follow=True)
    assert "n'est plus valable" in texte(again)

    response = client.post(
        reverse("comptes:login"), {"username": "MARIE.DURAND@pessac.fr", "password": NOUVEAU_MOT_DE_PASSE}
    )
    assert response.status_code == 302
    assert client.get(reverse("accueil")).url == reverse("espace:accueil", kwargs={"code": territoire.code})
    assert client.get(reverse("groupes:liste", kwargs={"code": territoire.code})).status_code == 200
    # She is no project team member.
    assert client.get(url("liste", territoire)).status_code == 403


def test_inviting_an_address_that_has_an_account_adds_roles_without_a_second_account(
    connecte, cast, territoire, mailoutbox
):
    client = connecte(cast["equipe_projet"])
    avant = Utilisateur.objects.count()
    response = client.post(
        url("inviter", territoire),
        invitation(
            territoire,
            prenom="Autre",
            nom="Nom",
            email="DGS-Bordeaux@Exemple.fr",
            organisation=org(territoire, BORDEAUX),
            roles=["elu"],
            groupe_FIN="copilote_commune",
        ),
    )
    assert response.status_code == 302, texte(response)
    assert Utilisateur.objects.count() == avant
    dgs = cast["dgs_bordeaux"]
    dgs.refresh_from_db()
    assert dgs.first_name == ""  # the invitation adds roles, it does not rename an account
    assert set(Habilitation.objects.filter(utilisateur=dgs).values_list("role", "groupe__theme")) == {
        ("dgs", None),
        ("elu", None),
        ("copilote_commune", "FIN"),
    }
    assert Evenement.objects.filter(action="comptes.ajout_roles").exists()
    assert len(mailoutbox) == 1 and "vos rôles" in mailoutbox[0].subject
    assert "mot-de-passe" not in mailoutbox[0].body  # she has a password: no link to set one
    messages = texte(client.get(url("liste", territoire)))
    assert "avait déjà un compte" in messages


def test_inviting_an_existing_address_with_another_organisation_is_refused(connecte, cast, territoire, mailoutbox):
    client = connecte(cast["equipe_projet"])
    response = client.post(
        url("inviter", territoire),
        invitation(territoire, email="dgs-bordeaux@exemple.fr", organisation=org(territoire, MERIGNAC)),
    )
    assert response.status_code == 400
    assert "compte existant de dgs-bordeaux, dont l'organisation est Bordeaux" in texte(response)
    assert not mailoutbox


def test_an_address_of_another_territory_gets_no_role_here(connecte, cast, territoire, mailoutbox):
    client = connecte(cast["equipe_projet"])
    response = client.post(
        url("inviter", territoire), invitation(territoire, email="dgs-nantes@exemple.fr", organisation=None)
    )
    assert response.status_code == 400
    assert "organisation d'un autre territoire" in texte(response)
    assert not Habilitation.objects.filter(utilisateur=cast["exterieur"], territoire=territoire).exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"roles": []}, "Choisissez au moins un rôle"),
        ({"organisation": None}, "seuls les consultants n'en ont pas"),
        ({"roles": ["consultant"]}, "Un consultant n'appartient à aucune organisation"),
        ({"roles": ["equipe_projet"]}, "L'équipe projet est celle de l'EPCI"),
        ({"organisation": "EPCI", "groupe_RH": "copilote_commune"}, "Un co-pilote commune appartient à une commune"),
        ({"groupe_RH": "copilote_epci"}, "Un co-pilote EPCI appartient à Bordeaux Métropole"),
        ({"groupe_RH": "consultant"}, "Un consultant n'appartient à aucune organisation"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide"),
        ({"prenom": ""}, "Ce champ est obligatoire"),
    ],
)
def test_invitation_form_says_what_is_wrong(connecte, cast, territoire, mailoutbox, changes, message):
    if changes.get("organisation") == "EPCI":
        changes["organisation"] = org(territoire, EPCI)
    client = connecte(cast["equipe_projet"])
    response = client.post(url("inviter", territoire), invitation(territoire, **changes))
    assert response.status_code == 400
    assert message in texte(response)
    assert "L'invitation n'est pas partie" in texte(response)
    assert not Utilisateur.objects.filter(email="marie.durand@pessac.fr").exists()
    assert not mailoutbox


def test_a_consultant_is_invited_without_organisation_and_may_accompany_a_group(connecte, cast, territoire, mailoutbox):
    client = connecte(cast["equipe_projet"])
    response = client.post(
        url("inviter", territoire),
        invitation(territoire, email="conseil@cabinet.fr", organisation="", roles=[], groupe_ECO="consultant"),
    )
    assert response.status_code == 302, texte(response)
    user = Utilisateur.objects.get(email="conseil@cabinet.fr")
    assert user.organisation is None
    assert set(Habilitation.objects.filter(utilisateur=user).values_list("role", "groupe__theme")) == {
        ("consultant", None),
        ("consultant", "ECO"),
    }


def test_a_copilot_chosen_in_the_invitation_replaces_the_previous_one(client, connecte, cast, territoire, mailoutbox):
    connecte(cast["equipe_projet"])
    response = client.post(
        url("inviter", territoire), invitation(territoire, roles=[], groupe_RH="copilote_commune"), follow=True
    )
    assert "copilote-rh-commune (Co-pilote commune – Ressources humaines)" in texte(response)
    rh = territoire.schemas.get().groupes.get(theme="RH")
    assert [u.email for u in rh.participants(Role.COPILOTE_COMMUNE)] == ["marie.durand@pessac.fr"]
    assert not cast["copilote_rh_commune"].habilitations.exists()


@pytest.mark.parametrize("role", AUTRES_QUE_EQUIPE)
def test_only_the_project_team_manages_accounts(connecte, cast, territoire, role, mailoutbox):
    client = connecte(cast[role])
    assert client.get(url("liste", territoire)).status_code == 403
    assert client.get(url("inviter", territoire)).status_code == 403
    assert client.post(url("inviter", territoire), invitation(territoire)).status_code == 403
    cible = cast["observateur"] if role != "observateur" else cast["elu_copil"]
    assert (
        client.post(
            url("compte", territoire, pk=cible.pk), {"prenom": "X", "nom": "Y", "roles": ["equipe_projet"]}
        ).status_code
        == 403
    )
    assert client.post(url("desactiver", territoire, pk=cible.pk)).status_code == 403
    assert not Utilisateur.objects.filter(email="marie.durand@pessac.fr").exists()
    cible.refresh_from_db()
    assert cible.is_active and not cible.habilitations.filter(role="equipe_projet").exists()
    assert not mailoutbox


def test_other_territories_answer_404(connecte, cast, territoire):
    client = connecte(cast["exterieur"])
    assert client.get(url("liste", territoire)).status_code == 404
    assert client.post(url("inviter", territoire), invitation(territoire)).status_code == 404
    # The project team cannot reach a user of another territory through its own pages.
    client = connecte(cast["equipe_projet"])
    assert client.get(url("compte", territoire, pk=cast["exterieur"].pk)).status_code == 404
    assert client.post(url("desactiver", territoire, pk=cast["exterieur"].pk)).status_code == 404
    cast["exterieur"].refresh_from_db()
    assert cast["exterieur"].is_active


# --- edit, deactivate ---------------------------------------------------------------------------------


def test_project_team_changes_roles_and_organisation(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    observateur = cast["observateur"]
    page = client.get(url("compte", territoire, pk=observateur.pk))
    assert page.status_code == 200
    response = client.post(
        url("compte", territoire, pk=observateur.pk),
        {
            "prenom": "Océane",
            "nom": "Bernard",
            "organisation": org(territoire, BORDEAUX),
            "roles": ["dgs"],
            "groupe_SI": "membre",
        },
    )
    assert response.status_code == 302, texte(response)
    observateur.refresh_from_db()
    assert (observateur.get_full_name(), observateur.organisation.code) == ("Océane Bernard", BORDEAUX)
    habilitations = Habilitation.objects.filter(utilisateur=observateur)
    assert set(habilitations.values_list("role", "groupe__theme", "organisation__code")) == {
        ("dgs", None, BORDEAUX),
        ("membre", "SI", BORDEAUX),
    }
    event = Evenement.objects.get(action="comptes.modification")
    assert event.details["ajoutes"] and event.details["retires"] == ["Observateur"]
    assert event.details["avant"]["organisation"] == "Mérignac"
    page = texte(client.get(url("compte", territoire, pk=observateur.pk)))
    assert "compte modifié, par equipe-projet" in page


def test_the_last_project_team_member_keeps_her_role(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    response = client.post(
        url("compte", territoire, pk=cast["equipe_projet"].pk),
        {"prenom": "Camille", "nom": "Durand", "organisation": org(territoire, EPCI), "roles": ["dgs"]},
    )
    assert response.status_code == 400
    assert "au moins une personne dans l'équipe projet" in texte(response)
    assert cast["equipe_projet"].habilitations.filter(role="equipe_projet").exists()


def test_deactivating_keeps_the_account_and_its_history_and_refuses_login(client, connecte, cast, territoire):
    connecte(cast["equipe_projet"])
    dgs = cast["dgs_merignac"]
    Evenement.objects.create(territoire=territoire, utilisateur=dgs, action="masse_salariale.import", objet="paie.csv")
    response = client.post(url("desactiver", territoire, pk=dgs.pk), follow=True)
    assert "désactivé" in texte(response)
    dgs.refresh_from_db()
    assert not dgs.is_active
    assert dgs.habilitations.filter(role="dgs").exists()  # kept, for the record and a reactivation
    assert Evenement.objects.filter(utilisateur=dgs, action="masse_salariale.import").exists()
    assert Evenement.objects.filter(action="comptes.desactivation", details__compte=dgs.pk).exists()
    assert "désactivé" in texte(client.get(url("liste", territoire)))

    client.logout()
    response = client.post(reverse("comptes:login"), {"username": "dgs-merignac", "password": "mot-de-passe-de-test"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session

    connecte(cast["equipe_projet"])
    client.post(url("reactiver", territoire, pk=dgs.pk))
    dgs.refresh_from_db()
    assert dgs.is_active
    client.logout()
    response = client.post(reverse("comptes:login"), {"username": "dgs-merignac", "password": "mot-de-passe-de-test"})
    assert response.status_code == 302


def test_a_deactivated_user_loses_her_open_session(client, connecte, cast, territoire):
    client = connecte(cast["dgs_bordeaux"])
    assert client.get(reverse("groupes:liste", kwargs={"code": territoire.code})).status_code == 200
    cast["dgs_bordeaux"].is_active = False
    cast["dgs_bordeaux"].save()
    assert client.get(reverse("groupes:liste", kwargs={"code": territoire.code})).status_code == 302


def test_deactivation_refusals(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    response = client.post(url("desactiver", territoire, pk=cast["equipe_projet"].pk), follow=True)
    assert "votre propre compte" in texte(response)
    # A consultant also working for another territory: withdraw her roles here instead.
    autre = cast["exterieur"].habilitations.get().territoire
    Habilitation.objects.create(utilisateur=cast["consultant"], territoire=autre, role=Role.CONSULTANT)
    response = client.post(url("desactiver", territoire, pk=cast["consultant"].pk), follow=True)
    assert "a aussi des rôles dans un autre territoire" in texte(response)
    for user in (cast["equipe_projet"], cast["consultant"]):
        user.refresh_from_db()
        assert user.is_active


def test_resending_an_invitation_sends_a_fresh_link(client, connecte, cast, territoire, mailoutbox):
    connecte(cast["equipe_projet"])
    client.post(url("inviter", territoire), invitation(territoire))
    marie = Utilisateur.objects.get(email="marie.durand@pessac.fr")
    response = client.post(url("renvoyer", territoire, pk=marie.pk), follow=True)
    assert "Invitation renvoyée" in texte(response)
    assert len(mailoutbox) == 2
    client.logout()
    choisir_mot_de_passe(client, lien_du_courriel(mailoutbox[1]))
    # Once the password is chosen, nothing to resend.
    connecte(cast["equipe_projet"])
    response = client.post(url("renvoyer", territoire, pk=marie.pk), follow=True)
    assert "a déjà choisi son mot de passe" in texte(response)
    assert len(mailoutbox) == 2


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_organisation_and_roles(connecte, cast, territoire):
    page = texte(connecte(cast["equipe_projet"]).get(url("liste", territoire)))
    assert "<caption>Comptes de Bordeaux Métropole" in page
    assert "Co-pilote commune – Ressources humaines" in page
    assert "Pessac" in page and "aucune (consultant)" in page
    assert "dgs-nantes" not in page


def test_the_list_runs_a_bounded_number_of_queries(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    client.get(url("liste", territoire))  # warm-up (session, content types)

    def requetes():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("liste", territoire)).status_code == 200
        return len(ctx.captured_queries)

    peu = requetes()
    for i in range(60):
        creer_utilisateur(
            territoire, f"agent-{i}", Role.MEMBRE, (BORDEAUX, TALENCE, MERIGNAC)[i % 3], ("FIN", "RH", "SI")[i % 3]
        )
    beaucoup = requetes()
    assert beaucoup == peu
    assert peu <= 8


def test_a_consultant_left_without_role_leaves_the_list(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    consultant = cast["consultant"]
    response = client.post(
        url("compte", territoire, pk=consultant.pk), {"prenom": "Paul", "nom": "Moreau", "organisation": ""}
    )
    assert response.status_code == 302 and response.url == url("liste", territoire)
    assert not consultant.habilitations.exists()
    consultant.refresh_from_db()
    assert consultant.is_active  # the account stays: she may work for another territory
    page = texte(client.get(url("liste", territoire)))
    assert "Paul Moreau n'a plus de rôle dans Bordeaux Métropole" in page  # the message
    assert f'href="{url("compte", territoire, pk=consultant.pk)}"' not in page


def test_a_mail_server_failure_keeps_the_account_and_tells_the_project_team(
    client, connecte, cast, territoire, monkeypatch, courriels_en_file
):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    from tests.taches import jusqu_au_bout

    def panne(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connexion fermée")

    monkeypatch.setattr(EmailBackend, "send_messages", panne)
    connecte(cast["equipe_projet"])
    response = client.post(url("inviter", territoire), invitation(territoire), follow=True)
    assert "Invitation envoyée" in texte(response)  # the request does not wait for the mail server
    marie = Utilisateur.objects.get(email="marie.durand@pessac.fr")
    assert Evenement.objects.filter(action="comptes.invitation", details__compte=marie.pk).exists()
    jusqu_au_bout("courriels")  # every attempt fails (comptes/courriels.py)
    echec = Evenement.objects.get(action="comptes.courriel_non_remis")
    assert echec.objet == "Courriel d'invitation à marie.durand@pessac.fr" and echec.details["tentatives"] == 5
    accueil = reverse("espace:accueil", kwargs={"code": territoire.code})
    assert "n'a pas pu remettre un courriel" in texte(client.get(accueil))
    assert "n'a pas pu remettre un courriel" not in texte(connecte(cast["dgs_merignac"]).get(accueil))
    assert "Renvoyer l'invitation" in texte(connecte(cast["equipe_projet"]).get(url("compte", territoire, pk=marie.pk)))
