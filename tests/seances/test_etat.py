"""Where the groups stand (home page), what awaits each user, and the group page's panel."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from comptes.perms import acces_pour
from seances.actions import (
    do_annuler_seance,
    do_ecrire_compte_rendu,
    do_enregistrer_presences,
    do_renvoyer_compte_rendu,
    do_soumettre_compte_rendu,
    do_valider_compte_rendu,
)
from seances.etat import etats_par_groupe
from seances.panneaux import contexte_groupe
from seances.taches import taches as a_faire_seances

pytestmark = pytest.mark.django_db


def test_every_stage_of_every_group_has_a_state(territoire, cast, planifier, a_venir, tenue_hier):
    schema = territoire.schemas.get()
    etats = etats_par_groupe(schema)
    assert len(etats) == 27 and all(set(e) == {"code", "libelle", "date", "url"} for e in etats.values())
    assert etats[("FIN", "GT1")] == {"code": "a_planifier", "libelle": "à planifier", "date": None, "url": None}
    # the latest meeting of a stage wins: a GT1 held yesterday, then one to come
    assert etats[("RH", "GT1")]["libelle"] == f"planifiée le 3 juillet {timezone.localtime(a_venir.debut).year}"
    assert etats[("RH", "GT1")]["url"].endswith(f"/groupes/RH/seances/{a_venir.pk}/")

    do_annuler_seance(a_venir, cast["equipe_projet"])
    hier = timezone.localtime(tenue_hier.debut)
    from commun.formatage import date as date_fr

    assert etats_par_groupe(schema)[("RH", "GT1")]["libelle"] == f"tenue le {date_fr(hier)} – compte rendu à rédiger"
    cr, _ = do_ecrire_compte_rendu(tenue_hier, cast["membre_rh"], "Texte", "")
    assert etats_par_groupe(schema)[("RH", "GT1")] | {"url": None} == {
        "code": "redaction",
        "libelle": f"tenue le {date_fr(hier)} – compte rendu en rédaction",
        "date": tenue_hier.debut,
        "url": None,
    }
    do_soumettre_compte_rendu(cr, cast["membre_rh"])
    assert etats_par_groupe(schema)[("RH", "GT1")]["libelle"] == "compte rendu soumis aux co-pilotes"
    do_valider_compte_rendu(cr, cast["copilote_rh_commune"])
    do_valider_compte_rendu(cr, cast["copilote_rh_epci"])
    etat = etats_par_groupe(schema)[("RH", "GT1")]
    assert etat["code"] == "publie" and etat["libelle"] == f"compte rendu publié le {date_fr(timezone.localtime())}"


def test_states_take_three_queries_whatever_the_number_of_meetings(
    territoire, planifier, django_assert_max_num_queries
):
    debut = timezone.now() - dt.timedelta(days=90)
    for i in range(30):
        planifier(debut + dt.timedelta(days=7 * i), etape=("GT1", "GT2", "GT3")[i % 3])
    schema = territoire.schemas.get()
    with django_assert_max_num_queries(3):
        etats = etats_par_groupe(schema)
    assert etats[("RH", "GT2")]["code"] == "planifiee"


def test_what_awaits_each_user(territoire, cast, url, tenue_hier):
    def libelles(role):
        return [
            t.libelle.split(" :")[0]
            for t in a_faire_seances(acces_pour(cast[role], territoire), cast[role], timezone.now())
        ]

    # held yesterday: minutes to write (group and team), attendance to record (planners)
    assert libelles("membre_rh") == ["Rédiger le compte rendu"]
    assert libelles("copilote_rh_commune") == ["Rédiger le compte rendu", "Saisir les présences"]
    assert libelles("equipe_projet") == ["Rédiger le compte rendu", "Saisir les présences"]
    assert libelles("dgs_bordeaux") == [] and libelles("elu_copil") == []

    do_enregistrer_presences(
        tenue_hier, cast["equipe_projet"], {p.pk: "present" for p in tenue_hier.participations.all()}
    )
    cr, _ = do_ecrire_compte_rendu(tenue_hier, cast["membre_rh"], "Texte", "")
    do_soumettre_compte_rendu(cr, cast["membre_rh"])
    assert libelles("copilote_rh_commune") == ["Valider le compte rendu"]
    assert libelles("copilote_rh_epci") == ["Valider le compte rendu"]
    assert libelles("membre_rh") == []
    taches = a_faire_seances(acces_pour(cast["copilote_rh_epci"], territoire), cast["copilote_rh_epci"], timezone.now())
    assert taches[0].url == url("seance", tenue_hier) + "#compte-rendu"

    do_valider_compte_rendu(cr, cast["copilote_rh_commune"])
    assert libelles("copilote_rh_commune") == [] and libelles("copilote_rh_epci") == ["Valider le compte rendu"]
    do_renvoyer_compte_rendu(cr, cast["copilote_rh_epci"], "À compléter")
    assert libelles("membre_rh") == ["Reprendre le compte rendu renvoyé"]
    assert libelles("consultant") == ["Reprendre le compte rendu renvoyé"]


def test_what_awaits_takes_a_bounded_number_of_queries(territoire, cast, planifier, django_assert_max_num_queries):
    debut = timezone.now() - dt.timedelta(days=60)
    for i in range(20):
        planifier(debut + dt.timedelta(days=2 * i))
    acces = acces_pour(cast["equipe_projet"], territoire)
    with django_assert_max_num_queries(7):
        taches = a_faire_seances(acces, cast["equipe_projet"], timezone.now())
    assert len(taches) == 40 and taches[0].libelle.startswith("Rédiger le compte rendu : GT1 Ressources humaines du ")


def test_group_panel_shows_next_and_held_meetings(territoire, cast, groupe_rh, a_venir, tenue_hier):
    now = timezone.now()
    copilote = acces_pour(cast["copilote_rh_commune"], territoire)
    html = render_to_string("seances/includes/panneau_groupe.html", contexte_groupe(groupe_rh, copilote, now))
    assert f"/seances/{a_venir.pk}/" in html and "invitations à envoyer" in html
    assert f"/seances/{tenue_hier.pk}/" in html and "compte rendu à rédiger" in html
    assert "Planifier une séance" in html
    dgs = acces_pour(cast["dgs_bordeaux"], territoire)
    html = render_to_string("seances/includes/panneau_groupe.html", contexte_groupe(groupe_rh, dgs, now))
    assert "Planifier une séance" not in html and "Toutes les séances du groupe Ressources humaines" in html


def test_agenda_templates_page_is_the_project_team_s(connecte, cast, territoire):
    from django.urls import reverse

    from seances.models import TrameAnimation

    adresse = reverse("seances:trames", kwargs={"code": territoire.code})
    assert connecte(cast["copilote_rh_commune"]).get(adresse).status_code == 403
    client = connecte(cast["equipe_projet"])
    form = client.get(adresse).context["form"]
    donnees = {nom: form[nom].initial for nom in form.fields}
    donnees["GT2"] = "1. Grille AFOR de l'activité paie"
    assert client.post(adresse, donnees).status_code == 302
    assert TrameAnimation.objects.get(etape="GT2").ordre_du_jour == "1. Grille AFOR de l'activité paie"
    form = client.get(adresse).context["form"]
    response = client.post(adresse, {**{nom: form[nom].initial for nom in form.fields}, "GT3": ""})
    assert response.status_code == 400 and "ne peut pas être vide" in response.content.decode()
    creer = reverse("seances:creer", kwargs={"code": territoire.code, "theme": "RH"})
    assert client.get(creer + "?etape=GT2").context["form"].initial["ordre_du_jour"] == donnees["GT2"]
