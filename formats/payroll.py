"""The payroll file, ``masse_salariale`` (docs/contrats §3).

Every check is a polars expression over whole columns, cross-row checks included (window functions over
the lines of one employer and agent); Python only words the messages of failing rows. A 1.5-million-line
file is validated in a few seconds.

The agent's identifier is never quoted in a message: messages about several lines of one agent name the
other lines instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import polars as pl

from engine.themes import AUTRE, THEME_CODES, THEMES
from engine.vocabulaire import MAD, PROPRE, TRANSFERE
from engine.vocabulaire import SITUATIONS as LIBELLES_SITUATIONS
from formats.columns import (
    CHOICE,
    CODE,
    NUMBER,
    SHARE,
    SHARE_TOLERANCE,
    TEXT,
    Bound,
    Check,
    Field,
    bind,
    failing,
    number_rule,
    run_checks,
)
from formats.errors import Report, french_number, row_list, shown
from formats.lecture import read_table
from formats.tabular import normalize_header

SHEET = "masse_salariale"

# What each column holds, in the words of docs/contrats §3: shown on the import page and in the template.
DESCRIPTIONS: dict[str, str] = {
    "employeur": "code de l'organisme qui paie l'agent : SIREN de l'EPCI (9 chiffres) ou code INSEE d'une commune "
    "membre (5 caractères)",
    "agent": "identifiant de l'agent chez son employeur (matricule) ; remplacé par un pseudonyme à l'import, "
    "jamais affiché",
    "theme": f"code du thème ({', '.join(THEME_CODES)}) ou son libellé ; {AUTRE} pour un travail hors des neuf thèmes",
    "cout_annuel": "coût annuel de l'agent pour son employeur, charges comprises, en euros (≥ 0) ; pour un temps "
    "partiel, le coût réel",
    "quotite": "part du temps de travail de l'agent passée sur cette ligne, entre 0 (exclu) et 1 (1 si vide) ; "
    "« 50 % » est accepté",
    "etp": "taux de temps de travail de l'agent (0,8 pour un temps partiel à 80 %), entre 0 (exclu) et 1 (1 si vide)",
    "situation": "propre (vide = propre), transfere (agent transféré à l'EPCI, sur une ligne de l'EPCI) ou mad "
    "(mis à disposition d'un autre organisme)",
    "beneficiaire": "pour une ligne mad seulement : code de l'organisme à qui l'agent est mis à disposition",
    "activite": "code d'une activité du référentiel du territoire (facultatif)",
    "service": "service de l'agent (facultatif, gardé pour l'analyse)",
    "statut": "statut de l'agent (facultatif, gardé pour l'analyse)",
    "categorie": "A, B ou C (facultatif)",
}

FIELDS: tuple[Field, ...] = (
    Field("employeur", CODE, required=True),
    Field("agent", TEXT, required=True),
    Field("theme", CHOICE, required=True),
    Field("cout_annuel", NUMBER, required=True),
    Field("quotite", SHARE),
    Field("etp", SHARE),
    Field("situation", CHOICE),
    Field("beneficiaire", CODE),
    Field("activite", TEXT),
    Field("service", TEXT),
    Field("statut", TEXT),
    Field("categorie", CHOICE),
)

SITUATIONS = tuple(LIBELLES_SITUATIONS)
CATEGORIES = ("A", "B", "C")

# Columns of ``Payroll.lines``, in order.
LINE_SCHEMA: dict[str, pl.DataType] = {
    "ligne": pl.Int64,
    "employeur": pl.String,
    "agent": pl.String,
    "theme": pl.String,
    "activite": pl.String,
    "cout_annuel": pl.Float64,
    "quotite": pl.Float64,
    "etp": pl.Float64,
    "situation": pl.String,
    "beneficiaire": pl.String,
    "service": pl.String,
    "statut": pl.String,
    "categorie": pl.String,
    "montant": pl.Float64,
    "etp_ligne": pl.Float64,
}

_THEME_KEYS = {normalize_header(t.code): t.code for t in THEMES}
_THEME_KEYS |= {normalize_header(t.label): t.code for t in THEMES}
_THEME_KEYS[normalize_header(AUTRE)] = AUTRE
_SITUATION_KEYS = {"": PROPRE, PROPRE: PROPRE, TRANSFERE: TRANSFERE, MAD: MAD, "mise_a_disposition": MAD}
_KEYS = ["emp", "agent"]  # the lines of one agent (employer code, identifier)


@dataclass(frozen=True)
class TerritoryCodes:
    """The organisations a payroll line may name: the EPCI (SIREN) and its member communes (INSEE)."""

    epci: str
    communes: frozenset[str]
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.epci})" if self.name else self.epci


@dataclass
class Payroll:
    """The lines of a valid payroll file (columns: ``LINE_SCHEMA``) and the warnings it raised."""

    lines: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


def theme_code(text: str) -> str | None:
    """A theme given by its code or its full French label (matched like a header), or ``AUTRE``."""
    return _THEME_KEYS.get(normalize_header(text))


def read_payroll(
    data: bytes,
    filename: str,
    territory: TerritoryCodes,
    activities: Mapping[str, str] | None = None,
    allowed_employers: Collection[str] | None = None,
    max_lengths: Mapping[str, int] | None = None,
) -> Payroll:
    """Read and validate a payroll file; raise ``InvalidFile`` with every error if there is any.

    ``activities`` maps the referential's activity codes to their theme code; an unknown activity or one
    of another theme is a warning (the line counts for its theme). ``None``: activities are not checked.
    ``allowed_employers``: the employers whose lines this importer may give (an error on each other line of
    the territory); ``max_lengths``: the longest text a column may hold. Both are checked with the rest, so
    that every error of the file is reported at once.
    """
    report = Report()
    table = read_table(data, filename, SHEET, expected=tuple(f.name for f in FIELDS))
    bound = bind(table, FIELDS, report)
    members = sorted({territory.epci, *territory.communes})
    index = _activity_index(activities) if activities is not None else None
    c = pl.col

    w = bound.frame.with_columns(**valeurs_lues(bound, index)).with_columns(
        # Empty shares mean 1; a share is kept only when valid (for sums and comparisons).
        q_ok=_share_ok("quotite", "q"),
        e_ok=_share_ok("etp", "e"),
        cout_ok=pl.when(c("cout") >= 0).then(c("cout")),
        in_territory=c("emp").is_in(members),
        # The lines of one agent: a 64-bit hash of (employer, identifier) groups them much faster than
        # the two strings; groups are checked again on the real keys before any message (_agents).
        agent_key=pl.struct("emp", "agent").hash(),
    )
    checks = _row_checks(perimetre_du_territoire(territory, members))
    run_checks(w, bound, report, checks + _import_checks(allowed_employers, max_lengths))
    _cross_row_checks(w, bound, report)
    if index is not None:
        _activity_warnings(w, bound, report, index)
    _duplicate_warnings(w, report)
    if w.height and not w.get_column("in_territory").any():
        report.file_error(
            f"aucun employeur du fichier n'appartient au territoire {territory.label} : "
            "ce fichier vient-il d'un autre territoire ?"
        )
    report.raise_if_errors()
    return Payroll(_lines(w), report.warnings)


def _share_ok(name: str, parsed: str) -> pl.Expr:
    value = pl.when(pl.col(name) == "").then(pl.lit(1.0)).otherwise(pl.col(parsed))
    return pl.when((value > 0) & (value <= 1 + SHARE_TOLERANCE)).then(value)


def _activity_index(activities: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Upper-cased activity code -> (code as in the referential, theme code)."""
    return {code.strip().upper(): (code, theme) for code, theme in activities.items()}


def _lines(w: pl.DataFrame) -> pl.DataFrame:
    def text_or_null(expr: pl.Expr) -> pl.Expr:
        return pl.when(expr != "").then(expr)

    quotite, etp = pl.col("q_ok"), pl.col("e_ok")
    return w.select(
        pl.col("ligne"),
        employeur=pl.col("emp"),
        agent=pl.col("agent"),
        theme=pl.col("theme_code"),
        activite=pl.coalesce(pl.col("act"), text_or_null(pl.col("activite"))),
        cout_annuel=pl.col("cout"),
        quotite=quotite,
        etp=etp,
        situation=pl.col("sit"),
        beneficiaire=text_or_null(pl.col("ben")),
        service=text_or_null(pl.col("service")),
        statut=text_or_null(pl.col("statut")),
        categorie=text_or_null(pl.col("cat")),
        montant=pl.col("cout") * quotite,
        etp_ligne=etp * quotite,
    ).cast(LINE_SCHEMA)


_LOST_ZERO = " (un code INSEE a 5 caractères : le zéro initial a-t-il été perdu ?)"


def _import_checks(allowed: Collection[str] | None, lengths: Mapping[str, int] | None) -> list[Check]:
    c = pl.col
    checks = []
    if allowed is not None:
        mine = ", ".join(sorted(allowed)) or "aucune"
        checks.append(
            Check(
                ~c("employeur__f") & c("in_territory") & ~c("emp").is_in(sorted(allowed)),
                "employeur",
                f"vous ne pouvez importer que les lignes de votre organisation ({mine})",
            )
        )
    for column, limit in (lengths or {}).items():
        checks.append(Check(c(column).str.len_chars() > limit, column, f"{limit} caractères au plus"))
    return checks


def valeurs_lues(bound: Bound, index) -> dict[str, pl.Expr]:
    """Each cell of §3 as its rules read it (codes, theme, numbers, situation, category, activity): the
    columns every per-line rule (`_row_checks`) and the lines themselves are written from."""
    return {
        "emp": bound.code("employeur"),
        "ben": bound.code("beneficiaire"),
        "theme_code": bound.choice("theme", theme_code),
        "cout": bound.number("cout_annuel"),
        "q": bound.number("quotite"),
        "e": bound.number("etp"),
        "sit": bound.choice("situation", lambda s: _SITUATION_KEYS.get(normalize_header(s))),
        "cat": bound.choice("categorie", lambda v: v.upper() if v.upper() in ("", *CATEGORIES) else None),
        "act": (
            bound.choice("activite", lambda a: index.get(a.upper(), (None,))[0])
            if index
            else pl.lit(None, dtype=pl.String)
        ),
    }


@dataclass(frozen=True)
class Perimetre:
    """Where a payroll file's lines belong, for §3's per-line rules: one territory (an import, `mutualis
    coefficient`), or every territory of a national file (formats/national_payroll.py), where each line
    belongs to its employer's. The frame holds `in_territory` (the employer is known) and, nationally,
    `epci_emp`/`epci_ben` (the EPCI of each code)."""

    hors: str  # how a code outside it is said
    employeur_manquant: str  # what a missing employer should have been
    beneficiaire_inconnu: pl.Expr  # a beneficiary (non-empty) that is outside
    transfere_hors_epci: pl.Expr  # a line whose employer is not its territory's EPCI
    transfere: str | Callable[..., str]  # the message of a `transfere` line there, given `transfere_args`
    transfere_args: tuple[str, ...] = ()
    autres: tuple[Check, ...] = ()  # rules of this scope only, checked after the unknown beneficiary


def perimetre_du_territoire(territory: TerritoryCodes, members: list[str]) -> Perimetre:
    return Perimetre(
        hors=f"n'est ni l'EPCI ni une commune du territoire {territory.label}",
        employeur_manquant="SIREN de l'EPCI ou code INSEE d'une commune du territoire",
        beneficiaire_inconnu=~pl.col("ben").is_in(members),
        transfere_hors_epci=pl.col("emp") != territory.epci,
        transfere=f"transfere n'est admis que sur une ligne dont l'employeur est l'EPCI ({territory.epci}) : "
        "un agent transféré est déclaré par l'EPCI",
    )


def _row_checks(perimetre: Perimetre) -> list[Check]:
    """§3's rules of one line, worded for `perimetre`."""
    c = pl.col

    def fresh(name: str) -> pl.Expr:
        """Not already reported as a special cell (formula without value, date...)."""
        return ~c(name + "__f")

    outside = perimetre.hors

    def unknown_employer(raw: str, code: str) -> str:
        if not raw:
            return f"employeur manquant : code de l'organisme qui paie l'agent ({perimetre.employeur_manquant})"
        return outside + (_LOST_ZERO if _lost_zero(code) else "")

    codes = ", ".join(THEME_CODES)
    mad = c("sit") == MAD
    checks = [
        Check(fresh("employeur") & ~c("in_territory"), "employeur", unknown_employer, ("emp",)),
        Check(fresh("agent") & (c("agent") == ""), "agent", "identifiant d'agent manquant"),
        Check(
            fresh("theme") & c("theme_code").is_null(),
            "theme",
            lambda raw: (
                f"{'thème manquant' if not raw else 'thème inconnu'} : indiquez un code ({codes}), "
                f"le libellé du thème, ou {AUTRE} pour un travail hors des neuf thèmes"
            ),
        ),
        Check(fresh("cout_annuel") & (c("cout_annuel") == ""), "cout_annuel", "coût annuel manquant"),
        Check(fresh("cout_annuel") & (c("cout_annuel") != "") & c("cout").is_null(), "cout_annuel", number_rule),
        Check(c("cout") < 0, "cout_annuel", "coût annuel négatif : il doit être positif ou nul"),
    ]
    for name, parsed, meaning in (
        ("quotite", "q", "part du temps de travail de l'agent sur cette ligne (0,5 ou 50 % pour la moitié)"),
        ("etp", "e", "taux de temps de travail de l'agent (0,8 ou 80 % pour un temps partiel à 80 %)"),
    ):
        checks += [
            Check(
                fresh(name) & (c(name) != "") & c(parsed).is_null(),
                name,
                lambda raw: number_rule(raw, share=True),
            ),
            Check(
                c(parsed).is_not_null() & c(f"{parsed}_ok").is_null(),
                name,
                f"hors de l'intervalle ]0 ; 1] : {meaning}",
            ),
        ]
    checks += [
        Check(
            fresh("situation") & c("sit").is_null(),
            "situation",
            "situation inconnue : propre, transfere ou mad attendu (vide = propre)",
        ),
        Check(
            mad & (c("ben") == "") & fresh("beneficiaire"),
            "situation",
            "mise à disposition (mad) sans beneficiaire : indiquez le code de l'organisme auquel l'agent "
            "est mis à disposition",
        ),
        Check(
            mad & (c("ben") != "") & perimetre.beneficiaire_inconnu & fresh("beneficiaire"),
            "beneficiaire",
            lambda raw, code: outside + (_LOST_ZERO if _lost_zero(code) else ""),
            ("ben",),
        ),
        *perimetre.autres,
        Check(
            mad & (c("ben") != "") & (c("ben") == c("emp")),
            "beneficiaire",
            "identique à l'employeur : un agent n'est pas mis à disposition de son propre employeur",
        ),
        Check(
            c("sit").is_in([PROPRE, TRANSFERE]) & (c("beneficiaire") != "") & fresh("beneficiaire"),
            "beneficiaire",
            lambda raw, sit: (
                f"bénéficiaire sur une ligne qui n'est pas une mise à disposition (situation « {sit} ») : "
                "laissez la cellule vide, ou indiquez la situation mad"
            ),
            ("sit",),
        ),
        Check(
            (c("sit") == TRANSFERE) & c("in_territory") & perimetre.transfere_hors_epci,
            "situation",
            perimetre.transfere,
            perimetre.transfere_args,
        ),
        Check(fresh("categorie") & c("cat").is_null(), "categorie", "catégorie inconnue : A, B ou C attendu"),
    ]
    return checks


def _cross_row_checks(w: pl.DataFrame, bound: Bound, report: Report) -> None:
    """Errors involving several lines of one (employeur, agent), reported on each line, naming the
    others (docs/contrats §1)."""
    c = pl.col
    key = "agent_key"
    cents = (c("cout_ok") * 100).round(0)
    lines = w.filter(c("agent") != "")
    # One group-by computes every statistic; it leaves the (usually no) agents breaking a rule, whose
    # lines are then fetched. Faster than window expressions over hundreds of thousands of groups.
    stats = (
        lines.group_by(key)
        .agg(
            q_sum=c("q_ok").sum(),
            c_max=cents.max(),
            c_min=cents.min(),
            e_max=c("e_ok").max(),
            e_min=c("e_ok").min(),
        )
        .select(
            key,
            q_bad=c("q_sum") > 1 + SHARE_TOLERANCE,
            c_bad=(c("c_max") != c("c_min")).fill_null(False),
            e_bad=((c("e_max") - c("e_min")) > SHARE_TOLERANCE).fill_null(False),
        )
        .filter(c("q_bad") | c("c_bad") | c("e_bad"))
    )
    if stats.height == 0:
        return
    w = lines.join(stats, on=key, how="inner")
    masks = w.select(
        quotite=c("q_ok").is_not_null() & c("q_bad"),
        cout=cents.is_not_null() & c("c_bad"),
        etp=c("e_ok").is_not_null() & c("e_bad"),
    )
    quotite, cout, etp = masks.select(pl.all().fill_null(False).sum()).row(0)
    if quotite:
        rows = w.filter(masks.get_column("quotite")).select("ligne", "emp", "agent", "quotite", "q_ok").rows()
        for agent_rows in _agents(rows):
            total = math.fsum(q for *_, q in agent_rows)
            if total <= 1 + SHARE_TOLERANCE:
                continue  # two agents sharing a hash: their lines are fine
            for row, raw, _ in agent_rows:
                others = [r for r, *_ in agent_rows if r != row]
                default = " (quotité vide ou absente : 1)" if not raw else ""
                report.error(
                    row,
                    bound.position("quotite"),
                    "quotite",
                    raw,
                    f"la somme des quotités de l'agent dépasse 1 ({french_number(total)}) avec "
                    f"{row_list(others)}{default}",
                )
    for name, count, value, rule in (
        (
            "cout_annuel",
            cout,
            cents,
            "l'agent a un coût annuel différent sur {rows} : un agent a un seul coût annuel pour son "
            "employeur (son coût total, même réparti sur plusieurs lignes)",
        ),
        (
            "etp",
            etp,
            c("e_ok"),
            "l'agent a un etp différent sur {rows} : un agent a un seul taux de temps de travail pour son employeur",
        ),
    ):
        if not count:
            continue
        mask = masks.get_column("cout" if name == "cout_annuel" else "etp")
        rows = w.filter(mask).select("ligne", "emp", "agent", name, value.alias("value")).rows()
        for agent_rows in _agents(rows):
            for row, raw, own in agent_rows:
                others = [r for r, _, v in agent_rows if abs(v - own) > SHARE_TOLERANCE]
                if others:
                    report.error(row, bound.position(name), name, raw, rule.format(rows=row_list(others)))


def _agents(rows: list[tuple]) -> list[list[tuple]]:
    """Rows (ligne, employeur, agent, *values) grouped by their real (employeur, agent): rows as
    (ligne, *values)."""
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row, emp, agent, *values in rows:
        groups[emp, agent].append((row, *values))
    return list(groups.values())


def _activity_warnings(w: pl.DataFrame, bound: Bound, report: Report, index: dict[str, tuple[str, str]]) -> None:
    c = pl.col
    position = bound.position("activite")
    themes = dict(index.values())
    unknown = c("act").is_null()
    other_theme = c("act").replace_strict(themes, default=None, return_dtype=pl.String) != c("theme_code")
    mask = (c("activite") != "") & ~c("activite__f") & (unknown | other_theme.fill_null(False))
    for row, raw, code, line_theme, theme_raw in failing(w, mask, "activite", "act", "theme_code", "theme"):
        if code is None:
            report.warning(
                row,
                position,
                f"activite « {shown(raw)} » : activité inconnue du référentiel : "
                f"la ligne compte pour son thème ({line_theme or theme_raw})",
            )
        else:
            report.warning(
                row,
                position,
                f"activite « {shown(raw)} » : activité du thème {themes[code]}, la ligne est déclarée en "
                f"{line_theme} : elle compte pour {line_theme}",
            )


def _duplicate_warnings(w: pl.DataFrame, report: Report) -> None:
    """A line identical to another on every column: one warning naming them (counted twice?).

    Lines are compared on their values as read (``0,5`` = ``50 %``), a cell that is not valid on its
    text. A 64-bit hash finds the candidates; they are compared for real before any warning.
    """
    c = pl.col
    pairs = [
        ("theme_code", "theme"),
        ("cout", "cout_annuel"),
        ("q_ok", "quotite"),
        ("e_ok", "etp"),
        ("sit", "situation"),
        ("act", "activite"),
        ("cat", "categorie"),
    ]
    values = [c("emp"), c("agent"), c("ben"), c("service"), c("statut")]
    for parsed, raw in pairs:
        values += [c(parsed), pl.when(c(parsed).is_null()).then(c(raw)).alias(raw + "__raw")]
    # Identical lines share their agent, theme, quotité and cost: a cheap first hash on those leaves the
    # few candidates that are compared on every column.
    several = w.filter(pl.struct("agent_key", "theme_code", "q_ok", "cout").hash().is_duplicated())
    keyed = several.select("ligne", *values, key=pl.struct(values).hash())
    candidates = keyed.filter(c("key").is_duplicated()).drop("key")
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row, *line in candidates.rows():
        groups[tuple(line)].append(row)
    for rows in groups.values():
        if len(rows) > 1:
            rows.sort()
            text = f"ligne identique à {row_list(rows[1:])} sur toutes les colonnes : comptée deux fois ?"
            report.warning(rows[0], 0, text)


def _lost_zero(code: str) -> bool:
    return len(code) == 4 and code.isdigit()
