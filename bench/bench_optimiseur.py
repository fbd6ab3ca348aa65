"""The optimiser on Bordeaux-sized instances (not a test): 28 communes × 9 themes × 3 staff-moving
modalités = 756 candidates, overlapping within each commune × theme, seeds 1 to 10 of the generator below,
both modes (docs/optimiseur.md, « Mesures »).

For each seed and mode, over `--runs` warm runs (one run before, not counted): the selection with its
tie-breaking (target 1 s) and the whole call with the binding analysis (target 2 s), min / median /
max, the median against its target (PASS or FAIL), and whether the result is proven optimal. A figure
whose runs pass `--budget` seconds in all stops repeating (the number of runs is printed).

    .venv/bin/python bench/bench_optimiseur.py [--seeds 1-10 | --seeds 1,2,4] [--runs 5] [--budget 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verdicts import verdict  # noqa: E402

from engine.optimiseur import Candidate, Problem, optimise  # noqa: E402
from engine.themes import THEMES  # noqa: E402

SELECTION_TARGET_S = 1.0
BINDING_TARGET_S = 2.0
COMMUNES = ["33063", *(f"33{n:03d}" for n in range(1, 28))]  # Bordeaux first: by far the largest
MODALITES = ("service_commun", "transfert", "mad_ascendante")
COST_PER_FTE = 45_000.0


def instance(seed: int) -> Problem:
    """Random but realistic effects: a commune's base in a theme is a few to a few hundred agents; each
    modalité moves a part (30-100 %) of it with a productivity gain (0-20 %)."""
    rng = random.Random(seed)
    candidates, overlaps = [], set()
    denominator0, numerator0 = 0.0, 0.0
    epci_functional = 0.0
    for i, commune in enumerate(COMMUNES):
        size = 40.0 if i == 0 else rng.uniform(1.0, 8.0)  # agents per functional theme, roughly
        for theme in THEMES:
            base_fte = size * rng.uniform(0.5, 1.5)
            base_cost = base_fte * COST_PER_FTE * rng.uniform(0.85, 1.15)
            if theme.functional:
                denominator0 += base_cost
            group = []
            for modalite in MODALITES:
                part, gain = rng.uniform(0.3, 1.0), rng.uniform(0.0, 0.2)
                moved_cost, moved_fte = part * base_cost, round(part * base_fte, 2)
                d_num = moved_cost * (1 - gain) if theme.functional else 0.0
                d_den = -moved_cost * gain if theme.functional else 0.0
                ident = f"{commune}-{theme.code}-{modalite}"
                candidates.append(
                    Candidate(
                        id=ident,
                        position=len(candidates),
                        d_numerator=d_num,
                        d_denominator=d_den,
                        moved_fte=moved_fte,
                        moved_cost=moved_cost,
                        ac=-moved_cost,
                        faisabilite=rng.randint(0, 5),
                        annee=rng.randint(2026, 2032),
                        theme=theme.code,
                        communes=(commune,),
                    )
                )
                group.append(ident)
            overlaps |= {(a, b) for k, a in enumerate(group) for b in group[k + 1 :]}
    for theme in THEMES:
        if theme.functional:
            epci_functional += rng.uniform(60, 120) * COST_PER_FTE
    numerator0 = epci_functional
    denominator0 += epci_functional
    return Problem(
        numerator0,
        denominator0,
        tuple(candidates),
        frozenset(overlaps),
        yearly_fte_cap=60.0,
        min_feasibility=1,
        refusals={"33063": frozenset({"RH"}), "33005": frozenset({"SI", "FIN"})},
    )


def modes(problem: Problem) -> list[tuple[str, dict]]:
    before = problem.numerator0 / problem.denominator0
    return [("target", {"target": round(before + 0.15, 4)}), ("max-fte", {"max_fte": 150.0})]


def seeds(text: str) -> list[int]:
    """ "1-10" or "1,2,4"."""
    out = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        out += list(range(int(low), int(high or low) + 1))
    return out


def timings(problem: Problem, runs: int, budget: float, **mode) -> tuple[list[float], object]:
    """Seconds of `runs` warm calls (fewer once they pass `budget` in all) and the last result."""
    optimise(problem, time_limit=600, **mode)  # warm-up, not counted
    seconds, result = [], None
    while len(seconds) < runs and sum(seconds) < budget:
        t0 = time.perf_counter()
        result = optimise(problem, time_limit=600, **mode)
        seconds.append(time.perf_counter() - t0)
    return seconds, result


def line(seed: int, label: str, figure: str, seconds: list[float], target: float, optimal: bool) -> bool:
    median = statistics.median(seconds)
    word = verdict("bench_optimiseur", f"seed {seed}, {label}, {figure}", median, "s", target, valid=optimal)
    print(
        f"{seed:>4}  {label:<8} {figure:<9} {min(seconds):>7.3f} {median:>7.3f} {max(seconds):>7.3f}"
        f"   {target:>4.0f} s   {word:<5} {'yes' if optimal else 'NO':<8} {len(seconds)}",
        flush=True,
    )
    return word == "PASS"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=seeds, default=list(range(1, 11)), help="e.g. 1-10 or 1,2,4")
    parser.add_argument("--runs", type=int, default=5, help="warm runs per figure")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds after which a figure stops repeating")
    args = parser.parse_args()
    print(f"{len(args.seeds)} seeds × 2 modes; seconds over warm runs; PASS: median under target and proven optimal")
    print("seed  mode     figure        min  median     max   target   result optimal  runs", flush=True)
    passed = total = 0
    started = time.perf_counter()
    for seed in args.seeds:
        problem = instance(seed)
        for label, mode in modes(problem):
            selection, chosen = timings(problem, args.runs, args.budget, with_binding=False, **mode)
            whole, full = timings(problem, args.runs, args.budget, **mode)
            assert full.selected == chosen.selected
            passed += line(seed, label, "selection", selection, SELECTION_TARGET_S, chosen.optimal)
            passed += line(seed, label, "+binding", whole, BINDING_TARGET_S, full.optimal and not full.warnings)
            total += 2
            print(
                f"      selected {len(full.selected)}, coefficient {full.coefficient:.6f}, moved_fte "
                f"{full.moved_fte:.2f}, binding {len(full.binding)}",
                flush=True,
            )
    print(f"{passed}/{total} PASS in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
