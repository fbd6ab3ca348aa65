"""Synthetic DSN files (masse_salariale/generateur_dsn.py). The demo's Mérignac payroll written as its twelve
DSN and its correspondence, then read back as `mutualis dsn-paie` reads them (formats/dsn.py,
formats/correspondance.py, §3's validation), gives the same payroll lines: each agent's cost to the cent,
its ETP, and the coefficient's numerator and denominator. The blocks Mutualis skips are in the files and
never in the result; élus are left out with a warning; same arguments, same bytes."""

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import polars as pl
import pytest

from engine.coefficient import compute_coefficient
from formats import correspondance, dsn
from formats.payroll import TerritoryCodes, read_payroll
from masse_salariale import generateur_dsn as gen
from masse_salariale.generateur import (
    TAUX_CHARGES_DEMO,
    charge_factors,
    cost_from_gross,
    gross_from_cost,
    write_payroll_csv,
)
from mutualis import demo
from referentiel.defaut import activity_theme_map
from territoire.officiel import lookup_epci

ANNEE = 2025
MERIGNAC = demo.MERIGNAC
SIREN_MERIGNAC = gen.siren_commune(MERIGNAC)
COLONNES = ("employeur", "agent", "theme", "activite", "cout_annuel", "quotite", "etp", "situation", "beneficiaire",
            "statut")  # fmt: skip
NIR = re.compile(rb"^S21\.G00\.30\.001,'([12]\d{4}00\d{6})'$", re.M)


@pytest.fixture(scope="module")
def territoire() -> TerritoryCodes:
    epci = lookup_epci(demo.SIREN)
    return TerritoryCodes(epci.code, frozenset(c.code for c in epci.communes), epci.nom)


@pytest.fixture(scope="module")
def paie() -> pl.DataFrame:
    """Mérignac's lines of the demo's latest payroll."""
    return demo.paie_demo(ANNEE).filter(pl.col("employeur") == MERIGNAC)


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    """The files `mutualis demo --dsn` writes: Mérignac's twelve DSN and its correspondence."""
    return demo.ecrire_dsn_demo(tmp_path_factory.mktemp("dsn"))


@pytest.fixture(scope="module")
def lecture(dossier) -> dsn.Annee:
    fichiers = [(p.name, lambda p=p: p.open("rb")) for p in dossier if p.suffix == ".dsn"]
    return dsn.lire_annee(fichiers, ANNEE, TAUX_CHARGES_DEMO, SIREN_MERIGNAC)


def relire(lecture, correspondance_csv: bytes, territoire, employeur=MERIGNAC):
    """The payroll lines of a DSN reading, as `mutualis dsn-paie` writes and §3 validates them."""
    activites = activity_theme_map()
    regles = correspondance.lire_correspondances(
        correspondance_csv, "correspondance.csv", set(activites), {territoire.epci, *territoire.communes}
    )
    texte = correspondance.ecrire_csv(correspondance.affecter(lecture.agents, regles, {}, employeur))
    return read_payroll(texte.encode(), "paie.csv", territoire, activites)


def lire(frame: pl.DataFrame, territoire):
    buffer = io.BytesIO()
    write_payroll_csv(frame, buffer)
    return read_payroll(buffer.getvalue(), "paie.csv", territoire, activity_theme_map())


def lignes(payroll) -> pl.DataFrame:
    return payroll.lines.select(COLONNES).sort(COLONNES, nulls_last=True)


def centimes(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.django_db
def test_the_demo_loads_the_payroll_paie_demo_builds():
    from territoire.actions import description_officielle, do_creer_ou_mettre_a_jour

    territoire, _, _ = do_creer_ou_mettre_a_jour(description_officielle(demo.SIREN))
    annee, seed, scale = demo.ANNEES[-1]
    buffer = io.BytesIO()
    write_payroll_csv(demo.paie_demo(annee), buffer)
    assert demo.payroll_csv(territoire, seed, scale) == buffer.getvalue()


def test_merignac_read_back_from_its_dsn_gives_the_same_lines_costs_etp_and_coefficient(paie, dossier, lecture,
                                                                                       territoire):  # fmt: skip
    correspondance_csv = next(p for p in dossier if p.suffix == ".csv").read_bytes()
    relue = relire(lecture, correspondance_csv, territoire)
    origine = lire(paie, territoire)
    assert relue.lines.height == origine.lines.height == paie.height > 1000
    assert lignes(relue).equals(lignes(origine))

    agents = paie.group_by("agent").agg(pl.col("cout_annuel", "etp", "statut").first())
    assert {a.matricule: a.cout for a in lecture.agents} == {
        agent: centimes(cout) for agent, cout in zip(agents["agent"], agents["cout_annuel"], strict=True)
    }
    assert {a.matricule: a.etp for a in lecture.agents} == {
        agent: Decimal(repr(etp)).quantize(Decimal("0.0001"))
        for agent, etp in zip(agents["agent"], agents["etp"], strict=True)
    }
    assert {a.matricule: a.statut for a in lecture.agents} == dict(zip(agents["agent"], agents["statut"], strict=True))

    organisations = [territoire.epci, *sorted(territoire.communes)]
    avant = compute_coefficient(origine.lines, territoire.epci, organisations)
    apres = compute_coefficient(relue.lines, territoire.epci, organisations)
    assert avant.numerator > 0  # an RH agent of Mérignac made available to the EPCI
    assert centimes(apres.numerator) == centimes(avant.numerator)
    assert centimes(apres.denominator) == centimes(avant.denominator)
    assert apres.fte_denominator == pytest.approx(avant.fte_denominator, abs=1e-9)
    # The same figures summed exactly, line by line, from the payroll file's decimals.
    fonctionnels = paie.filter(pl.col("theme").is_in(avant.functional_themes))
    exact = sum(centimes(c) * Decimal(repr(q)) for c, q in zip(fonctionnels["cout_annuel"], fonctionnels["quotite"],
                                                                strict=True))  # fmt: skip
    assert centimes(apres.denominator) == exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_every_demo_cost_is_a_gross_at_its_regime_rate_and_the_rounding_is_decimal_half_up():
    paie = demo.paie_demo(ANNEE)
    couts = np.rint(paie["cout_annuel"].to_numpy() * 100).astype(np.int64)
    num, den = charge_factors(paie["statut"].to_list())
    assert (cost_from_gross(gross_from_cost(couts, num, den), num, den) == couts).all()
    # Against Decimal, half up, for every gross up to 2,000 € at both rates (ties included: G × 1.4655 ends
    # in 0.5 cent for G ≡ 1000 mod 2000).
    bruts = np.arange(200_001, dtype=np.int64)
    for statut, regime in (("titulaire", "cnracl"), ("contractuel", "general")):
        num, den = charge_factors([statut] * len(bruts))
        facteur = 1 + TAUX_CHARGES_DEMO[regime]
        attendus = [int((b * facteur).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for b in range(200_001)]
        assert cost_from_gross(bruts, num, den).tolist() == attendus
        assert (gross_from_cost(np.array(attendus), num, den) == bruts).all()


def test_a_cost_that_no_gross_gives_is_refused(paie):
    num, den = charge_factors(["titulaire"])
    cout = next(c for c in range(4_400_000, 4_400_100) if cost_from_gross(gross_from_cost(c, num, den), num, den) != c)
    titulaire = paie.filter(pl.col("statut") == "titulaire")["agent"][0]
    faux = paie.with_columns(
        pl.when(pl.col("agent") == titulaire).then(cout / 100).otherwise(pl.col("cout_annuel")).alias("cout_annuel")
    )
    with pytest.raises(ValueError, match=f"1 coût\\(s\\) qu'aucun brut ne donne .* : {titulaire}"):
        gen.ecrire_dsn(faux, ANNEE, SIREN_MERIGNAC, "00017")


def test_the_files_carry_the_blocks_mutualis_skips_and_none_of_them_reaches_the_result(dossier, lecture):
    fichiers = [p for p in dossier if p.suffix == ".dsn"]
    assert [p.name for p in fichiers] == [f"dsn-{MERIGNAC}-{ANNEE}-{m:02d}.dsn" for m in range(1, 13)]
    contenu = fichiers[0].read_bytes()
    for rubrique in ("S10.G00.00.001", "S10.G00.01.001", "S21.G00.30.002", "S21.G00.30.004", "S21.G00.30.006",
                     "S21.G00.30.008", "S21.G00.50.001", "S21.G00.52.002", "S21.G00.78.004", "S21.G00.81.004",
                     "S21.G00.23.005", "S90.G00.90.001"):  # fmt: skip
        assert f"\n{rubrique},'".encode() in b"\n" + contenu, rubrique
    for type_ in ("001", "002", "003", "010"):
        assert f"S21.G00.51.011,'{type_}'".encode() in contenu
    assert any(b"S21.G00.60.001" in p.read_bytes() for p in fichiers)
    assert any(b"S21.G00.65.001" in p.read_bytes() for p in fichiers)
    nirs = NIR.findall(contenu)
    assert len(nirs) == contenu.count(b"S21.G00.30.001,") == contenu.count(b"S21.G00.30.019,") > 1000
    assert len(set(nirs)) == len(nirs)
    # Rubrique count at the end (S90.G00.90.001 counts every rubrique, itself and the next included).
    rubriques = contenu.count(b"\n")
    assert contenu.endswith(f"S90.G00.90.001,'{rubriques}'\nS90.G00.90.002,'1'\n".encode())

    # Nothing of the skipped blocks in what Mutualis keeps: no NIR, no name, no address.
    declarations, erreurs = dsn.lire_fichier(fichiers[0].name, lambda: fichiers[0].open("rb"))
    assert not erreurs
    gardé = repr(declarations) + repr(lecture)
    assert not any(nir.decode() in gardé for nir in nirs[:200])
    assert not any(nom in gardé for nom in ("MARTIN", "BERNARD", "DURAND", "FICTIVE", "RUE DES"))


def test_the_elus_are_left_out_with_a_warning(dossier, lecture):
    assert all(p.read_bytes().count(b"S21.G00.40.007,'80'") == gen.ELUS for p in dossier if p.suffix == ".dsn")
    ignores = 12 * gen.ELUS
    assert (
        f"{ignores} contrats-mois ignorés (mandats d'élus, stages, services civiques) et leur rémunération"
        in lecture.avertissements
    )
    assert not [a for a in lecture.agents if a.matricule.startswith("ELU")]


def test_the_correspondence_places_single_line_agents_by_libelle_and_the_others_by_matricule(paie, dossier):
    regles = [l.split(";") for l in next(p for p in dossier if p.suffix == ".csv").read_text().splitlines()]
    assert regles[0] == list(correspondance.COLONNES)
    emplois = [r for r in regles if r[0] == "emploi"]
    par_matricule = {r[1] for r in regles if r[0] == "matricule"}
    assert len({correspondance.normaliser(r[1]) for r in emplois}) == len(emplois)
    assert "Agent – Paie et gestion administrative des carrières" in {r[1] for r in emplois}
    composes = paie.group_by("agent").agg(n=pl.len(), autre=(pl.col("situation") != "propre").any())
    assert par_matricule == set(composes.filter((pl.col("n") > 1) | pl.col("autre"))["agent"])
    assert ["matricule", "M000197", "RH", "RH-REMU", "1", "mad", demo.SIREN] in regles
    m444 = [r for r in regles if r[1] == "M000444"]  # made available to the EPCI for 60 % of its time
    assert m444 == [
        ["matricule", "M000444", "TIDP", "TIDP-PLUV", "0.6", "mad", demo.SIREN],
        ["matricule", "M000444", "AUTRE", "", "0.2", "", ""],
        ["matricule", "M000444", "GDP", "GDP-SURV", "0.2", "", ""],
    ]


def test_a_hand_made_employer_with_quarters_of_time_a_mad_and_a_transfer(territoire):
    """Quotités and ETP that are not tenths are written exactly (35 × 0.3333 = 11.6655 hours)."""
    num, den = charge_factors(["titulaire", "contractuel"])

    def cout(brut, k):
        return int(cost_from_gross(np.array([brut]), num[k : k + 1], den[k : k + 1])[0]) / 100

    epci = territoire.epci
    frame = pl.DataFrame(
        [
            (epci, "A1", "FIN", "FIN-BUDG", cout(3_000_011, 0), 1.0, 1.0, "propre", None, "titulaire", "B", "DF"),
            (epci, "A2", "RH", "RH-PAIE", cout(1_000_003, 1), 0.25, 0.3333, "propre", None, "contractuel", "C", "RH"),
            (epci, "A2", "AUTRE", None, cout(1_000_003, 1), 0.75, 0.3333, "propre", None, "contractuel", "C", "RH"),
            (epci, "A3", "SI", None, cout(4_500_000, 0), 1.0, 0.75, "mad", MERIGNAC, "titulaire", "A", "DSI"),
            (epci, "A4", "SI", "SI-INFR", cout(4_500_000, 0), 1.0, 0.9, "transfere", None, "titulaire", "A", "DSI"),
        ],
        schema=[
            "employeur",
            "agent",
            "theme",
            "activite",
            "cout_annuel",
            "quotite",
            "etp",
            "situation",
            "beneficiaire",
            "statut",
            "categorie",
            "service",
        ],  # fmt: skip
        orient="row",
    )
    fichiers = gen.ecrire_dsn(frame, ANNEE, epci, "00013", elus=2)
    assert b"S21.G00.40.013,'11.6655'" in fichiers[f"dsn-{epci}-{ANNEE}-01.dsn"]
    assert b"S21.G00.40.013,'26.25'" in fichiers[f"dsn-{epci}-{ANNEE}-01.dsn"]
    # 30,000.11 € of gross: 2,500.00 € a month, the 11 cents in December.
    assert b"S21.G00.51.013,'2500.00'" in fichiers[f"dsn-{epci}-{ANNEE}-11.dsn"]
    assert b"S21.G00.51.013,'2500.11'" in fichiers[f"dsn-{epci}-{ANNEE}-12.dsn"]
    lecture = dsn.lire_annee([(n, lambda c=c: io.BytesIO(c)) for n, c in fichiers.items()], ANNEE,
                             TAUX_CHARGES_DEMO, epci)  # fmt: skip
    assert "24 contrats-mois ignorés (mandats d'élus, stages, services civiques) et leur rémunération" in (
        lecture.avertissements
    )
    assert {a.matricule: a.cout for a in lecture.agents} == {
        "A1": Decimal("43965.16"),  # 30,000.11 × 1.4655 = 43,965.161…
        "A2": Decimal("13527.04"),  # 10,000.03 × 1.3527 = 13,527.040…
        "A3": Decimal("65947.50"),  # 45,000.00 × 1.4655
        "A4": Decimal("65947.50"),
    }
    relue = relire(lecture, gen.correspondance_csv(frame).encode(), territoire, employeur=epci)
    assert lignes(relue).equals(lignes(lire(frame, territoire)))


def test_same_arguments_same_bytes_and_the_seed_only_changes_identities():
    petite = demo.paie_demo(ANNEE).filter(pl.col("employeur") == "33004")  # Ambès
    siren = gen.siren_commune("33004")
    une = gen.ecrire_dsn(petite, ANNEE, siren, "00011")
    assert une == gen.ecrire_dsn(petite, ANNEE, siren, "00011")
    assert gen.correspondance_csv(petite) == gen.correspondance_csv(petite)
    autre = gen.ecrire_dsn(petite, ANNEE, siren, "00011", graine=1)
    assert NIR.findall(autre["dsn-33004-2025-01.dsn"]) != NIR.findall(une["dsn-33004-2025-01.dsn"])

    def agents(fichiers):
        ouverts = [(n, lambda c=c: io.BytesIO(c)) for n, c in fichiers.items()]
        return dsn.lire_annee(ouverts, ANNEE, TAUX_CHARGES_DEMO, siren).agents

    assert agents(autre) == agents(une)


def test_bad_input_is_refused():
    paie = demo.paie_demo(ANNEE)
    with pytest.raises(ValueError, match="les lignes d'un seul employeur sont attendues, pas de 29"):
        gen.ecrire_dsn(paie, ANNEE, demo.SIREN, "00013")
    with pytest.raises(ValueError, match="colonnes manquantes : statut"):
        gen.correspondance_csv(paie.drop("statut"))
    with pytest.raises(ValueError, match="statut « autre »"):
        gen.ecrire_dsn(paie.filter(pl.col("employeur") == "33004").with_columns(statut=pl.lit("autre")), 2025,
                       "213300049", "00011")  # fmt: skip
    assert gen.siren_commune("33063") == "213300635"  # Bordeaux's real SIREN
    with pytest.raises(ValueError, match="code INSEE"):
        gen.siren_commune("3306")


@pytest.mark.django_db
def test_mutualis_demo_dsn_writes_merignac_files_for_a_person_to_try(capsys, tmp_path, settings):
    from comptes.models import Utilisateur
    from tests.cast import run_command

    Utilisateur.objects.create(username="quelquun")  # a database already in use: the demo is not loaded again
    settings.VAR_DIR = tmp_path
    status, out, err = run_command(capsys, "demo", "--si-vide", "--dsn")
    assert status == 0, err
    noms = sorted(p.name for p in (tmp_path / "demo" / "dsn").iterdir())
    assert noms == sorted([f"dsn-{MERIGNAC}-{ANNEE}-{m:02d}.dsn" for m in range(1, 13)] + [
        f"correspondance-{MERIGNAC}-{ANNEE}.csv"
    ])  # fmt: skip
    assert "conservées" in out
    assert "taux de cotisations patronales à donner : CNRACL 46,55 %, régime général 35,27 %." in out
