"""The shared space in a real browser, from end to end: the project team invites a person by e-mail and
makes her the co-pilote commune of the Finances group (with a co-pilote EPCI and a consultant); she
sets her password, logs in with her address, schedules GT1, sends the invitations and reads the .ics;
after the meeting she writes the minutes, the other co-pilot returns them once with a comment, she
edits and resubmits them, both co-pilots validate, and the minutes are published and locked.
axe-core checks every main page met on the way (space home, répartition, group, meetings, meeting,
minutes, accounts, invitation, mandate letters, letter, letter template, agendas)."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from seances.models import CompteRendu, Seance
from tests.cast import MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PARIS = ZoneInfo("Europe/Paris")
INVITEE = "claire.moreau@pessac.fr"
SON_MOT_DE_PASSE = "Pessac-mutualise-ses-finances-2026"


@pytest.fixture
def nouvelle_page(browser, live_server):
    """nouvelle_page() opens a fresh browser context (its own cookies) for another person, like `page`."""
    contexts = []

    def ouvrir():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        return page

    yield ouvrir
    for context in contexts:
        context.close()


def test_group_setup_invitation_meeting_and_minutes_workflow(page, nouvelle_page, cast, territoire, mailoutbox):
    code = territoire.code
    espace = f"{page.base}/t/{code}"

    # --- the project team: space home, accounts, invitation ------------------------------------------
    equipe = page
    login(equipe, "equipe-projet", MOT_DE_PASSE)
    equipe.wait_for_url(re.compile(rf"/t/{code}/$"))
    check_accessibility(equipe)

    equipe.get_by_role("link", name="Comptes", exact=True).click()
    equipe.wait_for_url(re.compile(rf"/t/{code}/comptes/$"))
    check_accessibility(equipe)
    equipe.get_by_role("link", name="Inviter une personne").click()
    equipe.get_by_role("heading", name="Inviter une personne").wait_for()
    check_accessibility(equipe)
    equipe.get_by_label("Prénom").fill("Claire")
    equipe.get_by_label("Nom", exact=True).fill("Moreau")
    equipe.get_by_label("Adresse électronique").fill(INVITEE)
    equipe.get_by_label("Organisation").select_option(label="Pessac")
    equipe.get_by_label("Finances").select_option(label="Membre")
    equipe.get_by_role("button", name="Inviter et envoyer le courriel").click()
    equipe.get_by_text("Invitation envoyée à Claire Moreau").wait_for()
    assert "Claire Moreau" in equipe.locator("main").inner_text()
    assert [m.to for m in mailoutbox] == [[INVITEE]]
    invitation = mailoutbox[0].body

    # --- the project team: the Finances group's co-pilots and consultant, in the répartition ----------
    equipe.get_by_role("link", name="Groupes de travail", exact=True).first.click()
    equipe.wait_for_url(re.compile(rf"/t/{code}/groupes/$"))
    check_accessibility(equipe)
    equipe.get_by_role("link", name="Modifier la répartition du groupe Finances").click()
    equipe.get_by_role("heading", name="Co-pilotes et consultant du groupe « Finances »").wait_for()
    check_accessibility(equipe)
    equipe.get_by_label("Co-pilote commune").select_option(label="Claire Moreau")
    equipe.get_by_label("Co-pilote EPCI").select_option(label="dgs-metropole")
    equipe.get_by_label("Consultant accompagnant").select_option(label="consultant")
    equipe.get_by_role("button", name="Enregistrer la répartition").click()
    equipe.get_by_text("Répartition du groupe Finances enregistrée").wait_for()
    colonne = equipe.locator("table.repartition").inner_text()
    assert "Claire Moreau" in colonne and "dgs-metropole" in colonne and "consultant" in colonne

    equipe.get_by_role("link", name="Finances", exact=True).first.click()
    equipe.get_by_role("heading", name="Groupe de travail « Finances »").wait_for()
    pilotage = equipe.locator("dl.fiche").inner_text()
    assert "Claire Moreau (Pessac)" in pilotage and "dgs-metropole (Bordeaux Métropole)" in pilotage
    check_accessibility(equipe)

    # --- the project team: mandate letters, the letter's template, the meetings' agendas -------------
    equipe.get_by_role("link", name="Lettres de mission", exact=True).first.click()
    equipe.wait_for_url(re.compile(rf"/t/{code}/lettres/$"))
    check_accessibility(equipe)
    equipe.get_by_role("link", name="Finances", exact=True).click()
    equipe.get_by_role("button", name="Générer la lettre depuis le modèle").click()
    equipe.get_by_text("Lettre de mission du groupe Finances générée").wait_for()
    assert "Claire Moreau" in equipe.locator("article.lettre").inner_text()
    check_accessibility(equipe)
    equipe.goto(f"{espace}/lettres/modele/")
    equipe.get_by_role("heading", name="Modèle de lettre de mission").wait_for()
    check_accessibility(equipe)
    equipe.goto(f"{espace}/groupes/trames/")
    equipe.get_by_role("heading", name="Trames d'animation des séances").wait_for()
    check_accessibility(equipe)

    # --- the invited person, in a fresh browser: password from the e-mail's link, login by address ----
    claire = nouvelle_page()
    lien = re.search(r"https?://\S+(/comptes/mot-de-passe/\S+/\S+/)", invitation).group(1)
    claire.goto(claire.base + lien)
    claire.get_by_label("Nouveau mot de passe", exact=True).fill(SON_MOT_DE_PASSE)
    claire.get_by_label("Confirmation du nouveau mot de passe").fill(SON_MOT_DE_PASSE)
    claire.get_by_role("button", name="Enregistrer le mot de passe").click()
    claire.get_by_role("heading", name="Mot de passe enregistré").wait_for()
    login(claire, INVITEE, SON_MOT_DE_PASSE)
    claire.wait_for_url(re.compile(rf"/t/{code}/$"))

    # --- the co-pilot schedules GT1 for her group and sends the invitations ---------------------------
    jour = timezone.localdate() + dt.timedelta(days=7)
    claire.goto(f"{espace}/groupes/FIN/")
    claire.get_by_role("link", name="Toutes les séances du groupe Finances").click()
    claire.get_by_role("heading", name="Séances du groupe Finances").wait_for()
    check_accessibility(claire)
    claire.get_by_role("link", name="Planifier la séance GT1").click()
    assert claire.get_by_label("Étape").input_value() == "GT1"
    assert claire.get_by_label("Ordre du jour").input_value().strip(), "the GT1 agenda pre-fills the form"
    claire.get_by_label("Date", exact=True).fill(jour.isoformat())
    claire.get_by_label("Heure de début").fill("09:30")
    claire.get_by_label("Heure de fin").fill("12:00")
    claire.get_by_label(re.compile(r"^Lieu")).fill("Hôtel de Métropole, salle 3")
    claire.get_by_role("button", name="Planifier la séance").click()
    claire.get_by_role("heading", name=re.compile(r"^GT1 Finances")).wait_for()
    url_seance = claire.url.split("#")[0]
    seance = Seance.objects.get(pk=int(re.search(r"/seances/(\d+)/", url_seance).group(1)))
    assert "Le compte rendu se rédige à partir du début de la séance." in claire.locator("#compte-rendu").inner_text()
    assert claire.get_by_role("link", name="Rédiger le compte rendu").count() == 0
    assert claire.get_by_role("link", name="Saisir les présences").count() == 0
    check_accessibility(claire)

    mailoutbox.clear()
    claire.get_by_role("button", name="Envoyer les invitations (3 participants)").click()
    claire.get_by_text("L'invitation est envoyée à 3 participants.").wait_for()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([INVITEE, "dgs-metropole@exemple.fr", "consultant@exemple.fr"])

    with claire.expect_download() as attente:
        claire.get_by_role("link", name="Télécharger l'invitation (fichier .ics)").click()
    telechargement = attente.value
    assert telechargement.suggested_filename == f"seance-fin-gt1-{jour.isoformat()}.ics"
    calendrier = Calendar.from_ical(Path(telechargement.path()).read_bytes())
    assert str(calendrier["METHOD"]) == "REQUEST"
    [evenement] = calendrier.walk("VEVENT")
    assert str(evenement["SUMMARY"]) == "GT1 Finances – Bordeaux Métropole"
    assert evenement["DTSTART"].dt == dt.datetime.combine(jour, dt.time(9, 30), tzinfo=PARIS)
    assert evenement["DTEND"].dt == dt.datetime.combine(jour, dt.time(12), tzinfo=PARIS)
    assert str(evenement["UID"]) == str(seance.uid)
    assert str(evenement["LOCATION"]) == "Hôtel de Métropole, salle 3"
    invites = sorted(str(a) for a in evenement["ATTENDEE"])
    assert invites == sorted(f"mailto:{e}" for e in (INVITEE, "dgs-metropole@exemple.fr", "consultant@exemple.fr"))
    # The calendar attached to each e-mail is the same meeting (UID) as the one downloaded.
    for message in mailoutbox:
        [joint] = [a for a in message.attachments if getattr(a, "get_content_type", str)() == "text/calendar"]
        assert str(Calendar.from_ical(joint.get_content()).walk("VEVENT")[0]["UID"]) == str(seance.uid)

    # The minutes are written from the meeting's start, and invitations are only sent for a meeting
    # still to come: rather than wait a week, the test moves the meeting to a few hours ago in the
    # database: the ORM stands in for the passing of time.
    debut = timezone.now() - dt.timedelta(hours=3)
    Seance.objects.filter(pk=seance.pk).update(debut=debut, fin=debut + dt.timedelta(hours=2))

    # --- after the meeting: the co-pilote commune writes and submits the minutes ----------------------
    claire.goto(url_seance)
    assert claire.get_by_role("link", name="Saisir les présences").count() == 1
    claire.get_by_role("link", name="Rédiger le compte rendu").click()
    claire.get_by_role("heading", name=re.compile("Rédiger le compte rendu")).wait_for()
    check_accessibility(claire)
    claire.get_by_label("Compte rendu", exact=True).fill("Tour de table des quatre communes.\nListe des activités.")
    claire.get_by_label("Décisions et suites à donner").fill("Chaque commune complète la liste.")
    claire.get_by_role("button", name="Enregistrer le compte rendu").click()
    claire.get_by_text("Compte rendu enregistré (version 1).").wait_for()
    claire.get_by_role("button", name="Soumettre aux co-pilotes").click()
    claire.get_by_text("Compte rendu soumis aux co-pilotes").wait_for()

    # --- the co-pilote EPCI returns them once, with a comment ------------------------------------------
    dgs = nouvelle_page()
    login(dgs, "dgs-metropole", MOT_DE_PASSE)
    dgs.wait_for_url(re.compile(rf"/t/{code}/$"))
    dgs.goto(url_seance)
    assert "Tour de table des quatre communes." in dgs.locator("#compte-rendu").inner_text()
    dgs.get_by_text("Renvoyer avec un commentaire").click()
    dgs.get_by_label("Commentaire", exact=True).fill("Ajouter la date de remise des listes.")
    dgs.get_by_role("button", name="Renvoyer le compte rendu").click()
    dgs.get_by_text("Compte rendu renvoyé avec votre commentaire.").wait_for()

    # --- the co-pilote commune reads the comment, edits and resubmits ----------------------------------
    claire.goto(url_seance)
    panneau = claire.locator("#compte-rendu")
    assert "Renvoyé avec commentaires" in panneau.inner_text()
    assert "Ajouter la date de remise des listes." in panneau.locator(".alerte").inner_text()
    claire.get_by_role("link", name="Modifier le compte rendu").click()
    claire.get_by_label("Décisions et suites à donner").fill("Chaque commune complète la liste avant le 15 du mois.")
    claire.get_by_role("button", name="Enregistrer une nouvelle version").click()
    claire.get_by_text("Compte rendu enregistré (version 2).").wait_for()
    claire.get_by_role("button", name="Soumettre aux co-pilotes").click()
    claire.get_by_text("Compte rendu soumis aux co-pilotes").wait_for()

    # --- both co-pilots validate: the minutes are published and locked ---------------------------------
    claire.get_by_role("button", name="Valider la version 2").click()
    claire.get_by_text("Votre validation est enregistrée").wait_for()
    dgs.goto(url_seance)
    dgs.get_by_role("button", name="Valider la version 2").click()
    dgs.get_by_text("Compte rendu validé par les deux co-pilotes : il est publié et verrouillé.").wait_for()

    claire.goto(url_seance)
    panneau = claire.locator("#compte-rendu")
    assert "avant le 15 du mois" in panneau.locator(".compte-rendu").inner_text()
    historique = panneau.get_by_role("table", name="Qui a fait quoi et quand, du plus récent au plus ancien")
    lignes = historique.locator("tbody tr").all_inner_texts()
    renvoi = [ligne for ligne in lignes if "renvoi avec commentaires" in ligne]
    assert len(renvoi) == 1 and "dgs-metropole" in renvoi[0] and "Ajouter la date de remise des listes." in renvoi[0]
    assert "verrouillé" in lignes[0]
    check_accessibility(claire)

    # Locked: no edit form any more, and a direct POST to the minutes' URL is refused.
    assert claire.get_by_role("link", name="Modifier le compte rendu").count() == 0
    assert claire.get_by_role("button", name="Soumettre aux co-pilotes").count() == 0
    url_cr = url_seance + "compte-rendu/"
    reponse = claire.goto(url_cr)
    assert reponse.status == 409
    assert claire.locator("textarea[name=decisions]").count() == 0  # the comment thread has its own box
    assert "publié et verrouillé" in claire.locator("main").inner_text()
    jeton = claire.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    reponse = claire.request.post(
        url_cr, form={"csrfmiddlewaretoken": jeton, "texte": "Réécrit après coup.", "decisions": ""}, max_redirects=0
    )
    assert reponse.status == 409
    cr = CompteRendu.objects.get(seance=seance)
    assert cr.verrouille and cr.version == 2 and "Réécrit" not in cr.texte
