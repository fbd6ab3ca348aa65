"""The referential as a spreadsheet: export, import (all or nothing), round trip, rights."""

import html
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from formats.tabular import normalize_header
from masse_salariale.models import Agregat, LignePaie
from referentiel.actions import referentiel_actuel
from referentiel.models import Activite, SousActivite
from territoire.models import Evenement
from tests.impression import verifier_xlsx

pytestmark = pytest.mark.django_db

CLES = ["theme", "code_activite", "activite", "description", "reserve_cdg", "code_sous_activite", "sous_activite"]


def url(name, territoire):
    return reverse(f"referentiel:{name}", kwargs={"code": territoire.code})


def texte(response) -> str:
    return html.unescape(response.content.decode())


def exporter(client, territoire) -> bytes:
    response = client.get(url("exporter", territoire))
    assert response.status_code == 200
    return response.content


def classeur(rows, headers=CLES, sheet="referentiel") -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def importer(client, territoire, data, name="referentiel.xlsx"):
    return client.post(url("importer", territoire), {"fichier": SimpleUploadedFile(name, data)})


def etat(territoire):
    """Everything the referential holds, in display order (the ids excepted)."""
    return referentiel_actuel(territoire)


# --- export -----------------------------------------------------------------------------------------


def test_any_member_exports_one_sheet_one_row_per_sub_activity(connecte, cast, territoire):
    Activite.objects.create(
        territoire=territoire, theme="GDP", code="GDP-SEUL", libelle="Sans sous-activité", ordre=999
    )
    response = connecte(cast["elu_copil"]).get(url("exporter", territoire))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="referentiel-{territoire.code}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "referentiel"
    ws = book["referentiel"]
    rows = list(ws.iter_rows(values_only=True))
    assert [normalize_header(h) for h in rows[0]] == CLES
    assert rows[0][:3] == ("Thème", "Code activité", "Activité")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:G{len(rows)}"
    assert all(ws.column_dimensions[letter].width >= 10 for letter in "ABCDEFG")
    assert len(rows) == 1 + SousActivite.objects.filter(activite__territoire=territoire).count() + 1
    assert rows[1] == (
        "FIN",
        "FIN-BUDG",
        "Préparation et exécution budgétaire",
        "Cycle budgétaire annuel, du débat d'orientation au suivi de l'exécution.",
        "non",
        "FIN-BUDG-01",
        "Préparation du rapport et du débat d'orientation budgétaire",
    )
    conc = [r for r in rows if r[1] == "RH-CONC"]
    assert len(conc) == 3 and all(r[4] == "oui" for r in conc)
    paie = {r[5]: r[4] for r in rows if r[1] == "RH-PAIE"}
    assert paie["RH-PAIE-07"] == "oui" and paie["RH-PAIE-01"] == "non"
    # The activity without sub-activity: one row, sub-activity columns empty; themes in their order.
    assert [r for r in rows if r[1] == "GDP-SEUL"] == [
        ("GDP", "GDP-SEUL", "Sans sous-activité", None, "non", None, None)
    ]
    assert [r[0] for r in rows[1:]] == sorted(
        (r[0] for r in rows[1:]), key=["FIN", "RH", "CPAJ", "SI", "BML", "AOS", "GDP", "ECO", "TIDP"].index
    )


def test_export_prints_landscape_one_page_wide_with_header_and_footer(connecte, cast, territoire):
    """Issue 11, point 10: the referential prints on A4 landscape, one page wide, the header row on every
    page, the territory in the footer; the two-column themes sheet in portrait."""
    verifier_xlsx(
        exporter(connecte(cast["elu_copil"]), territoire),
        "Référentiel des activités – Bordeaux Métropole",
        paysage={"referentiel"},
    )


def test_outsiders_cannot_export(client, connecte, cast, territoire):
    assert client.get(url("exporter", territoire)).status_code == 302  # anonymous: to the login page
    assert connecte(cast["exterieur"]).get(url("exporter", territoire)).status_code == 404


# --- round trip -------------------------------------------------------------------------------------


def test_reimporting_the_export_unchanged_gives_the_same_referential(connecte, cast, territoire):
    avant = etat(territoire)
    data = exporter(connecte(cast["dgs_bordeaux"]), territoire)
    response = importer(connecte(cast["equipe_projet"]), territoire, data)
    assert response.status_code == 302
    assert etat(territoire) == avant
    evenement = Evenement.objects.get(action="referentiel.import")
    assert evenement.utilisateur == cast["equipe_projet"] and evenement.objet == "referentiel.xlsx"
    assert evenement.details["activites"] == len(avant)
    assert evenement.details["ajoutees"] == evenement.details["supprimees"] == evenement.details["modifiees"] == []


def test_cells_edited_in_a_spreadsheet_are_applied(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    book = load_workbook(io.BytesIO(exporter(client, territoire)))
    ws = book["referentiel"]
    rows = {row[5].value: row for row in ws.iter_rows(min_row=2) if row[5].value}
    rows["FIN-BUDG-01"][6].value = "Rapport d'orientation budgétaire"  # a sub-activity's label
    rows["RH-FORM-02"][4].value = "oui"  # one sub-activity reserved, not its activity
    for cell in (r[2] for r in ws.iter_rows(min_row=2) if r[1].value == "SI-SIG"):
        cell.value = "SIG et données géographiques"  # an activity's label, on each of its rows
    for index in sorted((r[0].row for r in ws.iter_rows(min_row=2) if r[1].value == "ECO-TOUR"), reverse=True):
        ws.delete_rows(index)  # an activity dropped
    ws.append(["ECO", "ECO-NUIT", "Économie de la nuit", "Bars et commerces de nuit.", "", "", ""])
    out = io.BytesIO()
    book.save(out)

    response = importer(client, territoire, out.getvalue())
    assert response.status_code == 302
    activites = {a.code: a for a in etat(territoire)}
    assert activites["SI-SIG"].libelle == "SIG et données géographiques"
    assert len(activites["SI-SIG"].sous_activites) == 4
    assert activites["FIN-BUDG"].sous_activites[0].libelle == "Rapport d'orientation budgétaire"
    form = activites["RH-FORM"]
    assert [s.reserve_cdg for s in form.sous_activites] == [False, True, False, False, False]
    assert not form.reserve_cdg
    assert "ECO-TOUR" not in activites
    nuit = activites["ECO-NUIT"]
    assert (nuit.theme, nuit.libelle, nuit.description, nuit.sous_activites) == (
        "ECO",
        "Économie de la nuit",
        "Bars et commerces de nuit.",
        (),
    )
    details = Evenement.objects.get(action="referentiel.import").details
    assert details["ajoutees"] == ["ECO-NUIT"] and details["supprimees"] == ["ECO-TOUR"]
    assert set(details["modifiees"]) == {"FIN-BUDG", "RH-FORM", "SI-SIG"}
    page = client.get(reverse("referentiel:liste", kwargs={"code": territoire.code}))
    assert "Référentiel remplacé par « referentiel.xlsx »" in texte(page)


def test_headers_are_matched_loosely_and_theme_labels_accepted(connecte, cast, territoire):
    data = classeur(
        [
            ("Ressources humaines", "rh-paie", "Paie", "oui", "RH-PAIE-01", "Calcul de la paie"),
            ("RH", "RH-PAIE", "Paie", "oui", "RH-PAIE-02", "Déclarations"),
            ("finances", "FIN-BUDG", "Budget", "", "", ""),
        ],
        headers=["  THÈME ", "Code-Activité", "ACTIVITE", "Réservée CDG", "code_sous_activite", "Sous activité"],
    )
    client = connecte(cast["equipe_projet"])
    response = importer(client, territoire, data)
    assert response.status_code == 302
    activites = {a.code: a for a in etat(territoire)}
    assert list(activites) == ["FIN-BUDG", "RH-PAIE"]
    assert activites["RH-PAIE"].theme == "RH" and activites["FIN-BUDG"].libelle == "Budget"
    assert [s.code for s in activites["RH-PAIE"].sous_activites] == ["RH-PAIE-01", "RH-PAIE-02"]
    page = texte(client.get(url("liste", territoire)))
    # « Réservée CDG » is not reserve_cdg (« Réservé CDG » is): the unknown column and the absent ones are
    # said, not silently dropped.
    assert "Avertissement : colonne inconnue ignorée : « Réservée CDG » (colonne D)" in page
    assert "Avertissement : colonne reserve_cdg absente" in page
    assert "Avertissement : colonne description absente" in page
    assert not activites["RH-PAIE"].reserve_cdg


def test_a_csv_file_is_read_too(connecte, cast, territoire):
    data = (
        "theme;code_activite;activite;code_sous_activite;sous_activite\nFIN;FIN-BUDG;Budget;FIN-BUDG-01;Préparation\n"
    ).encode("cp1252")
    assert importer(connecte(cast["equipe_projet"]), territoire, data, "ref.csv").status_code == 302
    assert [a.code for a in etat(territoire)] == ["FIN-BUDG"]


# --- refusals ---------------------------------------------------------------------------------------


def test_every_error_is_reported_with_its_line_and_nothing_changes(connecte, cast, territoire):
    avant = etat(territoire)
    data = classeur(
        [
            ("FIN", "FIN-A", "Activité A", "Description", "non", "FIN-A-01", "Un"),  # 2
            ("XYZ", "FIN-B", "Activité B", "", "non", "", ""),  # 3
            ("FIN", "", "Sans code", "", "non", "", ""),  # 4
            ("FIN", "FIN-C", "", "", "non", "", ""),  # 5
            ("RH", "FIN-D", "Activité D", "", "non", "", ""),  # 6
            ("FIN", "FIN-A", "Autre libellé", "", "non", "FIN-A-02", "Deux"),  # 7
            ("FIN", "FIN-E", "Activité E", "", "peut-être", "FIN-E-01", "Un"),  # 8
            ("FIN", "FIN-E", "Activité E", "", "non", "FIN-E-01", "Doublon"),  # 9
            ("FIN", "FIN-F", "Activité F", "", "", "FIN-G-01", "Mauvais préfixe"),  # 10
            ("Ressources humaines", "RH-Z", "Z", "", "", "", ""),  # 11
            ("FIN", "RH-Z", "Z", "", "", "", ""),  # 12
            ("FIN", "FIN-H", "Activité H", "", "", "", "Sans code"),  # 13
        ]
    )
    response = importer(connecte(cast["equipe_projet"]), territoire, data)
    assert response.status_code == 400
    unique = "un code d'activité ne désigne qu'une activité"
    prefixe = "suivi d'au moins un caractère"
    double = "un code de sous-activité n'apparaît qu'une fois"
    deja = "code de sous-activité déjà utilisé"
    theme = "une activité n'a qu'un thème"
    attendu = [
        f"ligne 2 : activite « Activité A » : le code FIN-A désigne une autre activité sur la ligne 7 : {unique}",
        "ligne 3 : theme « XYZ » : thème inconnu : attendu l'un des codes FIN, RH, CPAJ, SI, BML, AOS, GDP, "
        "ECO, TIDP ou le libellé d'un thème",
        "ligne 4 : code_activite « » : code de l'activité obligatoire",
        "ligne 5 : activite « » : libellé de l'activité obligatoire",
        f"ligne 6 : code_activite « FIN-D » : le code d'une activité du thème RH commence par « RH- » {prefixe}",
        f"ligne 7 : activite « Autre libellé » : le code FIN-A désigne une autre activité sur la ligne 2 : {unique}",
        "ligne 8 : reserve_cdg « peut-être » : attendu oui ou non (vide : non)",
        f"ligne 8 : code_sous_activite « FIN-E-01 » : {deja} sur la ligne 9 : {double}",
        f"ligne 9 : code_sous_activite « FIN-E-01 » : {deja} sur la ligne 8 : {double}",
        "ligne 10 : code_sous_activite « FIN-G-01 » : le code d'une sous-activité de FIN-F commence par "
        f"« FIN-F- » {prefixe}",
        f"ligne 11 : theme « Ressources humaines » : l'activité RH-Z a un autre thème sur la ligne 12 : {theme}",
        f"ligne 12 : theme « FIN » : l'activité RH-Z a un autre thème sur la ligne 11 : {theme}",
        f"ligne 12 : code_activite « RH-Z » : le code d'une activité du thème FIN commence par « FIN- » {prefixe}",
        "ligne 13 : code_sous_activite « » : code obligatoire quand la ligne a une sous-activité",
    ]
    page = texte(response)
    rapport = page.split('<ol class="rapport" aria-label="Erreurs">')[1].split("</ol>")[0]
    assert [li.split("</li>")[0] for li in rapport.split("<li>")[1:]] == attendu
    assert f"{len(attendu)} erreurs" in page and "le référentiel n'a pas changé" in page
    assert etat(territoire) == avant
    refus = Evenement.objects.get(action="referentiel.refus")
    assert refus.details["erreurs"] == len(attendu) and len(refus.details["empreinte"]) == 64
    assert not Evenement.objects.filter(action="referentiel.import").exists()


def test_a_missing_required_column_is_an_error_for_the_whole_file(connecte, cast, territoire):
    data = classeur([("FIN", "FIN-A", "Un")], headers=["theme", "code", "activite"])
    response = importer(connecte(cast["equipe_projet"]), territoire, data)
    assert response.status_code == 400
    assert "fichier : colonne obligatoire manquante : code_activite" in texte(response)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "vide.xlsx", "fichier : le fichier est vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image.xlsx", "fichier : "),
        (b"%PDF-1.4\n" + bytes(100), "document.pdf", "fichier : "),
        (b"ceci n'est pas un classeur", "notes.xlsx", "fichier : ce fichier n'est pas un classeur XLSX lisible"),
        ("TRONQUE", "tronque.xlsx", "fichier : "),
        (_zip({"xl/workbook.xml": b"<pas du xml", "[Content_Types].xml": b"<x/>"}), "casse.xlsx", "fichier : "),
        (_zip({"readme.txt": b"bonjour"}), "archive.xlsx", "fichier : "),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "ancien.xls", "fichier : format Excel 97-2003"),
    ],
    ids=["vide", "image", "pdf", "texte", "tronque", "xml-casse", "zip", "xls"],
)
def test_unreadable_files_get_a_file_message_never_a_server_error(connecte, cast, territoire, data, name, expected):
    client = connecte(cast["equipe_projet"])
    if data == "TRONQUE":
        data = exporter(client, territoire)[:3000]
    avant = etat(territoire)
    response = importer(client, territoire, data, name)
    assert response.status_code == 400
    assert expected in texte(response)
    assert etat(territoire) == avant


def test_posting_without_a_file_is_a_file_message(connecte, cast, territoire):
    response = connecte(cast["equipe_projet"]).post(url("importer", territoire), {})
    assert response.status_code == 400
    assert "fichier : aucun fichier envoyé" in texte(response)


def test_file_over_the_upload_limit_is_refused(connecte, cast, territoire, settings):
    client = connecte(cast["equipe_projet"])
    data = exporter(client, territoire)
    settings.UPLOAD_MAX_BYTES = 1000
    response = importer(client, territoire, data)
    assert response.status_code == 400 and "au-delà de la limite" in texte(response)


@pytest.mark.parametrize("role", ["dgs_bordeaux", "consultant", "elu_copil", "copilote_rh_epci"])
def test_only_the_project_team_imports(connecte, cast, territoire, role):
    client = connecte(cast[role])
    avant = etat(territoire)
    data = classeur([("FIN", "FIN-A", "Seule activité", "", "", "", "")])
    assert importer(client, territoire, data).status_code == 403
    assert importer(connecte(cast["exterieur"]), territoire, data).status_code == 404
    assert etat(territoire) == avant
    assert importer(connecte(cast["equipe_projet"]), territoire, data).status_code == 302
    assert [a.code for a in etat(territoire)] == ["FIN-A"]


def test_replacing_the_referential_keeps_payroll_lines(connecte, cast, territoire, lot_courant):
    lignes = LignePaie.objects.filter(activite="RH-PAIE").count()
    agregats = Agregat.objects.filter(activite="RH-PAIE").count()
    assert lignes and agregats
    data = classeur([("FIN", "FIN-BUDG", "Budget", "", "", "FIN-BUDG-01", "Préparation")])
    client = connecte(cast["equipe_projet"])
    assert importer(client, territoire, data).status_code == 302
    assert not territoire.activites.filter(code="RH-PAIE").exists()
    assert LignePaie.objects.filter(activite="RH-PAIE").count() == lignes
    assert Agregat.objects.filter(activite="RH-PAIE").count() == agregats
    assert client.get(reverse("masse_salariale:coefficient", kwargs={"code": territoire.code})).status_code == 200
