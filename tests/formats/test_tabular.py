"""Reading tabular files (docs/contrats §1): formats, encodings, separators, rows, headers, workbook cells."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from formats.errors import InvalidFile, french_number, row_list, shown
from formats.lecture import read_table
from formats.tabular import (
    BINARY_ERROR,
    CSV,
    ENCODING_ERROR,
    ODS,
    XLSX,
    CellIssue,
    Table,
    column_letter,
    detect_separator,
    normalize_header,
)

ENCODING = "fichier : encodage non pris en charge : enregistrez le fichier en CSV UTF-8"


def texts(table: Table) -> list[list[str]]:
    """Rows of cell texts (trimmed), without the row number."""
    columns = [Table.column(j) for j in range(table.width)]
    return [[c.strip() for c in row] for row in table.frame.select(columns).rows()]


def numbers(table: Table) -> list[int]:
    return table.frame.get_column("ligne").to_list()


def read_errors(data: bytes, filename: str = "f.csv", sheet: str = "masse_salariale") -> list[str]:
    with pytest.raises(InvalidFile) as caught:
        read_table(data, filename, sheet)
    return caught.value.errors


# --- headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Coût annuel (€)", "cout_annuel"),
        ("Quotité", "quotite"),
        ("quotite", "quotite"),
        ("  EMPLOYEUR  ", "employeur"),
        ("Bénéficiaire", "beneficiaire"),
        ("Catégorie", "categorie"),
        ("cout-annuel", "cout_annuel"),
        ("cout _ - annuel", "cout_annuel"),
        ("Cout__Annuel", "cout_annuel"),
        ("COÛT ANNUEL (EUR)", "cout_annuel"),
        ("Quotité (%)", "quotite"),
        ("Fiscalité", "fiscalite"),
        ("Ressources humaines", "ressources_humaines"),
        ("Informatique, numérique et systèmes d’information", "informatique,_numerique_et_systemes_d'information"),
        ("Informatique, numérique et systèmes d'information", "informatique,_numerique_et_systemes_d'information"),
        ("ETP", "etp"),
        ("-agent-", "agent"),
        ("\u00a0agent\u00a0", "agent"),
        ("", ""),
    ],
)
def test_normalize_header(header, key):
    assert normalize_header(header) == key


def test_normalize_header_drops_only_a_final_unit():
    assert normalize_header("(note) montant") == "(note)_montant"


@pytest.mark.parametrize(
    ("position", "letter"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter(position, letter):
    assert column_letter(position) == letter


# --- CSV: separators ------------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_separator_is_detected(separator):
    data = f"a{separator}b{separator}c\n1{separator}2{separator}3\n".encode()
    table = read_table(data, "f.csv", "x")
    assert table.separator == separator
    assert table.headers == ["a", "b", "c"]
    assert texts(table) == [["1", "2", "3"]]


def test_semicolon_wins_over_decimal_commas():
    table = read_table(b"a;b\n1,5;2,5\n", "f.csv", "x")
    assert table.separator == ";"
    assert texts(table) == [["1,5", "2,5"]]


def test_expected_headers_choose_the_separator():
    # Split by ",", the header has three cells, but none is expected; split by ";" it has the two.
    header = "employeur;agent,x,y"
    assert detect_separator(header) == ","
    assert detect_separator(header, ("employeur", "agent,x,y")) == ";"


def test_excel_sep_line_names_the_separator_and_is_not_a_row():
    table = read_table(b"sep=,\na,b\n1;2,3\n", "f.csv", "x")
    assert table.separator == ","
    assert table.headers == ["a", "b"]
    assert texts(table) == [["1;2", "3"]]
    assert numbers(table) == [2]


def test_single_column_file_has_no_separator():
    table = read_table(b"employeur\n243300316\n", "f.csv", "x")
    assert table.separator is None
    assert texts(table) == [["243300316"]]


def test_quoted_cells_keep_separators_quotes_and_newlines():
    data = b'a;b;c\n"x;y";"say ""hi""";"two\nlines"\n4;5;6\n'
    table = read_table(data, "f.csv", "x")
    assert texts(table) == [["x;y", 'say "hi"', "two\nlines"], ["4", "5", "6"]]
    # A spreadsheet shows one row per record, whatever the newlines inside a cell.
    assert numbers(table) == [2, 3]


def test_short_lines_are_padded_and_long_lines_keep_their_cells():
    table = read_table(b"a;b;c\n1\n1;2;3;4\n", "f.csv", "x")
    assert table.headers == ["a", "b", "c", ""]
    assert texts(table) == [["1", "", "", ""], ["1", "2", "3", "4"]]


def test_unclosed_quote_is_a_file_error():
    errors = read_errors(b'a;b\n1;2\n3;"oops\n5;6\n')
    assert len(errors) == 1
    assert errors[0].startswith("fichier : CSV mal formé à partir de la ligne 3")


# --- CSV: encodings and line endings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("a;b\nél;€\n".encode(), "él"),
        (b"\xef\xbb\xbf" + "a;b\nél;€\n".encode(), "él"),
        ("a;b\nél;€\n".encode("cp1252"), "él"),
        ("a;b\r\nél;€\r\n".encode("cp1252"), "él"),
        ("a;b\r\nél;€".encode(), "él"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "cp1252-crlf", "no-final-newline"],
)
def test_encodings_and_line_endings(data, expected):
    table = read_table(data, "f.csv", "x")
    assert table.headers == ["a", "b"]
    assert texts(table) == [[expected, "€"]]


def test_bom_does_not_stick_to_the_first_header():
    table = read_table(b"\xef\xbb\xbfemployeur;agent\n1;2\n", "f.csv", "x")
    assert table.headers[0] == "employeur"


@pytest.mark.parametrize(
    "data",
    [
        "a;b\n1;2\n".encode("utf-16"),
        "a;b\n1;2\n".encode("utf-16-le"),
        "a;b\n1;2\n".encode("utf-16-be"),
        b"\xfe\xff" + "a;b\n1;2\n".encode("utf-16-be"),
        b"a;b\n1;\x002\n",
    ],
    ids=["utf16-bom", "utf16-le", "utf16-be", "utf16-be-bom", "nul-byte"],
)
def test_utf16_and_nul_bytes_are_refused(data):
    assert read_errors(data) == [ENCODING]
    assert ENCODING_ERROR == ENCODING


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n" + bytes(range(256)),
        b"PAR1" + bytes(range(256)),
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20]) * 50,
    ],
    ids=["png", "pdf", "parquet", "control-bytes"],
)
def test_binary_file_renamed_csv(data):
    assert read_errors(data, "masse_salariale.csv") == [BINARY_ERROR]
    assert BINARY_ERROR == "fichier : ce fichier n'est pas un CSV lisible (fichier binaire ?)"


def test_zip_that_is_not_a_workbook_is_binary():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "bonjour")
    assert read_errors(out.getvalue(), "f.csv") == [BINARY_ERROR]


def test_old_excel_format_is_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    (error,) = read_errors(data, "masse_salariale.xls")
    assert error.startswith("fichier : format Excel 97-2003 (.xls) non pris en charge")


def test_password_protected_workbook_is_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64) + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    (error,) = read_errors(data, "masse_salariale.xlsx")
    assert error == "fichier : classeur protégé par un mot de passe : enregistrez-le sans mot de passe"


def test_text_named_xlsx_is_refused():
    assert read_errors(b"a;b\n1;2\n", "f.xlsx") == ["fichier : ce fichier n'est pas un classeur XLSX lisible"]
    assert read_errors(b"a;b\n1;2\n", "f.ods") == ["fichier : ce fichier n'est pas un classeur ODS lisible"]


def test_undecodable_text_is_refused():
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8.
    (error,) = read_errors(b"a;b\n\x81;2\n")
    assert error.startswith("fichier : encodage non reconnu")


@pytest.mark.parametrize("data", [b"", b"   ", b"\r\n\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n \n"])
def test_empty_file(data):
    assert read_errors(data) == ["fichier : le fichier est vide"]


# --- rows -----------------------------------------------------------------------------------------


def test_blank_rows_are_counted_but_left_out():
    data = "a;b\n1;2\n\n;\n  ; \u00a0\n3;4\n\t;\n5;\n".encode()
    table = read_table(data, "f.csv", "x")
    assert texts(table) == [["1", "2"], ["3", "4"], ["5", ""]]
    assert numbers(table) == [2, 6, 8]


def test_row_with_content_only_in_a_later_column_is_kept():
    table = read_table(b"a;b;c\n;;x\n ;;\n", "f.csv", "x")
    assert texts(table) == [["", "", "x"]]
    assert numbers(table) == [2]


def test_header_only_gives_no_rows():
    table = read_table(b"a;b\n", "f.csv", "x")
    assert table.frame.height == 0


def test_cells_are_kept_as_written():
    # Trimming belongs to the formats (formats.columns); the table keeps the text.
    table = read_table(b"a;b\n x ;y\n", "f.csv", "x")
    assert table.frame.get_column("c0").to_list() == [" x "]


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_prefers_the_named_sheet(build):
    data = build.xlsx([["a"], ["1"]], sheet="Masse salariale", before=["Notes"])
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert table.format == XLSX
    assert table.sheet == "Masse salariale"
    assert texts(table) == [["1"]]


def test_xlsx_falls_back_to_the_first_sheet(build):
    data = build.xlsx([["a"], ["1"]], sheet="Données", before=["Notes"])
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert table.sheet == "Notes"
    assert table.headers == ["autre", "feuille"]


def test_xlsx_numeric_cells_hidden_rows_and_row_numbers(build):
    rows = [
        ["code", "montant", "texte"],
        [243300316, 45231.5, "a"],
        [1304.0, 0.625, "b"],  # row 3, hidden
        [None, None, None],  # row 4, blank
        ["01004", 1e20, 12],
    ]
    table = read_table(build.xlsx(rows, hidden_rows=[3]), "f.xlsx", "masse_salariale")
    assert numbers(table) == [2, 3, 5]
    assert texts(table) == [
        ["243300316", "45231.5", "a"],
        ["1304", "0.625", "b"],
        ["01004", "1e+20", "12"],
    ]
    assert table.frame.get_column("n0").to_list() == [True, True, False]
    assert table.frame.get_column("n2").to_list() == [False, False, True]


def test_xlsx_numbers_read_the_same_in_numeric_and_mixed_columns(build):
    values = [1304.0, 45231.5, 1e20, 1234567890123456.0, -2.5]
    rows = [["nombres", "mélange"]] + [[v, v] for v in values] + [[0, "texte"]]
    table = read_table(build.xlsx(rows), "f.xlsx", "masse_salariale")
    expected = ["1304", "45231.5", "1e+20", "1234567890123456", "-2.5"]
    assert [r[0] for r in texts(table)] == [*expected, "0"]
    assert [r[1] for r in texts(table)] == [*expected, "texte"]


def test_xlsx_special_cells(build):
    rows = [
        ["a", "b", "c", "d", "e"],
        [10, "=A2*2", "=A2*3", dt.date(2024, 1, 2), True],
        [10, "#N/A", dt.datetime(2024, 1, 2, 10, 30), False, "x"],
    ]
    data = build.xlsx(rows, cached={"C2": "30"})
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert table.issues == {
        1: {2: CellIssue("formule", "=A2*2"), 3: CellIssue("erreur", "#N/A")},
        2: {3: CellIssue("date", "02/01/2024 10:30")},
        3: {2: CellIssue("date", "02/01/2024"), 3: CellIssue("booleen", "FAUX")},
        4: {2: CellIssue("booleen", "VRAI")},
    }
    # The formula with a cached value is read as its value.
    assert texts(table)[0][2] == "30"


def test_xlsx_row_with_only_a_formula_without_value_is_kept(build):
    data = build.xlsx([["a", "b"], [None, "=1+1"]])
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert numbers(table) == [2]
    assert table.issues == {1: {2: CellIssue("formule", "=1+1")}}


def test_xlsx_formula_returning_empty_text_is_a_value(build):
    data = build.xlsx([["a", "b"], ["x", '=""']])
    data = build.rezip(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rb'<c r="B2"><f>(.*?)</f><v\s*(?:/>|></v>)</c>', rb'<c r="B2" t="str"><f>\1</f><v></v></c>', xml
        ),
    )
    assert b't="str"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert table.issues == {}


def test_xlsx_cells_without_references_are_still_located(build):
    data = build.xlsx([["a", "b"], ["x", "=1+1"], ["y", "#DIV/0!"]])
    data = build.rezip(data, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb' r="[A-Z]+\d+"', b"", xml))
    table = read_table(data, "f.xlsx", "masse_salariale")
    assert table.issues == {1: {2: CellIssue("formule", "=1+1"), 3: CellIssue("erreur", "#DIV/0!")}}


def test_xlsx_merged_header_cells(build):
    data = build.xlsx([["a", "b", None, "d"], [1, 2, 3, 4]], merged=["B1:C1"])
    assert read_errors(data, "f.xlsx") == [
        "fichier : cellules fusionnées dans la ligne d'en-têtes (B1:C1) : "
        "défusionnez-les pour que chaque colonne ait son propre en-tête"
    ]


def test_xlsx_merged_cells_below_the_header_are_read(build):
    data = build.xlsx([["a", "b"], [1, 2], [3, None]], merged=["A3:B3"])
    assert texts(read_table(data, "f.xlsx", "masse_salariale")) == [["1", "2"], ["3", ""]]


def test_xlsx_data_not_starting_in_a1_keeps_positions(build):
    data = build.xlsx([[None, None], [None, "a"], [None, "1"]])
    table = read_table(data, "f.xlsx", "masse_salariale")
    # Row 1 is the header row even when empty; columns keep their letters.
    assert table.headers == ["", ""]
    assert numbers(table) == [2, 3]
    assert texts(table) == [["", "a"], ["", "1"]]


def test_xlsx_empty_sheet(build):
    assert read_errors(build.xlsx([]), "f.xlsx") == ["fichier : la feuille « masse_salariale » est vide"]


def test_workbook_renamed_csv_is_read_as_a_workbook(build):
    table = read_table(build.xlsx([["a"], ["1"]]), "f.csv", "masse_salariale")
    assert table.format == XLSX
    assert texts(table) == [["1"]]
    assert table.warnings == ["le fichier « f.csv » est en réalité un classeur XLSX : il est lu comme tel"]


def test_corrupt_xlsx(build):
    data = build.xlsx([["a"], ["1"]])
    broken = build.rezip(data, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    (error,) = read_errors(broken, "f.xlsx")
    assert error.startswith("fichier : classeur XLSX illisible")


# --- ODS ------------------------------------------------------------------------------------------


def test_ods_values_sheet_and_types(build):
    rows = [
        ["code", "montant", "date", "vrai"],
        [
            1304,
            45231.5,
            {"valuetype": "date", "datevalue": "2024-01-02", "text": "02/01/2024"},
            {"valuetype": "boolean", "booleanvalue": "true", "text": "VRAI"},
        ],
        [None, None, None, None],
        ["01004", {"formula": "of:=[.B2]*2"}, None, None],
        ["x", {"formula": "of:=1/0", "valuetype": "float", "value": "0", "text": "#DIV/0!"}, None, None],
        ["y", {"formula": "of:=[.B2]", "valuetype": "float", "value": "45231.5", "text": "45231.5"}, None, None],
    ]
    table = read_table(build.ods(rows, sheet="Masse_Salariale", before=["Notes"]), "f.ods", "masse_salariale")
    assert table.format == ODS
    assert table.sheet == "Masse_Salariale"
    assert numbers(table) == [2, 4, 5, 6]
    assert texts(table) == [
        ["1304", "45231.5", "02/01/2024", "VRAI"],
        ["01004", "=B2*2", "", ""],
        ["x", "#DIV/0!", "", ""],
        ["y", "45231.5", "", ""],
    ]
    assert table.issues == {
        1: {4: CellIssue("formule", "=B2*2"), 5: CellIssue("erreur", "#DIV/0!")},
        2: {2: CellIssue("date", "02/01/2024")},
        3: {2: CellIssue("booleen", "VRAI")},
    }
    assert table.frame.get_column("n0").to_list() == [True, False, False, False]


def test_ods_hidden_rows_are_read(build):
    data = build.ods([["a"], ["1"], ["2"], ["3"]], hidden_rows=[3])
    assert b'table:visibility="collapse"' in zipfile.ZipFile(io.BytesIO(data)).read("content.xml")
    table = read_table(data, "f.ods", "masse_salariale")
    assert texts(table) == [["1"], ["2"], ["3"]]
    assert numbers(table) == [2, 3, 4]


def test_ods_error_cell_marked_by_libreoffice(build):
    data = build.ods([["a"], [{"formula": "of:=NA()", "valuetype": "string", "stringvalue": "", "text": "#N/A"}]])
    data = build.rezip(
        data,
        "content.xml",
        lambda xml: xml.replace(
            b'office:string-value=""', b'office:string-value="" calcext:value-type="error"'
        ).replace(
            b"<office:document-content ",
            b"<office:document-content "
            b'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" ',
            1,
        ),
    )
    table = read_table(data, "f.ods", "masse_salariale")
    assert table.issues == {0: {2: CellIssue("erreur", "#N/A")}}


def test_ods_merged_header_cells(build):
    rows = [["a", {"numbercolumnsspanned": 2, "valuetype": "string", "text": "b"}, None], [1, 2, 3]]
    assert read_errors(build.ods(rows), "f.ods") == [
        "fichier : cellules fusionnées dans la ligne d'en-têtes (B1:C1) : "
        "défusionnez-les pour que chaque colonne ait son propre en-tête"
    ]


def test_ods_repeated_cells_keep_positions(build):
    rows = [["a", "b", "c"], [{"numbercolumnsrepeated": 2, "valuetype": "string", "text": "x"}, {"formula": "of:=1"}]]
    table = read_table(build.ods(rows), "f.ods", "masse_salariale")
    assert texts(table) == [["x", "x", "=1"]]
    assert table.issues == {2: {2: CellIssue("formule", "=1")}}


# --- message helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "text"),
    [
        ([9], "la ligne 9"),
        ([12, 9], "les lignes 9, 12"),
        (range(2, 15), "les lignes 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 et 3 autres"),
    ],
)
def test_row_list(rows, text):
    assert row_list(rows) == text


@pytest.mark.parametrize(
    ("x", "text"), [(1.2, "1,2"), (2.0, "2"), (1.0000000001, "1"), (0.1 + 0.2, "0,3"), (-0.0, "0")]
)
def test_french_number(x, text):
    assert french_number(x) == text


def test_shown_values_are_one_line_and_short():
    assert shown("a\nb  c") == "a b c"
    assert len(shown("x" * 500)) == 80


def test_invalid_file_carries_errors_and_warnings():
    error = InvalidFile(["fichier : a", "ligne 2 : b"], ["w"])
    assert error.errors == ["fichier : a", "ligne 2 : b"]
    assert error.warnings == ["w"]
    assert str(error) == "fichier : a\nligne 2 : b"
    assert CSV == "csv"
