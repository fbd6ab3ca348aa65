"""GT2 spreadsheet round trip (livrables/tableur/gt2.py): the AFOR grid exported to XLSX/ODS, edited
with openpyxl as in Excel (or in the ODS XML), re-imported and merged cell by cell; additions tagged
with the importer's organisation, rewording only for who may reword on the web, conflicts shown then
resolved, errors reported with nothing written, and the rights."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import EPCI, TALENCE
from tests.impression import verifier_ods, verifier_xlsx

pytestmark = pytest.mark.django_db

EN_TETES = ["Identifiant", "Code activité", "Activités", "Quadrant", "Élément", "Organisation"]


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def livrable(groupe_rh):
    from livrables.gt2.actions import livrable_afor

    return livrable_afor(groupe_rh)


@pytest.fixture
def element(cast, territoire, livrable):
    from livrables.gt2.actions import do_ajouter_element

    membre = cast["membre_rh"]
    return do_ajouter_element(
        livrable,
        membre,
        territoire.activites.get(code="RH-PAIE"),
        "faiblesse",
        "Logiciels de paie différents",
        membre.organisation,
    )


def url(territoire, nom):
    return reverse(f"livrables:gt2_tableur_{nom}", kwargs={"code": territoire.code, "theme": "RH"})


def classeur(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(response.content))


def sauver(wb, nom="gt2.xlsx") -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = nom
    return out


def rang(ws, ident):
    for row in ws.iter_rows(min_row=2):
        if row[0].value == ident:
            return row[0].row
    raise AssertionError(ident)


def visibles(livrable):
    return list(
        livrable.elements_afor.filter(fusionne_dans__isnull=True)
        .select_related("organisation", "activite")
        .order_by("id")
    )


def test_export_has_french_columns_hidden_ids_meta_and_protection(cast, territoire, livrable, element, connecte):
    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == EN_TETES
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F2"
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    r = rang(ws, f"E{element.pk}")
    assert [ws.cell(r, c).value for c in range(2, 7)] == [
        "RH-PAIE",
        element.activite.libelle,
        "Faiblesses",
        "Logiciels de paie différents",
        "Talence",
    ]
    # A co-pilot may reword: the text is unlocked; the activity, quadrant and organisation are not.
    assert not ws.cell(r, 5).protection.locked and ws.cell(r, 2).protection.locked
    assert ws.cell(r, 4).protection.locked and ws.cell(r, 6).protection.locked
    # The blank rows below take additions: activity, quadrant and text.
    assert not ws.cell(r + 1, 2).protection.locked and not ws.cell(r + 1, 4).protection.locked
    assert any(
        dv.formula1 == '"Avantages,Faiblesses,Opportunités,Risques"' for dv in ws.data_validations.dataValidation
    )
    meta = wb["_mutualis"]
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    cles = {row[1]: row[2] for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "meta"}
    assert cles["format"] == "mutualis-gt2" and cles["livrable"] == str(livrable.pk)
    assert cles["commune"] == EPCI and cles["exporte_le"] and cles["schema"] and cles["theme"] == "RH"
    versions = {row[3]: row[5] for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "ligne"}
    assert versions == {f"E{element.pk}": "1"}

    # A member who may only contribute: the existing items' text is locked, the blank rows are not.
    ws = classeur(connecte(cast["membre_rh"]).get(url(territoire, "xlsx"))).worksheets[0]
    assert ws.cell(2, 5).protection.locked and not ws.cell(3, 5).protection.locked


def test_ods_export_is_protected_filtered_and_frozen(cast, territoire, livrable, element, connecte):
    from formats.lecture import read_table

    response = connecte(cast["copilote_rh_epci"]).get(url(territoire, "ods"))
    assert response.status_code == 200 and response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    table = read_table(response.content, "gt2.ods", "Ressources humaines")
    assert table.headers == EN_TETES
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        contenu, reglages = z.read("content.xml").decode(), z.read("settings.xml").decode()
    assert 'table:protected="true"' in contenu and 'style:cell-protect="none"' in contenu
    assert 'table:display-filter-buttons="true"' in contenu and ".A1:" in contenu
    assert 'table:visibility="collapse"' in contenu
    assert "VerticalSplitPosition" in reglages


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_export_prints_landscape_one_page_wide_with_header_and_footer(cast, territoire, element, connecte, fmt):
    """Issue 11, point 10: five visible columns, but the items are 70 characters wide: landscape, one page
    wide, the header row on every page, the deliverable and group in the footer with the page number."""
    response = connecte(cast["copilote_rh_epci"]).get(url(territoire, fmt))
    assert response.status_code == 200
    titre = "GT2 – grille AFOR – Ressources humaines"
    if fmt == "xlsx":
        verifier_xlsx(response.content, titre, paysage={"Ressources humaines"})
    else:
        assert verifier_ods(response.content, titre, paysage={"Ressources humaines"})["Ressources humaines"] == EN_TETES


def test_round_trip_rewords_and_adds_in_one_version(cast, territoire, livrable, element, connecte):
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    ws.cell(rang(ws, f"E{element.pk}"), 5).value = "Logiciels de paie   hétérogènes"
    n = ws.max_row + 1
    ws.cell(n, 2).value = "RH-FORM"
    ws.cell(n, 4).value = "risques"
    ws.cell(n, 5).value = "Départs en retraite"
    ws.cell(n + 1, 3).value = element.activite.libelle.upper()  # by its label
    ws.cell(n + 1, 4).value = "Avantages (internes)"
    ws.cell(n + 1, 5).value = "Expertise reconnue"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 302, response.content.decode()[:3000]
    livrable.refresh_from_db()
    assert livrable.version == version + 1
    reformule, risque, avantage = visibles(livrable)
    assert reformule.texte == "Logiciels de paie hétérogènes" and reformule.version == 2
    assert reformule.organisation.code == TALENCE  # the contributor's organisation is kept
    assert (risque.activite.code, risque.quadrant, risque.texte) == ("RH-FORM", "risque", "Départs en retraite")
    assert risque.organisation.code == EPCI and risque.auteur == cast["copilote_rh_epci"]
    assert (avantage.activite.code, avantage.quadrant) == ("RH-PAIE", "avantage")

    # The same file again: the additions would be added twice, so re-export first; an untouched export
    # changes nothing.
    wb = classeur(client.get(url(territoire, "xlsx")))
    assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == version + 1


def test_contributor_adds_but_cannot_reword(cast, territoire, livrable, element, connecte):
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    r = rang(ws, f"E{element.pk}")
    ws.cell(r, 5).value = "Reformulé par Bordeaux"
    n = ws.max_row + 1
    ws.cell(n, 2).value = "RH-PAIE"
    ws.cell(n, 4).value = "Opportunités"
    ws.cell(n, 5).value = "Un logiciel commun"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400
    [erreur] = response.context["erreurs"]
    assert erreur.startswith(f"ligne {r} : Élément « Reformulé par Bordeaux » : seuls l'équipe projet")
    assert [e.texte for e in visibles(livrable)] == ["Logiciels de paie différents"]  # all or nothing

    ws.cell(r, 5).value = "Logiciels de paie différents"
    assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 302
    ajoute = visibles(livrable)[-1]
    assert ajoute.texte == "Un logiciel commun" and ajoute.organisation.nom == "Bordeaux"


def test_conflict_shown_then_resolved_each_way(cast, territoire, livrable, element, connecte):
    from livrables.gt2.actions import do_reformuler_element

    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    do_reformuler_element(livrable, cast["consultant"], element, "Reformulé dans l'application")
    ws = wb.worksheets[0]
    ws.cell(rang(ws, f"E{element.pk}"), 5).value = "Reformulé dans le fichier"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    page = response.content.decode()
    assert "1 cellule en conflit" in page and "Reformulé dans le fichier" in page
    assert "Logiciels de paie différents" in page and "Reformulé dans l&#x27;application" in page
    [conflit] = response.context["conflits"]
    assert conflit.colonne == "Élément" and conflit.libelle == "RH-PAIE"
    jeton = response.context["jeton"]
    element.refresh_from_db()
    assert element.texte == "Reformulé dans l'application"  # nothing written yet

    assert client.post(url(territoire, "resoudre"), {"jeton": jeton}).status_code == 409
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "application"})
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.texte == "Reformulé dans l'application"
    # The same file imported again gives the conflict again, with a fresh token.
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    jeton = response.context["jeton"]
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "fichier"})
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.texte == "Reformulé dans le fichier"
    # That token has been applied: posted again, it is refused and says what to do.
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "application"})
    assert response.status_code == 409 and "importez de nouveau le fichier" in response.content.decode()
    element.refresh_from_db()
    assert element.texte == "Reformulé dans le fichier"
    assert client.post(url(territoire, "resoudre"), {"jeton": jeton + "x"}).status_code == 400


def test_invalid_rows_are_reported_and_nothing_is_written(cast, territoire, livrable, element, connecte):
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    r = rang(ws, f"E{element.pk}")
    ws.cell(r, 5).value = "Une reformulation valable"
    n = ws.max_row + 1
    ws.cell(n, 2).value = "RH-PAIE"
    ws.cell(n, 4).value = "Menaces"
    ws.cell(n, 5).value = "Texte"
    ws.cell(n + 1, 2).value = "RH-PAIE"
    ws.cell(n + 1, 4).value = "Risques"
    ws.cell(n + 2, 2).value = "RH-INCONNUE"
    ws.cell(n + 2, 4).value = "Risques"
    ws.cell(n + 2, 5).value = "Texte"
    ws.cell(n + 3, 1).value = "E999999"
    ws.cell(n + 3, 5).value = "Texte"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400
    erreurs = response.context["erreurs"]
    assert f"ligne {n} : Quadrant « Menaces » : Avantages, Faiblesses, Opportunités ou Risques" in erreurs
    assert f"ligne {n + 1} : Élément « » : Écrivez le texte de l'élément" in erreurs
    assert any(e.startswith(f"ligne {n + 2} : Code activité « RH-INCONNUE » : activité inconnue") for e in erreurs)
    assert any(e.startswith(f"ligne {n + 3} : Identifiant « E999999 » : identifiant inconnu") for e in erreurs)
    assert "erreur" in response.content.decode()
    livrable.refresh_from_db()
    assert livrable.version == version and [e.texte for e in visibles(livrable)] == ["Logiciels de paie différents"]

    # Another deliverable's export (GT1) and a file without the meta sheet are refused.
    gt1 = classeur(
        client.get(
            reverse("livrables:gt1_tableur_xlsx", kwargs={"code": territoire.code, "theme": "RH", "commune": TALENCE})
        )
    )
    response = client.post(url(territoire, "importer"), {"fichier": sauver(gt1)})
    assert response.status_code == 400 and "ne décrit pas une grille AFOR" in response.context["erreurs"][0]
    del wb["_mutualis"]
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400 and "_mutualis" in response.context["erreurs"][0]


def _ods_remplace(data: bytes, avant: str, apres: str) -> io.BytesIO:
    """The ODS with one text replaced in its content (what an edit in LibreOffice changes)."""
    entree, sortie = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as z:
        for info in entree.infolist():
            contenu = entree.read(info.filename)
            if info.filename == "content.xml":
                contenu = contenu.replace(avant.encode(), apres.encode(), 1)  # the data sheet, not the meta sheet
            z.writestr(
                info, contenu, compress_type=zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
    sortie.seek(0)
    sortie.name = "gt2.ods"
    return sortie


def test_ods_round_trip(cast, territoire, livrable, element, connecte):
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["consultant"])
    ods = client.get(url(territoire, "ods")).content
    assert client.post(url(territoire, "importer"), {"fichier": _ods_remplace(ods, "x", "x")}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == version  # unchanged: nothing written
    fichier = _ods_remplace(ods, "<text:p>Logiciels de paie différents</text:p>", "<text:p>Logiciels unifiés</text:p>")
    response = client.post(url(territoire, "importer"), {"fichier": fichier})
    assert response.status_code == 302, response.content.decode()[:2000]
    element.refresh_from_db()
    assert element.texte == "Logiciels unifiés"


def test_rights_and_lock(cast, territoire, livrable, element, connecte):
    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    for role in ("observateur", "elu_copil"):
        other = connecte(cast[role])
        assert other.get(url(territoire, "xlsx")).status_code == 403
        assert other.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 403
        assert other.post(url(territoire, "resoudre"), {"jeton": "x"}).status_code == 403
    from validation.models import Etat

    type(livrable).objects.filter(pk=livrable.pk).update(etat=Etat.VALIDE)
    ws = wb.worksheets[0]
    ws.cell(2, 5).value = "Changé"
    client = connecte(cast["copilote_rh_epci"])
    assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 409
    element.refresh_from_db()
    assert element.texte == "Logiciels de paie différents"


def test_grid_page_offers_export_and_import(cast, territoire, element, connecte):
    page = connecte(cast["membre_rh"]).get(reverse("livrables:afor", kwargs={"code": territoire.code, "theme": "RH"}))
    assert url(territoire, "xlsx") in page.content.decode() and url(territoire, "importer") in page.content.decode()
    page = connecte(cast["observateur"]).get(reverse("livrables:afor", kwargs={"code": territoire.code, "theme": "RH"}))
    assert url(territoire, "xlsx") not in page.content.decode()
