"""The minutes' workflow through the pages: write, submit, return, edit, resubmit, validate, reset,
publish and lock, reopen, restore; who may do each step; what each reader sees."""

import pytest

from seances.models import CompteRendu
from territoire.models import Evenement
from tests.concurrence import enregistrer
from validation.enums import Action, Etat
from validation.models import Trace, Version

pytestmark = pytest.mark.django_db


def ecrire(client, url, seance, texte, decisions=""):
    return enregistrer(client, url("compte_rendu", seance), {"texte": texte, "decisions": decisions})


def page(client, url, seance):
    response = client.get(url("seance", seance))
    assert response.status_code == 200
    return response.content.decode()


def test_the_whole_workflow_of_the_minutes(connecte, cast, url, tenue_hier):
    membre = connecte(cast["membre_rh"])

    # 1. a member of the group writes the minutes: created on the first write, version 1, a draft
    assert membre.get(url("compte_rendu", tenue_hier)).status_code == 200
    response = ecrire(membre, url, tenue_hier, "Tour de table des huit communes.", "Liste des activités pour le 15.")
    assert response.status_code == 302 and response["Location"].endswith("#compte-rendu")
    cr = CompteRendu.objects.get(seance=tenue_hier)
    assert (cr.etat, cr.version, cr.texte) == (Etat.BROUILLON, 1, "Tour de table des huit communes.")
    # an empty text is refused, in French, and writes nothing
    response = ecrire(membre, url, tenue_hier, "  ")
    assert response.status_code == 400 and "Écrivez le compte rendu avant de l" in response.content.decode()
    assert Version.objects.de(cr).count() == 1

    # 2. she submits it; the co-pilots see it awaiting their validation
    assert membre.post(url("soumettre", tenue_hier)).status_code == 302
    cr.refresh_from_db()
    assert cr.etat == Etat.SOUMIS
    assert membre.post(url("viser", tenue_hier)).status_code == 403  # not a co-pilot
    commune = connecte(cast["copilote_rh_commune"])
    assert "Valider la version 1" in page(commune, url, tenue_hier)

    # 3. the commune co-pilot returns it: a comment is required
    response = commune.post(url("renvoyer", tenue_hier), {"commentaire": ""})
    assert response.status_code == 400 and "le commentaire est obligatoire" in response.content.decode()
    assert commune.post(url("renvoyer", tenue_hier), {"commentaire": "Ajouter les absents excusés."}).status_code == 302
    cr.refresh_from_db()
    assert cr.etat == Etat.RENVOYE
    membre = connecte(cast["membre_rh"])
    assert "Ajouter les absents excusés." in page(membre, url, tenue_hier)

    # 4. the member edits (version 2) and resubmits
    ecrire(
        membre, url, tenue_hier, "Tour de table des huit communes ; Talence excusée.", "Liste des activités pour le 15."
    )
    assert membre.post(url("soumettre", tenue_hier)).status_code == 302
    cr.refresh_from_db()
    assert (cr.etat, cr.version) == (Etat.SOUMIS, 2)

    # 5. the commune co-pilot validates version 2: one of two
    commune = connecte(cast["copilote_rh_commune"])
    assert commune.post(url("viser", tenue_hier)).status_code == 302
    cr.refresh_from_db()
    assert cr.etat == Etat.SOUMIS
    html = page(commune, url, tenue_hier)
    assert "validé par copilote-rh-commune" in html and "en attente" in html

    # 6. an edit after that validation resets it, and the pages say so
    response = connecte(cast["copilote_rh_epci"]).get(url("compte_rendu", tenue_hier))
    assert "Déjà validé par copilote-rh-commune" in response.content.decode()
    response = ecrire(
        connecte(cast["copilote_rh_epci"]),
        url,
        tenue_hier,
        "Tour de table ; Talence excusée.",
        "Liste des activités pour le 15.",
    )
    assert response.status_code == 302
    cr.refresh_from_db()
    assert (cr.etat, cr.version) == (Etat.SOUMIS, 3)
    html = page(connecte(cast["copilote_rh_commune"]), url, tenue_hier)
    assert "les validations données sont remises à zéro" in html and "validé par copilote-rh-commune" not in html
    assert Trace.objects.de(cr).filter(commentaire__contains="remises à zéro").exists()

    # 7. both co-pilots validate version 3 (the EPCI one validates what she wrote): published and locked
    assert connecte(cast["copilote_rh_commune"]).post(url("viser", tenue_hier)).status_code == 302
    epci = connecte(cast["copilote_rh_epci"])
    response = epci.post(url("viser", tenue_hier))
    assert response.status_code == 302
    cr.refresh_from_db()
    assert cr.etat == Etat.VALIDE and cr.libelle_etat() == "Publié"
    assert Evenement.objects.filter(action="seances.compte_rendu.publication").count() == 1

    # 8. published: no edit, no restore, by anyone
    assert ecrire(epci, url, tenue_hier, "Changement tardif").status_code == 409
    assert epci.post(url("restaurer", tenue_hier, numero=1)).status_code == 409
    cr.refresh_from_db()
    assert (cr.version, cr.texte) == (3, "Tour de table ; Talence excusée.")

    # 9. the project team reopens it, with a reason; a co-pilot may not
    assert epci.post(url("rouvrir", tenue_hier), {"motif": "Erreur"}).status_code == 403
    equipe = connecte(cast["equipe_projet"])
    response = equipe.post(url("rouvrir", tenue_hier), {"motif": ""})
    assert response.status_code == 400 and "le motif est obligatoire" in response.content.decode()
    assert (
        equipe.post(url("rouvrir", tenue_hier), {"motif": "Le nom de la commune absente est faux."}).status_code == 302
    )
    cr.refresh_from_db()
    assert (cr.etat, cr.version) == (Etat.BROUILLON, 4)

    # 10. restore version 1: its content becomes version 5; every version is kept
    membre = connecte(cast["membre_rh"])
    assert "Tour de table des huit communes." in membre.get(url("version", tenue_hier, numero=1)).content.decode()
    assert membre.post(url("restaurer", tenue_hier, numero=1)).status_code == 302
    cr.refresh_from_db()
    assert (cr.version, cr.texte, cr.etat) == (5, "Tour de table des huit communes.", Etat.BROUILLON)
    assert list(Version.objects.de(cr).values_list("numero", flat=True)) == [5, 4, 3, 2, 1]
    actions = list(Trace.objects.de(cr).order_by("quand", "id").values_list("action", flat=True))
    assert actions == [
        Action.CREATION,
        Action.SOUMISSION,
        Action.RENVOI,
        Action.MODIFICATION,
        Action.SOUMISSION,
        Action.VALIDATION,
        Action.MODIFICATION,
        Action.VALIDATION,
        Action.VALIDATION,
        Action.VERROUILLAGE,
        Action.REOUVERTURE,
        Action.RESTAURATION,
    ]
    html = page(membre, url, tenue_hier)
    assert "Le nom de la commune absente est faux." in html and "Voir la version 1" in html
    assert "réouverture" in html and "restauration d&#x27;une version" in html


def test_drafts_are_read_by_the_group_published_minutes_by_every_member(connecte, cast, url, tenue_hier):
    from seances.actions import do_ecrire_compte_rendu, do_soumettre_compte_rendu, do_valider_compte_rendu

    cr, _ = do_ecrire_compte_rendu(tenue_hier, cast["membre_rh"], "Texte du brouillon", "Décision A")
    do_soumettre_compte_rendu(cr, cast["membre_rh"])
    for role in ("dgs_bordeaux", "elu_copil", "observateur"):
        client = connecte(cast[role])
        html = page(client, url, tenue_hier)
        assert "Texte du brouillon" not in html and "Soumis aux co-pilotes" in html and "Historique" not in html
        assert client.get(url("version", tenue_hier, numero=1)).status_code == 403
        assert client.get(url("compte_rendu", tenue_hier)).status_code == 403
        assert client.post(url("soumettre", tenue_hier)).status_code == 403
    for role in ("membre_rh", "consultant", "equipe_projet"):
        html = page(connecte(cast[role]), url, tenue_hier)
        assert "Texte du brouillon" in html and "Historique" in html

    do_valider_compte_rendu(cr, cast["copilote_rh_commune"])
    do_valider_compte_rendu(cr, cast["copilote_rh_epci"])
    html = page(connecte(cast["elu_copil"]), url, tenue_hier)
    assert "Texte du brouillon" in html and "Décision A" in html and "Publié" in html
    assert connecte(cast["exterieur"]).get(url("seance", tenue_hier)).status_code == 404


def test_minutes_wait_for_the_meeting_and_are_never_written_for_a_cancelled_one(connecte, cast, url, a_venir):
    client = connecte(cast["equipe_projet"])
    response = ecrire(client, url, a_venir, "Trop tôt")
    assert response.status_code == 409 and "à partir du début de la séance" in response.content.decode()
    assert not CompteRendu.objects.exists()
    assert client.post(url("soumettre", a_venir)).status_code == 404  # no minutes yet


def test_only_the_co_pilots_validate_and_only_what_is_submitted(connecte, cast, url, tenue_hier):
    from seances.actions import do_ecrire_compte_rendu

    do_ecrire_compte_rendu(tenue_hier, cast["membre_rh"], "Brouillon", "")
    for role in ("equipe_projet", "consultant", "membre_rh"):
        assert connecte(cast[role]).post(url("viser", tenue_hier)).status_code == 403
    response = connecte(cast["copilote_rh_commune"]).post(url("viser", tenue_hier))
    assert response.status_code == 409 and "seul un document soumis" in response.content.decode()
    assert connecte(cast["copilote_rh_commune"]).get(url("viser", tenue_hier)).status_code == 405
