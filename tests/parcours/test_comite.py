"""The comité de pilotage (issue 12, points 1 and 3): its members (the élus by default, editable), a meeting
whose agenda items link to versions, scenarios, GT3 lines or a group's proposals, decisions with their
vote, minutes published after which a decision no longer changes; the élue sees the meeting waiting."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commun.erreurs import ActionRefusee
from tests.concurrence import enregistrer

pytestmark = pytest.mark.django_db


@pytest.fixture
def seance(cast, territoire):
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    return comite.do_creer_seance(c, timezone.now() - dt.timedelta(hours=2), "Salle du conseil", cast["equipe_projet"])


def test_the_comite_counts_the_elus_by_default(cast, territoire):
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    assert list(c.membres.all()) == [cast["elu_copil"]]
    d = comite.comite(territoire.schemas.get(), "cdgs")
    assert set(d.membres.all()) == {cast["dgs_metropole"], cast["dgs_bordeaux"], cast["dgs_merignac"]}


def test_a_meeting_decides_with_a_vote_then_the_minutes_lock_it(
    cast, territoire, seance, scenario_paie, version_projet
):
    from parcours import comite

    equipe = cast["equipe_projet"]
    rh = territoire.schemas.get().groupes.get(theme="RH")
    p1 = comite.do_ajouter_point(seance, {"objet": "Propositions du groupe RH", "groupe": rh}, equipe)
    p2 = comite.do_ajouter_point(seance, {"objet": "Scénario du projet", "version": version_projet}, equipe)
    with pytest.raises(ActionRefusee, match="un seul objet"):
        comite.do_ajouter_point(seance, {"objet": "Deux objets", "groupe": rh, "scenario": scenario_paie}, equipe)
    comite.do_decider(
        p1, {"issue": "approfondir", "texte": "Le groupe précise la paie.", "presents": 12, "pour": 12}, equipe
    )
    with pytest.raises(ActionRefusee, match="14 voix pour, contre et abstentions, plus que les 12 votants"):
        comite.do_decider(p2, {"issue": "retenue", "texte": "Retenu.", "presents": 12, "pour": 10, "contre": 4}, equipe)
    comite.do_ecrire_compte_rendu(seance, "Le comité retient la version 1.", equipe)
    with pytest.raises(ActionRefusee, match="points sans décision \\(1\\) : Scénario du projet"):
        comite.do_soumettre_compte_rendu(seance, equipe)
    votes = {"presents": 12, "pour": 10, "contre": 1, "abstention": 1}
    comite.do_decider(p2, {"issue": "retenue", "texte": "Version 1 retenue.", **votes}, equipe)
    with pytest.raises(ActionRefusee, match="désignez d'abord les deux co-présidents"):
        comite.do_soumettre_compte_rendu(seance, equipe)
    comite.do_copresidents(seance.comite, cast["elu_copil"], cast["elu_copil"], equipe)
    comite.do_soumettre_compte_rendu(seance, equipe)
    with pytest.raises(ActionRefusee, match="faites-le renvoyer"):
        comite.do_decider(p2, {"issue": "rejetee", "texte": "Non."}, equipe)
    with pytest.raises(ActionRefusee, match="seuls les co-présidents"):
        comite.do_viser_compte_rendu(seance, equipe)
    comite.do_renvoyer_compte_rendu(seance, cast["elu_copil"], "Précisez le vote du point 2.")
    comite.do_ecrire_compte_rendu(seance, "Le comité retient la version 1 (10 pour, 1 contre).", equipe)
    comite.do_soumettre_compte_rendu(seance, equipe)
    cr = comite.do_viser_compte_rendu(seance, cast["elu_copil"])  # she holds both roles: one visa locks
    seance.refresh_from_db()
    assert cr.verrouille and seance.publie_le is not None and cr.version == 2
    with pytest.raises(ActionRefusee, match="ses décisions ne changent plus"):
        comite.do_decider(p2, {"issue": "rejetee", "texte": "Non."}, equipe)
    with pytest.raises(ActionRefusee, match="ses décisions ne changent plus"):
        comite.do_ecrire_compte_rendu(seance, "Autre texte.", equipe)
    p2.refresh_from_db()
    assert p2.decision.issue == "retenue" and p2.decision.pour == 10


def test_the_copresidents_are_members(cast, territoire):
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    with pytest.raises(ActionRefusee, match="ne sont pas membres du comité"):
        comite.do_copresidents(c, cast["elu_copil"], cast["consultant"], cast["equipe_projet"])


def test_a_decision_before_the_meeting_is_refused(cast, territoire):
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    future = comite.do_creer_seance(c, timezone.now() + dt.timedelta(days=3), "", cast["equipe_projet"])
    point = comite.do_ajouter_point(future, {"objet": "Point"}, cast["equipe_projet"])
    with pytest.raises(ActionRefusee, match="n'a pas encore eu lieu"):
        comite.do_decider(point, {"issue": "retenue", "texte": "x"}, cast["equipe_projet"])


def test_the_elue_sees_the_next_meeting_waiting_and_the_team_the_decisions_to_record(cast, territoire, seance):
    from commun.taches import a_faire
    from comptes.perms import acces_pour
    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    prochaine = comite.do_creer_seance(c, timezone.now() + dt.timedelta(days=5), "", cast["equipe_projet"])
    comite.do_ajouter_point(prochaine, {"objet": "Arbitrages RH"}, cast["equipe_projet"])
    comite.do_ajouter_point(seance, {"objet": "Arbitrages FIN"}, cast["equipe_projet"])
    elue = cast["elu_copil"]
    libelles = [t.libelle for t in a_faire(acces_pour(elue, territoire), elue, timezone.now())]
    assert any(l.startswith("Comité de pilotage du") and l.endswith(": 1 point à l'ordre du jour") for l in libelles)
    equipe = cast["equipe_projet"]
    libelles = [t.libelle for t in a_faire(acces_pour(equipe, territoire), equipe, timezone.now())]
    assert any(l.endswith(": enregistrer les décisions (1 point)") for l in libelles)


def test_pages_every_member_reads_and_the_team_writes(cast, territoire, seance, connecte):
    url = reverse("parcours:seance_comite", kwargs={"code": territoire.code, "instance": "copil", "pk": seance.pk})
    assert connecte(cast["elu_copil"]).get(url).status_code == 200
    assert connecte(cast["elu_copil"]).post(url, {"point": "1", "objet": "x"}).status_code == 403
    client = connecte(cast["equipe_projet"])
    assert client.post(url, {"point": "1", "objet": "Synthèse du groupe RH"}).status_code == 302
    point = seance.points.get()
    reponse = enregistrer(
        client,
        url,
        {"decision": point.pk, f"d{point.pk}-issue": "retenue", f"d{point.pk}-texte": "", f"d{point.pk}-pour": "3"},
    )
    assert reponse.status_code == 400 and "Décision non enregistrée" in reponse.content.decode()
    reponse = enregistrer(
        client,
        url,
        {
            "decision": point.pk,
            f"d{point.pk}-issue": "retenue",
            f"d{point.pk}-texte": "Retenu à l'unanimité.",
            f"d{point.pk}-pour": "9",
            f"d{point.pk}-presents": "9",
        },
    )
    assert reponse.status_code == 302
    assert "Décision : retenue" in client.get(url).content.decode()
    # The minutes: written by the team, submitted, validated by the co-president, who sees them waiting.
    from commun.taches import a_faire
    from comptes.perms import acces_pour
    from parcours import comite

    comite.do_copresidents(seance.comite, cast["elu_copil"], cast["elu_copil"], cast["equipe_projet"])
    assert enregistrer(client, url, {"ecrire": "1", "texte": "Le comité retient la synthèse."}).status_code == 302
    assert client.post(url, {"soumettre": "1"}).status_code == 302
    taches = a_faire(acces_pour(cast["elu_copil"], territoire), cast["elu_copil"], timezone.now())
    assert any(t.libelle.startswith("Valider le compte rendu du comité de pilotage") for t in taches)
    elue = connecte(cast["elu_copil"])
    assert elue.post(url, {"viser": "1"}).status_code == 302
    assert "Publié" in elue.get(url).content.decode()

    assert connecte(cast["exterieur"]).get(url).status_code == 404
    inconnue = reverse("parcours:comite", kwargs={"code": territoire.code, "instance": "bureau"})
    assert connecte(cast["elu_copil"]).get(inconnue).status_code == 404


def test_convocation_e_mails_each_member_with_the_ics_and_presences_are_recorded(
    cast, territoire, connecte, mailoutbox, django_capture_on_commit_callbacks
):
    from icalendar import Calendar

    from parcours import comite

    c = comite.comite(territoire.schemas.get(), "copil")
    prochaine = comite.do_creer_seance(
        c, timezone.now() + dt.timedelta(days=5), "Salle du conseil", cast["equipe_projet"]
    )
    comite.do_ajouter_point(prochaine, {"objet": "Arbitrages RH"}, cast["equipe_projet"])
    client = connecte(cast["equipe_projet"])
    url = reverse("parcours:seance_comite", kwargs={"code": territoire.code, "instance": "copil", "pk": prochaine.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"convoquer": "1"}).status_code == 302
    [message] = [m for m in mailoutbox if m.subject.startswith("Convocation : Comité de pilotage du")]
    assert message.to == [cast["elu_copil"].email]
    assert "1. Arbitrages RH" in message.body
    [piece] = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    [evenement] = Calendar.from_ical(piece.get_content()).walk("VEVENT")
    assert str(evenement["uid"]) == str(prochaine.uid) and str(evenement["location"]) == "Salle du conseil"
    ics = connecte(cast["observateur"]).get(url + "seance.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    # Presences only after the meeting, and only among the members.
    with pytest.raises(ActionRefusee, match="n'a pas encore eu lieu"):
        comite.do_saisir_presences(prochaine, [cast["elu_copil"]], cast["equipe_projet"])
    passee = comite.do_creer_seance(c, timezone.now() - dt.timedelta(hours=1), "", cast["equipe_projet"])
    with pytest.raises(ActionRefusee, match="ne sont pas membres du comité"):
        comite.do_saisir_presences(passee, [cast["consultant"]], cast["equipe_projet"])
    comite.do_saisir_presences(passee, [cast["elu_copil"]], cast["equipe_projet"])
    assert list(passee.presents.all()) == [cast["elu_copil"]]
    with pytest.raises(ActionRefusee, match="déjà eu lieu"):
        comite.do_convoquer(passee, cast["equipe_projet"])


def test_the_releve_de_decisions_in_pdf_docx_and_odt(cast, territoire, seance, connecte, tmp_path):
    import io
    import subprocess
    import zipfile

    import docx

    from parcours import comite

    equipe = cast["equipe_projet"]
    p = comite.do_ajouter_point(seance, {"objet": "Paie mutualisée"}, equipe)
    comite.do_decider(
        p,
        {
            "issue": "retenue",
            "texte": "Un service commun de la paie en 2027.",
            "presents": 12,
            "pour": 10,
            "contre": 1,
            "abstention": 1,
        },
        equipe,
    )
    comite.do_copresidents(seance.comite, cast["elu_copil"], cast["elu_copil"], equipe)
    comite.do_ecrire_compte_rendu(seance, "Le comité retient la paie mutualisée.", equipe)
    comite.do_soumettre_compte_rendu(seance, equipe)
    comite.do_viser_compte_rendu(seance, cast["elu_copil"])
    client = connecte(cast["observateur"])

    def telecharger(fmt):
        url = reverse(
            "parcours:releve", kwargs={"code": territoire.code, "instance": "copil", "pk": seance.pk, "format": fmt}
        )
        reponse = client.get(url)
        assert reponse.status_code == 200 and "releve-de-decisions-copil" in reponse["Content-Disposition"]
        return reponse.content

    chemin = tmp_path / "releve.pdf"
    chemin.write_bytes(telecharger("pdf"))
    texte_pdf = subprocess.run(
        ["pdftotext", "-layout", str(chemin), "-"], capture_output=True, text=True, check=True
    ).stdout
    texte_docx = "\n".join(par.text for par in docx.Document(io.BytesIO(telecharger("docx"))).paragraphs)
    texte_odt = zipfile.ZipFile(io.BytesIO(telecharger("odt"))).read("content.xml").decode()
    for texte in (texte_pdf, texte_docx, texte_odt):
        assert "Relevé de décisions du comité de pilotage du" in texte
        assert "Décision : retenue. Vote : 10 pour, 1 contre, 1 abstention, 12 membres présents." in " ".join(
            texte.split()
        )
        assert "Un service commun de la paie en 2027." in texte
    assert "Co-président pour l" in texte_pdf
    bad = reverse(
        "parcours:releve", kwargs={"code": territoire.code, "instance": "copil", "pk": seance.pk, "format": "exe"}
    )
    assert client.get(bad).status_code == 404
