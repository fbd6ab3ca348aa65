"""The scenario engine on a Bordeaux-sized payroll: `bases()` once, then `simulate()` of a 20-action
scenario, the web's recomputation on every edit (target < 50 ms), on raw lines and on aggregates."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl  # noqa: E402
from verdicts import verdict  # noqa: E402

from engine.scenario import Action, Scenario, Territoire, bases, simulate  # noqa: E402
from masse_salariale.generateur import generate_payroll  # noqa: E402
from territoire.officiel import lookup_epci  # noqa: E402

TARGET_MS = 50.0
RUNS = 200
RESERVED_RH = frozenset({"RH-CONC", "RH-INST"})


def scenario_of(communes: tuple[str, ...]) -> Scenario:
    """20 non-overlapping actions of every modality over the territory's communes."""
    staff = ("service_commun", "mad_descendante", "mad_ascendante", "transfert")
    actions = []
    activities = (
        "RH-PAIE",
        "RH-FORM",
        "RH-RECR",
        "RH-SANT",
        "FIN-BUDG",
        "FIN-COMP",
        "FIN-FISC",
        "SI-INFR",
        "SI-APPL",
        "CPAJ-MARC",
        "CPAJ-JURI",
        "BML-ENTR",
    )
    for i, act in enumerate(activities):
        actions.append(
            Action(
                f"a{i + 1}",
                act.split("-")[0],
                act,
                None,
                staff[i % 4],
                part=0.8,
                gain=0.1,
                annee=2026 + i % 5,
                charges_associees=10_000.0,
            )
        )
    for i, theme in enumerate(("AOS", "GDP", "ECO", "TIDP")):
        actions.append(Action(f"b{i + 1}", theme, None, communes[i::4], "service_commun", gain=0.05, annee=2028))
    for i, modalite in enumerate(("groupement_commandes", "prestation", "mise_en_commun_biens", "entente")):
        actions.append(Action(f"c{i + 1}", "BML", None, None, modalite, economie=100_000.0, annee=2027 + i))
    return Scenario("bench", 0.3, tuple(actions))


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main():
    epci = lookup_epci("243300316")
    frame = generate_payroll(
        (epci.code, epci.nom, epci.population), [(c.code, c.nom, c.population) for c in epci.communes], seed=1
    )
    frame = frame.with_columns(
        (pl.col("cout_annuel") * pl.col("quotite")).alias("montant"),
        (pl.col("etp") * pl.col("quotite")).alias("etp_ligne"),
    )
    aggregates = (
        frame.with_columns(pl.col("activite").fill_null(""), pl.col("beneficiaire").fill_null(""))
        .group_by("employeur", "theme", "activite", "situation", "beneficiaire", "categorie")
        .agg(pl.col("montant").sum(), pl.col("etp_ligne").sum())
    )
    territoire = Territoire(
        epci.code, True, tuple(c.code for c in epci.communes), {c.code: c.population for c in epci.communes}
    )
    scenario = scenario_of(territoire.communes)
    print(
        f"payroll: {frame.height:,} lines, {aggregates.height:,} aggregate rows, "
        f"{len(territoire.communes)} communes, {len(scenario.actions)} actions"
    )
    print(f"load of the machine (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for label, data in (("lines", frame), ("aggregates", aggregates)):
        cold = timed(lambda data=data: bases(data, territoire), 1)[0]
        b = bases(data, territoire)
        t_bases = sorted(timed(lambda data=data: bases(data, territoire), 20))
        first = timed(lambda b=b: simulate(b, territoire, scenario, RESERVED_RH), 1)[0]
        runs = sorted(timed(lambda b=b: simulate(b, territoire, scenario, RESERVED_RH), RUNS))
        median = statistics.median(runs)
        result = simulate(b, territoire, scenario, RESERVED_RH)
        word = verdict("bench_scenario", f"simulate() 20 actions, on {label}", median, "ms", TARGET_MS)
        print(
            f"{label}: bases() cold {cold:.1f} ms, warm min/median/max {t_bases[0]:.1f} / "
            f"{statistics.median(t_bases):.1f} / {t_bases[-1]:.1f} ms (20 runs); simulate() first {first:.2f} ms, "
            f"warm min/median/max {runs[0]:.2f} / {median:.2f} / {runs[-1]:.2f} ms ({RUNS} runs); "
            f"target {TARGET_MS:.0f} ms; ratio median/target {median / TARGET_MS:.3f} {word}; "
            f"coefficient {result.before.coefficient:.4f} → {result.after.coefficient:.4f}"
        )


if __name__ == "__main__":
    main()
