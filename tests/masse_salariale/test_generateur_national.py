"""The synthetic national payroll (masse_salariale/generateur_national.py) and `mutualis generate-national`
(docs/contrats/7-fichiers-nationaux.md): deterministic, built on the official territories, valid."""

import polars as pl
import pytest

from formats.national import read_territories
from formats.national_payroll import read_national_payroll
from masse_salariale.generateur import PAYROLL_COLUMNS
from masse_salariale.generateur_national import TERRITORY_COLUMNS, generate_national
from referentiel.defaut import activity_theme_map
from territoire.officiel import all_epcis, lookup_epci
from tests.cast import run_command

SIRENS = ("243300316", "200000172", "242010056")


def epcis(*sirens):
    return [lookup_epci(s) for s in sirens]


def test_same_seed_same_frames_other_seed_other_frames():
    a = generate_national(5, 0.02, epcis(*SIRENS))
    b = generate_national(5, 0.02, epcis(*SIRENS))
    c = generate_national(6, 0.02, epcis(*SIRENS))
    assert a.payroll.equals(b.payroll) and a.territories.equals(b.territories)
    assert not a.payroll.equals(c.payroll)


def test_a_territory_is_drawn_the_same_whatever_the_others():
    alone = generate_national(5, 0.02, epcis("200000172")).payroll
    among = generate_national(5, 0.02, epcis(*SIRENS)).payroll
    communes = [c.code for c in lookup_epci("200000172").communes]
    mine = among.filter(pl.col("employeur").is_in(["200000172", *communes]))
    assert mine.equals(alone)


def test_territories_file_lists_each_epci_then_its_communes():
    national = generate_national(5, 0.02, epcis("242010056", "200000172"))
    t = national.territories
    assert t.columns == list(TERRITORY_COLUMNS)
    assert t.row(0) == ("200000172", "CC Faucigny - Glières", "epci", "28561", "FPU", None)
    assert t.filter(pl.col("type") == "epci").get_column("code").to_list() == ["200000172", "242010056"]
    assert t.filter(pl.col("code") == "2A004").row(0)[5] == "242010056"
    assert national.payroll.columns == list(PAYROLL_COLUMNS)


def test_scale_multiplies_headcounts():
    small = generate_national(5, 0.05, epcis("243300316")).agents
    large = generate_national(5, 0.2, epcis("243300316")).agents
    assert 3.5 < large / small < 4.5
    with pytest.raises(ValueError):
        generate_national(5, 0, epcis("243300316"))


def test_generate_national_writes_three_valid_files_for_france(capsys, tmp_path):
    status, out, err = run_command(
        capsys, "generate-national", "--seed", "3", "--scale", "0.001", "--output", str(tmp_path)
    )
    assert status == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "masse_salariale.csv",
        "masse_salariale.parquet",
        "territoires.csv",
    ]
    assert "agents" in out
    territories = read_territories((tmp_path / "territoires.csv").read_bytes(), "territoires.csv")
    assert territories.epcis.get_column("epci").to_list() == [e.code for e in all_epcis()]
    assert "200046977" not in territories.members.get_column("epci").to_list()  # Métropole de Lyon
    for name in ("masse_salariale.csv", "masse_salariale.parquet"):
        payroll = read_national_payroll(tmp_path / name, territories, activity_theme_map())
        assert not payroll.full_validation and payroll.warnings == []
    csv = pl.read_csv(tmp_path / "masse_salariale.csv", separator=";", infer_schema=False)
    parquet = pl.read_parquet(tmp_path / "masse_salariale.parquet")
    assert parquet.schema["employeur"] == pl.String and parquet.schema["beneficiaire"] == pl.String
    assert csv.height == parquet.height
    assert csv.get_column("cout_annuel").cast(pl.Float64).sum() == pytest.approx(
        parquet.get_column("cout_annuel").sum()
    )


@pytest.mark.parametrize("scale", ["0", "-1", "abc", "nan"])
def test_generate_national_refuses_a_bad_scale(capsys, tmp_path, scale):
    status, out, err = run_command(
        capsys, "generate-national", "--seed", "1", "--scale", scale, "--output", str(tmp_path)
    )
    assert status == 2 and out == "" and err.startswith("--scale")
    assert list(tmp_path.iterdir()) == []
