"""The deliverables of the RH group in a real browser: two commune DGS fill GT1 for their own commune and
Mérignac's DGS can neither edit Bordeaux's list in the page nor by a direct POST; a member and a co-pilot
add AFOR items to RH-PAIE; a GT3 line is added, scored by both co-pilots and the consultant, its consensus
recorded, and the GT3 deliverable submitted then validated by both co-pilots (locked); Bordeaux's GT1 is
exported as XLSX, edited with openpyxl while the same cell changes in the app, re-imported, and the
conflict shown then resolved. axe-core checks the GT1 consolidated and commune pages, the AFOR grids,
the GT3 list and line pages, the circuit page and the conflict page."""

import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.cast import BORDEAUX, MERIGNAC, MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nouvelle_page(browser, live_server):
    """nouvelle_page(username) opens a fresh browser context (its own cookies) and logs the person in."""
    contexts = []

    def ouvrir(username):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base = live_server.url
        login(page, username, MOT_DE_PASSE)
        page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
        return page

    yield ouvrir
    for context in contexts:
        context.close()


def base_rh(page, territoire):
    return f"{page.base}/t/{territoire.code}/groupes/RH/livrables"


def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


def lignes_gt1(territoire, commune):
    from livrables.models import LigneInventaire

    return {
        l.activite.code: l
        for l in LigneInventaire.objects.filter(
            livrable__groupe=groupe_rh(territoire), commune__code=commune
        ).select_related("activite")
    }


def remplir_activite(page, code, exerce, etp=None, specificites=None):
    bloc = page.locator(f"#activite-{code}")
    bloc.locator("fieldset.presence").get_by_label(exerce, exact=True).check()
    if etp is not None:
        bloc.locator("input[name$='-etp']").fill(etp)
    if specificites is not None:
        bloc.locator("textarea[name$='-specificites']").fill(specificites)


def test_two_dgs_fill_gt1_for_their_own_commune_only(nouvelle_page, cast, territoire):
    # --- Bordeaux's DGS fills Bordeaux -----------------------------------------------------------------
    bordeaux = nouvelle_page("dgs-bordeaux")
    gt1 = f"{base_rh(bordeaux, territoire)}/gt1/"
    bordeaux.goto(gt1)
    bordeaux.get_by_role("link", name="Remplir la liste des activités de Bordeaux").click()
    bordeaux.wait_for_url(re.compile(rf"/gt1/{BORDEAUX}/$"))
    remplir_activite(bordeaux, "RH-PAIE", "oui", "3,5", "Paie sous Civil Net RH")
    remplir_activite(bordeaux, "RH-FORM", "non")
    bordeaux.get_by_role("button", name="Enregistrer la liste de Bordeaux").click()
    bordeaux.get_by_text("Liste des activités de Bordeaux enregistrée").wait_for()
    check_accessibility(bordeaux)  # the commune page, with its form
    got = lignes_gt1(territoire, BORDEAUX)
    assert got["RH-PAIE"].exerce is True and got["RH-PAIE"].etp == Decimal("3.50")
    assert got["RH-PAIE"].specificites == "Paie sous Civil Net RH" and got["RH-FORM"].exerce is False
    assert got["RH-PAIE"].modifie_par == cast["dgs_bordeaux"]

    # --- Mérignac's DGS fills Mérignac -----------------------------------------------------------------
    merignac = nouvelle_page("dgs-merignac")
    merignac.goto(gt1)
    merignac.get_by_role("link", name="Remplir la liste des activités de Mérignac").click()
    merignac.wait_for_url(re.compile(rf"/gt1/{MERIGNAC}/$"))
    remplir_activite(merignac, "RH-PAIE", "oui", "1")
    merignac.get_by_role("button", name="Enregistrer la liste de Mérignac").click()
    merignac.get_by_text("Liste des activités de Mérignac enregistrée").wait_for()
    assert lignes_gt1(territoire, MERIGNAC)["RH-PAIE"].etp == Decimal("1.00")
    csrf = merignac.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")

    # The consolidated view shows both answers.
    merignac.goto(gt1)
    tableau = merignac.locator("table.consolide").inner_text()
    assert "oui · 3,5" in tableau or "oui · 3,50" in tableau, tableau
    assert "2 communes sur 4" in merignac.locator("main").inner_text()
    check_accessibility(merignac)  # the consolidated page

    # --- Mérignac's DGS on Bordeaux's page: read only, and a direct POST is refused ---------------------
    merignac.goto(f"{gt1}{BORDEAUX}/")
    assert merignac.get_by_role("button", name=re.compile("Enregistrer la liste")).count() == 0
    assert merignac.locator("main form[method=post]").count() == 0
    assert "Seuls le DGS de Bordeaux" in merignac.locator("main").inner_text()
    assert "Paie sous Civil Net RH" in merignac.locator("main").inner_text()
    check_accessibility(merignac)  # the commune page, read only

    from livrables.models import LigneInventaire

    activites = list(territoire.activites.filter(theme="RH").order_by("ordre", "code"))
    i = [a.code for a in activites].index("RH-PAIE")
    form = {
        "csrfmiddlewaretoken": csrf,
        "activites-TOTAL_FORMS": str(len(activites)),
        "activites-INITIAL_FORMS": str(len(activites)),
        "activites-MIN_NUM_FORMS": "0",
        "activites-MAX_NUM_FORMS": "1000",
        f"activites-{i}-exerce": "non",
        f"activites-{i}-specificites": "Écrit par Mérignac",
    }
    # The fingerprint of Mérignac's list as its page shows it now (commun/concurrence.py).
    merignac.goto(f"{gt1}{MERIGNAC}/")
    form["empreinte"] = merignac.locator("input[name=empreinte]").get_attribute("value")
    headers = {"Referer": f"{gt1}{MERIGNAC}/", "Origin": merignac.base}
    # The same token and session are accepted on her own commune (so the refusal below is not a CSRF one)…
    own = merignac.request.post(f"{gt1}{MERIGNAC}/", form=form, headers=headers, max_redirects=0)
    assert own.status == 302, own.text()[:500]
    assert lignes_gt1(territoire, MERIGNAC)["RH-PAIE"].specificites == "Écrit par Mérignac"
    # …and refused on Bordeaux's.
    refus = merignac.request.post(f"{gt1}{BORDEAUX}/", form=form, headers=headers, max_redirects=0)
    assert refus.status == 403
    paie = lignes_gt1(territoire, BORDEAUX)["RH-PAIE"]
    assert (paie.exerce, paie.specificites, paie.version) == (True, "Paie sous Civil Net RH", 1)
    assert LigneInventaire.objects.filter(commune__code=BORDEAUX, modifie_par=cast["dgs_merignac"]).count() == 0


def test_a_member_and_a_copilot_add_afor_items(nouvelle_page, cast, territoire):
    from livrables.models import ElementAfor

    membre = nouvelle_page("membre-rh")
    grille = f"{base_rh(membre, territoire)}/gt2/RH-PAIE/"
    membre.goto(grille)
    faiblesses = membre.locator("#quadrant-faiblesse")
    faiblesses.get_by_label("Ajouter aux faiblesses").fill("Logiciels de paie différents d'une commune à l'autre")
    faiblesses.get_by_role("button", name="Ajouter", exact=True).click()
    membre.wait_for_url(re.compile(r"#quadrant-faiblesse$"))
    membre.locator("#quadrant-faiblesse li").filter(has_text="Logiciels de paie différents").wait_for()
    check_accessibility(membre)  # the activity's AFOR grid

    copilote = nouvelle_page("copilote-rh-epci")
    copilote.goto(grille)
    opportunites = copilote.locator("#quadrant-opportunite")
    opportunites.get_by_label("Ajouter aux opportunités").fill("Renouvellement du marché SIRH en 2027")
    opportunites.get_by_role("button", name="Ajouter", exact=True).click()
    copilote.locator("#quadrant-opportunite li").filter(has_text="Renouvellement du marché SIRH").wait_for()
    # The member's item is there too, tagged with her commune.
    assert "Talence" in copilote.locator("#quadrant-faiblesse").inner_text()

    elements = {
        (e.quadrant, e.organisation.nom if e.organisation else None, e.auteur.username)
        for e in ElementAfor.objects.select_related("organisation", "auteur")
    }
    assert ("faiblesse", "Talence", "membre-rh") in elements
    assert len(elements) == 2 and {q for q, _, _ in elements} == {"faiblesse", "opportunite"}

    # The consolidated grid of the theme counts them.
    copilote.goto(f"{base_rh(copilote, territoire)}/gt2/")
    assert "Logiciels de paie différents" in copilote.locator("main").inner_text()
    check_accessibility(copilote)  # the theme's consolidated AFOR grid


def test_gt3_line_scored_consensus_and_deliverable_validated(nouvelle_page, cast, territoire):
    from livrables.models import LigneMutualisable, Livrable, Notation

    # --- the co-pilote commune adds a line for RH-PAIE ------------------------------------------------
    commune = nouvelle_page("copilote-rh-commune")
    gt3 = f"{base_rh(commune, territoire)}/gt3/"
    commune.goto(gt3)
    commune.get_by_role("link", name="Ajouter une activité").click()
    commune.get_by_role("heading", name="Ajouter une activité mutualisable").wait_for()
    commune.get_by_label("Activité", exact=True).select_option(value=str(territoire.activites.get(code="RH-PAIE").pk))
    commune.get_by_label("Sous-activités").fill("Bulletins de paie")
    commune.get_by_label("Si opportunité de mutualisation, pourquoi ?").fill("Procédures et logiciels identiques")
    commune.get_by_label("Modalité suggérée").select_option(value="service_commun")
    commune.get_by_label(f"Bordeaux ({BORDEAUX})").check()
    commune.get_by_label(f"Mérignac ({MERIGNAC})").check()
    commune.locator("textarea[name=preconisation]").fill("Un service commun de la paie porté par l'EPCI")
    commune.get_by_role("button", name="Enregistrer").click()
    commune.wait_for_url(re.compile(r"/gt3/#ligne-\d+$"))
    ligne = LigneMutualisable.objects.get()
    assert ligne.modalite == "service_commun" and not ligne.toutes_communes
    assert sorted(ligne.communes.values_list("code", flat=True)) == [BORDEAUX, MERIGNAC]
    check_accessibility(commune)  # the GT3 list

    # --- both co-pilots and the consultant score it ---------------------------------------------------
    url_ligne = f"{gt3}{ligne.pk}/"
    epci = nouvelle_page("copilote-rh-epci")
    consultant = nouvelle_page("consultant")
    for p, (qualification, faisabilite) in ((commune, ("4", "3")), (epci, ("3", "4+")), (consultant, ("4", "4"))):
        p.goto(url_ligne)
        p.get_by_label("Ma qualification (/4)").select_option(value=qualification)
        p.get_by_label("Ma faisabilité (de 0 à 4+)").select_option(value=faisabilite)
        p.get_by_role("button", name="Enregistrer ma notation").click()
        p.get_by_text("Modifier ma notation").wait_for()  # back on the line page, her score recorded
    notes = {
        n.utilisateur.username: (n.qualification, n.faisabilite) for n in Notation.objects.select_related("utilisateur")
    }
    assert notes == {"copilote-rh-commune": (4, "3"), "copilote-rh-epci": (3, "4+"), "consultant": (4, "4")}

    # --- the consultant records the consensus -----------------------------------------------------------
    consultant.goto(url_ligne)
    consensus = consultant.locator("form[action$='/consensus/']")
    # Both forms of the page render id_qualification / id_faisabilite, so the consensus labels point at
    # the scoring form's selects: the consensus selects are reached by name (see the report).
    consensus.locator("select[name=qualification]").select_option(value="4")
    consensus.locator("select[name=faisabilite]").select_option(value="4")
    consultant.get_by_role("button", name="Retenir ces notes").click()
    consultant.locator("tfoot").filter(has_text="Consensus du groupe").wait_for()
    ligne.refresh_from_db()
    assert (ligne.qualification, ligne.faisabilite) == (4, "4")
    assert "co-pilote EPCI" in consultant.locator("main").inner_text()
    check_accessibility(consultant)  # the GT3 line page

    # --- submitted, then validated by both co-pilots: locked ---------------------------------------
    circuit = f"{base_rh(commune, territoire)}/GT3/circuit/"
    commune.goto(circuit)
    commune.get_by_role("button", name="Soumettre aux co-pilotes").click()
    commune.get_by_text("Livrable soumis aux co-pilotes").wait_for()
    commune.get_by_role("button", name=re.compile(r"Valider la version \d+")).click()
    commune.get_by_text("Votre validation est enregistrée").wait_for()
    epci.goto(circuit)
    check_accessibility(epci)  # the circuit page, submitted
    epci.get_by_role("button", name=re.compile(r"Valider la version \d+")).click()
    epci.get_by_text("Livrable validé par les deux co-pilotes : il est verrouillé.").wait_for()
    livrable = Livrable.objects.get(groupe=groupe_rh(territoire), type="GT3")
    assert livrable.etat == "valide" and livrable.verrouille
    assert epci.get_by_role("button", name="Soumettre aux co-pilotes").count() == 0
    check_accessibility(epci)  # the circuit page, locked

    # The list says it is locked, and offers neither adding nor scoring any more.
    consultant.goto(gt3)
    assert "il faut le rouvrir" in consultant.locator("main").inner_text()
    assert consultant.get_by_role("link", name="Ajouter une activité").count() == 0
    consultant.goto(url_ligne)
    assert consultant.get_by_role("button", name="Enregistrer ma notation").count() == 0
    assert consultant.get_by_role("button", name="Retenir ces notes").count() == 0


def test_xlsx_round_trip_with_a_conflict(nouvelle_page, cast, territoire, tmp_path):
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire

    # Bordeaux's list, already started in the app.
    livrable = livrable_de(groupe_rh(territoire), "GT1")
    paie = territoire.activites.get(code="RH-PAIE")
    do_enregistrer_inventaire(
        livrable,
        territoire.organisations.get(code=BORDEAUX),
        cast["dgs_bordeaux"],
        {paie.pk: {"exerce": True, "etp": Decimal("3"), "sous_activites": "", "specificites": "Avant"}},
    )

    page = nouvelle_page("dgs-bordeaux")
    commune = f"{base_rh(page, territoire)}/gt1/{BORDEAUX}/"
    page.goto(commune)
    with page.expect_download() as info:
        page.get_by_role("link", name="télécharger le tableur XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    fichier = tmp_path / "gt1-bordeaux.xlsx"
    download.save_as(fichier)

    # The commune edits the file, as in Excel: the specifics of the payroll row.
    wb = load_workbook(fichier)
    ws = wb.worksheets[0]
    [r] = [row[0].row for row in ws.iter_rows(min_row=2) if row[2].value == "RH-PAIE"]
    assert ws.cell(r, 6).value == "Avant"
    ws.cell(r, 6).value = "Changé dans le fichier"
    wb.save(fichier)

    # Meanwhile, the same cell is changed in the page.
    page.goto(commune)
    remplir_activite(page, "RH-PAIE", "oui", specificites="Changé dans l'application")
    page.get_by_role("button", name="Enregistrer la liste de Bordeaux").click()
    page.get_by_text("Liste des activités de Bordeaux enregistrée").wait_for()
    assert lignes_gt1(territoire, BORDEAUX)["RH-PAIE"].specificites == "Changé dans l'application"

    # The file is re-imported: the conflict is shown, nothing is written yet.
    page.get_by_role("link", name="importer le fichier rempli").click()
    page.locator("input[type=file]").set_input_files(fichier)
    page.get_by_role("button", name="Importer le classeur").click()
    page.get_by_role("heading", name="Conflits entre le classeur et l'application").wait_for()
    texte = page.locator("main").inner_text()
    assert "1 cellule en conflit" in texte
    tableau = page.locator("table.conflits").inner_text()
    for valeur in ("RH-PAIE", "Avant", "Changé dans l'application", "Changé dans le fichier"):
        assert valeur in tableau, tableau
    assert lignes_gt1(territoire, BORDEAUX)["RH-PAIE"].specificites == "Changé dans l'application"
    check_accessibility(page)  # the conflict page

    # The user keeps the file's value.
    page.get_by_label("celle du fichier").check()
    page.get_by_role("button", name="Appliquer l'import avec ces choix").click()
    page.wait_for_url(re.compile(rf"/gt1/{BORDEAUX}/$"))
    paie_bx = lignes_gt1(territoire, BORDEAUX)["RH-PAIE"]
    assert paie_bx.specificites == "Changé dans le fichier" and paie_bx.exerce is True
    assert page.locator("#activite-RH-PAIE textarea[name$='-specificites']").input_value() == "Changé dans le fichier"
