"""The synthetic payroll generator (masse_salariale/generateur.py) on a Bordeaux Métropole territory.

The plausibility ranges are those of docs/domaine.md §4; the validity rules those of docs/contrats §3.
"""

import ast
import io
import re
import time
from pathlib import Path

import polars as pl
import pytest

from engine.themes import AUTRE, DEFAULT_FUNCTIONAL, THEME_CODES
from formats.payroll import TerritoryCodes, read_payroll
from masse_salariale import generateur
from masse_salariale.generateur import (
    PAYROLL_COLUMNS,
    PAYROLL_SCHEMA,
    generate_payroll,
    write_payroll_csv,
)
from referentiel.defaut import activity_theme_map

# Bordeaux Métropole: its 28 communes with their 2023 legal populations (INSEE, population municipale).
EPCI = ("243300316", "Bordeaux Métropole", 854_334)
COMMUNES = [
    ("33003", "Ambarès-et-Lagrave", 17_644),
    ("33004", "Ambès", 3_313),
    ("33013", "Artigues-près-Bordeaux", 8_687),
    ("33032", "Bassens", 8_435),
    ("33039", "Bègles", 31_831),
    ("33056", "Blanquefort", 17_215),
    ("33063", "Bordeaux", 267_991),
    ("33065", "Bouliac", 3_804),
    ("33069", "Le Bouscat", 25_081),
    ("33075", "Bruges", 20_020),
    ("33096", "Carbon-Blanc", 8_331),
    ("33119", "Cenon", 26_834),
    ("33162", "Eysines", 24_825),
    ("33167", "Floirac", 18_300),
    ("33192", "Gradignan", 26_952),
    ("33200", "Le Haillan", 11_392),
    ("33249", "Lormont", 25_769),
    ("33273", "Martignas-sur-Jalle", 8_056),
    ("33281", "Mérignac", 78_090),
    ("33312", "Parempuyre", 10_672),
    ("33318", "Pessac", 67_339),
    ("33376", "Saint-Aubin-de-Médoc", 7_769),
    ("33434", "Saint-Louis-de-Montferrand", 2_051),
    ("33449", "Saint-Médard-en-Jalles", 32_910),
    ("33487", "Saint-Vincent-de-Paul", 1_067),
    ("33519", "Le Taillan-Médoc", 11_073),
    ("33522", "Talence", 46_338),
    ("33550", "Villenave-d'Ornon", 42_545),
]
SIREN = EPCI[0]
POPULATION = {code: pop for code, _nom, pop in COMMUNES} | {SIREN: EPCI[2]}
SEED = 2026

FUNCTIONAL = list(DEFAULT_FUNCTIONAL)


@pytest.fixture(scope="module")
def payroll() -> pl.DataFrame:
    return generate_payroll(EPCI, COMMUNES, SEED)


@pytest.fixture(scope="module")
def agents(payroll) -> pl.DataFrame:
    """One row per (employeur, agent), with its lines summarised."""
    return payroll.group_by("employeur", "agent").agg(
        lines=pl.len(),
        cost=pl.col("cout_annuel").first(),
        costs=pl.col("cout_annuel").n_unique(),
        etp=pl.col("etp").first(),
        etps=pl.col("etp").n_unique(),
        tenths=(pl.col("quotite") * 10).round().cast(pl.Int64).sum(),
        quotite=pl.col("quotite").sum(),
        themes=pl.col("theme").n_unique(),
        categorie=pl.col("categorie").first(),
        categories=pl.col("categorie").n_unique(),
    )


@pytest.fixture(scope="module")
def employers(payroll, agents) -> pl.DataFrame:
    """One row per employer: headcount, rate per 1,000 inhabitants, ETP shares."""
    weighted = payroll.with_columns(w=pl.col("etp") * pl.col("quotite"))
    shares = weighted.group_by("employeur").agg(
        fte=pl.col("w").sum(),
        support=pl.col("w").filter(pl.col("theme").is_in(FUNCTIONAL)).sum() / pl.col("w").sum(),
        autre=pl.col("w").filter(pl.col("theme") == AUTRE).sum() / pl.col("w").sum(),
    )
    headcount = agents.group_by("employeur").agg(headcount=pl.len())
    return (
        shares.join(headcount, on="employeur")
        .with_columns(population=pl.col("employeur").replace_strict(POPULATION, return_dtype=pl.Int64))
        .with_columns(per_thousand=pl.col("headcount") / pl.col("population") * 1000)
        .sort("population")
    )


def communes_of(employers: pl.DataFrame) -> pl.DataFrame:
    return employers.filter(pl.col("employeur") != SIREN)


def row(employers: pl.DataFrame, code: str) -> dict:
    return employers.filter(pl.col("employeur") == code).row(0, named=True)


# --- Shape and speed


def test_columns_are_exactly_those_of_the_payroll_file_with_their_types(payroll):
    assert payroll.columns == list(PAYROLL_COLUMNS)
    assert dict(payroll.schema) == PAYROLL_SCHEMA
    required = payroll.select(
        "employeur", "agent", "theme", "cout_annuel", "quotite", "etp", "situation", "service", "statut", "categorie"
    )
    assert required.null_count().sum_horizontal().item() == 0


def test_bordeaux_metropole_gives_15_to_25_thousand_lines_well_under_a_second():
    generate_payroll(EPCI, COMMUNES, 1)  # warm-up (imports, polars thread pool)
    start = time.perf_counter()
    frame = generate_payroll(EPCI, COMMUNES, SEED)
    elapsed = time.perf_counter() - start
    assert 15_000 <= frame.height <= 25_000
    assert elapsed < 1.0


def test_every_organisation_employs_agents(employers):
    assert set(employers["employeur"]) == {SIREN, *(c[0] for c in COMMUNES)}


# --- Plausibility (docs/domaine.md §4)


def test_communes_have_5_to_25_agents_per_thousand_inhabitants(employers):
    rates = communes_of(employers)["per_thousand"]
    assert rates.min() >= 5
    assert rates.max() <= 25


def test_commune_rate_grows_with_size(employers):
    communes = communes_of(employers)
    small = communes.filter(pl.col("population") < 5_000)["per_thousand"]
    middle = communes.filter(pl.col("population").is_between(15_000, 35_000))["per_thousand"]
    large = communes.filter(pl.col("population") > 60_000)["per_thousand"]
    assert 6 <= small.mean() <= 10  # about 8 per 1,000 under 5,000 inhabitants
    assert small.mean() < middle.mean() < large.mean()
    assert 20 <= row(employers, "33063")["per_thousand"] <= 25  # Bordeaux, ~268,000 inhabitants


def test_epci_has_3_to_8_agents_per_thousand_inhabitants_of_its_territory(employers):
    assert 3 <= row(employers, SIREN)["per_thousand"] <= 8


def test_support_is_12_to_20_percent_of_each_employer_fte(employers):
    support = employers["support"]
    assert support.min() >= 0.12
    assert support.max() <= 0.20


def test_support_share_is_higher_in_large_employers(employers):
    small = communes_of(employers).filter(pl.col("headcount") < 100)["support"].mean()
    assert row(employers, SIREN)["support"] > small + 0.02
    assert row(employers, "33063")["support"] > small + 0.02


def test_most_commune_staff_is_outside_the_nine_themes(payroll, employers):
    communes = communes_of(employers)
    assert communes.filter(pl.col("headcount") >= 100)["autre"].min() > 0.5
    commune_lines = payroll.filter(pl.col("employeur") != SIREN)
    assert (commune_lines["theme"] == AUTRE).mean() > 0.5
    # and every theme, functional or not, is staffed somewhere
    assert set(payroll["theme"]) == {*THEME_CODES, AUTRE}


def test_category_mix_is_about_13_15_72(agents):
    mix = agents["categorie"].value_counts(normalize=True)
    share = dict(zip(mix["categorie"], mix["proportion"], strict=True))
    assert set(share) == {"A", "B", "C"}
    assert 0.10 <= share["A"] <= 0.16
    assert 0.12 <= share["B"] <= 0.18
    assert 0.66 <= share["C"] <= 0.78
    assert agents["categories"].max() == 1


# A cost is within 1.5 cents of the drawn full-time cost × ETP: half a cent when rounded to the cent, then at
# most a cent more to be a whole gross's cost at its regime's rate (generateur's « Cost » paragraph).
SLACK = 0.015


def in_cost_range(agents: pl.DataFrame) -> pl.Series:
    """Whether each agent's cost per full-time equivalent is in the drawn range of 40 to 70 k€."""
    return agents.select(
        (pl.col("cost") >= 40_000 * pl.col("etp") - SLACK) & (pl.col("cost") <= 70_000 * pl.col("etp") + SLACK)
    ).to_series()


def test_full_time_cost_is_40_to_70_thousand_euros_higher_for_category_a(agents):
    full_time = agents.with_columns(full=pl.col("cost") / pl.col("etp"))
    assert in_cost_range(agents).all()
    mean = dict(full_time.group_by("categorie").agg(pl.col("full").mean()).iter_rows())
    assert mean["A"] > mean["B"] > mean["C"]
    assert 45_000 <= full_time["full"].mean() <= 50_000  # docs/domaine.md: ~2,254 € net a month


def test_costs_are_rounded_to_the_cent(payroll):
    cents = payroll["cout_annuel"] * 100
    assert ((cents - cents.round()).abs() < 1e-6).all()


def test_about_ten_percent_work_part_time_and_cost_proportionally(agents):
    assert set(agents["etp"].unique()) <= {0.5, 0.8, 0.9, 1.0}
    assert 0.07 <= (agents["etp"] < 1).mean() <= 0.13
    # same category, part-time or not: the cost per full-time equivalent stays in the same range
    part = agents.filter(pl.col("etp") < 1)
    assert part.height and in_cost_range(part).all()


def test_some_agents_split_their_time_over_two_or_three_lines(agents):
    split = agents.filter(pl.col("lines") > 1)
    assert 0.10 <= split.height / agents.height <= 0.15
    assert agents["lines"].max() == 3
    assert (split["themes"] == split["lines"]).all()  # each line of an agent on a different theme


# --- Validity (docs/contrats §3)


def test_quotites_are_tenths_adding_up_to_exactly_one_per_agent(payroll, agents):
    tenths = payroll["quotite"] * 10
    assert ((tenths - tenths.round()).abs() < 1e-9).all()
    assert payroll["quotite"].is_between(0.1, 1.0).all()
    assert (agents["tenths"] == 10).all()
    assert ((agents["quotite"] - 1).abs() <= 1e-12).all()


def test_one_cost_and_one_etp_per_agent(agents):
    assert agents["costs"].max() == 1
    assert agents["etps"].max() == 1


def test_matricules_are_unique_per_employer_and_their_lines_contiguous(payroll, agents):
    assert payroll["agent"].str.contains(r"^M\d{6}$").all()
    runs = payroll.select(pl.struct("employeur", "agent").rle_id()).to_series()
    assert runs.max() + 1 == agents.height


def test_themes_and_activities_come_from_the_referential(payroll):
    assert set(payroll["theme"]) <= {*THEME_CODES, AUTRE}
    themes = activity_theme_map()
    with_activity = payroll.filter(pl.col("activite").is_not_null())
    assert all(themes[a] == t for a, t in with_activity.select("activite", "theme").iter_rows())
    assert payroll.filter(pl.col("theme") == AUTRE)["activite"].null_count() == (payroll["theme"] == AUTRE).sum()
    themed = payroll.filter(pl.col("theme") != AUTRE)
    assert themed["activite"].null_count() / themed.height < 0.1


def test_situations_and_beneficiaries_follow_the_rules(payroll):
    assert set(payroll["situation"]) == {"propre", "transfere", "mad"}
    assert set(payroll["statut"]) == {"titulaire", "contractuel"}
    assert (payroll.filter(pl.col("situation") == "transfere")["employeur"] == SIREN).all()
    mad = payroll.filter(pl.col("situation") == "mad")
    assert mad["beneficiaire"].null_count() == 0
    assert (mad["beneficiaire"] != mad["employeur"]).all()
    assert set(mad["beneficiaire"]) <= set(POPULATION)
    assert (
        payroll.filter(pl.col("situation") != "mad")["beneficiaire"].null_count()
        == (payroll["situation"] != "mad").sum()
    )


def test_a_few_agents_are_transferred_or_made_available_each_way(payroll, agents):
    epci_agents = agents.filter(pl.col("employeur") == SIREN).height
    commune_agents = agents.height - epci_agents
    transferred = payroll.filter(pl.col("situation") == "transfere")["agent"].n_unique()
    assert 1 <= transferred <= 0.05 * epci_agents
    mad = payroll.filter(pl.col("situation") == "mad")
    to_epci = mad.filter(pl.col("beneficiaire") == SIREN)
    from_epci = mad.filter(pl.col("employeur") == SIREN)
    between_communes = mad.filter((pl.col("employeur") != SIREN) & (pl.col("beneficiaire") != SIREN))
    assert 1 <= to_epci.height <= 0.02 * commune_agents
    assert 1 <= from_epci.height <= 0.02 * epci_agents
    assert 1 <= between_communes.height <= 2


def test_no_line_repeats_another(payroll):
    assert payroll.is_duplicated().sum() == 0


def test_the_payroll_reader_accepts_the_file_without_error_or_warning(payroll, tmp_path):
    path = tmp_path / "masse_salariale.csv"
    write_payroll_csv(payroll, path)
    territory = TerritoryCodes(SIREN, frozenset(c[0] for c in COMMUNES), EPCI[1])
    result = read_payroll(path.read_bytes(), path.name, territory, activity_theme_map())
    assert result.warnings == []
    assert result.lines.height == payroll.height


# --- CSV


def test_csv_is_semicolon_separated_utf8_with_header_and_empty_nulls(payroll, tmp_path):
    path = tmp_path / "masse_salariale.csv"
    write_payroll_csv(payroll, path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    lines = raw.decode("utf-8").split("\n")
    assert lines[0] == ";".join(PAYROLL_COLUMNS)
    assert len(lines) == payroll.height + 2 and lines[-1] == ""
    first = dict(zip(PAYROLL_COLUMNS, lines[1].split(";"), strict=True))
    assert re.fullmatch(r"\d+(\.\d{1,2})?", first["cout_annuel"])  # decimal point, no thousands
    assert any(";;" in line for line in lines[1:50])  # empty beneficiaire / activite
    back = pl.read_csv(path, separator=";", schema=PAYROLL_SCHEMA)
    assert back.equals(payroll)
    buffer = io.BytesIO()  # the demo and the benchmarks write to memory
    write_payroll_csv(payroll, buffer)
    assert buffer.getvalue() == raw


def test_csv_rejects_a_frame_without_the_payroll_columns(payroll, tmp_path):
    with pytest.raises(ValueError, match="service"):
        write_payroll_csv(payroll.drop("service"), tmp_path / "x.csv")


def test_csv_writes_columns_in_contract_order(payroll, tmp_path):
    path = tmp_path / "reordered.csv"
    write_payroll_csv(payroll.select(reversed(PAYROLL_COLUMNS)).with_columns(extra=pl.lit(1)), path)
    assert path.read_text(encoding="utf-8").split("\n", 1)[0] == ";".join(PAYROLL_COLUMNS)


# --- Determinism, scale, inputs


def test_same_seed_gives_the_same_frame_and_another_seed_another(payroll):
    assert generate_payroll(EPCI, COMMUNES, SEED).equals(payroll)
    assert not generate_payroll(EPCI, COMMUNES, SEED + 1).equals(payroll)


def test_scale_multiplies_headcounts(agents):
    scaled = generate_payroll(EPCI, COMMUNES, SEED, scale=3)
    base = agents.group_by("employeur").agg(n=pl.len())
    tripled = scaled.select("employeur", "agent").unique().group_by("employeur").agg(n3=pl.len())
    both = base.join(tripled, on="employeur")
    difference = both["n3"].cast(pl.Int64) - 3 * both["n"].cast(pl.Int64)
    assert (difference.abs() <= 2).all()
    between_communes = scaled.filter(
        (pl.col("situation") == "mad") & (pl.col("employeur") != SIREN) & (pl.col("beneficiaire") != SIREN)
    )
    assert 3 <= between_communes.height <= 6


def test_a_tiny_scale_keeps_one_agent_per_employer():
    frame = generate_payroll(EPCI, COMMUNES, SEED, scale=0.001)
    assert frame["employeur"].n_unique() == len(COMMUNES) + 1


def test_unknown_populations_default_to_a_small_commune():
    frame = generate_payroll(("200000001", "CC test", None), [("01001", "A", None), ("01002", "B", 2_000)], 1)
    per_employer = dict(frame.select("employeur", "agent").unique().group_by("employeur").len().iter_rows())
    assert 6 <= per_employer["01001"] <= 10  # 1,000 inhabitants at about 8 per 1,000
    assert 1 <= per_employer["200000001"] <= 3 * 3.5 * 1.08  # territory of 3,000 inhabitants


def test_an_epci_alone_gets_a_payroll_without_made_available_agents():
    frame = generate_payroll(EPCI, [], SEED, scale=0.1)
    assert set(frame["employeur"]) == {SIREN}
    assert "mad" not in set(frame["situation"])


@pytest.mark.parametrize(
    "communes, scale",
    [
        (COMMUNES, 0),
        (COMMUNES, -1),
        (COMMUNES, float("nan")),
        (COMMUNES + [COMMUNES[0]], 1),
        ([("33063", "Bordeaux", -5)], 1),
    ],
)
def test_invalid_arguments_are_refused(communes, scale):
    with pytest.raises(ValueError):
        generate_payroll(EPCI, communes, SEED, scale=scale)


def test_generator_imports_no_django():
    tree = ast.parse(Path(generateur.__file__).read_text(encoding="utf-8"))
    modules = {
        (alias.name if isinstance(node, ast.Import) else node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert "django" not in modules
