"""Build territoire/data/officiel.csv.gz from the official national files.

Sources (Etalab / DINUM "découpage administratif" v6.0.0, sources folder, Licence Ouverte / Open
Licence Etalab), all three in one directory:

- ``epcicom.xlsx``: DGCL, composition of the EPCI à fiscalité propre at 1 January 2025;
- ``communes.csv``: INSEE, Code officiel géographique 2026;
- ``donnees_communes.csv``: INSEE, populations légales millésime 2023 (in force 1 January 2026).

Output: gzip'd CSV (UTF-8, ``,``-separated, LF), one row per (EPCI, member commune), sorted by
SIREN then INSEE code, columns ``siren,raison_sociale,nature,mode_financ,insee,nom,population,siren_membre``
(population empty when INSEE publishes none; ``siren_membre`` is the commune's own SIREN from the
DGCL list, 9 digits, empty when unknown). The Métropole de Lyon (nature ``MET69``) is kept so
the product can explain why it is refused. A DGCL member that has since become a commune déléguée
or associée is replaced by its commune nouvelle (none in the v6.0.0 files); such a commune nouvelle
is a new legal person whose SIREN the DGCL list of 2025 does not give, so its ``siren_membre`` is
empty. Deterministic: same sources, same bytes.

Usage (from the repository root)::

    .venv/bin/python scripts/build_official_data.py [SOURCE_DIR] [--output FILE]

SOURCE_DIR defaults to ``../shared/data/officiel`` relative to the repository root. The data
decisions and their counts are in docs/donnees-officielles.md; the script prints the counts again.
No Django import: this runs with the bare interpreter of the project's venv.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import os
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from python_calamine import CalamineWorkbook

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "data" / "officiel"
DEFAULT_OUTPUT = REPO_ROOT / "territoire" / "data" / "officiel.csv.gz"

COLUMNS = ("siren", "raison_sociale", "nature", "mode_financ", "insee", "nom", "population", "siren_membre")
DGCL_COLUMNS = ("siren", "raison_sociale", "nature_juridique", "mode_financ", "insee", "siren_membre", "nom_membre")
NATURES = {"CC", "CA", "CU", "METRO", "MET69"}
FINANCING = {"FPU", "FA"}
INSEE_RE = re.compile(r"(?:[0-9]{5}|2[AB][0-9]{3})")
SIREN_RE = re.compile(r"[0-9]{9}")


class SourceError(Exception):
    pass


def _clean(text: str) -> str:
    # The DGCL file has one raison sociale with a doubled space ("CA ECLA  (Espace ...)").
    return " ".join(text.split())


def _code(value: object, width: int) -> str:
    """A code cell as text: numeric cells (SIREN are stored as floats) are zero-padded."""
    if isinstance(value, float):
        if not value.is_integer():
            raise SourceError(f"code non entier : {value!r}")
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(width)
    return str(value).strip()


def read_dgcl(path: Path) -> list[dict[str, str]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = sheet.to_python(skip_empty_area=False)
    header = [str(cell).strip() for cell in rows[0]]
    missing = [c for c in DGCL_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"{path.name} : colonnes absentes : {', '.join(missing)}")
    idx = {c: header.index(c) for c in DGCL_COLUMNS}
    out = []
    member_sirens: dict[str, str] = {}  # member SIREN -> INSEE code
    for number, row in enumerate(rows[1:], start=2):
        if all(cell in ("", None) for cell in row):
            continue
        rec = {
            "siren": _code(row[idx["siren"]], 9),
            "raison_sociale": _clean(str(row[idx["raison_sociale"]])),
            "nature": str(row[idx["nature_juridique"]]).strip(),
            "mode_financ": str(row[idx["mode_financ"]]).strip(),
            "insee": _code(row[idx["insee"]], 5),
            "siren_membre": "" if row[idx["siren_membre"]] in ("", None) else _code(row[idx["siren_membre"]], 9),
            "nom_membre": _clean(str(row[idx["nom_membre"]])),
        }
        if not SIREN_RE.fullmatch(rec["siren"]):
            raise SourceError(f"{path.name} ligne {number} : SIREN « {rec['siren']} »")
        if not INSEE_RE.fullmatch(rec["insee"]):
            raise SourceError(f"{path.name} ligne {number} : code INSEE « {rec['insee']} »")
        if rec["siren_membre"]:
            if not SIREN_RE.fullmatch(rec["siren_membre"]):
                raise SourceError(f"{path.name} ligne {number} : SIREN du membre « {rec['siren_membre']} »")
            if member_sirens.setdefault(rec["siren_membre"], rec["insee"]) != rec["insee"]:
                raise SourceError(
                    f"{path.name} ligne {number} : SIREN du membre {rec['siren_membre']} déjà donné à "
                    f"{member_sirens[rec['siren_membre']]}"
                )
        if rec["nature"] not in NATURES or rec["mode_financ"] not in FINANCING:
            raise SourceError(
                f"{path.name} ligne {number} : nature « {rec['nature']} » "
                f"ou mode de financement « {rec['mode_financ']} » inconnu"
            )
        out.append(rec)
    return out


def read_cog(path: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(COM code -> LIBELLE, ARM code -> its commune, COMD/COMA code -> its commune nouvelle).

    A commune nouvelle's chef-lieu is listed both as COM and as COMD under the same code; only the
    codes that are no longer a COM go into the third mapping.
    """
    communes: dict[str, str] = {}
    arrondissements: dict[str, str] = {}
    merged: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["TYPECOM"] == "COM":
                communes[row["COM"]] = _clean(row["LIBELLE"])
            elif row["TYPECOM"] == "ARM":
                arrondissements[row["COM"]] = row["COMPARENT"]
            elif row["TYPECOM"] in ("COMD", "COMA"):
                merged[row["COM"]] = row["COMPARENT"]
    merged = {code: parent for code, parent in merged.items() if code not in communes}
    return communes, arrondissements, merged


def read_populations(path: Path) -> dict[str, int]:
    """Code -> population municipale (communes, and arrondissements of Paris, Lyon, Marseille)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["COM"]: int(row["PMUN"]) for row in csv.DictReader(f, delimiter=";")}


def build_rows(source: Path, report=print) -> list[tuple[str, ...]]:
    dgcl = read_dgcl(source / "epcicom.xlsx")
    cog, arm_parent, merged_into = read_cog(source / "communes.csv")
    pmun = read_populations(source / "donnees_communes.csv")

    # Paris, Lyon and Marseille are published only as their arrondissements: sum them.
    populations = {code: pop for code, pop in pmun.items() if code not in arm_parent}
    summed: dict[str, int] = defaultdict(int)
    for code, pop in pmun.items():
        if code in arm_parent:
            summed[arm_parent[code]] += pop
    for parent, pop in summed.items():
        if parent in populations:
            raise SourceError(f"{parent} publié à la fois seul et par arrondissements")
        populations[parent] = pop

    # DGCL member (composition at 1 January 2025) -> commune of COG 2026. A member merged since
    # into a commune nouvelle becomes that commune: it is the employer users know in 2026.
    members: dict[tuple[str, str], list[str]] = defaultdict(list)  # (SIREN, COM) -> DGCL codes
    member_siren: dict[str, str] = {}  # DGCL code -> the member's own SIREN ("" if not given)
    epci_of: dict[str, str] = {}  # COM -> SIREN
    heads: dict[str, dict[str, str]] = {}
    renamed: list[tuple[str, str, str]] = []
    merged: list[tuple[str, str, str]] = []
    for rec in dgcl:
        insee, siren = rec["insee"], rec["siren"]
        if insee in cog:
            code = insee
            if cog[code] != rec["nom_membre"]:
                renamed.append((insee, rec["nom_membre"], cog[code]))
        elif merged_into.get(insee) in cog:
            code = merged_into[insee]
            merged.append((insee, rec["nom_membre"], code))
        else:
            raise SourceError(f"commune {insee} {rec['nom_membre']} : absente du COG 2026")
        if epci_of.setdefault(code, siren) != siren:
            raise SourceError(f"commune {code} : dans deux EPCI, {epci_of[code]} et {siren}")
        if insee in members[(siren, code)]:
            raise SourceError(f"commune {insee} listée deux fois")
        members[(siren, code)].append(insee)
        member_siren[insee] = rec["siren_membre"]
        heads[siren] = rec

    no_population: list[tuple[str, str]] = []
    no_siren: list[tuple[str, str]] = []
    rows = []
    for (siren, code), dgcl_codes in sorted(members.items()):
        # Populations légales 2023 are published on the geography of 1 January 2025: a commune
        # nouvelle of 2026 is the sum of its former communes (its own code included once).
        known = [populations[c] for c in {code, *dgcl_codes} if c in populations]
        if not known:
            no_population.append((code, cog[code]))
        # The SIREN of the DGCL list is the commune's only if it is still that commune: a commune
        # nouvelle formed since is a new legal person, with a SIREN the 2025 list does not give.
        own_siren = member_siren[code] if dgcl_codes == [code] else ""
        if not own_siren:
            no_siren.append((code, cog[code]))
        head = heads[siren]
        rows.append(
            (
                siren,
                head["raison_sociale"],
                head["nature"],
                head["mode_financ"],
                code,
                cog[code],
                str(sum(known)) if known else "",
                own_siren,
            )
        )
    seen = set(epci_of)

    natures = {r[0]: r[2] for r in rows}
    lyon = sum(1 for n in natures.values() if n == "MET69")
    outside = sorted(set(cog) - seen)
    arrondissements = {p: sum(1 for a in arm_parent.values() if a == p) for p in sorted(summed)}
    used = {c for codes in members.values() for c in codes} | seen
    unused = sorted(c for c in populations if c not in used)
    report(f"lignes : {len(rows)} ; EPCI à fiscalité propre : {len(natures) - lyon} (+ {lyon} MET69)")
    report(f"communes COG 2026 hors de tout EPCI : {len(outside)} : " + ", ".join(f"{c} {cog[c]}" for c in outside))
    report(
        f"communes DGCL fusionnées depuis dans une commune nouvelle : {len(merged)}"
        + "".join(f"\n  {c} {n} -> {new} {cog[new]}" for c, n, new in merged)
    )
    report(
        f"communes renommées depuis la liste DGCL (LIBELLE COG 2026 retenu) : {len(renamed)}"
        + "".join(f"\n  {c} {old} -> {new}" for c, old, new in renamed)
    )
    report(
        f"communes sans population municipale 2023 : {len(no_population)}"
        + "".join(f"\n  {c} {n}" for c, n in no_population)
    )
    report(f"communes sans SIREN : {len(no_siren)}" + "".join(f"\n  {c} {n}" for c, n in no_siren))
    report(
        "populations sommées par arrondissements : " + ", ".join(f"{p} ({n} arr.)" for p, n in arrondissements.items())
    )
    if unused:
        report(f"populations 2023 non reprises : {len(unused)} : {', '.join(unused)}")
    return rows


def encode(rows: list[tuple[str, ...]]) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    raw = io.BytesIO()
    # mtime=0 and no file name in the header: the same rows give the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return raw.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".officiel-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help=f"dossier des fichiers officiels (défaut : {DEFAULT_SOURCE})",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help=f"fichier produit (défaut : {DEFAULT_OUTPUT})"
    )
    parser.add_argument("--quiet", action="store_true", help="ne pas afficher les décomptes")
    args = parser.parse_args(argv)
    try:
        rows = build_rows(args.source, report=(lambda *_: None) if args.quiet else print)
    except (OSError, SourceError) as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    data = encode(rows)
    write_atomically(args.output, data)
    if not args.quiet:
        print(f"écrit : {args.output} ({len(data)} octets)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
