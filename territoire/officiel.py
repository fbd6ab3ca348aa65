"""The official EPCI à fiscalité propre and their member communes, shipped with the project.

Pure Python (no Django import). Reads ``territoire/data/officiel.csv.gz``, built by
``scripts/build_official_data.py`` from the DGCL composition at 1 January 2025, the COG 2026 and the
INSEE populations légales 2023 (see docs/donnees-officielles.md for sources, licence and choices).
The file is read once per process, on first use; each EPCI is built once, when first asked for.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "officiel.csv.gz"

# The Métropole de Lyon is listed by the DGCL with the EPCI but is a collectivité territoriale.
NOT_AN_EPCI = "MET69"
_SIREN_RE = re.compile(r"[0-9]{9}")
_HEADER = "siren,raison_sociale,nature,mode_financ,insee,nom,population,siren_membre"


@dataclass(frozen=True, slots=True)
class OfficialCommune:
    code: str  # INSEE code, 5 characters (2A004 in Corsica)
    nom: str  # COG 2026 LIBELLE
    population: int | None  # population municipale 2023; None where INSEE publishes none
    siren: str  # the commune's own SIREN (DGCL siren_membre), 9 digits; "" where the DGCL list gives none

    def __post_init__(self):
        if self.siren and not _SIREN_RE.fullmatch(self.siren):
            raise ValueError(f"commune {self.code} : SIREN « {self.siren} » : un SIREN s'écrit avec 9 chiffres.")


@dataclass(frozen=True, slots=True)
class OfficialEpci:
    code: str  # SIREN, 9 digits
    nom: str  # DGCL raison sociale
    nature: str  # CC, CA, CU or METRO
    fiscalite: str  # FPU or FA
    population: int | None  # sum of the communes' known populations; None if none is known
    communes: tuple[OfficialCommune, ...]  # sorted by code


class UnknownEpci(LookupError):
    """A SIREN that names no EPCI à fiscalité propre; ``str(exc)`` is a French message."""

    def __init__(self, message: str, *, siren: str | None = None):
        super().__init__(message)
        self.message = message
        self.siren = siren


def lookup_epci(siren: str) -> OfficialEpci:
    """The EPCI with this SIREN (surrounding spaces ignored), or UnknownEpci."""
    if not isinstance(siren, str):
        raise TypeError(f"SIREN attendu sous forme de texte, reçu {type(siren).__name__}")
    code = siren.strip()
    if not _SIREN_RE.fullmatch(code):
        raise UnknownEpci(f"SIREN « {siren} » : un SIREN s'écrit avec 9 chiffres.", siren=siren)
    lines = _index().get(code)
    if lines is None:
        raise UnknownEpci(
            f"SIREN {code} : aucun EPCI à fiscalité propre ne porte ce SIREN (liste DGCL au 1er janvier 2025).",
            siren=code,
        )
    epci = _build(code)
    if epci.nature == NOT_AN_EPCI:
        raise UnknownEpci(
            f"SIREN {code} : la {epci.nom} (nature {NOT_AN_EPCI}) n'est pas un EPCI mais une "
            "collectivité à statut particulier ; elle ne peut pas être un territoire de "
            "Mutualis.",
            siren=code,
        )
    return epci


def siren_membre(epci: str, insee: str) -> str | None:
    """The SIREN of a member commune as the DGCL lists it under this EPCI; None when the list has no such
    EPCI or member, or no SIREN for it (a commune nouvelle formed since)."""
    if epci not in _index():
        return None
    return next((c.siren or None for c in _build(epci).communes if c.code == insee), None)


def all_epcis() -> list[OfficialEpci]:
    """The 1,254 EPCI à fiscalité propre (Métropole de Lyon excluded), sorted by SIREN."""
    return list(_all())


@cache
def _all() -> tuple[OfficialEpci, ...]:
    epcis = (_build(siren) for siren in sorted(_index()))
    return tuple(e for e in epcis if e.nature != NOT_AN_EPCI)


@cache
def _index() -> dict[str, list[str]]:
    """SIREN -> its lines of the data file, unparsed.

    Parsing every line and building ~35,000 objects costs more than the rest of a cold lookup, so a
    lookup parses only the lines of the EPCI asked for. A line starts with its 9-digit SIREN (never
    quoted), which is enough to group the lines.
    """
    with gzip.open(DATA_FILE, "rb") as f:
        lines = f.read().decode("utf-8").split("\n")
    if lines[0] != _HEADER:
        raise RuntimeError(f"{DATA_FILE} : en-tête inattendu : {lines[0]}")
    index: dict[str, list[str]] = {}
    for line in lines[1:]:
        if line:
            index.setdefault(line[:9], []).append(line)
    return index


@cache
def _build(siren: str) -> OfficialEpci:
    rows = list(csv.reader(_index()[siren]))
    _, raison_sociale, nature, mode_financ, *_ = rows[0]
    communes = [
        OfficialCommune(insee, nom, int(pop) if pop else None, siren_membre)
        for *_, insee, nom, pop, siren_membre in rows
    ]
    communes.sort(key=lambda c: c.code)
    known = [c.population for c in communes if c.population is not None]
    return OfficialEpci(
        code=siren,
        nom=raison_sociale,
        nature=nature,
        fiscalite=mode_financ,
        population=sum(known) if known else None,
        communes=tuple(communes),
    )
