"""The territory file (docs/contrats §2)."""

from __future__ import annotations

import pytest

from formats.errors import InvalidFile
from formats.territory import OrganisationRow, TerritoryFile, read_territory

TWO_SEPARATORS = (
    "deux séparateurs décimaux (« . » et « , ») : un seul est admis, et les milliers ne se séparent que par des espaces"
)
HEADER = "code;nom;type;population;fiscalite"
EPCI_LINE = "243300316;Bordeaux Métropole;epci;;"


def territory(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def errors(data: bytes, filename: str = "territoire.csv") -> list[str]:
    with pytest.raises(InvalidFile) as caught:
        read_territory(data, filename)
    return caught.value.errors


def test_valid_territory():
    data = territory(
        EPCI_LINE,
        "33063;Bordeaux;commune;261 804;",
        "33281;Mérignac;Commune;72\u202f197;",
        "2a004;Ajaccio;COMMUNE;;",
    )
    assert read_territory(data, "territoire.csv") == TerritoryFile(
        epci=OrganisationRow("243300316", "Bordeaux Métropole", "epci", None, "FPU"),
        communes=[
            OrganisationRow("33063", "Bordeaux", "commune", 261804, None),
            OrganisationRow("33281", "Mérignac", "commune", 72197, None),
            OrganisationRow("2A004", "Ajaccio", "commune", None, None),
        ],
        warnings=[],
    )


@pytest.mark.parametrize(("text", "fiscalite"), [("", "FPU"), ("FPU", "FPU"), ("fa", "FA"), (" FA ", "FA")])
def test_fiscalite_of_the_epci(text, fiscalite):
    data = territory(f"243300316;Bordeaux Métropole;EPCI;854334;{text}", "33063;Bordeaux;commune;;")
    result = read_territory(data, "t.csv")
    assert result.epci.fiscalite == fiscalite
    assert result.epci.population == 854334


def test_required_columns_only_and_french_headers():
    data = territory("243300316;BM;epci", "33063;Bordeaux;commune", header="Code;Nom;Type")
    result = read_territory(data, "t.csv")
    assert (result.epci.code, result.epci.fiscalite, result.epci.population) == ("243300316", "FPU", None)
    data = territory("243300316;BM;epci;1 000;FA", header="Code;Nom;Type;Population (habitants);Fiscalité")
    assert read_territory(data, "t.csv").epci.fiscalite == "FA"


def test_windows_1252_territory():
    data = territory(EPCI_LINE, "33281;Mérignac;commune;72 197;", encoding="cp1252")
    assert read_territory(data, "t.csv").communes[0].nom == "Mérignac"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("24330031;BM;epci;;", "ligne 2 : code « 24330031 » : un EPCI est désigné par son SIREN : 9 chiffres"),
        ("24330031A;BM;epci;;", "ligne 2 : code « 24330031A » : un EPCI est désigné par son SIREN : 9 chiffres"),
        (";BM;epci;;", "ligne 2 : code « » : code manquant"),
        ("243300316;;epci;;", "ligne 2 : nom « » : nom manquant"),
        ("243300316;BM;epci;;FX", "ligne 2 : fiscalite « FX » : fiscalité inconnue : FPU ou FA attendu (vide = FPU)"),
        ("243300316;BM;epci;-1;", "ligne 2 : population « -1 » : population négative"),
        ("243300316;BM;epci;12,5;", "ligne 2 : population « 12,5 » : n'est pas un nombre entier"),
        ("243300316;BM;epci;beaucoup;", "ligne 2 : population « beaucoup » : n'est pas un nombre entier"),
        (
            "243300316;BM;epci;1.000,5;",
            "ligne 2 : population « 1.000,5 » : deux séparateurs décimaux (« . » et « , ») : un seul est admis, "
            "et les milliers ne se séparent que par des espaces",
        ),
        (
            "243300316;BM;epci;50 %;",
            "ligne 2 : population « 50 % » : pourcentage non admis ici : un nombre entier est attendu",
        ),
    ],
)
def test_epci_row_errors(line, message):
    assert errors(territory(line, "33063;Bordeaux;commune;;")) == [message]


INSEE_RULE = "code INSEE de commune invalide : 5 caractères, des chiffres (2A ou 2B suivis de 3 chiffres en Corse)"


@pytest.mark.parametrize(
    ("line", "messages"),
    [
        ("3306;Bordeaux;commune;;", [f"ligne 3 : code « 3306 » : {INSEE_RULE} ; le zéro initial a-t-il été perdu ?"]),
        ("330633;Bordeaux;commune;;", [f"ligne 3 : code « 330633 » : {INSEE_RULE}"]),
        ("2C004;Ajaccio;commune;;", [f"ligne 3 : code « 2C004 » : {INSEE_RULE}"]),
        ("2A04;Ajaccio;commune;;", [f"ligne 3 : code « 2A04 » : {INSEE_RULE}"]),
        ("33063;Bordeaux;ville;;", ["ligne 3 : type « ville » : type inconnu : epci ou commune attendu"]),
        (
            "3306;Bordeaux;ville;;",
            [
                "ligne 3 : code « 3306 » : n'est ni un SIREN (9 chiffres) ni un code INSEE de commune (5 caractères)",
                "ligne 3 : type « ville » : type inconnu : epci ou commune attendu",
            ],
        ),
    ],
)
def test_commune_row_errors(line, messages):
    assert errors(territory(EPCI_LINE, line)) == messages


def test_unknown_type_with_a_valid_code_reports_the_type_only():
    assert errors(territory(EPCI_LINE, "33063;Bordeaux;ville;;")) == [
        "ligne 3 : type « ville » : type inconnu : epci ou commune attendu"
    ]


def test_exactly_one_epci():
    assert errors(territory("33063;Bordeaux;commune;;")) == [
        "fichier : aucune ligne de type epci : le fichier décrit exactement un EPCI et ses communes"
    ]
    assert errors(territory(EPCI_LINE, "33063;Bordeaux;commune;;", "200054781;Autre EPCI;epci;;")) == [
        "ligne 2 : type « epci » : plusieurs lignes de type epci (avec la ligne 4) : un fichier décrit un seul EPCI",
        "ligne 4 : type « epci » : plusieurs lignes de type epci (avec la ligne 2) : un fichier décrit un seul EPCI",
    ]


def test_codes_are_unique():
    data = territory(EPCI_LINE, "33063;Bordeaux;commune;;", "33281;Mérignac;commune;;", "33063;Bordeaux bis;commune;;")
    assert errors(data) == [
        "ligne 3 : code « 33063 » : code en double avec la ligne 5",
        "ligne 5 : code « 33063 » : code en double avec la ligne 3",
    ]


def test_codes_are_compared_once_normalised():
    data = territory(EPCI_LINE, "2A004;Ajaccio;commune;;", " 2a004 ;Ajaccio;commune;;")
    assert errors(data) == [
        "ligne 3 : code « 2A004 » : code en double avec la ligne 4",
        "ligne 4 : code « 2a004 » : code en double avec la ligne 3",
    ]


def test_warnings():
    data = territory(EPCI_LINE, "33063;Bordeaux;commune;;FPU", header=HEADER)
    assert read_territory(data, "t.csv").warnings == [
        "ligne 3 : fiscalite « FPU » ignorée : la fiscalité se déclare sur la ligne de l'EPCI"
    ]
    lonely = read_territory(territory(EPCI_LINE), "t.csv")
    assert lonely.communes == []
    assert lonely.warnings == ["aucune commune dans le fichier : seul l'EPCI est décrit"]


def test_file_level_errors():
    assert errors(territory("x;y", header="code;libelle")) == [
        "fichier : colonne obligatoire manquante : nom",
        "fichier : colonne obligatoire manquante : type",
    ]
    assert errors(territory()) == ["fichier : aucune ligne de données : le fichier ne contient que la ligne d'en-têtes"]
    assert errors(b"") == ["fichier : le fichier est vide"]
    assert errors("code;nom;type\n".encode("utf-16")) == [
        "fichier : encodage non pris en charge : enregistrez le fichier en CSV UTF-8"
    ]


def test_all_errors_reported_sorted():
    data = territory("24330031;;epci;;", "3306;Bordeaux;commune;x;FA", "33063;Bordeaux;commune;;")
    assert errors(data) == [
        "ligne 2 : code « 24330031 » : un EPCI est désigné par son SIREN : 9 chiffres",
        "ligne 2 : nom « » : nom manquant",
        f"ligne 3 : code « 3306 » : {INSEE_RULE} ; le zéro initial a-t-il été perdu ?",
        "ligne 3 : population « x » : n'est pas un nombre entier",
    ]


def test_xlsx_territory_with_numeric_codes(build):
    rows = [
        ["Code", "Nom", "Type", "Population", "Fiscalité"],
        [243300316.0, "Bordeaux Métropole", "epci", None, "FA"],
        [1004, "Ambérieu-en-Bugey", "commune", 14514.0, None],
        ["33063", "Bordeaux", "commune", "261 804", None],
    ]
    data = build.xlsx(rows, sheet="territoire", before=["Lisez-moi"])
    result = read_territory(data, "territoire.xlsx")
    assert result.epci == OrganisationRow("243300316", "Bordeaux Métropole", "epci", None, "FA")
    assert [(c.code, c.population) for c in result.communes] == [("01004", 14514), ("33063", 261804)]


def test_xlsx_territory_special_cells(build):
    rows = [
        ["code", "nom", "type", "population"],
        [243300316, "BM", "epci", "=1+1"],
        [33063, "Bordeaux", True, 1000],
    ]
    assert errors(build.xlsx(rows, sheet="territoire"), filename="t.xlsx") == [
        "ligne 2 : population « =1+1 » : formule sans valeur calculée : ouvrez le fichier dans le tableur "
        "et enregistrez-le pour que la valeur soit calculée",
        "ligne 3 : type « VRAI » : cellule de type booléen (VRAI/FAUX), une valeur texte est attendue",
    ]


def test_ods_territory(build):
    rows = [["code", "nom", "type"], [243300316, "BM", "epci"], [1004, "Ambérieu-en-Bugey", "commune"]]
    result = read_territory(build.ods(rows, sheet="territoire"), "territoire.ods")
    assert result.epci.code == "243300316"
    assert result.communes[0].code == "01004"
