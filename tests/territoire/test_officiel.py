"""The official EPCI and communes shipped with the project (territoire.officiel, docs/contrats §6)."""

import dataclasses
import gzip
import subprocess
import sys
from pathlib import Path

import pytest

from territoire.officiel import (
    DATA_FILE,
    OfficialCommune,
    OfficialEpci,
    UnknownEpci,
    all_epcis,
    lookup_epci,
)
from tests.national import EPCICOM_HEADER

REPO_ROOT = Path(__file__).resolve().parents[2]
# CI keeps a copy of shared/ beside the clone; elsewhere the rebuild test is skipped.
OFFICIAL_SOURCES = REPO_ROOT.parent / "shared" / "data" / "officiel"

BORDEAUX_METROPOLE = "243300316"
NANTES_METROPOLE = "244400404"
GRAND_PARIS = "200054781"
AIX_MARSEILLE_PROVENCE = "200054807"
PAYS_AJACCIEN = "242010056"
METROPOLE_DE_LYON = "200046977"
ISLANDS_WITHOUT_EPCI = {"22016", "29083", "29155", "85113"}
MAYOTTE_EPCIS = {"200050532", "200059871", "200060457", "200060465", "200060473"}


def codes(epci: OfficialEpci) -> list[str]:
    return [c.code for c in epci.communes]


def commune(epci: OfficialEpci, code: str) -> OfficialCommune:
    (found,) = [c for c in epci.communes if c.code == code]
    return found


def test_bordeaux_metropole():
    epci = lookup_epci(BORDEAUX_METROPOLE)
    assert (epci.code, epci.nom, epci.nature, epci.fiscalite) == (
        "243300316",
        "Bordeaux Métropole",
        "METRO",
        "FPU",
    )
    assert epci.population == 854_334
    assert len(epci.communes) == 28
    assert codes(epci) == sorted(codes(epci))
    assert commune(epci, "33063") == OfficialCommune("33063", "Bordeaux", 267_991, "213300635")
    assert epci.population == sum(c.population for c in epci.communes)


def test_nantes_metropole_has_24_communes():
    epci = lookup_epci(NANTES_METROPOLE)
    assert epci.nom == "Nantes Métropole"
    assert len(epci.communes) == 24


def test_paris_is_the_sum_of_its_20_arrondissements():
    epci = lookup_epci(GRAND_PARIS)
    assert (epci.nature, len(epci.communes)) == ("METRO", 130)
    # Sum of the PMUN of 75101..75120 in the INSEE populations légales 2023.
    assert commune(epci, "75056") == OfficialCommune("75056", "Paris", 2_103_778, "217500016")


def test_marseille_is_the_sum_of_its_16_arrondissements():
    epci = lookup_epci(AIX_MARSEILLE_PROVENCE)
    assert epci.nom == "Métropole d'Aix-Marseille-Provence"
    assert commune(epci, "13055") == OfficialCommune("13055", "Marseille", 886_040, "211300553")


def test_corsican_codes_stay_strings_and_sort_as_text():
    epci = lookup_epci(PAYS_AJACCIEN)
    ajaccio = commune(epci, "2A004")
    assert ajaccio == OfficialCommune("2A004", "Ajaccio", 76_320, "212000046")
    assert isinstance(ajaccio.code, str)
    assert codes(epci)[:2] == ["2A001", "2A004"]


def test_commune_names_are_cog_2026_and_zero_population_is_kept():
    by_code = {c.code: c for e in all_epcis() for c in e.communes}
    # Renamed after the DGCL list of 1 January 2025 ("Cransac" there).
    assert by_code["12083"].nom == "Cransac-les-Thermes"
    # A village "mort pour la France": 0 inhabitants is published, not unknown.
    assert by_code["55039"] == OfficialCommune("55039", "Beaumont-en-Verdunois", 0, "215500398")


# (EPCI, INSEE code, the commune's own SIREN: siren_membre of the DGCL list epcicom.xlsx)
KNOWN_SIRENS = [
    (BORDEAUX_METROPOLE, "33281", "213302813"),  # Mérignac
    (BORDEAUX_METROPOLE, "33063", "213300635"),  # Bordeaux
    (NANTES_METROPOLE, "44109", "214401093"),  # Nantes
    (GRAND_PARIS, "75056", "217500016"),  # Paris, published by arrondissements for its population only
    (PAYS_AJACCIEN, "2A004", "212000046"),  # Ajaccio
    ("200067064", "12083", "211200837"),  # Cransac-les-Thermes, renamed since the DGCL list: same SIREN
    ("200060465", "97601", "200008712"),  # Acoua (Mayotte): no population, a SIREN all the same
]


@pytest.mark.parametrize(("epci", "insee", "siren"), KNOWN_SIRENS)
def test_a_commune_has_its_own_siren(epci, insee, siren):
    assert commune(lookup_epci(epci), insee).siren == siren


def test_every_commune_has_a_distinct_siren():
    epcis = all_epcis()
    sirens = [c.siren for e in epcis for c in e.communes]
    assert all(len(s) == 9 and s.isascii() and s.isdigit() for s in sirens)
    assert len(set(sirens)) == len(sirens)
    assert not {e.code for e in epcis} & set(sirens)


@pytest.mark.parametrize("siren", ["21330281", "2133028130", "21330281A", "213 302 813", "２１３３０２８１３"])
def test_a_malformed_commune_siren_is_refused(siren):
    with pytest.raises(ValueError, match="un SIREN s'écrit avec 9 chiffres"):
        OfficialCommune("33281", "Mérignac", 78_090, siren)


def test_a_commune_siren_may_be_unknown():
    assert OfficialCommune("01001", "Val-Nouveau", 150, "").siren == ""


def test_mayotte_has_no_2023_population():
    epcis = {e.code: e for e in all_epcis()}
    for siren in MAYOTTE_EPCIS:
        assert epcis[siren].population is None
        assert all(c.population is None for c in epcis[siren].communes)
    unknown = [c.code for e in epcis.values() for c in e.communes if c.population is None]
    assert len(unknown) == 17 and all(code.startswith("976") for code in unknown)


def test_metropole_de_lyon_is_refused():
    with pytest.raises(UnknownEpci) as exc:
        lookup_epci(METROPOLE_DE_LYON)
    message = str(exc.value)
    assert message.startswith(f"SIREN {METROPOLE_DE_LYON} : la Métropole de Lyon")
    assert "n'est pas un EPCI mais une collectivité à statut particulier" in message
    assert exc.value.siren == METROPOLE_DE_LYON


def test_unknown_siren_is_refused():
    with pytest.raises(UnknownEpci) as exc:
        lookup_epci("123456789")
    assert str(exc.value).startswith("SIREN 123456789 : aucun EPCI à fiscalité propre")
    assert isinstance(exc.value, LookupError)


@pytest.mark.parametrize("siren", ["", "24330031", "2433003160", "24330031A", "243 300 316", "２４３３００３１６"])
def test_malformed_siren_is_refused(siren):
    with pytest.raises(UnknownEpci, match="un SIREN s'écrit avec 9 chiffres"):
        lookup_epci(siren)


def test_surrounding_spaces_are_ignored():
    assert lookup_epci(f" {BORDEAUX_METROPOLE}\n").code == BORDEAUX_METROPOLE


def test_all_epcis():
    epcis = all_epcis()
    assert len(epcis) == 1254
    sirens = [e.code for e in epcis]
    assert sirens == sorted(sirens) and len(set(sirens)) == 1254
    assert METROPOLE_DE_LYON not in sirens
    assert {e.nature for e in epcis} == {"CC", "CA", "CU", "METRO"}
    assert {e.fiscalite for e in epcis} == {"FPU", "FA"}
    assert sum(len(e.communes) for e in epcis) == 34_871 - 58  # DGCL rows but Lyon's
    for epci in epcis:
        assert codes(epci) == sorted(codes(epci))
        known = [c.population for c in epci.communes if c.population is not None]
        assert epci.population == (sum(known) if known else None)
    member_codes = [c.code for e in epcis for c in e.communes]
    assert len(member_codes) == len(set(member_codes))
    # The cache is not handed out: a caller cannot change it.
    epcis.clear()
    assert len(all_epcis()) == 1254
    assert lookup_epci(BORDEAUX_METROPOLE) is lookup_epci(BORDEAUX_METROPOLE)


def test_values_are_frozen():
    epci = lookup_epci(BORDEAUX_METROPOLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        epci.nom = "autre"  # type: ignore[misc]
    assert isinstance(epci.communes, tuple)


def test_islands_without_epci_appear_nowhere():
    member_codes = {c.code for e in all_epcis() for c in e.communes}
    assert not ISLANDS_WITHOUT_EPCI & member_codes
    text = gzip.decompress(DATA_FILE.read_bytes()).decode("utf-8")
    assert not [code for code in ISLANDS_WITHOUT_EPCI if f",{code}," in text]


def test_module_imports_no_django():
    code = (
        "import sys, territoire.officiel as o; o.lookup_epci('243300316'); "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


def test_data_file_is_small_and_deterministic():
    data = DATA_FILE.read_bytes()
    assert len(data) < 1_000_000
    assert data[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert data[3] & 0x08 == 0  # no file name in the header


@pytest.mark.skipif(not OFFICIAL_SOURCES.is_dir(), reason=f"{OFFICIAL_SOURCES} absent")
def test_shipped_file_is_what_the_script_builds(tmp_path):
    output = tmp_path / "officiel.csv.gz"
    subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "build_official_data.py"),
            str(OFFICIAL_SOURCES),
            "--output",
            str(output),
            "--quiet",
        ],
        cwd=REPO_ROOT,
        check=True,
    )
    built, shipped = output.read_bytes(), DATA_FILE.read_bytes()
    assert gzip.decompress(built) == gzip.decompress(shipped), (
        "territoire/data/officiel.csv.gz is stale: rerun scripts/build_official_data.py"
    )
    assert built == shipped


# (INSEE code, siren_membre cell, nom_membre): codes and SIRENs as numbers, as in the DGCL file.
SYNTHETIC_MEMBERS = [
    ("01001", 210000001.0, "Ancienne-Une"),
    ("01002", 210000002.0, "Ancienne-Deux"),
    ("2A004", 212000046.0, "Ajaccio"),
    ("2A006", "", "Alata"),  # no member SIREN given
]


def write_synthetic_sources(directory: Path, members=SYNTHETIC_MEMBERS) -> None:
    """Sources where 01002 joined the commune nouvelle 01001 after the DGCL list was drawn."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(EPCICOM_HEADER)
    for insee, siren_membre, nom in members:
        sheet.append(["01", 200000001.0, "CC  de Test ", "CC", "FA", 4, 0, 0, "01", insee, siren_membre, nom, 0, 0])
    workbook.save(directory / "epcicom.xlsx")
    (directory / "communes.csv").write_text(
        "TYPECOM,COM,REG,DEP,CTCD,ARR,TNCC,NCC,NCCENR,LIBELLE,CAN,COMPARENT\n"
        "COM,01001,84,01,01D,011,0,VAL NOUVEAU,Val-Nouveau,Val-Nouveau,0101,\n"
        "COMD,01001,,,,,0,ANCIENNE UNE,Ancienne-Une,Ancienne-Une,,01001\n"
        "COMD,01002,,,,,0,ANCIENNE DEUX,Ancienne-Deux,Ancienne-Deux,,01001\n"
        "COM,01003,84,01,01D,011,0,ISOLEE,Isolée,Isolée,0101,\n"
        "COM,2A004,94,2A,20D,2A1,0,AJACCIO,Ajaccio,Ajaccio,2A98,\n"
        "COM,2A006,94,2A,20D,2A1,0,ALATA,Alata,Alata,2A98,\n",
        encoding="utf-8",
    )
    (directory / "donnees_communes.csv").write_text(
        "REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT\n"
        "84;Auvergne-Rhône-Alpes;01;1;01;001;01001;Ancienne-Une;100;1;101\n"
        "84;Auvergne-Rhône-Alpes;01;1;01;002;01002;Ancienne-Deux;50;1;51\n"
        "84;Auvergne-Rhône-Alpes;01;1;01;003;01003;Isolée;7;0;7\n",
        encoding="utf-8",
    )


def run_script(source: Path, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "scripts" / "build_official_data.py"), str(source), "--output", str(output)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def test_script_maps_a_merged_commune_to_its_commune_nouvelle(tmp_path):
    write_synthetic_sources(tmp_path)
    output = tmp_path / "out.csv.gz"
    result = run_script(tmp_path, output)
    assert result.returncode == 0, result.stderr
    assert gzip.decompress(output.read_bytes()).decode("utf-8") == (
        "siren,raison_sociale,nature,mode_financ,insee,nom,population,siren_membre\n"
        # The commune nouvelle is a new legal person: the SIRENs of its former communes are not its own.
        "200000001,CC de Test,CC,FA,01001,Val-Nouveau,150,\n"
        "200000001,CC de Test,CC,FA,2A004,Ajaccio,,212000046\n"
        "200000001,CC de Test,CC,FA,2A006,Alata,,\n"
    )
    assert "communes sans SIREN : 2\n  01001 Val-Nouveau\n  2A006 Alata\n" in result.stdout


@pytest.mark.parametrize(
    ("siren_membre", "message"),
    [
        ("21200004", "SIREN du membre « 21200004 »"),
        ("21200004A", "SIREN du membre « 21200004A »"),
        (212000046.5, "code non entier : 212000046.5"),
        (210000001.0, "SIREN du membre 210000001 déjà donné à 01001"),
    ],
)
def test_script_refuses_a_bad_member_siren(tmp_path, siren_membre, message):
    members = [*SYNTHETIC_MEMBERS[:2], ("2A004", siren_membre, "Ajaccio")]
    write_synthetic_sources(tmp_path, members)
    output = tmp_path / "out.csv.gz"
    result = run_script(tmp_path, output)
    assert result.returncode == 1
    assert message in result.stderr
    assert not output.exists()
