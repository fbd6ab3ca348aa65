"""Issue 12's path in a real browser: a comité de pilotage decides on two groups' proposals and retains a
scenario with a recorded vote; the project team freezes a version for the councils, sends it, records the
receipts; one commune votes against, the others in favour, one stays silent and is réputé favorable once
its deadline has passed (the daily command run in the test); the council approves; the home pages show
the phase and the waiting actions on the way; a payroll import afterwards leaves the frozen version as it
was; the open-data files of the path validate. axe-core on each new page."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from commun.formatage import date as date_fr
from engine.calendrier import echeance_avis
from tests.cast import BORDEAUX, MERIGNAC, MOT_DE_PASSE, PESSAC, TALENCE, payroll_csv, payroll_rows_small, run_command
from tests.e2e.conftest import check_accessibility, login
from tests.formats.test_scdl import erreurs, rapport
from tests.parcours.conftest import ajouter_action
from tests.parcours.test_scdl_export import SIRETS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scenario(cast, territoire, lot_courant):
    from scenarios.actions import do_creer

    s = do_creer(territoire.schemas.get(), cast["equipe_projet"], "Paie commune")
    ajouter_action(territoire, s, cast["equipe_projet"])
    return s


def entrer(page, qui):
    page.context.clear_cookies()
    login(page, qui, MOT_DE_PASSE)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)


def aller(page, territoire, chemin=""):
    page.goto(f"{page.base}/t/{territoire.code}/{chemin}")


def test_du_comite_a_l_approbation(page, cast, territoire, scenario, capsys, tmp_path):
    aujourdhui = timezone.localdate()
    hier = timezone.localtime() - dt.timedelta(days=1)
    entrer(page, "equipe-projet")
    assert "Phase en cours : Groupes de travail" in page.locator("#phase").inner_text()

    # --- the comité de pilotage meets, decides on two groups' proposals and retains the scenario --------
    aller(page, territoire, "demarche/instances/copil/")
    check_accessibility(page)
    page.get_by_text("Désigner les co-présidents").click()
    page.get_by_label("Co-président pour l'EPCI").select_option(label=str(cast["elu_copil"]))
    page.get_by_label("Co-président pour les communes").select_option(label=str(cast["elu_copil"]))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Co-présidents enregistrés.").wait_for()
    page.get_by_text("Planifier une séance").click()
    page.get_by_label("Date et heure").fill(hier.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Lieu").fill("Salle du conseil")
    page.get_by_role("button", name="Planifier").click()
    page.get_by_role("heading", name="Ordre du jour et décisions").wait_for()
    for objet, cible in (
        ("Propositions du groupe RH", "GT Ressources humaines"),
        ("Propositions du groupe Finances", "GT Finances"),
        ("Scénario du projet de schéma", "Paie commune"),
    ):
        page.get_by_text("Ajouter un point à l'ordre du jour").click()
        page.get_by_label("Objet").fill(objet)
        page.get_by_label("Porte sur").select_option(label=cible)
        page.get_by_role("button", name="Ajouter le point").click()
        page.get_by_role("heading", name=objet).wait_for()
    check_accessibility(page)
    for numero, (issue, pour, contre, texte) in enumerate(
        (
            ("Retenue", "11", "0", "La paie mutualisée est retenue."),
            ("À approfondir", "8", "2", "Le groupe précise le budget."),
            ("Retenue", "10", "1", "Le scénario est retenu pour le projet."),
        ),
        start=1,
    ):
        point = page.locator("article").filter(has=page.get_by_role("heading", name=f"{numero}. "))
        point.locator("summary").click()
        point.get_by_label("Décision", exact=True).select_option(label=issue)
        point.get_by_label("Membres présents").fill("12")
        point.get_by_label("Pour").fill(pour)
        point.get_by_label("Contre").fill(contre)
        point.get_by_label("Abstentions").fill("1")
        point.get_by_label("Relevé de décision").fill(texte)
        point.get_by_role("button", name="Enregistrer la décision").click()
        page.get_by_text(f"Décision : {issue.lower()}").first.wait_for()
    page.get_by_role("textbox", name="Compte rendu").fill(
        "Le comité retient la paie mutualisée et le scénario « Paie commune »."
    )
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    page.get_by_text("Compte rendu enregistré.").wait_for()
    page.get_by_role("button", name="Soumettre aux co-présidents").click()
    page.get_by_text("Compte rendu soumis aux co-présidents.").wait_for()
    seance_url = page.url
    # The élue co-presides: the minutes wait for her at home; her visa publishes them.
    entrer(page, "elu-copil")
    page.get_by_role("link", name=re.compile("^Valider le compte rendu du comité de pilotage")).click()
    page.get_by_role("button", name="Valider le compte rendu").click()
    page.get_by_text("les décisions sont définitives").first.wait_for()
    assert "10 pour, 1 contre, 1 abstention, 12 membres présents" in page.content()
    assert page.url.split("#")[0] == seance_url.split("#")[0]
    entrer(page, "equipe-projet")

    # --- the project team freezes the version for the councils and sends it --------------------------------
    aller(page, territoire, "demarche/versions/")
    page.get_by_label("Scénario").select_option(label="Paie commune")
    page.get_by_label("Version figée").select_option(label="Projet transmis aux communes")
    page.get_by_role("button", name="Figer cette version").click()
    page.get_by_role("heading", name="Version 1 du schéma : Paie commune").wait_for()
    assert "Chiffres identiques" in page.locator("#conformite").inner_text()
    impact_avant = page.locator("#tableau-impact").inner_text()
    check_accessibility(page)

    envoi = aujourdhui - dt.timedelta(days=100)
    aller(page, territoire, "demarche/consultation/")
    for nom in ("Bordeaux", "Mérignac", "Pessac", "Talence"):
        page.get_by_label(nom, exact=True).check()
    page.get_by_label("Envoyé le").fill(envoi.isoformat())
    page.get_by_role("button", name="Enregistrer l'envoi").click()
    page.get_by_text("Envoi du projet enregistré pour 4 communes").wait_for()
    assert page.locator("#tableau-avis").inner_text().count("réception à enregistrer") == 4
    check_accessibility(page)

    preuve = tmp_path / "accuse.pdf"
    preuve.write_bytes(b"%PDF-1.4 accuse de reception")
    receptions = {
        MERIGNAC: envoi + dt.timedelta(days=2),
        BORDEAUX: aujourdhui - dt.timedelta(days=20),
        PESSAC: aujourdhui - dt.timedelta(days=20),
        TALENCE: aujourdhui - dt.timedelta(days=20),
    }
    for code, recu in receptions.items():
        aller(page, territoire, f"demarche/consultation/{code}/")
        page.get_by_label("Reçu le").fill(recu.isoformat())
        page.get_by_label("Preuve de réception (accusé de réception, PDF ou image)").set_input_files(str(preuve))
        page.get_by_role("button", name="Enregistrer la réception").click()
        page.get_by_text("Réception enregistrée.").wait_for()
    check_accessibility(page)

    # --- Bordeaux's DGS sees her deadline at home; her council votes in favour -------------------------------
    entrer(page, "dgs-bordeaux")
    echeance = echeance_avis(receptions[BORDEAUX], "33").echeance
    accueil = page.locator("main").inner_text()
    assert "Phase en cours : Consultation des conseils municipaux" in accueil
    assert f"Avis du conseil municipal attendu au plus tard le {date_fr(echeance)}" in accueil

    def deliberer(code, numero, avis, pour, contre):
        aller(page, territoire, f"demarche/consultation/{code}/")
        formulaire = page.locator("form").filter(has=page.get_by_role("button", name="Enregistrer la délibération"))
        formulaire.get_by_label("Date de la délibération").fill((aujourdhui - dt.timedelta(days=3)).isoformat())
        formulaire.get_by_label("Numéro au registre").fill(numero)
        formulaire.get_by_label("Avis", exact=True).select_option(label=avis)
        formulaire.get_by_label("Membres en exercice").fill("45")
        formulaire.get_by_label("Votants (présents et représentés)").fill("40")
        formulaire.get_by_label("Pour").fill(pour)
        formulaire.get_by_label("Contre").fill(contre)
        formulaire.get_by_label("Abstentions").fill("0")
        formulaire.get_by_role("button", name="Enregistrer la délibération").click()
        page.get_by_text("Délibération enregistrée.").wait_for()

    deliberer(BORDEAUX, "2027-B-12", "Favorable", "38", "2")
    assert "avis rendu" in page.locator("#etat-avis").inner_text()

    entrer(page, "equipe-projet")
    deliberer(PESSAC, "2027-P-03", "Défavorable", "12", "28")
    deliberer(TALENCE, "2027-T-07", "Favorable", "30", "10")

    # --- Mérignac stayed silent: its deadline has passed; the daily command records the deemed opinion ---------
    status, out, _ = run_command(capsys, "taches-quotidiennes")
    assert status == 0 and "1 avis réputé favorable" in out
    aller(page, territoire, f"demarche/consultation/{MERIGNAC}/")
    assert "avis réputé favorable" in page.locator("#etat-avis").inner_text()
    assert "L5211-39-1" in page.content()

    # --- the council approves -------------------------------------------------------------------------------
    aller(page, territoire, "demarche/approbation/")
    assert "Toutes les communes ont un avis" in page.content()
    check_accessibility(page)
    page.get_by_label("Date de la délibération").fill(aujourdhui.isoformat())
    page.get_by_label("Numéro au registre").fill("2027-045")
    page.get_by_label("Membres en exercice").fill("104")
    page.get_by_label("Votants (présents et représentés)").fill("96")
    page.get_by_label("Pour").fill("90")
    page.get_by_label("Contre").fill("4")
    page.get_by_label("Abstentions").fill("2")
    page.get_by_role("button", name="Enregistrer l'approbation de la version 1").click()
    page.get_by_text("la version 1 est le schéma approuvé").wait_for()
    assert "Schéma approuvé" in page.locator("#approuve").inner_text()
    aller(page, territoire)
    assert "Phase en cours : Suivi annuel" in page.locator("#phase").inner_text()
    assert "Adopté" in page.locator("main").inner_text()

    # --- a payroll import afterwards does not change the frozen version --------------------------------------
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    rows = [r.replace(";40000;", ";80000;") for r in payroll_rows_small()]
    lot = do_preparer_lot(territoire, payroll_csv(*rows), "paie-2025-corrigee.csv", 2025, cast["equipe_projet"])
    do_confirmer_lot(lot, cast["equipe_projet"], remplacer=True)
    aller(page, territoire, "demarche/versions/1/")
    assert page.locator("#tableau-impact").inner_text() == impact_avant
    assert "Chiffres identiques" in page.locator("#conformite").inner_text()

    # --- the open data of the path ---------------------------------------------------------------------------
    aller(page, territoire, "demarche/donnees-ouvertes/")
    for code, siret in SIRETS.items():
        page.locator(f"#id_{code}").fill(siret)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("SIRET enregistrés").wait_for()
    check_accessibility(page)
    liens = page.locator("a[href$='.csv']")
    assert liens.count() == 4  # the EPCI, Bordeaux, Pessac, Talence (Mérignac did not deliberate)
    for k in range(liens.count()):
        contenu = page.request.get(page.base + liens.nth(k).get_attribute("href")).body()
        report = rapport(contenu)
        assert report.valid, erreurs(report)


@pytest.fixture
def demo(db):
    from mutualis.demo import charger_demo

    charger_demo()


@pytest.mark.parametrize("qui", ["equipe-projet", "elu-copil"])
def test_les_pages_de_la_demarche_de_la_demo_sont_accessibles(demo, page, qui):
    from mutualis.demo import MOT_DE_PASSE as MOT_DE_PASSE_DEMO
    from mutualis.demo import SIREN
    from territoire.models import Territoire

    territoire = Territoire.objects.get(code=SIREN)
    login(page, qui, MOT_DE_PASSE_DEMO)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    seance = "demarche/instances/copil/seances/1/"
    for chemin in (
        "demarche/",
        "demarche/syntheses/RH/",
        "demarche/versions/",
        "demarche/instances/copil/",
        seance,
        "demarche/calendrier/",
        "demarche/consultation/",
    ):
        aller(page, territoire, chemin)
        assert page.locator("h1").count() == 1, chemin
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, chemin
        check_accessibility(page)
