"""Browser journey of the shared space: the project team invites a person as a group member, sets a
group's co-pilots in the répartition, and the invited person sets her password and logs in. axe-core
checks every page on the way."""

import re

from comptes.models import Utilisateur
from tests.cast import MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login


def test_invite_then_repartition_then_first_login(page, cast, territoire, mailoutbox):
    login(page, "equipe-projet", MOT_DE_PASSE)
    page.get_by_role("link", name="Comptes", exact=True).click()
    page.wait_for_url(re.compile(r"/comptes/$"))
    check_accessibility(page)

    page.get_by_role("link", name="Inviter une personne").click()
    check_accessibility(page)
    page.get_by_label("Prénom").fill("Inès")
    page.get_by_label("Nom", exact=True).fill("Lambert")
    page.get_by_label("Adresse électronique").fill("ines.lambert@talence.fr")
    page.get_by_label("Organisation").select_option(label="Talence")
    page.get_by_label("Observateur").check()
    page.get_by_label("Finances").select_option(label="Co-pilote commune")
    page.get_by_role("button", name="Inviter et envoyer le courriel").click()
    page.get_by_text("Invitation envoyée à Inès Lambert").wait_for()
    assert len(mailoutbox) == 1

    page.get_by_role("link", name="Groupes de travail", exact=True).first.click()
    check_accessibility(page)
    page.get_by_role("link", name="Modifier la répartition du groupe Finances").click()
    check_accessibility(page)
    page.get_by_label("Co-pilote EPCI").select_option(label="dgs-metropole")
    page.get_by_role("button", name="Enregistrer la répartition").click()
    table = page.locator("table.repartition")
    table.get_by_text("Inès Lambert").wait_for()
    assert "dgs-metropole" in table.inner_text()

    page.get_by_role("link", name="Finances", exact=True).first.click()
    page.get_by_role("heading", name="Groupe de travail « Finances »").wait_for()
    check_accessibility(page)

    page.get_by_role("button", name="Se déconnecter").click()
    lien = re.search(r"https?://\S+(/comptes/mot-de-passe/\S+/\S+/)", mailoutbox[0].body).group(1)
    page.goto(page.base + lien)
    page.get_by_label("Nouveau mot de passe", exact=True).fill("Talence-et-mutualisation-2026")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Talence-et-mutualisation-2026")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.get_by_role("heading", name="Mot de passe enregistré").wait_for()
    login(page, "ines.lambert@talence.fr", "Talence-et-mutualisation-2026")
    page.wait_for_url(re.compile(rf"/t/{territoire.code}/$"))
    assert Utilisateur.objects.get(email="ines.lambert@talence.fr").last_login is not None
