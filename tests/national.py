"""A small national payroll for the tests of the national batch (docs/contrats/7-fichiers-nationaux.md), and
the coefficients computed from it independently, in plain Python over the CSV rows."""

import csv
import io
import math
from pathlib import Path

from engine.themes import DEFAULT_FUNCTIONAL
from masse_salariale.generateur_national import generate_national, write_national
from territoire.officiel import lookup_epci

# The header row of the DGCL's epcicom.xlsx, as the official file has it (docs/donnees-officielles.md).
EPCICOM_HEADER = [
    "dept",
    "siren",
    "raison_sociale",
    "nature_juridique",
    "mode_financ",
    "nb_membres",
    "total_pop_tot",
    "total_pop_mun",
    "dep_com",
    "insee",
    "siren_membre",
    "nom_membre",
    "ptot_2025",
    "pmun_2025",
]

# Bordeaux Métropole and Nantes Métropole (large), a communauté de communes, a Corsican agglomeration
# (codes 2A...), a Mayotte community without populations, an FA community.
SIRENS = ("243300316", "244400404", "200000172", "242010056", "200050532", "200040798")
# An EPCI of the territories file without any payroll line.
SANS_PAIE = "200000438"
SEED = 17
SCALE = 0.03


def ecrire_national(dossier: Path) -> dict[str, Path]:
    """territoires.csv (SIRENS and SANS_PAIE), masse_salariale.csv and .parquet (SIRENS) in `dossier`."""
    national = generate_national(SEED, SCALE, [lookup_epci(s) for s in SIRENS])
    write_national(national, dossier)
    # The EPCI without payroll, with its communes, added to the territories file.
    sans_paie = generate_national(SEED, SCALE, [lookup_epci(SANS_PAIE)]).territories
    with (dossier / "territoires.csv").open("a", encoding="utf-8", newline="") as f:
        f.write(sans_paie.write_csv(separator=";", include_header=False, line_terminator="\n"))
    return {
        "territoires": dossier / "territoires.csv",
        "csv": dossier / "masse_salariale.csv",
        "parquet": dossier / "masse_salariale.parquet",
    }


def lire_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""), delimiter=";"))


def calcul_independant(territoires: Path, paie: Path) -> dict[str, dict[str, float]]:
    """Each EPCI's totals by docs/contrats §4, line by line, with exact float sums (math.fsum)."""
    epci_de = {}
    for row in lire_csv(territoires):
        epci_de[row["code"]] = row["code"] if row["type"] == "epci" else row["epci"]
    termes: dict[str, dict[str, list[float]]] = {
        e: {"numerator": [], "denominator": [], "fte_numerator": [], "fte_denominator": []}
        for e in set(epci_de.values())
    }
    for row in lire_csv(paie):
        if row["theme"] not in DEFAULT_FUNCTIONAL:
            continue
        epci = epci_de[row["employeur"]]
        quotite = float(row["quotite"] or 1)
        montant = float(row["cout_annuel"]) * quotite
        etp = float(row["etp"] or 1) * quotite
        t = termes[epci]
        t["denominator"].append(montant)
        t["fte_denominator"].append(etp)
        if row["employeur"] == epci or (row["situation"] == "mad" and row["beneficiaire"] == epci):
            t["numerator"].append(montant)
            t["fte_numerator"].append(etp)
    return {epci: {k: math.fsum(v) for k, v in t.items()} for epci, t in termes.items()}
