"""National files (docs/contrats/7-fichiers-nationaux.md): the territories of many EPCIs at once, and the
file of their coefficients.

Territories come either from the DGCL's list of the EPCI à fiscalité propre, ``epcicom.xlsx``, as it is
published (recognised by its headers; the rows of the Métropole de Lyon, nature MET69, are skipped: it is
not an EPCI), or from a territories file: the columns of §2 plus ``epci``, the SIREN of each commune's
EPCI (empty on EPCI rows). Both are read and validated as any user file (docs/contrats §1): every error,
``ligne N : <colonne> « <valeur> » : <règle>``, and nothing is used when there is one.

The national payroll file is read in formats/national_payroll.py.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from formats.columns import CODE, TEXT, Bound, Check, Field, bind, failing, number_rule, run_checks
from formats.ecriture import texte_csv
from formats.errors import Report, row_list
from formats.lecture import read_table
from formats.tabular import Table, normalize_header
from formats.territory import COMMUNE, EPCI, FA, FPU, INSEE_PATTERN, SHEET, SIREN_PATTERN
from formats.territory import FIELDS as TERRITORY_FIELDS

# The territories file: §2's columns plus the commune's EPCI.
FIELDS: tuple[Field, ...] = (*TERRITORY_FIELDS, Field("epci", CODE, required=True))

# The DGCL's file: the headers it is recognised by, and the columns read from it. Its other columns
# (département, member counts, populations of a given year: ``ptot_2025``...) are known and left aside.
EPCICOM_MARKERS = frozenset({"siren", "raison_sociale", "nature_juridique", "insee"})
EPCICOM_FIELDS: tuple[Field, ...] = (
    Field("siren", CODE, required=True),
    Field("raison_sociale", TEXT, required=True),
    Field("nature_juridique", TEXT, required=True),
    Field("mode_financ", TEXT),
    Field("insee", CODE, required=True),
    Field("nom_membre", TEXT),
)
_EPCICOM_OTHERS = re.compile(r"^(dept|nb_membres|total_pop_tot|total_pop_mun|dep_com|siren_membre|p(tot|mun)_\d{4})$")
# The Métropole de Lyon, listed with the EPCI by the DGCL, is a collectivité à statut particulier.
NOT_AN_EPCI = "MET69"

RESULT_HEADER = ("epci", "nom", "coefficient", "numerator", "denominator", "fte_numerator", "fte_denominator")

_INSEE_RULE = "code INSEE de commune invalide : 5 caractères, des chiffres (2A ou 2B suivis de 3 chiffres en Corse)"
_SIREN_RULE = "un EPCI est désigné par son SIREN : 9 chiffres"


@dataclass
class Territories:
    """Many territories: ``epcis`` (columns ``epci``, ``nom``; sorted by SIREN) and ``members`` (``code``,
    ``epci``: every EPCI, as its own member, and every commune with its EPCI)."""

    epcis: pl.DataFrame
    members: pl.DataFrame
    official: bool  # read from the DGCL's epcicom.xlsx
    warnings: list[str] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return dict(self.epcis.select("epci", "nom").iter_rows())


def read_territories(data: bytes, filename: str) -> Territories:
    """Read and validate the territories of many EPCIs; raise ``InvalidFile`` with every error if any.

    A territories CSV already in canonical form (as `mutualis generate-national` writes it) is read by a
    quick path; anything else goes through the full validation (see formats/national_payroll.py)."""
    quick = _quick_territories(data)
    if quick is not None:
        return quick
    expected = tuple(f.name for f in FIELDS) + tuple(EPCICOM_MARKERS)
    table = read_table(data, filename, SHEET, expected=expected)
    if {normalize_header(h) for h in table.headers} >= EPCICOM_MARKERS:
        return _read_epcicom(table)
    return _read_territories_file(table)


_QUICK_HEADERS = {f.name for f in FIELDS}


def _quick_territories(data: bytes) -> Territories | None:
    """The territories of a `;`-separated UTF-8 CSV whose headers are exactly field names and whose every
    cell is canonical and valid (codes as written by INSEE and the DGCL, no surrounding spaces, exact
    words), or None: then the full validation decides, and words any error."""
    newline = data.find(b"\n")
    try:
        headers = data[: newline if newline >= 0 else len(data)].decode("utf-8").rstrip("\r").split(";")
    except UnicodeDecodeError:
        return None
    if not {"code", "nom", "type", "epci"} <= set(headers) <= _QUICK_HEADERS or len(set(headers)) != len(headers):
        return None
    try:
        w = pl.read_csv(data, separator=";", infer_schema=False, quote_char='"', truncate_ragged_lines=False)
    except pl.exceptions.PolarsError:
        return None
    c = pl.col
    for name in ("population", "fiscalite"):
        if name not in w.columns:
            w = w.with_columns(pl.lit(None, dtype=pl.String).alias(name))
    is_epci, is_commune = c("type") == EPCI, c("type") == COMMUNE
    epci_codes = w.filter(is_epci).get_column("code")
    ok = w.select(
        pl.all_horizontal(
            is_epci | is_commune,
            pl.when(is_epci)
            .then(c("code").str.contains(SIREN_PATTERN))
            .otherwise(c("code").str.contains(INSEE_PATTERN)),
            c("nom").is_not_null() & (c("nom").str.strip_chars() == c("nom")),
            c("population").is_null() | c("population").str.contains(r"^\d+$"),
            c("fiscalite").is_null() | c("fiscalite").is_in([FPU, FA]),
            pl.when(is_epci).then(c("epci").is_null()).otherwise(c("epci").is_in(epci_codes.implode())),
        )
        .fill_null(False)
        .all(),
        c("code").is_duplicated().any().alias("duplicated"),
    )
    if w.height == 0 or not ok.item(0, 0) or ok.item(0, 1):
        return None
    epcis = w.filter(is_epci).select(epci=c("code"), nom=c("nom")).sort("epci")
    members = pl.concat(
        [epcis.select(code=c("epci"), epci=c("epci")), w.filter(is_commune).select(code=c("code"), epci=c("epci"))]
    )
    return Territories(epcis, members, official=False)


def _fresh(name: str) -> pl.Expr:
    """Not already reported as a special cell (formats.columns.Bound)."""
    return ~pl.col(name + "__f")


def _duplicates(w: pl.DataFrame, bound: Bound, report: Report, code: str, column: str) -> None:
    """``code en double`` on each row of a code given several times, naming the others (§1)."""
    duplicated = (pl.col(code) != "") & pl.col(code).is_duplicated()
    rows = failing(w, duplicated, code, column)
    by_code: dict[str, list[int]] = defaultdict(list)
    for row, value, _ in rows:
        by_code[value].append(row)
    position = bound.position(column)
    for row, value, raw in rows:
        report.error(
            row, position, column, raw, f"code en double avec {row_list(r for r in by_code[value] if r != row)}"
        )


def _read_epcicom(table: Table) -> Territories:
    report = Report()
    others = tuple(
        Field(normalize_header(h), TEXT) for h in table.headers if _EPCICOM_OTHERS.match(normalize_header(h))
    )
    bound = bind(table, EPCICOM_FIELDS + others, report)
    c = pl.col
    w = bound.frame.with_columns(siren_v=bound.code("siren"), insee_v=bound.code("insee")).filter(
        c("nature_juridique").str.to_uppercase() != NOT_AN_EPCI
    )
    run_checks(
        w,
        bound,
        report,
        [
            Check(_fresh("siren") & ~c("siren_v").str.contains(SIREN_PATTERN), "siren", _SIREN_RULE),
            Check(_fresh("raison_sociale") & (c("raison_sociale") == ""), "raison_sociale", "nom manquant"),
            Check(_fresh("insee") & ~c("insee_v").str.contains(INSEE_PATTERN), "insee", _INSEE_RULE),
        ],
    )
    # A commune belongs to one EPCI à fiscalité propre.
    _duplicates(w, bound, report, "insee_v", "insee")
    if w.height == 0:
        report.file_error("aucun EPCI : toutes les lignes sont celles de la Métropole de Lyon")
    report.raise_if_errors()
    # Names as territoire/officiel.py gives them: runs of spaces made one.
    epcis = (
        w.group_by("siren_v", maintain_order=True)
        .agg(c("raison_sociale").first())
        .select(epci=c("siren_v"), nom=c("raison_sociale").str.replace_all(r"\s+", " ").str.strip_chars())
        .sort("epci")
    )
    members = pl.concat([epcis.select(code=c("epci"), epci=c("epci")), w.select(code=c("insee_v"), epci=c("siren_v"))])
    return Territories(epcis, members, official=True, warnings=report.warnings)


def _read_territories_file(table: Table) -> Territories:
    report = Report()
    bound = bind(table, FIELDS, report)
    c = pl.col

    def kind(text: str) -> str | None:
        key = normalize_header(text)
        return key if key in (EPCI, COMMUNE) else None

    w = bound.frame.with_columns(
        code_v=bound.code("code"),
        epci_v=bound.code("epci"),
        typ=bound.choice("type", kind),
        pop=bound.number("population"),
        fisc=bound.choice("fiscalite", lambda t: t.strip().upper() if t.strip().upper() in ("", FPU, FA) else None),
    )
    is_epci, is_commune = c("typ") == EPCI, c("typ") == COMMUNE
    epci_codes = w.filter(is_epci).get_column("code_v").unique()
    given = _fresh("code") & (c("code_v") != "")
    run_checks(
        w,
        bound,
        report,
        [
            Check(_fresh("code") & (c("code_v") == ""), "code", "code manquant"),
            Check(given & is_epci & ~c("code_v").str.contains(SIREN_PATTERN), "code", _SIREN_RULE),
            Check(
                given & is_commune & ~c("code_v").str.contains(INSEE_PATTERN),
                "code",
                lambda raw, code: (
                    _INSEE_RULE + (" ; le zéro initial a-t-il été perdu ?" if len(code) == 4 and code.isdigit() else "")
                ),
                ("code_v",),
            ),
            Check(_fresh("nom") & (c("nom") == ""), "nom", "nom manquant"),
            Check(_fresh("type") & c("typ").is_null(), "type", "type inconnu : epci ou commune attendu"),
            Check(
                _fresh("population") & (c("population") != "") & c("pop").is_null(),
                "population",
                lambda raw: number_rule(raw, integer=True),
            ),
            Check(c("pop").is_not_null() & (c("pop") != c("pop").round(0)), "population", "n'est pas un nombre entier"),
            Check(c("pop") < 0, "population", "population négative"),
            Check(
                _fresh("fiscalite") & is_epci & c("fisc").is_null(),
                "fiscalite",
                "fiscalité inconnue : FPU ou FA attendu (vide = FPU)",
            ),
            Check(
                _fresh("epci") & is_commune & (c("epci_v") == ""),
                "epci",
                "commune sans EPCI : indiquez le SIREN de son EPCI (une ligne de type epci du fichier)",
            ),
            Check(
                _fresh("epci") & is_commune & (c("epci_v") != "") & ~c("epci_v").is_in(epci_codes.implode()),
                "epci",
                "n'est le code d'aucune ligne de type epci du fichier",
            ),
            Check(
                _fresh("epci") & is_epci & (c("epci_v") != "") & (c("epci_v") != c("code_v")),
                "epci",
                "sur la ligne d'un EPCI, la colonne epci reste vide",
            ),
        ],
    )
    _duplicates(w, bound, report, "code_v", "code")
    if w.height and not epci_codes.len():
        report.file_error("aucune ligne de type epci : le fichier décrit des EPCI et leurs communes")
    report.raise_if_errors()
    epcis = w.filter(is_epci).select(epci=c("code_v"), nom=c("nom")).sort("epci")
    members = pl.concat(
        [epcis.select(code=c("epci"), epci=c("epci")), w.filter(is_commune).select(code=c("code_v"), epci=c("epci_v"))]
    )
    return Territories(epcis, members, official=False, warnings=report.warnings)


def with_file_name(messages: list[str], filename: str) -> list[str]:
    """Messages of one of several files, naming it (docs/contrats §6): ``fichier NOM, ligne N : ...`` and
    ``fichier NOM : ...``."""
    named = []
    for message in messages:
        if message.startswith("ligne "):
            named.append(f"fichier {filename}, {message}")
        elif message.startswith("fichier : "):
            named.append(f"fichier {filename} : {message.removeprefix('fichier : ')}")
        else:
            named.append(f"fichier {filename} : {message}")
    return named


# --- The result ---------------------------------------------------------------------------------------


def coefficients_csv(result: pl.DataFrame) -> bytes:
    """The national coefficients file: header, `;`, UTF-8 without BOM, LF, decimal point; coefficient with
    10 decimals (empty when null), euros with 2, ETP with 4, rounded half up. Names are texts
    (formats/ecriture.py)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(RESULT_HEADER)
    for epci, nom, coefficient, num, den, fte_num, fte_den in result.select(RESULT_HEADER).iter_rows():
        writer.writerow(
            (
                epci,
                texte_csv(nom),
                "" if coefficient is None else _fixed(coefficient, 10),
                _fixed(num, 2),
                _fixed(den, 2),
                _fixed(fte_num, 4),
                _fixed(fte_den, 4),
            )
        )
    return buffer.getvalue().encode("utf-8")


def _fixed(x: float, places: int) -> str:
    """``x`` with ``places`` decimals, rounded half up on its shortest decimal form (``0.285`` -> ``0.29``,
    where formatting the binary value would give ``0.28``)."""
    fixed = Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format(fixed.copy_abs() if fixed.is_zero() else fixed, "f")


@contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path in the folder of ``path``, renamed to ``path`` when the block ends without error and
    removed otherwise: a reader never sees a half-written file, and a failure leaves the previous file (or
    none) in place."""
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        yield Path(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through `atomic_file`. Raises OSError."""
    with atomic_file(path) as temporary:
        temporary.write_bytes(data)
