"""The territory file, ``territoire`` (docs/contrats §2): one EPCI and its member communes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from formats.columns import CHOICE, CODE, INTEGER, TEXT, Check, Field, bind, failing, number_rule, run_checks
from formats.errors import Report, row_list
from formats.lecture import read_table
from formats.tabular import normalize_header

SHEET = "territoire"

FIELDS: tuple[Field, ...] = (
    Field("code", CODE, required=True),
    Field("nom", TEXT, required=True),
    Field("type", CHOICE, required=True),
    Field("population", INTEGER),
    Field("fiscalite", CHOICE),
)

EPCI, COMMUNE = "epci", "commune"
FPU, FA = "FPU", "FA"
SIREN_PATTERN = r"^\d{9}$"
INSEE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"


@dataclass(frozen=True)
class OrganisationRow:
    code: str
    nom: str
    type: str  # "epci" | "commune"
    population: int | None
    fiscalite: str | None  # "FPU" | "FA" on the EPCI (default "FPU"); None on communes


@dataclass
class TerritoryFile:
    epci: OrganisationRow
    communes: list[OrganisationRow]
    warnings: list[str] = field(default_factory=list)


def read_territory(data: bytes, filename: str) -> TerritoryFile:
    """Read and validate a territory file; raise ``InvalidFile`` with every error if there is any."""
    report = Report()
    table = read_table(data, filename, SHEET, expected=tuple(f.name for f in FIELDS))
    bound = bind(table, FIELDS, report)
    c = pl.col

    def kind(text: str) -> str | None:
        key = normalize_header(text)
        return key if key in (EPCI, COMMUNE) else None

    def tax(text: str) -> str | None:
        key = text.strip().upper()
        return key if key in ("", FPU, FA) else None

    w = bound.frame.with_columns(
        code_v=bound.code("code"),
        typ=bound.choice("type", kind),
        pop=bound.number("population"),
        fisc=bound.choice("fiscalite", tax),
    ).with_columns(
        siren=c("code_v").str.contains(SIREN_PATTERN),
        insee=c("code_v").str.contains(INSEE_PATTERN),
    )

    def fresh(name: str) -> pl.Expr:
        return ~c(name + "__f")

    is_epci, is_commune = c("typ") == EPCI, c("typ") == COMMUNE
    given = fresh("code") & (c("code_v") != "")
    run_checks(
        w,
        bound,
        report,
        [
            Check(fresh("code") & (c("code_v") == ""), "code", "code manquant"),
            Check(given & is_epci & ~c("siren"), "code", "un EPCI est désigné par son SIREN : 9 chiffres"),
            Check(
                given & is_commune & ~c("insee"),
                "code",
                lambda raw, code: (
                    "code INSEE de commune invalide : 5 caractères, des chiffres (2A ou 2B suivis "
                    "de 3 chiffres en Corse)"
                    + (" ; le zéro initial a-t-il été perdu ?" if len(code) == 4 and code.isdigit() else "")
                ),
                ("code_v",),
            ),
            Check(
                given & c("typ").is_null() & ~c("siren") & ~c("insee"),
                "code",
                "n'est ni un SIREN (9 chiffres) ni un code INSEE de commune (5 caractères)",
            ),
            Check(fresh("nom") & (c("nom") == ""), "nom", "nom manquant"),
            Check(fresh("type") & c("typ").is_null(), "type", "type inconnu : epci ou commune attendu"),
            Check(
                fresh("population") & (c("population") != "") & c("pop").is_null(),
                "population",
                lambda raw: number_rule(raw, integer=True),
            ),
            Check(c("pop").is_not_null() & (c("pop") != c("pop").round(0)), "population", "n'est pas un nombre entier"),
            Check(c("pop") < 0, "population", "population négative"),
            Check(
                fresh("fiscalite") & is_epci & c("fisc").is_null(),
                "fiscalite",
                "fiscalité inconnue : FPU ou FA attendu (vide = FPU)",
            ),
        ],
    )

    def error(mask: pl.Expr, name: str, rule, *columns: str) -> None:
        position = bound.position(name)
        for row, raw, *values in failing(w, mask, name, *columns):
            report.error(row, position, name, raw, rule(raw, *values))

    position = bound.position("fiscalite")
    for row, raw in failing(w, is_commune & (c("fiscalite") != ""), "fiscalite"):
        text = f"fiscalite « {raw} » ignorée : la fiscalité se déclare sur la ligne de l'EPCI"
        report.warning(row, position, text)

    epci_rows = [r for (r,) in failing(w, is_epci)]
    if not epci_rows and w.height:
        report.file_error("aucune ligne de type epci : le fichier décrit exactement un EPCI et ses communes")
    if len(epci_rows) > 1:
        error(
            is_epci,
            "type",
            lambda raw, row: (
                f"plusieurs lignes de type epci (avec {row_list(r for r in epci_rows if r != row)})"
                " : un fichier décrit un seul EPCI"
            ),
            "ligne",
        )
    duplicated = (c("code_v") != "") & c("code_v").is_duplicated()
    by_code: dict[str, list[int]] = defaultdict(list)
    for row, code in failing(w, duplicated, "code_v"):
        by_code[code].append(row)
    error(
        duplicated,
        "code",
        lambda raw, code, row: f"code en double avec {row_list(r for r in by_code[code] if r != row)}",
        "code_v",
        "ligne",
    )
    report.raise_if_errors()

    rows = w.select("code_v", "nom", "typ", "pop", "fisc").rows()
    organisations = [
        OrganisationRow(
            code=code,
            nom=nom,
            type=typ,
            population=None if pop is None else int(pop),
            fiscalite=(fisc or FPU) if typ == EPCI else None,
        )
        for code, nom, typ, pop, fisc in rows
    ]
    communes = [o for o in organisations if o.type == COMMUNE]
    if not communes:
        report.file_warning("aucune commune dans le fichier : seul l'EPCI est décrit")
    epci = next(o for o in organisations if o.type == EPCI)
    return TerritoryFile(epci=epci, communes=communes, warnings=report.warnings)
