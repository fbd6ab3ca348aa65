"""The coefficient engine alone on ~1.5 million payroll lines (target < 1 s): a first run apart (cold: the
engine's first call on the frame), then RUNS warm runs, min / median / max, PASS/FAIL on the median."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verdicts import verdict  # noqa: E402

from engine.coefficient import compute_coefficient  # noqa: E402
from masse_salariale.generateur import generate_payroll  # noqa: E402
from territoire.officiel import lookup_epci  # noqa: E402

TARGET_S = 1.0
RUNS = 5


def main():
    epci = lookup_epci("243300316")
    scale = float(os.environ.get("BENCH_SCALE", "65"))
    t0 = time.perf_counter()
    frame = generate_payroll(
        (epci.code, epci.nom, epci.population),
        [(c.code, c.nom, c.population) for c in epci.communes],
        seed=1,
        scale=scale,
    )
    frame = frame.with_columns(
        (frame["cout_annuel"] * frame["quotite"]).alias("montant"), (frame["etp"] * frame["quotite"]).alias("etp_ligne")
    )
    t_gen = time.perf_counter() - t0
    orgs = [epci.code, *(c.code for c in epci.communes)]
    runs = []
    for _ in range(RUNS + 1):
        t0 = time.perf_counter()
        result = compute_coefficient(frame, epci.code, orgs)
        runs.append(time.perf_counter() - t0)
    cold, warm = runs[0], runs[1:]
    median = statistics.median(warm)
    figure = f"coefficient, {frame.height / 1e6:.1f} M lines"
    word = verdict("bench_engine", figure, median * 1000, "ms", TARGET_S * 1000)
    print(f"lines: {frame.height:,}  (generated in {t_gen:.2f} s)")
    print(f"coefficient: {result.coefficient:.6f}")
    print(
        f"engine: cold {cold * 1000:.0f} ms; warm min {min(warm) * 1000:.0f}  median {median * 1000:.0f}  "
        f"max {max(warm) * 1000:.0f} ms ({len(warm)} runs); target {TARGET_S * 1000:.0f} ms; "
        f"ratio median/target {median / TARGET_S:.2f} {word}"
    )


if __name__ == "__main__":
    main()
