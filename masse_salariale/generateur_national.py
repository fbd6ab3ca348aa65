"""A synthetic national payroll (docs/contrats/7-fichiers-nationaux.md): every EPCI à fiscalité propre of
France with its member communes, from the official files shipped with the project (territoire/officiel.py),
each territory's payroll drawn by the territory generator (masse_salariale/generateur.py).

Each EPCI's payroll is drawn from a seed derived from the national seed and its SIREN, so a territory's
lines do not depend on the others, and the same seed always gives the same files. At scale 1 the model
of generateur.py gives about 1.3 million agents (docs/domaine.md §4: the communes+EPCI perimeter is
1.3-1.5 million).

Pure Python: no Django import.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from formats.national import atomic_file
from masse_salariale.generateur import PAYROLL_COLUMNS, generate_payroll, write_payroll_csv
from territoire.officiel import OfficialEpci, all_epcis

TERRITORIES_FILE = "territoires.csv"
PAYROLL_CSV = "masse_salariale.csv"
PAYROLL_PARQUET = "masse_salariale.parquet"

# The territory model (generateur.py) gives 1.15 million agents for the whole of France at its scale 1:
# its rates leave out what communes and EPCIs employ beyond the usual services (CCAS, régies...). The
# national file's scale 1 is France's communes+EPCI perimeter, about 1.3 million agents (docs/domaine.md
# §4), so every territory is drawn at this factor times the national scale.
NATIONAL_FACTOR = 1.134

# Columns of the territories file: docs/contrats §2 plus the commune's EPCI (empty on EPCI rows).
TERRITORY_COLUMNS = ("code", "nom", "type", "population", "fiscalite", "epci")


@dataclass(frozen=True)
class NationalPayroll:
    territories: pl.DataFrame  # TERRITORY_COLUMNS, every column a string
    payroll: pl.DataFrame  # PAYROLL_COLUMNS
    agents: int


def territory_seed(seed: int, siren: str) -> int:
    """The seed of one territory's draw: a stable hash of the national seed and the SIREN."""
    digest = hashlib.blake2b(f"{seed}:{siren}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def territories_frame(epcis: Iterable[OfficialEpci]) -> pl.DataFrame:
    """The territories file: for each EPCI (in the given order) its row, then its communes' rows."""
    rows: list[tuple[str, ...]] = []
    for epci in epcis:
        pop = None if epci.population is None else str(epci.population)
        rows.append((epci.code, epci.nom, "epci", pop, epci.fiscalite, None))
        for c in epci.communes:
            rows.append(
                (c.code, c.nom, "commune", None if c.population is None else str(c.population), None, epci.code)
            )
    return pl.DataFrame(rows, schema=dict.fromkeys(TERRITORY_COLUMNS, pl.String), orient="row")


def generate_national(seed: int, scale: float = 1.0, epcis: Iterable[OfficialEpci] | None = None) -> NationalPayroll:
    """The territories and payroll of every official EPCI (or of `epcis`), sorted by SIREN; same arguments,
    same frames. Rows of one territory follow generateur.generate_payroll's order."""
    if not scale > 0:
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    chosen = sorted(all_epcis() if epcis is None else epcis, key=lambda e: e.code)
    frames = []
    agents = 0
    for epci in chosen:
        frame = generate_payroll(
            (epci.code, epci.nom, epci.population),
            [(c.code, c.nom, c.population) for c in epci.communes],
            seed=territory_seed(seed, epci.code),
            scale=scale * NATIONAL_FACTOR,
        )
        agents += frame.select(pl.struct("employeur", "agent").n_unique()).item()
        frames.append(frame)
    payroll = pl.concat(frames, rechunk=True) if frames else pl.DataFrame(schema=dict.fromkeys(PAYROLL_COLUMNS))
    return NationalPayroll(territories_frame(chosen), payroll, agents)


def write_national(national: NationalPayroll, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the three files into `directory` (created if need be), each under a temporary name then renamed,
    so that no half-written file is ever left under its real name. Returns their paths."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    writers = (
        (TERRITORIES_FILE, lambda p: _write_csv(national.territories, p)),
        (PAYROLL_CSV, lambda p: write_payroll_csv(national.payroll, p)),
        (PAYROLL_PARQUET, lambda p: national.payroll.select(PAYROLL_COLUMNS).write_parquet(p, statistics=False)),
    )
    written = []
    for name, write in writers:
        with atomic_file(target / name) as temporary:
            write(str(temporary))
        written.append(target / name)
    return written


def _write_csv(frame: pl.DataFrame, path: str) -> None:
    frame.write_csv(path, separator=";", include_header=True, null_value="", line_terminator="\n")
