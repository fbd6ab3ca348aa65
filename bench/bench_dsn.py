"""Reading a year of DSN for a 5,000-agent employer (formats/dsn.py): twelve monthly files of 5,000
individuals (one contract each, one brut pay line and one other pay line, contribution blocks Mutualis
skips), about 60,000 contract-months; median of 5 runs against the issue's target of 5 s. The files are
written once to a temporary folder; their size is printed."""

import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from formats import dsn  # noqa: E402

AGENTS, RUNS, TARGET_S = 5000, 5, 5.0
TAUX = {"cnracl": Decimal("0.3765"), "general": Decimal("0.42")}


def mois(m: int) -> str:
    lignes = [
        "S10.G00.00.001,'Logiciel'",
        "S20.G00.05.001,'01'",
        "S20.G00.05.002,'01'",
        "S20.G00.05.003,'11'",
        f"S20.G00.05.005,'01{m:02d}2025'",
        "S21.G00.06.001,'213302817'",
        "S21.G00.11.001,'00018'",
    ]
    for a in range(AGENTS):
        lignes += [
            "S21.G00.30.001,'2850733063123'",
            "S21.G00.30.002,'NOM'",
            "S21.G00.30.004,'Prénom'",
            "S21.G00.30.006,'01011985'",
            f"S21.G00.30.019,'M{a:05d}'",
            "S21.G00.40.001,'01012020'",
            "S21.G00.40.006,'Adjoint administratif'",
            f"S21.G00.40.007,'{'50' if a % 3 else '10'}'",
            "S21.G00.40.009,'1'",
            "S21.G00.40.011,'10'",
            "S21.G00.40.012,'35'",
            f"S21.G00.40.013,'{35 if a % 4 else 28}'",
            f"S21.G00.40.020,'{'120' if a % 3 else '200'}'",
            "S21.G00.51.001,'01012025'",
            "S21.G00.51.010,'1'",
            "S21.G00.51.011,'001'",
            f"S21.G00.51.013,'{1800 + a % 900}.35'",
            "S21.G00.51.001,'01012025'",
            "S21.G00.51.010,'1'",
            "S21.G00.51.011,'002'",
            "S21.G00.51.013,'150.00'",
            *(f"S21.G00.81.00{k},'{k}23.45'" for k in range(1, 6)),
            "S21.G00.78.001,'03'",
            "S21.G00.78.004,'2100.00'",
        ]
    return "\n".join(lignes) + "\n"


def main():
    dossier = Path(tempfile.mkdtemp(prefix="mutualis-dsn-"))
    fichiers = []
    for m in range(1, 13):
        p = dossier / f"dsn-{m:02d}.txt"
        p.write_text(mois(m), encoding="utf-8")
        fichiers.append((p.name, lambda p=p: p.open("rb")))
    taille = sum(p.stat().st_size for p in dossier.iterdir())
    temps = []
    for _ in range(RUNS):
        t = time.perf_counter()
        annee = dsn.lire_annee(fichiers, 2025, TAUX, "213302817")
        temps.append(time.perf_counter() - t)
    tracemalloc.start()
    dsn.lire_annee(fichiers, 2025, TAUX, "213302817")
    _, pic = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    lo, med, hi = min(temps), statistics.median(temps), max(temps)
    print(
        f"DSN {AGENTS} agents × 12 mois ({annee.contrats} contrats-mois, {taille / 1e6:.0f} Mo) : "
        f"min {lo:.2f}  median {med:.2f}  max {hi:.2f} s (target {TARGET_S:.0f} s, ratio {med / TARGET_S:.2f}); "
        f"pic mémoire Python {pic / 1e6:.0f} Mo"
    )


if __name__ == "__main__":
    main()
