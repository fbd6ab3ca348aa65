"""What a careless user or an attacker sends to the legal path's pages gets a French refusal and changes
nothing (found by a hostile review): a recorded receipt is not moved to restart a commune's clock, an
approval is not dated before the opinions, the agenda does not change under submitted minutes, dates out
of any plausible range, malformed numbers in URLs and forms, files that are not what they claim."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commun.erreurs import ActionRefusee
from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE
from tests.parcours.test_consultation import D, approbation, deliberer, recevoir

pytestmark = pytest.mark.django_db


def u(territoire, nom, **kwargs):
    return reverse(f"parcours:{nom}", kwargs={"code": territoire.code, **kwargs})


def pdf(nom="ar.pdf", contenu=b"%PDF-1.4 accuse"):
    return SimpleUploadedFile(nom, contenu)


def test_a_commune_dgs_cannot_move_her_recorded_receipt(cast, territoire, envoyee, connecte):
    client = connecte(cast["dgs_merignac"])
    url = u(territoire, "commune", commune=MERIGNAC)
    assert client.post(url, {"reception": "1", "recu_le": "2026-12-02", "preuve": pdf()}).status_code == 302
    reponse = client.post(url, {"reception": "1", "recu_le": "2026-12-05"})
    assert reponse.status_code == 400 and "seule l&#x27;équipe projet corrige sa date" in reponse.content.decode()
    assert envoyee.envois.get(organisation__code=MERIGNAC).recu_le == D(2026, 12, 2)


def test_the_team_cannot_move_a_receipt_once_the_opinion_is_settled(cast, territoire, envoyee):
    from parcours.actions import do_enregistrer_reception

    recevoir(territoire, envoyee, MERIGNAC, D(2026, 12, 2), cast["equipe_projet"])
    envoi = envoyee.envois.get(organisation__code=MERIGNAC)
    # After the deadline (2 March 2027) the opinion is deemed: the clock is not restarted.
    with pytest.raises(ActionRefusee, match="sa date de réception est fixée"):
        do_enregistrer_reception(envoi, D(2027, 3, 5), None, cast["equipe_projet"], D(2027, 3, 5), True)
    # Before it, the project team corrects a typing error.
    do_enregistrer_reception(envoi, D(2026, 12, 3), None, cast["equipe_projet"], D(2026, 12, 7), True)
    envoi.refresh_from_db()
    assert envoi.recu_le == D(2026, 12, 3)


def test_an_approval_dated_before_the_opinions_is_refused(cast, territoire, envoyee):
    from parcours.actions import do_approuver

    for code in (BORDEAUX, MERIGNAC, PESSAC, TALENCE):
        recevoir(territoire, envoyee, code, D(2026, 12, 2), cast["equipe_projet"])
        deliberer(territoire, envoyee, code, D(2026, 12, 6), "favorable", cast["equipe_projet"])
    with pytest.raises(ActionRefusee, match="avant l'envoi du projet"):
        do_approuver(envoyee, {**approbation(), "date": D(2026, 11, 30)}, cast["equipe_projet"], D(2026, 12, 7))
    with pytest.raises(ActionRefusee, match="avis manquants au 5 décembre 2026 \\(4\\)"):
        do_approuver(envoyee, {**approbation(), "date": D(2026, 12, 5)}, cast["equipe_projet"], D(2026, 12, 7))
    do_approuver(envoyee, {**approbation(), "date": D(2026, 12, 7)}, cast["equipe_projet"], D(2026, 12, 7))


def test_the_agenda_does_not_change_under_submitted_minutes(cast, territoire):
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    comite.do_copresidents(c, cast["elu_copil"], cast["elu_copil"], cast["equipe_projet"])
    seance = comite.do_creer_seance(c, timezone.now() - dt.timedelta(hours=1), "", cast["equipe_projet"])
    p = comite.do_ajouter_point(seance, {"objet": "P1"}, cast["equipe_projet"])
    comite.do_decider(p, {"issue": "retenue", "texte": "Oui."}, cast["equipe_projet"])
    comite.do_ecrire_compte_rendu(seance, "Compte rendu.", cast["equipe_projet"])
    comite.do_soumettre_compte_rendu(seance, cast["equipe_projet"])
    with pytest.raises(ActionRefusee, match="pour changer l'ordre du jour"):
        comite.do_ajouter_point(seance, {"objet": "P2"}, cast["equipe_projet"])
    assert seance.points.count() == 1


@pytest.mark.parametrize("debut", ["9999-12-31T23:30", "0001-01-01T00:00"])
def test_a_meeting_far_out_of_range_is_refused(cast, territoire, connecte, debut):
    reponse = connecte(cast["equipe_projet"]).post(
        u(territoire, "comite", instance="copil"), {"seance": "1", "debut": debut}
    )
    assert reponse.status_code == 400 and "la date doit tomber entre 2000 et 2100" in reponse.content.decode()


def test_a_phase_far_out_of_range_is_refused(cast, territoire, connecte):
    from territoire.calendrier import calendrier

    donnees = {"calendrier": "1"}
    for e in calendrier(territoire.schemas.get()):
        donnees[f"{e.phase}_debut"], donnees[f"{e.phase}_fin"] = e.debut.isoformat(), e.fin.isoformat()
    donnees["suivi_fin"] = "9999-12-31"
    reponse = connecte(cast["equipe_projet"]).post(u(territoire, "cockpit"), donnees)
    assert reponse.status_code == 400
    assert max(e.fin for e in calendrier(territoire.schemas.get())).year < 2100


def test_malformed_numbers_are_refused_not_crashed(cast, territoire, envoyee, connecte):
    from parcours import comite

    client = connecte(cast["equipe_projet"])
    assert client.post(u(territoire, "consultation"), {"version": "abc"}).status_code == 400
    assert connecte(cast["elu_copil"]).get(u(territoire, "approbation") + "?version=%C2%B2").status_code == 200
    assert client.get(u(territoire, "synthese", theme="RH") + "?seance=%C2%B2").status_code == 404
    c = comite.comite(territoire.schemas.get(), "copil")
    seance = comite.do_creer_seance(c, timezone.now() - dt.timedelta(hours=1), "", cast["equipe_projet"])
    url = u(territoire, "seance_comite", instance="copil", pk=seance.pk)
    client = connecte(cast["equipe_projet"])  # the same test client, logged in again
    assert client.post(url, {"decision": "abc"}).status_code == 404


@pytest.mark.parametrize(
    ("fichier", "message"),
    [
        (
            SimpleUploadedFile("x.html", b"<script>alert(1)</script>"),
            "seuls les fichiers PDF, PNG, JPG, JPEG sont acceptés",
        ),
        (SimpleUploadedFile("faux.pdf", b"MZ\x90\x00 not a pdf"), "n&#x27;est pas un fichier PDF valide"),
    ],
)
def test_a_proof_must_be_what_it_claims(cast, territoire, envoyee, connecte, fichier, message):
    url = u(territoire, "commune", commune=MERIGNAC)
    reponse = connecte(cast["equipe_projet"]).post(url, {"reception": "1", "recu_le": "2026-12-02", "preuve": fichier})
    assert reponse.status_code == 400 and message in reponse.content.decode()
    assert envoyee.envois.get(organisation__code=MERIGNAC).recu_le is None


def test_vote_counts_beyond_any_council_are_refused(cast, territoire, envoyee, connecte):
    from parcours.models import Deliberation

    client = connecte(cast["equipe_projet"])
    url = u(territoire, "commune", commune=MERIGNAC)
    client.post(url, {"reception": "1", "recu_le": "2026-12-02", "preuve": pdf()})
    reponse = client.post(
        url,
        {
            "deliberation": "1",
            "date": "2026-12-05",
            "numero": "D1",
            "objet": "Avis",
            "issue": "favorable",
            "pour": "99999999",
        },
    )
    assert reponse.status_code == 400 and not Deliberation.objects.exists()
