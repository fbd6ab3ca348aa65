"""The letters' pages: every member reads and downloads; the project team edits the template,
generates letters and changes their status; other members are refused (403), outsiders see nothing (404)."""

import html as html_module

import pytest
from django.urls import reverse

from documents.enums import StatutLettre
from documents.models import LettreMission, ModeleLettreMission
from tests.concurrence import enregistrer

pytestmark = pytest.mark.django_db

AUTRES_QUE_EQUIPE = [
    "dgs_metropole",
    "dgs_bordeaux",
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
    return reverse(f"documents:{name}", kwargs={"code": territoire.code, **kwargs})


def test_list_shows_the_nine_groups_with_status(connecte, tandem, territoire, lettre_rh, django_assert_max_num_queries):
    client = connecte(tandem["observateur"])
    client.get(url("liste", territoire))  # the session's first queries
    with django_assert_max_num_queries(11):  # + the header badge of unread notifications
        response = client.get(url("liste", territoire))
    assert response.status_code == 200
    page = texte(response)
    assert page.count('<th scope="row">') == 9
    assert (
        "<caption>Lettres de mission des groupes de travail : co-pilotes et statut (1 générée sur 9)</caption>"
    ) in page
    assert "Marie Durand (Pessac)" in page and "Brouillon" in page
    assert url("pdf", territoire, theme="RH") in page
    assert "Générer les" not in page  # not the project team


def test_list_query_count_does_not_grow_with_letters(connecte, tandem, territoire, django_assert_max_num_queries):
    from documents.actions import do_generer_lettres

    do_generer_lettres(territoire.schemas.get(), tandem["equipe_projet"])
    client = connecte(tandem["equipe_projet"])
    client.get(url("liste", territoire))  # the session's first queries
    with django_assert_max_num_queries(11):  # + the header badge of unread notifications
        assert client.get(url("liste", territoire)).status_code == 200


@pytest.mark.parametrize("role", ["elu_copil", "copilote_rh_commune", "dgs_merignac"])
def test_every_member_reads_and_downloads_a_letter(connecte, tandem, territoire, lettre_rh, role):
    client = connecte(tandem[role])
    page = texte(client.get(url("lettre", territoire, theme="RH")))
    assert "Lettre de mission du groupe « Ressources humaines »" in page
    assert "Marie Durand (Pessac) pour les communes" in page
    assert "Actions de l'équipe projet" not in page
    pdf = client.get(url("pdf", territoire, theme="RH"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="lettre-de-mission-rh-bordeaux-metropole.pdf"'
    docx = client.get(url("docx", territoire, theme="rh"))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(url("odt", territoire, theme="RH")).status_code == 200


def test_a_letter_not_yet_generated(connecte, cast, territoire):
    equipe = connecte(cast["equipe_projet"])
    assert "Générer la lettre depuis le modèle" in texte(equipe.get(url("lettre", territoire, theme="FIN")))
    assert equipe.get(url("pdf", territoire, theme="FIN")).status_code == 404
    assert equipe.get(url("lettre", territoire, theme="XYZ")).status_code == 404
    lecteur = connecte(cast["elu_copil"])
    assert "pas encore été générée" in texte(lecteur.get(url("lettre", territoire, theme="FIN")))


def test_team_generates_then_moves_the_status(connecte, tandem, territoire):
    client = connecte(tandem["equipe_projet"])
    response = client.post(url("generer", territoire, theme="RH"))
    assert response.status_code == 302 and response["Location"] == url("lettre", territoire, theme="RH")
    lettre = LettreMission.objects.get(groupe__theme="RH")
    page = texte(client.get(url("lettre", territoire, theme="RH")))
    assert "Générer à nouveau depuis le modèle" in page and "Marquer comme envoyée" in page

    client.post(url("statut", territoire, theme="RH"), {"statut": "envoyee"})
    lettre.refresh_from_db()
    assert lettre.statut == StatutLettre.ENVOYEE
    page = texte(client.get(url("lettre", territoire, theme="RH")))
    assert "Une lettre envoyée garde son texte." in page and "Générer à nouveau" not in page
    assert "Marquer comme signée" in page and "Remettre en brouillon" in page

    response = client.post(url("generer", territoire, theme="RH"), follow=True)
    assert "elle garde son texte" in texte(response)
    response = client.post(url("statut", territoire, theme="RH"), {"statut": "signee"}, follow=True)
    assert "Lettre du groupe Ressources humaines : signée." in texte(response)
    assert "Signée le" in texte(response)


def test_team_generates_all_letters(connecte, cast, territoire):
    response = connecte(cast["equipe_projet"]).post(url("generer_tout", territoire), follow=True)
    assert "9 lettre(s) générée(s)." in texte(response)
    assert LettreMission.objects.filter(groupe__schema__territoire=territoire).count() == 9


@pytest.mark.parametrize("role", AUTRES_QUE_EQUIPE)
def test_other_members_cannot_prepare_letters(connecte, tandem, territoire, lettre_rh, role):
    client = connecte(tandem[role])
    assert client.get(url("modele", territoire)).status_code == 403
    assert client.post(url("modele", territoire), {"objet": "x", "corps": "y"}).status_code == 403
    assert client.post(url("generer", territoire, theme="RH")).status_code == 403
    assert client.post(url("generer_tout", territoire)).status_code == 403
    assert client.post(url("statut", territoire, theme="RH"), {"statut": "envoyee"}).status_code == 403
    lettre_rh.refresh_from_db()
    assert lettre_rh.statut == StatutLettre.BROUILLON


def test_outsider_sees_nothing(connecte, tandem, territoire, lettre_rh):
    client = connecte(tandem["exterieur"])
    for name, kwargs in [("liste", {}), ("lettre", {"theme": "RH"}), ("pdf", {"theme": "RH"}), ("modele", {})]:
        assert client.get(url(name, territoire, **kwargs)).status_code == 404
    assert client.post(url("statut", territoire, theme="RH"), {"statut": "envoyee"}).status_code == 404


def test_template_edit_page_lists_the_fields_and_refuses_unknown_ones(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    page = texte(client.get(url("modele", territoire)))
    assert "<caption>Les 12 champs d'une lettre de mission</caption>" in page
    assert '<th scope="row"><code>{calendrier}</code></th>' in page
    assert '<label for="id_corps">Texte de la lettre</label>' in page

    response = enregistrer(
        client,
        url("modele", territoire),
        {
            "objet": "Mission {theme}",
            "corps": "Bonjour {prenom}, {{ok}} {territoire}",
            "signataire_qualite": "La Présidente",
            "signataire_nom": "",
        },
    )
    assert response.status_code == 400
    assert "champ inconnu : {prenom}" in texte(response)
    assert ModeleLettreMission.objects.get().corps != "Bonjour {prenom}, {{ok}} {territoire}"

    response = enregistrer(
        client,
        url("modele", territoire),
        {
            "objet": "Mission {theme}",
            "corps": "Bonjour {copilote_commune}, {{ok}}",
            "signataire_qualite": "La Présidente",
            "signataire_nom": "Anne Martin",
        },
    )
    assert response.status_code == 302
    modele = ModeleLettreMission.objects.get()
    assert (modele.corps, modele.signataire_nom, modele.modifie_par) == (
        "Bonjour {copilote_commune}, {{ok}}",
        "Anne Martin",
        cast["equipe_projet"],
    )

    client.post(url("generer", territoire, theme="RH"))
    lettre = LettreMission.objects.get()
    assert lettre.texte == "Bonjour copilote-rh-commune (Pessac), {ok}"  # no full name: the login
    assert lettre.signatures[-1] == {
        "role": "president",
        "qualite": "La Présidente",
        "nom": "Anne Martin",
        "organisation": "Bordeaux Métropole",
    }

    response = client.post(url("modele", territoire), {"retablir": "1"}, follow=True)
    assert "Le texte par défaut du modèle est rétabli." in texte(response)
    assert "Lettre de mission des co-pilotes" in ModeleLettreMission.objects.get().objet


def test_letter_page_warns_when_the_template_changed_since_generation(connecte, tandem, territoire, lettre_rh):
    from documents.actions import do_enregistrer_modele, modele_par_defaut

    client = connecte(tandem["equipe_projet"])
    assert "Le modèle a été modifié" not in texte(client.get(url("lettre", territoire, theme="RH")))
    modele = modele_par_defaut(territoire.schemas.get())
    modele.corps += "\nPost-scriptum."
    do_enregistrer_modele(modele, tandem["equipe_projet"])
    assert "Le modèle a été modifié" in texte(client.get(url("lettre", territoire, theme="RH")))


def test_group_panel(rf, tandem, territoire, groupe_rh):
    from django.template.loader import render_to_string

    from comptes.perms import acces_pour
    from documents.actions import do_generer_lettre
    from documents.panneaux import contexte_groupe

    lecteur = acces_pour(tandem["membre_rh"], territoire)
    avant = render_to_string("documents/includes/panneau_groupe.html", contexte_groupe(groupe_rh, lecteur))
    assert "Pas encore générée" in avant and "pas encore préparé" in avant
    equipe = acces_pour(tandem["equipe_projet"], territoire)
    assert "Préparer la lettre de mission" in render_to_string(
        "documents/includes/panneau_groupe.html", contexte_groupe(groupe_rh, equipe)
    )

    do_generer_lettre(groupe_rh, tandem["equipe_projet"])
    apres = html_module.unescape(
        render_to_string("documents/includes/panneau_groupe.html", contexte_groupe(groupe_rh, lecteur))
    )
    assert "Brouillon" in apres and "générée le" in apres
    assert url("pdf", territoire, theme="RH") in apres and url("lettre", territoire, theme="RH") in apres
