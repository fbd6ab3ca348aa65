"""The coefficient engine alone on ~1.5 million payroll lines (target < 1 s)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.coefficient import compute_coefficient  # noqa: E402
from masse_salariale.generateur import generate_payroll  # noqa: E402
from territoire.officiel import lookup_epci  # noqa: E402

TARGET_S = 1.0


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
    compute_coefficient(frame.head(1000), epci.code, orgs)  # warm-up
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = compute_coefficient(frame, epci.code, orgs)
        runs.append(time.perf_counter() - t0)
    best, median = min(runs), sorted(runs)[len(runs) // 2]
    print(f"lines: {frame.height:,}  (generated in {t_gen:.2f} s)")
    print(f"coefficient: {result.coefficient:.6f}")
    print(
        f"engine: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms; target {TARGET_S * 1000:.0f} ms; "
        f"ratio median/target {median / TARGET_S:.2f}"
    )


if __name__ == "__main__":
    main()
