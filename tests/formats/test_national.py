"""Reading national files (docs/contrats/7-fichiers-nationaux.md): territories from the DGCL's epcicom.xlsx
or a territories CSV, and the national payroll, whose quick path must answer exactly as the full
validation of §3 on every file (same lines, same errors, same warnings)."""

from pathlib import Path

import polars as pl
import pytest

from engine.national import coefficients_by_epci
from formats.errors import InvalidFile
from formats.lecture import read_table
from formats.national import atomic_file, read_territories, write_atomically
from formats.national_payroll import SHEET, _validate, read_national_payroll
from referentiel.defaut import activity_theme_map
from tests.formats.conftest import csv_bytes, xlsx_bytes
from tests.national import EPCICOM_HEADER, ecrire_national

OFFICIAL_EPCICOM = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "officiel" / "epcicom.xlsx"


def epcicom_row(siren, nom, nature, insee, commune):
    # Numeric cells for the SIREN and the INSEE code, as in the DGCL's file (its leading zeros lost).
    code = int(insee) if insee.isdigit() else insee
    return ["33", int(siren), nom, nature, "FPU", 2, 1000, 990, "33", code, 213300000, commune, 500, 495]


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return ecrire_national(tmp_path_factory.mktemp("national"))


def test_epcicom_is_recognised_by_its_headers_and_lyon_is_skipped():
    data = xlsx_bytes(
        [
            EPCICOM_HEADER,
            epcicom_row("243300316", "Bordeaux  Métropole", "METRO", "33063", "Bordeaux"),
            epcicom_row("243300316", "Bordeaux  Métropole", "METRO", "33281", "Mérignac"),
            epcicom_row("200046977", "Métropole de Lyon", "MET69", "69123", "Lyon"),
            epcicom_row("242010056", "CA du Pays Ajaccien", "CA", "2A004", "Ajaccio"),
            epcicom_row("200029999", "CC Rives de l'Ain", "CC", "01004", "Ambérieu-en-Bugey"),
        ],
        sheet="Epcicom2025",
    )
    territories = read_territories(data, "epcicom.xlsx")
    assert territories.official
    assert territories.warnings == []
    assert territories.epcis.rows() == [
        ("200029999", "CC Rives de l'Ain"),
        ("242010056", "CA du Pays Ajaccien"),
        ("243300316", "Bordeaux Métropole"),
    ]
    assert dict(territories.members.iter_rows()) == {
        "200029999": "200029999",
        "242010056": "242010056",
        "243300316": "243300316",
        "33063": "243300316",
        "33281": "243300316",
        "2A004": "242010056",
        "01004": "200029999",
    }


def test_epcicom_commune_in_two_epcis_is_an_error_on_both_rows():
    data = xlsx_bytes(
        [
            EPCICOM_HEADER,
            epcicom_row("243300316", "Bordeaux Métropole", "METRO", "33063", "Bordeaux"),
            epcicom_row("244400404", "Nantes Métropole", "METRO", "33063", "Bordeaux"),
        ]
    )
    with pytest.raises(InvalidFile) as exc:
        read_territories(data, "epcicom.xlsx")
    assert exc.value.errors == [
        "ligne 2 : insee « 33063 » : code en double avec la ligne 3",
        "ligne 3 : insee « 33063 » : code en double avec la ligne 2",
    ]


@pytest.mark.skipif(not OFFICIAL_EPCICOM.exists(), reason="the DGCL's epcicom.xlsx is not beside the clone")
def test_the_official_epcicom_gives_the_shipped_territories():
    from territoire.officiel import all_epcis

    territories = read_territories(OFFICIAL_EPCICOM.read_bytes(), "epcicom.xlsx")
    epcis = all_epcis()
    assert territories.epcis.rows() == [(e.code, e.nom) for e in epcis]
    members = {(e.code, e.code) for e in epcis} | {(c.code, e.code) for e in epcis for c in e.communes}
    assert set(territories.members.iter_rows()) == members


def test_territories_csv_errors():
    data = csv_bytes(
        "code;nom;type;population;fiscalite;epci",
        "243300316;Bordeaux Métropole;epci;;FPU;",
        "33063;Bordeaux;commune;;;",
        "33281;Mérignac;commune;;;244400404",
        "33318;Pessac;commune;;;33063",
        "244400404;Nantes Métropole;epci;;;243300316",
        "2A04;Ajaccio;commune;;;243300316",
    )
    with pytest.raises(InvalidFile) as exc:
        read_territories(data, "territoires.csv")
    assert exc.value.errors == [
        "ligne 3 : epci « » : commune sans EPCI : indiquez le SIREN de son EPCI (une ligne de type epci du fichier)",
        "ligne 5 : epci « 33063 » : n'est le code d'aucune ligne de type epci du fichier",
        "ligne 6 : epci « 243300316 » : sur la ligne d'un EPCI, la colonne epci reste vide",
        "ligne 7 : code « 2A04 » : code INSEE de commune invalide : 5 caractères, des chiffres (2A ou 2B suivis de "
        "3 chiffres en Corse)",
    ]


# --- The quick path answers as the full validation ------------------------------------------------------


def answer(read):
    """(lines' coefficients, errors, warnings) of a reading."""
    try:
        payroll = read()
    except InvalidFile as exc:
        return None, exc.errors, exc.warnings
    return payroll.lines, [], payroll.warnings


def full(path: Path, territories):
    table = read_table(path.read_bytes(), path.name, SHEET)
    return _validate(table, territories, activity_theme_map())


def assert_same_answer(path, territories):
    quick = answer(lambda: read_national_payroll(path, territories, activity_theme_map()))
    reference = answer(lambda: full(path, territories))
    assert quick[1:] == reference[1:]
    if quick[0] is not None:
        assert coefficients_by_epci(quick[0], territories.epcis).equals(
            coefficients_by_epci(reference[0], territories.epcis)
        )
    return quick


def test_the_generated_file_takes_the_quick_path(national):
    territories = read_territories(national["territoires"].read_bytes(), "territoires.csv")
    for kind in ("csv", "parquet"):
        payroll = read_national_payroll(national[kind], territories, activity_theme_map())
        assert not payroll.full_validation and payroll.warnings == []
    assert_same_answer(national["csv"], territories)


def split(line: str) -> list[str]:
    return line.split(";")


def cell(column: int, value: str):
    return lambda line: ";".join(split(line)[:column] + [value] + split(line)[column + 1 :])


def on_line(number: int, change):
    """Change file line ``number`` (the header is line 1)."""

    def mutation(lines):
        lines[number - 1] = change(lines[number - 1])
        return lines

    return mutation


def on_agent_of_several_lines(*changes):
    """Change the first agent of several lines: its first line, then its second."""

    def mutation(lines):
        first = {}
        for i, line in enumerate(lines[1:], start=1):
            key = tuple(split(line)[:2])
            if key in first:
                for index, change in zip((first[key], i), changes, strict=False):
                    lines[index] = change(lines[index])
                return lines
            first[key] = i
        raise AssertionError("no agent of several lines")

    return mutation


def duplicate_half_line(lines):
    """The line of an agent with one line becomes two identical lines of half its time."""
    counts = {}
    for line in lines[1:]:
        key = tuple(split(line)[:2])
        counts[key] = counts.get(key, 0) + 1
    i = next(i for i, line in enumerate(lines) if i and counts[tuple(split(line)[:2])] == 1)
    half = cell(4, "0.5")(lines[i])
    return [*lines[:i], half, half, *lines[i + 1 :]]


def second_line_of_that_agent_last(lines):
    """The second line of the first agent of several lines moved to the end of the file: its employer's
    lines then form two runs, the agent's lines are no longer neighbours (the file is not grouped)."""
    first = {}
    for i, line in enumerate(lines[1:], start=1):
        key = tuple(split(line)[:2])
        if key in first:
            assert split(lines[-1])[0] != key[0], "the moved line would join its own employer's run"
            return [*lines[:i], *lines[i + 1 :], lines[i]]
        first[key] = i
    raise AssertionError("no agent of several lines")


def everywhere(change):
    return lambda lines: [lines[0], *(change(line) for line in lines[1:])]


def same(line):
    return line


# Columns: employeur agent theme cout_annuel quotite etp situation beneficiaire activite service statut categorie
VALID, WARNING, ERROR = "valide", "avertissement", "erreur"
MUTATIONS = {
    "duplicate line": (WARNING, lambda lines: duplicate_half_line(lines)),
    "activity of another theme": (WARNING, everywhere(lambda l: cell(8, "FIN-BUDG")(l) if ";RH;" in l else l)),
    "unknown activity": (WARNING, on_line(2, cell(8, "XX-YY"))),
    "activity in lower case": (VALID, everywhere(lambda l: cell(8, split(l)[8].lower())(l))),
    "agent with a trailing space": (VALID, on_agent_of_several_lines(same, lambda l: cell(1, split(l)[1] + " ")(l))),
    "agent with a space making quotités above 1": (
        ERROR,
        lambda lines: (
            [lines[0], cell(4, "0.6")(lines[1]), cell(4, "0.6")(cell(1, split(lines[1])[1] + " ")(lines[1]))]
            + lines[2:]
        ),
    ),
    "agent missing": (ERROR, on_line(3, cell(1, ""))),
    "quotités above 1": (ERROR, on_agent_of_several_lines(cell(4, "0.9"), cell(4, "0.9"))),
    "two costs for one agent": (ERROR, on_agent_of_several_lines(same, cell(3, "1.23"))),
    "two etp for one agent": (ERROR, on_agent_of_several_lines(same, cell(5, "0.3"))),
    "etp of 0": (ERROR, on_line(4, cell(5, "0"))),
    "etp above 1": (ERROR, on_line(4, cell(5, "1.2"))),
    "quotité as a percentage": (VALID, everywhere(lambda l: cell(4, "100 %")(l) if split(l)[4] == "1.0" else l)),
    "category D": (ERROR, on_line(5, cell(11, "D"))),
    "category in lower case": (VALID, everywhere(lambda l: cell(11, split(l)[11].lower())(l))),
    "beneficiary on an own line": (ERROR, on_line(5, cell(7, "33063"))),
    "mad without beneficiary": (ERROR, on_line(5, cell(6, "mad"))),
    "situation in upper case": (VALID, everywhere(lambda l: cell(6, split(l)[6].upper())(l))),
    "theme label": (VALID, everywhere(lambda l: cell(2, "Ressources humaines")(l) if split(l)[2] == "RH" else l)),
    "unknown theme": (ERROR, on_line(5, cell(2, "RHX"))),
    "infinite cost": (ERROR, on_line(5, cell(3, "inf"))),
    "cost with a comma": (VALID, on_line(5, lambda l: cell(3, split(l)[3].replace(".", ","))(l))),
    "cost with thousands spaces": (VALID, on_line(5, cell(3, "45 231.5"))),
    "Corsican employer in lower case": (VALID, everywhere(lambda l: l.replace("2A0", "2a0", 1))),
    "employer with a space": (VALID, on_line(5, lambda l: l[:2] + " " + l[2:])),
    "blank line": (VALID, on_line(6, lambda l: l + "\n;;;;;;;;;;;")),
    "empty line": (VALID, on_line(6, lambda l: l + "\n")),
    "unknown column": (WARNING, lambda lines: [line + ";x" for line in lines]),
    # Lines not grouped by employer and agent: the agents of several lines are found by hashing.
    "lines in reverse order": (VALID, lambda lines: [lines[0], *lines[:0:-1]]),
    "an employer in two runs, quotités above 1": (
        ERROR,
        lambda lines: second_line_of_that_agent_last(on_agent_of_several_lines(cell(4, "0.9"), cell(4, "0.9"))(lines)),
    ),
    "an employer in two runs": (VALID, second_line_of_that_agent_last),
    "lines in reverse order, quotités above 1": (
        ERROR,
        lambda lines: (lambda m: [m[0], *m[:0:-1]])(on_agent_of_several_lines(cell(4, "0.9"), cell(4, "0.9"))(lines)),
    ),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_quick_path_answers_as_the_full_validation(national, tmp_path, name):
    territories = read_territories(national["territoires"].read_bytes(), "territoires.csv")
    expected, mutation = MUTATIONS[name]
    path = tmp_path / "paie.csv"
    lines = national["csv"].read_text(encoding="utf-8").rstrip("\n").split("\n")
    path.write_text("\n".join(mutation(lines)) + "\n", encoding="utf-8")
    _, errors, warnings = assert_same_answer(path, territories)
    assert (ERROR if errors else WARNING if warnings else VALID) == expected, (errors, warnings)


def test_quick_parquet_with_text_numbers_answers_as_the_full_validation(national, tmp_path):
    territories = read_territories(national["territoires"].read_bytes(), "territoires.csv")
    path = tmp_path / "paie.parquet"
    pl.read_parquet(national["parquet"]).with_columns(pl.col("cout_annuel").cast(pl.String)).write_parquet(path)
    payroll = read_national_payroll(path, territories, activity_theme_map())
    reference = read_national_payroll(national["parquet"], territories, activity_theme_map())
    assert payroll.full_validation and not reference.full_validation
    assert coefficients_by_epci(payroll.lines, territories.epcis).equals(
        coefficients_by_epci(reference.lines, territories.epcis)
    )


def test_quick_parquet_reads_codes_stored_as_categories(national, tmp_path):
    territories = read_territories(national["territoires"].read_bytes(), "territoires.csv")
    path = tmp_path / "paie.parquet"
    pl.read_parquet(national["parquet"]).with_columns(pl.col("employeur", "theme").cast(pl.Categorical)).write_parquet(
        path
    )
    payroll = read_national_payroll(path, territories, activity_theme_map())
    reference = read_national_payroll(national["parquet"], territories, activity_theme_map())
    assert not payroll.full_validation
    assert coefficients_by_epci(payroll.lines, territories.epcis).equals(
        coefficients_by_epci(reference.lines, territories.epcis)
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text,
        lambda text: "\ufeff" + text,
        lambda text: text.replace(";epci;", ";EPCI;"),
        lambda text: text.replace("2A0", "2a0"),
        lambda text: text.replace("\n", "\r\n"),
        lambda text: text.replace(";commune;", " ;commune;", 1),
        lambda text: text.replace(";FPU;", ";fpu;", 1),
    ],
)
def test_quick_territories_answer_as_the_full_validation(national, change):
    from formats.national import _read_territories_file

    data = change(national["territoires"].read_text(encoding="utf-8")).encode("utf-8")
    quick = read_territories(data, "territoires.csv")
    full = _read_territories_file(read_table(data, "territoires.csv", "territoire"))
    assert quick.epcis.equals(full.epcis) and quick.members.equals(full.members)
    assert quick.warnings == full.warnings


def test_a_file_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "coefficients.csv"
    write_atomically(path, b"avant")
    with pytest.raises(RuntimeError), atomic_file(path) as temporary:
        temporary.write_bytes(b"a moiti")
        raise RuntimeError("the writer failed")
    assert path.read_bytes() == b"avant" and [p.name for p in tmp_path.iterdir()] == ["coefficients.csv"]
    write_atomically(path, b"apres")
    assert path.read_bytes() == b"apres" and [p.name for p in tmp_path.iterdir()] == ["coefficients.csv"]
    assert path.stat().st_mode & 0o777 == 0o644
