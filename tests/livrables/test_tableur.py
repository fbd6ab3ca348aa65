"""GT1 spreadsheet round trip (livrables/tableur/gt1.py): export to XLSX/ODS, a commune edits the file with
openpyxl as it would in Excel, re-import merged cell by cell, conflicts shown then resolved, the error
report, the rights, and LibreOffice opening the exports (when installed)."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import BORDEAUX, MERIGNAC
from tests.impression import verifier_ods, verifier_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


def url(territoire, nom, commune=BORDEAUX, theme="RH"):
    return reverse(f"livrables:gt1_tableur_{nom}", kwargs={"code": territoire.code, "theme": theme, "commune": commune})


def remplir(livrable, territoire, user, commune=BORDEAUX, **par_code):
    from livrables.gt1.actions import do_enregistrer_inventaire

    org = territoire.organisations.get(code=commune)
    valeurs = {}
    for code, data in par_code.items():
        a = territoire.activites.get(code=code.replace("_", "-"))
        valeurs[a.pk] = {"exerce": None, "etp": None, "sous_activites": "", "specificites": "", **data}
    return do_enregistrer_inventaire(livrable, org, user, valeurs)


def classeur(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))


def sauver(wb) -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "gt1.xlsx"
    return out


def rang(ws, code):
    """The row number of an activity in the data sheet (column C holds the code)."""
    for row in ws.iter_rows(min_row=2):
        if row[2].value == code:
            return row[0].row
    raise AssertionError(code)


def lignes(livrable, commune=BORDEAUX):
    return {l.activite.code: l for l in livrable.inventaire.filter(commune__code=commune).select_related("activite")}


def test_export_has_the_source_columns_hidden_ids_and_meta(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT1")
    remplir(
        livrable,
        territoire,
        cast["dgs_bordeaux"],
        RH_PAIE={"exerce": True, "etp": Decimal("3.5"), "specificites": "Paie interne"},
    )
    client = connecte(cast["membre_rh"])  # any member may export
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    assert ws.title == str(groupe_rh.libelle)[:31]
    assert [c.value for c in ws[1]] == [
        "Identifiant",
        "Commune",
        "Code activité",
        "Activités",
        "Sous-activités",
        "Spécificités",
        "Exerce (oui/non)",
        "ETP",
    ]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:H")
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    r = rang(ws, "RH-PAIE")
    paie = lignes(livrable)["RH-PAIE"]
    assert ws.cell(r, 1).value == f"L{paie.pk}" and ws.cell(r, 7).value == "oui" and ws.cell(r, 8).value == 3.5
    assert ws.cell(r, 4).protection.locked and not ws.cell(r, 6).protection.locked
    r2 = rang(ws, "RH-FORM")
    assert ws.cell(r2, 1).value == "A:RH-FORM"
    meta = wb["_mutualis"]
    assert meta.sheet_state == "hidden"
    cles = {row[1]: row[2] for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "meta"}
    assert cles["format"] == "mutualis-gt1" and cles["commune"] == BORDEAUX and cles["livrable"] == str(livrable.pk)
    assert cles["exporte_le"] and cles["schema"]
    versions = {row[3]: row[5] for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "ligne"}
    assert versions[f"L{paie.pk}"] == "1" and versions["A:RH-FORM"] == "0"

    ods = client.get(url(territoire, "ods"))
    assert ods.status_code == 200 and ods["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    from formats.lecture import read_table

    table = read_table(ods.content, "gt1.ods", str(groupe_rh.libelle))
    assert table.headers[3] == "Activités"
    assert read_table(ods.content, "gt1.ods", "_mutualis").sheet == "_mutualis"


def test_round_trip_applies_the_file_in_one_version(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de
    from validation.models import Trace

    livrable = livrable_de(groupe_rh, "GT1")
    remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True, "etp": Decimal("3")})
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    r = rang(ws, "RH-PAIE")
    ws.cell(r, 8).value = "4,5"  # typed as text, French decimal comma
    ws.cell(r, 6).value = "Paie sous Civil Net RH"
    f = rang(ws, "RH-FORM")
    ws.cell(f, 7).value = "non"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 302, response.content.decode()[:2000]
    livrable.refresh_from_db()
    assert livrable.version == version + 1
    got = lignes(livrable)
    assert got["RH-PAIE"].etp == Decimal("4.50") and got["RH-PAIE"].specificites == "Paie sous Civil Net RH"
    assert got["RH-PAIE"].version == 2 and got["RH-FORM"].exerce is False
    assert Trace.objects.de(livrable).first().commentaire.startswith("Inventaire de Bordeaux : 2 activités")

    # The same file again: nothing changes, no version.
    assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == version + 1


def test_added_row_without_identifier_matches_the_referential(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT1")
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    # The commune deletes the exported RH-FORM row's content and re-adds it by its label below.
    f = rang(ws, "RH-FORM")
    libelle = ws.cell(f, 4).value
    for col in range(1, 9):
        ws.cell(f, col).value = None
    n = ws.max_row + 1
    ws.cell(n, 4).value = libelle.upper()
    ws.cell(n, 7).value = "Oui"
    ws.cell(n, 8).value = 1.25
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 302, response.content.decode()[:2000]
    got = lignes(livrable)
    assert got["RH-FORM"].exerce is True and got["RH-FORM"].etp == Decimal("1.25")


def test_conflict_is_shown_then_resolved_per_cell(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT1")
    remplir(
        livrable,
        territoire,
        cast["dgs_bordeaux"],
        RH_PAIE={"exerce": True, "etp": Decimal("3"), "specificites": "Avant"},
    )
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    # Meanwhile in the app: the project team changes the specifics and the ETP.
    remplir(
        livrable,
        territoire,
        cast["equipe_projet"],
        RH_PAIE={"exerce": True, "etp": Decimal("5"), "specificites": "Changé dans l'application"},
    )
    ws = wb.worksheets[0]
    r = rang(ws, "RH-PAIE")
    ws.cell(r, 6).value = "Changé dans le fichier"  # same cell: conflict
    ws.cell(r, 8).value = 5  # same value as the app: no conflict
    ws.cell(r, 5).value = "Bulletins"  # a cell the app did not change: taken
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    page = response.content.decode()
    assert "1 cellule en conflit" in page
    assert "Avant" in page and "Changé dans l&#x27;application" in page and "Changé dans le fichier" in page
    assert lignes(livrable)["RH-PAIE"].specificites == "Changé dans l'application"  # nothing written yet
    jeton = response.context["jeton"]
    [conflit] = response.context["conflits"]
    assert conflit.champ == "specificites"

    # No choice sent: the page again, still nothing written.
    assert client.post(url(territoire, "resoudre"), {"jeton": jeton}).status_code == 409
    # Keep the file's value.
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "fichier"})
    assert response.status_code == 302
    paie = lignes(livrable)["RH-PAIE"]
    assert paie.specificites == "Changé dans le fichier" and paie.sous_activites == "Bulletins"
    assert paie.etp == Decimal("5.00")

    # A tampered token is refused.
    assert client.post(url(territoire, "resoudre"), {"jeton": jeton + "x"}).status_code == 400


def test_conflict_resolved_keeping_the_app_value(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT1")
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    remplir(livrable, territoire, cast["dgs_bordeaux"], RH_PAIE={"exerce": True})
    ws = wb.worksheets[0]
    ws.cell(rang(ws, "RH-PAIE"), 7).value = "non"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    response = client.post(
        url(territoire, "resoudre"), {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "application"}
    )
    assert response.status_code == 302
    assert lignes(livrable)["RH-PAIE"].exerce is True


def test_errors_are_reported_and_nothing_is_written(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    livrable = livrable_de(groupe_rh, "GT1")
    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    r, f = rang(ws, "RH-PAIE"), rang(ws, "RH-FORM")
    ws.cell(r, 7).value = "peut-être"
    ws.cell(r, 8).value = "-1"
    ws.cell(f, 7).value = "non"
    ws.cell(f, 8).value = "2,5"
    n = ws.max_row + 1
    ws.cell(n, 3).value = "RH-INCONNUE"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400
    erreurs = response.context["erreurs"]
    assert f"ligne {r} : Exerce (oui/non) « peut-être » : oui, non ou vide" in erreurs
    assert f"ligne {r} : ETP « -1 » : le nombre d'ETP ne peut pas être négatif" in erreurs
    assert any(e.startswith(f"ligne {f} : ETP « 2,5 » : la commune n'exerce pas") for e in erreurs)
    assert any(e.startswith(f"ligne {n} : Code activité « RH-INCONNUE » : activité inconnue") for e in erreurs)
    assert "erreur" in response.content.decode()
    assert not livrable.inventaire.exists()

    # Not a Mutualis export, another commune's export, no file.
    autre = classeur(client.get(url(territoire, "xlsx", commune=MERIGNAC)))
    response = client.post(url(territoire, "importer"), {"fichier": sauver(autre)})
    assert response.status_code == 400 and "autre liste" in response.context["erreurs"][0]
    del wb["_mutualis"]
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400 and "_mutualis" in response.context["erreurs"][0]
    assert client.post(url(territoire, "importer"), {}).status_code == 400


def test_rights_and_lock(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de

    client = connecte(cast["dgs_bordeaux"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    # A DGS cannot import into another commune (page and direct POST).
    other = connecte(cast["dgs_merignac"])
    assert other.get(url(territoire, "importer")).status_code == 403
    assert other.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 403
    assert other.post(url(territoire, "resoudre"), {"jeton": "x"}).status_code == 403
    assert connecte(cast["observateur"]).post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 403
    # Locked deliverable: refused with 409.
    livrable = livrable_de(groupe_rh, "GT1")
    from validation.models import Etat

    type(livrable).objects.filter(pk=livrable.pk).update(etat=Etat.VALIDE)
    ws = wb.worksheets[0]
    ws.cell(rang(ws, "RH-PAIE"), 7).value = "oui"
    client = connecte(cast["dgs_bordeaux"])
    assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 409
    assert not livrable.inventaire.exists()


def _soffice(source, sortie, profil, vers="pdf"):
    return subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profil}",
            "--convert-to",
            vers,
            "--outdir",
            str(sortie),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )


@pytest.fixture
def calc(tmp_path):
    """LibreOffice able to open a spreadsheet: a CSV probe must convert (soffice without the Calc
    component, e.g. Debian's libreoffice-writer-nogui alone, answers « source file could not be loaded»)."""
    import os

    skip = pytest.fail if os.environ.get("CI") == "true" else pytest.skip  # CI installs LibreOffice
    if not shutil.which("soffice"):
        skip("LibreOffice (soffice) absent")
    sonde = tmp_path / "sonde.csv"
    sonde.write_text("a,b\n1,2\n")
    _soffice(sonde, tmp_path / "sonde", tmp_path / "profil")
    if not (tmp_path / "sonde" / "sonde.pdf").exists():
        skip("LibreOffice Calc absent : soffice n'ouvre aucun tableur")
    return tmp_path / "profil"


def test_exports_open_in_libreoffice(cast, territoire, groupe_rh, connecte, tmp_path, calc):
    client = connecte(cast["dgs_bordeaux"])
    for fmt in ("xlsx", "ods"):
        response = client.get(url(territoire, fmt))
        assert response.status_code == 200
        source = tmp_path / f"gt1.{fmt}"
        source.write_bytes(response.content)
        sortie = tmp_path / f"pdf-{fmt}"
        result = _soffice(source, sortie, calc)
        assert result.returncode == 0, result.stderr.decode()
        assert (sortie / "gt1.pdf").stat().st_size > 0, (result.stdout + result.stderr).decode()


def test_gt2_gt3_exports_open_in_libreoffice(cast, territoire, groupe_rh, connecte, tmp_path, calc):
    """The group deliverables' workbooks (GT2 grid, GT3 list), with a row each, open in LibreOffice."""
    from livrables.gt2.actions import do_ajouter_element, livrable_afor
    from livrables.gt3.actions import do_creer_ligne

    paie = territoire.activites.get(code="RH-PAIE")
    do_ajouter_element(livrable_afor(groupe_rh), cast["membre_rh"], paie, "avantage", "Équipe stable", None)
    do_creer_ligne(
        groupe_rh,
        cast["equipe_projet"],
        {"activite": paie, "modalite": "service_commun", "toutes_communes": True, "communes": []},
    )
    client = connecte(cast["equipe_projet"])
    for gt in ("gt2", "gt3"):
        for fmt in ("xlsx", "ods"):
            response = client.get(
                reverse(f"livrables:{gt}_tableur_{fmt}", kwargs={"code": territoire.code, "theme": "RH"})
            )
            assert response.status_code == 200
            source = tmp_path / f"{gt}.{fmt}"
            source.write_bytes(response.content)
            sortie = tmp_path / f"pdf-{gt}-{fmt}"
            result = _soffice(source, sortie, calc)
            assert result.returncode == 0, result.stderr.decode()
            assert (sortie / f"{gt}.pdf").stat().st_size > 0, (result.stdout + result.stderr).decode()


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_export_prints_landscape_one_page_wide_with_header_and_footer(cast, territoire, groupe_rh, connecte, fmt):
    """Issue 11, point 10: the commune's list prints on A4 landscape, one page wide, the header row on
    every page, the deliverable, group and commune in the footer with the page number."""
    response = connecte(cast["dgs_bordeaux"]).get(url(territoire, fmt))
    assert response.status_code == 200
    titre = "GT1 – liste des activités par domaine – Ressources humaines – Bordeaux"
    if fmt == "xlsx":
        verifier_xlsx(response.content, titre, paysage={"Ressources humaines"})
    else:
        en_tetes = verifier_ods(response.content, titre, paysage={"Ressources humaines"})
        assert en_tetes["Ressources humaines"][:4] == ["Identifiant", "Commune", "Code activité", "Activités"]


def test_libreoffice_reads_the_print_set_up_of_both_formats(cast, territoire, groupe_rh, connecte, tmp_path, calc):
    """What LibreOffice makes of the exports' print set-up, written back as XLSX: the same as ours. For the
    ODS, this shows that LibreOffice reads its page styles (orientation, scale), header rows and footer
    text; whether it prints the footer is checked in the markup (tests/impression.py)."""
    client = connecte(cast["dgs_bordeaux"])
    for fmt in ("xlsx", "ods"):
        source = tmp_path / f"gt1.{fmt}"
        source.write_bytes(client.get(url(territoire, fmt)).content)
        sortie = tmp_path / f"lu-{fmt}"
        result = _soffice(source, sortie, calc, vers="xlsx")
        assert result.returncode == 0, result.stderr.decode()
        verifier_xlsx(
            (sortie / "gt1.xlsx").read_bytes(),
            "GT1 – liste des activités par domaine – Ressources humaines – Bordeaux",
            paysage={"Ressources humaines"},
        )


def test_ods_export_reimports(cast, territoire, groupe_rh, connecte):
    """The ODS export read back (calamine): unchanged, nothing written; the additions below are read too."""
    from livrables.actions import livrable_de
    from livrables.gt1.regles import activites_du_theme
    from livrables.tableur import gt1 as tableur

    livrable = livrable_de(groupe_rh, "GT1")
    remplir(
        livrable,
        territoire,
        cast["dgs_bordeaux"],
        RH_PAIE={"exerce": True, "etp": Decimal("2.25"), "sous_activites": "Bulletins\nDSN"},
    )
    livrable.refresh_from_db()
    version = livrable.version
    client = connecte(cast["dgs_bordeaux"])
    ods = client.get(url(territoire, "ods"))
    fichier = io.BytesIO(ods.content)
    fichier.name = "gt1.ods"
    assert client.post(url(territoire, "importer"), {"fichier": fichier}).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == version
    lu = tableur.lire_import(
        ods.content,
        "gt1.ods",
        activites_du_theme(territoire, "RH"),
        livrable.pk,
        BORDEAUX,
        tableur.nom_feuille(str(groupe_rh.libelle)),
    )
    paie = next(r for r in lu.rangs if r.activite_code == "RH-PAIE")
    assert (
        paie.fichier
        == paie.exporte
        == {"exerce": "oui", "etp": "2.25", "sous_activites": "Bulletins\nDSN", "specificites": ""}
    )
    assert paie.version == 1


def test_merge_rules():
    from livrables.tableur.gt1 import VIDE, RangImport, fusionner

    exporte = {**VIDE, "exerce": "oui", "etp": "3.00", "specificites": "A"}
    fichier = {**exporte, "etp": "4.00", "specificites": "B"}
    r = RangImport(2, "X", "L1", 1, exporte, fichier)
    # Untouched in the app: the file wins.
    assert fusionner([r], {"X": (1, exporte)}).valeurs == {"X": fichier}
    # The app changed another cell only: merged cell by cell, no conflict.
    app = {**exporte, "exerce": "oui", "sous_activites": "S"}
    f = fusionner([r], {"X": (2, app)})
    assert not f.conflits and f.valeurs["X"] == {**fichier, "sous_activites": "S"}
    # The app changed the same cell to another value: conflict, until chosen.
    app = {**exporte, "specificites": "C"}
    f = fusionner([r], {"X": (2, app)})
    assert [c.champ for c in f.non_resolus] == ["specificites"]
    assert f.montres() == {"X|specificites": "C"}
    f = fusionner([r], {"X": (2, app)}, {"X|specificites": "application"}, f.montres())
    assert not f.non_resolus and f.valeurs["X"]["specificites"] == "C" and f.valeurs["X"]["etp"] == "4.00"
    # A choice made on another app value than the one now in the app (or on no page at all) settles nothing.
    for montres in ({"X|specificites": "D"}, None):
        f = fusionner([r], {"X": (2, app)}, {"X|specificites": "fichier"}, montres)
        assert [c.champ for c in f.non_resolus] == ["specificites"] and f.valeurs["X"]["specificites"] == "C"
    # Values decide, not versions: an app value differing from the export is a change in the app, even
    # when the row's version did not grow (a restored version of the deliverable).
    f = fusionner([r], {"X": (1, app)})
    assert [c.champ for c in f.non_resolus] == ["specificites"]
