"""Reading a year of DSN for a 5,000-agent employer (formats/dsn.py): the synthetic payroll of Bordeaux
(masse_salariale/generateur.py, scaled to 5,000 agents) written as its twelve monthly DSN by
masse_salariale/generateur_dsn.py, with the blocks real files carry and Mutualis skips (NIR, names,
addresses, payments, bases, individual contributions, absences, other pay types) and a few élus; a first run
apart, then min / median / max of 5 more, the median against the issue's target of 5 s (PASS/FAIL). The
files are written once to a temporary folder, then deleted; their size, the generation time (not part of the
target) and the reading's peak Python memory are printed."""

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import polars as pl  # noqa: E402
from verdicts import verdict  # noqa: E402

from formats import dsn  # noqa: E402
from masse_salariale.generateur import TAUX_CHARGES_DEMO, generate_payroll  # noqa: E402
from masse_salariale.generateur_dsn import ecrire_dossier, siren_commune  # noqa: E402

AGENTS, RUNS, TARGET_S, ANNEE, SEED = 5000, 5, 5.0, 2025, 2026
EPCI = ("243300316", "Bordeaux Métropole", None)
BORDEAUX = ("33063", "Bordeaux", 267_991)


def paie() -> pl.DataFrame:
    """Bordeaux's lines, the headcount scaled to AGENTS (within an agent: scale rounds the headcount)."""
    a_l_echelle_1 = generate_payroll(EPCI, [BORDEAUX], SEED).filter(pl.col("employeur") == BORDEAUX[0])
    scale = AGENTS / a_l_echelle_1["agent"].n_unique()
    return generate_payroll(EPCI, [BORDEAUX], SEED, scale=scale).filter(pl.col("employeur") == BORDEAUX[0])


def main():
    t = time.perf_counter()
    lignes = paie()
    agents = lignes["agent"].n_unique()
    with tempfile.TemporaryDirectory(prefix="mutualis-dsn-") as nom:
        chemins = ecrire_dossier(lignes, nom, ANNEE, siren_commune(BORDEAUX[0]), "00018")
        generation = time.perf_counter() - t
        fichiers = [(p.name, lambda p=p: p.open("rb")) for p in chemins if p.suffix == ".dsn"]
        taille = sum(p.stat().st_size for p in chemins if p.suffix == ".dsn")
        temps = []
        for _ in range(RUNS + 1):
            t = time.perf_counter()
            annee = dsn.lire_annee(fichiers, ANNEE, TAUX_CHARGES_DEMO, siren_commune(BORDEAUX[0]))
            temps.append(time.perf_counter() - t)
        tracemalloc.start()
        dsn.lire_annee(fichiers, ANNEE, TAUX_CHARGES_DEMO, siren_commune(BORDEAUX[0]))
        _, pic = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert len(annee.agents) == agents, (len(annee.agents), agents)
    first, warm = temps[0], temps[1:]
    lo, med, hi = min(warm), statistics.median(warm), max(warm)
    word = verdict("bench_dsn", f"a year of DSN, {agents} agents", med, "s", TARGET_S)
    print(
        f"DSN {agents} agents × 12 mois ({annee.contrats} contrats-mois, {taille / 1e6:.0f} Mo, générés en "
        f"{generation:.1f} s) : first {first:.2f}; min {lo:.2f}  median {med:.2f}  max {hi:.2f} s "
        f"(target {TARGET_S:.0f} s, ratio {med / TARGET_S:.2f}) {word}; pic mémoire Python {pic / 1e6:.0f} Mo"
    )


if __name__ == "__main__":
    main()
