"""Workbooks that would take the web process down (issue « production grade », point 1): refused with a French
message before the grid is allocated, or by the child process that reads them under a memory and a time limit
(formats/isolement.py)."""

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from formats import isolement, workbook
from formats.errors import InvalidFile
from formats.lecture import read_table


def classeur(**cellules) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "matricule"
    for ref, valeur in cellules.items():
        ws[ref] = valeur
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("cellule", "attendu"),
    [
        # 4.9 kB: the reader would ask for 549,755,813,888 bytes and abort the process.
        ("XFD1048576", "jusqu'à la cellule XFD1048576 (16\u202f384 colonnes, 1\u202f048\u202f576 lignes)"),
        # 1.85 GB and 7 s before.
        ("KN100000", "jusqu'à la cellule KN100000 (300 colonnes, 100\u202f000 lignes)"),
        ("ZZ2", "jusqu'à la cellule ZZ2 (702 colonnes, 2 lignes)"),
    ],
)
def test_a_sheet_reaching_millions_of_cells_is_refused_naming_its_last_cell(cellule, attendu):
    data = classeur(**{cellule: "x"})
    assert len(data) < 10_000
    debut = time.perf_counter()
    with pytest.raises(InvalidFile) as exc:
        read_table(data, "paie.xlsx", "paie")
    assert attendu in exc.value.errors[0] and "supprimez les lignes et les colonnes inutiles" in exc.value.errors[0]
    assert time.perf_counter() - debut < 2


def test_a_workbook_that_expands_beyond_the_limit_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(workbook, "DECOMPRESSE_MAX", 1 << 20)
    wb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(classeur()), "r") as source, zipfile.ZipFile(wb, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            contenu = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                contenu = contenu.replace(b"<sheetData>", b"<sheetData>" + b" " * (2 << 20))
            z.writestr(info, contenu)
    assert len(wb.getvalue()) < 20_000  # a few kilobytes of whitespace that expand to megabytes
    with pytest.raises(InvalidFile) as exc:
        read_table(wb.getvalue(), "paie.xlsx", "paie")
    assert exc.value.errors == ["fichier : le classeur fait 2 Mo une fois décompressé, au-delà de la limite de 1 Mo"]


def test_a_reading_that_exhausts_the_memory_or_the_time_is_a_refusal_and_the_caller_lives_on(monkeypatch):
    with pytest.raises(InvalidFile) as exc:
        isolement.isole(bytearray, 8 << 30)  # 8 GB: beyond the child's address space
    assert exc.value.errors[0].startswith("fichier : la lecture du fichier demande plus de 2048 Mo de mémoire")
    monkeypatch.setattr(isolement, "DUREE_S", 1)
    with pytest.raises(InvalidFile) as exc:
        isolement.isole(time.sleep, 30)
    assert exc.value.errors == ["fichier : la lecture du fichier dépasse 1 s : il est refusé"]
    assert isolement.isole(sum, [1, 2, 3]) == 6


def test_a_normal_workbook_is_read_in_the_child_with_its_errors_and_warnings():
    table = read_table(classeur(A2="M1", B1="cout", B2=42000), "paie.xlsx", "paie")
    assert table.headers == ["matricule", "cout"] and table.frame.height == 1
    with pytest.raises(InvalidFile) as exc:
        read_table(b"PK\x03\x04" + b"\x00" * 100, "paie.xlsx", "paie")
    assert exc.value.errors == ["fichier : ce fichier n'est pas un classeur XLSX lisible"]
