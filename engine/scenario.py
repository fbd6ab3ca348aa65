"""Scenarios of the schéma: what pooling actions do to staff, payroll, the coefficient and the money
flows between the EPCI and its communes (FORMATS.md §5, §6; docs/scenarios.md).

Plain values in, plain values out; no Django here. The web recomputes a scenario on every edit, so the
payroll is reduced once to a `Bases` object (sums by employer × theme × activity, totals by employer,
numerator and denominator by theme) and `simulate` then works on small dicts only.

Sign conventions, seen from each organisation: `ac_adjustment` is the change of the attribution de
compensation it receives (negative: the commune receives less, or pays more); `reimbursement` is the
money it receives (negative: it pays); `savings` are non-payroll savings it makes; `charges` the
non-payroll spending handed over (commune −, EPCI +). `OrgResult.net_effect` sums them with the payroll
change into the effect on the organisation's operating balance; `Simulation.impact` is the legal table
built on it, the one source of those figures for the pages, the exports and the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

import polars as pl

from engine.coefficient import check_functional, in_numerator, ratio
from engine.themes import AUTRE, DEFAULT_FUNCTIONAL, THEME_CODES

STAFF_MODALITES = ("service_commun", "transfert", "mad_ascendante", "mad_descendante")
OTHER_MODALITES = ("groupement_commandes", "prestation", "mise_en_commun_biens", "entente")
MODALITES = STAFF_MODALITES + OTHER_MODALITES
# Modalities where the EPCI becomes the employer of what moves (the commune's payroll leaves it).
EMPLOYER_MOVES = ("service_commun", "transfert", "mad_descendante")
MAD_MODALITES = ("mad_ascendante", "mad_descendante")
FIRST_YEAR, LAST_YEAR = 2026, 2032  # the 2026-2032 mandate
MAX_AMOUNT = 1e12  # euros per year (or units): far beyond any territory's budget
# Below this, in euros or ETP, a change is rounding noise: the organisation is not touched by the scenario.
UNTOUCHED = 1e-9
RH = "RH"
TOUTES = "toutes"
LINE_COLUMNS = ("employeur", "theme", "activite", "situation", "beneficiaire", "montant", "etp_ligne")


# --- Inputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Territoire:
    epci: str
    fpu: bool
    communes: tuple[str, ...]
    populations: dict[str, int | None] = field(default_factory=dict)

    @property
    def organisations(self) -> tuple[str, ...]:
        return (self.epci, *self.communes)


@dataclass(frozen=True)
class Action:
    id: str
    theme: str
    activite: str | None
    communes: tuple[str, ...] | None  # None = "toutes"
    modalite: str
    part: float = 1.0
    gain: float = 0.0
    annee: int = FIRST_YEAR
    economie: float = 0.0
    charges_associees: float = 0.0
    cout_unitaire: float | None = None
    unites: float | None = None

    def communes_de(self, territoire: Territoire) -> tuple[str, ...]:
        """The member communes the action concerns ("toutes" expanded, territory order)."""
        return territoire.communes if self.communes is None else self.communes

    @property
    def moves_staff(self) -> bool:
        return self.modalite in STAFF_MODALITES

    @property
    def unit_price(self) -> float | None:
        """D5211-16: cout_unitaire × unites when both are given (per commune concerned)."""
        if self.cout_unitaire is None or self.unites is None:
            return None
        return self.cout_unitaire * self.unites


@dataclass(frozen=True)
class Scenario:
    nom: str | None
    partage_gains: float
    actions: tuple[Action, ...]


class ScenarioInvalide(ValueError):
    """The scenario breaks a rule of FORMATS.md §5; `errors` are French messages."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- Bases: the payroll reduced once ------------------------------------------------------------------


@dataclass(frozen=True)
class Bases:
    """Sums of the payroll as imported, by key; everything `simulate` needs.

    `by_theme[(employer, theme)]` and `by_activity[(employer, theme, activity)]` hold (cost, fte) of the
    lines that are not `mad` (the base of a staff-moving action); `employer_total[org]` and
    `functional_total[org]` hold (cost, fte) of every line the organisation pays (all themes / the
    functional themes); `numerator[theme]`, `denominator[theme]` follow FORMATS.md §4."""

    epci: str
    functional: tuple[str, ...]
    by_theme: dict[tuple[str, str], tuple[float, float]]
    by_activity: dict[tuple[str, str, str], tuple[float, float]]
    employer_total: dict[str, tuple[float, float]]
    functional_total: dict[str, tuple[float, float]]
    numerator: dict[str, float]
    denominator: dict[str, float]

    @property
    def total_numerator(self) -> float:
        return sum(self.numerator.values())

    @property
    def total_denominator(self) -> float:
        return sum(self.denominator.values())

    def base(self, commune: str, theme: str, activite: str | None) -> tuple[float, float]:
        if activite:
            return self.by_activity.get((commune, theme, activite), (0.0, 0.0))
        return self.by_theme.get((commune, theme), (0.0, 0.0))


def bases(
    lines: pl.DataFrame | pl.LazyFrame, territoire: Territoire, functional: Iterable[str] = DEFAULT_FUNCTIONAL
) -> Bases:
    """Reduce payroll lines, or aggregates of them with the same columns, to the sums scenarios need.
    A missing `activite` column, null or empty activities all mean "no activity"."""
    functional = check_functional(functional)
    frame = lines.lazy()
    names = frame.collect_schema().names()
    if "activite" not in names:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("activite"))
    frame = frame.select(LINE_COLUMNS).with_columns(
        pl.col("activite").fill_null("").alias("activite"),
        pl.col("situation").fill_null("propre"),
        in_numerator(territoire.epci).fill_null(False).alias("_num"),
    )
    grouped = (
        frame.group_by("employeur", "theme", "activite", pl.col("situation") == "mad", "_num")
        .agg(pl.col("montant").sum().alias("cost"), pl.col("etp_ligne").sum().alias("fte"))
        .collect()
    )
    by_theme: dict[tuple[str, str], list[float]] = {}
    by_activity: dict[tuple[str, str, str], list[float]] = {}
    employer_total: dict[str, list[float]] = {}
    functional_total: dict[str, list[float]] = {}
    numerator = dict.fromkeys(functional, 0.0)
    denominator = dict.fromkeys(functional, 0.0)
    wanted = set(functional)

    def add(target: dict, key, cost: float, fte: float) -> None:
        sums = target.setdefault(key, [0.0, 0.0])
        sums[0] += cost
        sums[1] += fte

    for employer, theme, activite, mad, num, cost, fte in grouped.iter_rows():
        cost, fte = float(cost or 0.0), float(fte or 0.0)
        add(employer_total, employer, cost, fte)
        if theme in wanted:
            add(functional_total, employer, cost, fte)
            denominator[theme] += cost
            if num:
                numerator[theme] += cost
        if not mad:
            add(by_theme, (employer, theme), cost, fte)
            if activite:
                add(by_activity, (employer, theme, activite), cost, fte)

    def frozen(d: dict) -> dict:
        return {k: (v[0], v[1]) for k, v in d.items()}

    return Bases(
        epci=territoire.epci,
        functional=functional,
        by_theme=frozen(by_theme),
        by_activity=frozen(by_activity),
        employer_total=frozen(employer_total),
        functional_total=frozen(functional_total),
        numerator=numerator,
        denominator=denominator,
    )


# --- Checks ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """A rule broken by a scenario. `actions`: positions (0-based) of the actions involved (empty for the
    scenario itself); `field`: the key at fault; `text`: the French rule, without the action's name."""

    actions: tuple[int, ...]
    field: str | None
    text: str


def chevauchent(a: Action, b: Action, territoire: Territoire) -> bool:
    """Two staff-moving actions overlap when they share a commune and a theme, and one has no activity
    or both have the same (FORMATS.md §5)."""
    if not (a.moves_staff and b.moves_staff) or a.theme != b.theme:
        return False
    if a.activite and b.activite and a.activite != b.activite:
        return False
    if a.communes is None or b.communes is None:
        return bool(a.communes_de(territoire)) and bool(b.communes_de(territoire))
    return not set(a.communes).isdisjoint(b.communes)


def name(action: Action, position: int) -> str:
    return f"action « {action.id} » (n° {position + 1})"


def issues(
    scenario: Scenario, territoire: Territoire, activites: Mapping[str, str] | None = None, overlaps: bool = True
) -> list[Issue]:
    """Every rule of FORMATS.md §5 that needs no file: ranges, codes, overlaps. `activites` maps the
    referential's activity codes to their theme (an activity of another theme is then an error);
    `overlaps=False` for candidate lists, where overlapping actions are allowed."""
    found: list[Issue] = []

    def bad(i: int, key: str | None, text: str) -> None:
        found.append(Issue((i,), key, text))

    if not 0 <= scenario.partage_gains <= 1:
        found.append(
            Issue(
                (),
                "partage_gains",
                f"partage_gains « {_num(scenario.partage_gains)} » : doit être compris entre 0 et 1",
            )
        )
    members = set(territoire.communes)
    first_by_id: dict[str, int] = {}
    for i, a in enumerate(scenario.actions):
        if a.id in first_by_id:
            j = first_by_id[a.id]
            found.append(Issue((j, i), "id", f"identifiant « {a.id} » en double (actions n° {j + 1} et n° {i + 1})"))
        else:
            first_by_id[a.id] = i
        if a.theme == AUTRE:
            bad(i, "theme", "thème « AUTRE » refusé : une action porte sur l'un des neuf thèmes")
        elif a.theme not in THEME_CODES:
            bad(i, "theme", f"thème « {a.theme} » inconnu : {', '.join(THEME_CODES)} attendu")
        elif a.activite and activites is not None and activites.get(a.activite, a.theme) != a.theme:
            bad(
                i,
                "activite",
                f"activité « {a.activite} » : relève du thème {activites[a.activite]}, pas du thème {a.theme}",
            )
        if a.communes is not None:
            if not a.communes:
                bad(i, "communes", "liste de communes vide : au moins une commune, ou « toutes »")
            for code in a.communes:
                if code not in members:
                    what = "l'EPCI lui-même" if code == territoire.epci else "pas une commune membre du territoire"
                    bad(i, "communes", f"commune « {code} » : {what}")
            seen = set()
            for code in a.communes:
                if code in seen:
                    bad(i, "communes", f"commune « {code} » en double")
                seen.add(code)
        if a.modalite not in MODALITES:
            bad(i, "modalite", f"modalité « {a.modalite} » inconnue : {', '.join(MODALITES)} attendue")
        if not 0 <= a.part <= 1:
            bad(i, "part", f"part « {_num(a.part)} » : doit être comprise entre 0 et 1")
        if not 0 <= a.gain < 1:
            bad(i, "gain", f"gain « {_num(a.gain)} » : doit être compris entre 0 (inclus) et 1 (exclu)")
        if not FIRST_YEAR <= a.annee <= LAST_YEAR:
            bad(i, "annee", f"année « {a.annee} » : doit être comprise entre {FIRST_YEAR} et {LAST_YEAR}")
        for key in ("economie", "charges_associees", "cout_unitaire", "unites"):
            value = getattr(a, key)
            if value is not None and value < 0:
                bad(i, key, f"{key} « {_num(value)} » : ne peut pas être négatif")
            elif value is not None and value > MAX_AMOUNT:  # beyond any budget: a typing error, and sums overflow
                bad(i, key, f"{key} « {_num(value)} » : au plus {_num(MAX_AMOUNT)}")
        if a.modalite not in MODALITES:
            continue
        if a.moves_staff and a.economie:
            bad(
                i,
                "economie",
                f"economie : réservée aux modalités sans mouvement de personnel "
                f"({', '.join(OTHER_MODALITES)}) ; le gain d'un {a.modalite} se donne par « gain »",
            )
        if not a.moves_staff:
            for key in ("charges_associees", "cout_unitaire", "unites"):
                if getattr(a, key):
                    bad(i, key, f"{key} : sans objet pour une modalité sans mouvement de personnel ({a.modalite})")
        elif (a.cout_unitaire is None) != (a.unites is None):
            missing = "unites" if a.unites is None else "cout_unitaire"
            bad(i, missing, "cout_unitaire et unites se donnent ensemble (D5211-16 : coût unitaire × unités)")
        elif a.cout_unitaire is not None and a.modalite not in MAD_MODALITES:
            bad(
                i,
                "cout_unitaire",
                "cout_unitaire et unites : réservés aux mises à disposition (mad_ascendante, mad_descendante)",
            )
    if overlaps:
        actions = scenario.actions
        for j in range(len(actions)):
            for i in range(j):
                if chevauchent(actions[i], actions[j], territoire):
                    a, b = actions[i], actions[j]
                    found.append(
                        Issue(
                            (i, j),
                            "communes",
                            f"les actions « {a.id} » et « {b.id} » se chevauchent "
                            f"({_overlap_detail(a, b, territoire)}) : une même base ne peut bouger deux fois",
                        )
                    )
    return found


def _overlap_detail(a: Action, b: Action, territoire: Territoire) -> str:
    shared = [c for c in a.communes_de(territoire) if c in set(b.communes_de(territoire))]
    shown = ", ".join(shared[:5]) + (f" et {len(shared) - 5} autres" if len(shared) > 5 else "")
    what = f"thème {a.theme}" + (f", activité {a.activite or b.activite}" if a.activite or b.activite else "")
    return f"{what}, commune{'s' if len(shared) > 1 else ''} {shown}"


def check(
    scenario: Scenario, territoire: Territoire, activites: Mapping[str, str] | None = None, overlaps: bool = True
) -> list[str]:
    """The broken rules as French messages, in action order (empty list: the scenario is valid)."""
    messages = []
    for issue in issues(scenario, territoire, activites, overlaps):
        if len(issue.actions) == 1:
            i = issue.actions[0]
            messages.append(f"{name(scenario.actions[i], i)} : {issue.text}")
        else:
            messages.append(issue.text)
    return messages


def _num(x: float) -> str:
    text = f"{x:.9f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").replace(".", ",")


# --- Effects of one action ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgDelta:
    """What one action changes for one organisation (payroll and ETP as employer, all themes)."""

    cost: float = 0.0
    fte: float = 0.0
    functional_cost: float = 0.0
    functional_fte: float = 0.0
    ac_adjustment: float = 0.0  # always 0 in FA
    reimbursement: float = 0.0
    savings: float = 0.0
    charges: float = 0.0  # non-payroll operating spending handed over (commune −, EPCI +)
    moved_cost: float = 0.0
    moved_fte: float = 0.0

    def __add__(self, other: OrgDelta) -> OrgDelta:
        return OrgDelta(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


_DELTA_FIELDS = tuple(OrgDelta.__dataclass_fields__)
(_COST, _FTE, _FCOST, _FFTE, _AC, _REIMBURSEMENT, _SAVINGS, _CHARGES, _MOVED_COST, _MOVED_FTE) = range(
    len(_DELTA_FIELDS)
)
ZERO = OrgDelta()
_values = attrgetter(*_DELTA_FIELDS)


@dataclass(frozen=True)
class Effet:
    id: str
    moved_cost: float
    moved_fte: float
    d_numerator: float
    d_denominator: float
    by_organisation: dict[str, OrgDelta]
    ac_total: float | None  # the communes' ac_adjustment summed; None in FA
    warnings: tuple[str, ...] = ()
    annee: int = FIRST_YEAR
    functional: bool = False


def effet(
    action: Action,
    bases: Bases,
    territoire: Territoire,
    partage_gains: float = 0.0,
    reserved_rh: frozenset[str] | set[str] = frozenset(),
) -> Effet:
    """One action alone against the payroll as imported. Effects of non-overlapping actions add up."""
    epci, s, g = territoire.epci, partage_gains, action.gain
    communes = action.communes_de(territoire)
    functional = action.theme in bases.functional
    warnings = list(_warnings(action, bases, reserved_rh))
    # Plain float lists in the loop (indices of _DELTA_FIELDS): the web recomputes on every edit.
    acc: dict[str, list[float]] = {}
    moved_cost = moved_fte = d_num = d_den = 0.0

    def row(code: str) -> list[float]:
        r = acc.get(code)
        if r is None:
            r = acc[code] = [0.0] * len(_DELTA_FIELDS)
        return r

    if action.moves_staff:
        price = action.unit_price
        charges = action.charges_associees
        ascendante = action.modalite == "mad_ascendante"
        descendante = action.modalite == "mad_descendante"
        fpu = territoire.fpu
        e = row(epci)
        for c in communes:
            base_cost, base_fte = bases.base(c, action.theme, action.activite)
            m, f = action.part * base_cost, action.part * base_fte
            moved_cost += m
            moved_fte += f
            kept_cost, kept_fte = m * (1 - g), f * (1 - g)
            d = row(c)
            d[_MOVED_COST] += m
            d[_MOVED_FTE] += f
            if ascendante:
                # The commune stays the employer; the gain is lost on its payroll; the EPCI reimburses it.
                # FORMATS §5: the EPCI reimburses moved_cost × (1 − gain), or cout_unitaire × unites; the
                # commune keeps running the service, so no charges are handed over (a warning says so).
                paid = price if price is not None else kept_cost
                lost_cost, lost_fte = m * g, f * g
                d[_REIMBURSEMENT] += paid
                e[_REIMBURSEMENT] -= paid
            else:
                lost_cost, lost_fte = m, f
                e[_COST] += kept_cost
                e[_FTE] += kept_fte
                if functional:
                    e[_FCOST] += kept_cost
                    e[_FFTE] += kept_fte
                d[_CHARGES] -= charges
                e[_CHARGES] += charges
                if descendante:
                    paid = price if price is not None else kept_cost + charges
                    d[_REIMBURSEMENT] -= paid
                    e[_REIMBURSEMENT] += paid
                else:
                    amount = m * (1 - s * g) + charges
                    slot = _AC if fpu else _REIMBURSEMENT
                    d[slot] -= amount
                    e[slot] += amount
            d[_COST] -= lost_cost
            d[_FTE] -= lost_fte
            if functional:
                d[_FCOST] -= lost_cost
                d[_FFTE] -= lost_fte
                d_num += kept_cost
                d_den -= m * g
    elif action.economie:
        for c, share in _population_shares(communes, territoire, warnings, action).items():
            row(c)[_SAVINGS] += action.economie * share

    deltas = {code: OrgDelta(*values) for code, values in acc.items() if any(values)}
    ac_total = sum(d.ac_adjustment for c, d in deltas.items() if c != epci) if territoire.fpu else None
    return Effet(
        id=action.id,
        moved_cost=moved_cost,
        moved_fte=moved_fte,
        d_numerator=d_num,
        d_denominator=d_den,
        by_organisation=deltas,
        ac_total=ac_total,
        warnings=tuple(warnings),
        annee=action.annee,
        functional=functional,
    )


def _population_shares(
    communes: tuple[str, ...], territoire: Territoire, warnings: list[str], action: Action
) -> dict[str, float]:
    """Shares of a non-payroll saving: by population; equal shares when a population is unknown or all
    are zero (then a warning says so)."""
    if not communes:
        return {}
    populations = [territoire.populations.get(c) for c in communes]
    total = sum(p or 0 for p in populations)
    if any(p is None for p in populations) or total <= 0:
        warnings.append(
            f"action « {action.id} » : population inconnue pour au moins une commune concernée : "
            "l'économie est répartie à parts égales"
        )
        return {c: 1 / len(communes) for c in communes}
    return {c: p / total for c, p in zip(communes, populations, strict=True)}


def _warnings(action: Action, bases: Bases, reserved_rh) -> Iterable[str]:
    who = f"action « {action.id} »"
    if action.modalite == "mad_ascendante" and action.charges_associees:
        yield (
            f"{who} : charges_associees sans effet pour une mise à disposition ascendante : la commune reste "
            "employeur et gestionnaire, l'EPCI lui rembourse la masse mise à disposition (FORMATS.md §5)"
        )
    if action.modalite == "transfert" and action.theme in bases.functional:
        yield (
            f"{who} : transfert sur un thème fonctionnel ({action.theme}) : les fonctions support ne sont pas "
            "des compétences, le service commun est l'outil habituel"
        )
    if action.moves_staff and action.theme == RH:
        if not action.activite:
            yield (
                f"{who} : le thème RH entier comprend les missions réservées aux centres de gestion (art. 23 de "
                "la loi 84-53), exclues d'un service commun pour les communes qui leur sont obligatoirement "
                "affiliées (L5211-4-2)"
            )
        elif action.activite in reserved_rh:
            yield (
                f"{who} : l'activité {action.activite} relève des missions réservées aux centres de gestion "
                "(art. 23 de la loi 84-53), exclues d'un service commun pour les communes qui leur sont "
                "obligatoirement affiliées (L5211-4-2)"
            )


# --- A whole scenario --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    numerator: float
    denominator: float

    @property
    def coefficient(self) -> float | None:
        return ratio(self.numerator, self.denominator)

    def as_json(self) -> dict:
        return {"coefficient": self.coefficient, "numerator": self.numerator, "denominator": self.denominator}


@dataclass(frozen=True)
class OrgResult:
    code: str
    fte_before: float
    fte_after: float
    cost_before: float
    cost_after: float
    ac_adjustment: float | None
    reimbursement: float
    savings: float
    # For the legal table (L5211-39-1: effectifs et dépenses de fonctionnement).
    functional_cost_before: float = 0.0
    functional_cost_after: float = 0.0
    functional_fte_before: float = 0.0
    functional_fte_after: float = 0.0
    charges: float = 0.0
    moved_cost: float = 0.0
    moved_fte: float = 0.0

    @property
    def d_fte(self) -> float:
        return self.fte_after - self.fte_before

    @property
    def d_cost(self) -> float:
        return self.cost_after - self.cost_before

    @property
    def net_effect(self) -> float:
        """The change of the organisation's operating balance (FORMATS.md §6; positive: it gains): less
        payroll, less non-payroll spending handed over, plus savings, reimbursements received and AC."""
        return -self.d_cost - self.charges + self.savings + self.reimbursement + (self.ac_adjustment or 0)

    @property
    def touched(self) -> bool:
        """Whether the scenario changes anything for this organisation (the table omits the others)."""
        return any(
            abs(v) > UNTOUCHED
            for v in (self.d_fte, self.d_cost, self.charges, self.savings, self.reimbursement, self.ac_adjustment or 0)
        )

    def as_json(self) -> dict:
        return {
            "fte_before": self.fte_before,
            "fte_after": self.fte_after,
            "cost_before": self.cost_before,
            "cost_after": self.cost_after,
            "ac_adjustment": self.ac_adjustment,
            "reimbursement": self.reimbursement,
            "savings": self.savings,
            "charges": self.charges,
            "net_effect": self.net_effect,
        }


@dataclass(frozen=True)
class ImpactRow:
    """One organisation in the legal table « impact prévisionnel sur les effectifs et les dépenses de
    fonctionnement » (L5211-39-1); `org` keeps every before/after figure."""

    code: str
    epci: bool
    org: OrgResult
    d_fte: float
    d_cost: float
    net_effect: float
    touched: bool


@dataclass(frozen=True)
class ImpactTotals:
    """Sums over every organisation of the territory (AC and reimbursements cancel out: not summed)."""

    d_fte: float
    d_cost: float
    net_effect: float
    charges: float
    savings: float


@dataclass(frozen=True)
class Impact:
    """The legal table as one object: the page, its XLSX export, the comparison and `mutualis simulate`
    all read their figures here. `rows`: the EPCI first, then the communes in the territory's order."""

    rows: tuple[ImpactRow, ...]
    totals: ImpactTotals

    @classmethod
    def of(cls, epci: str, by_organisation: Mapping[str, OrgResult]) -> Impact:
        rows = tuple(
            ImpactRow(
                code=code,
                epci=code == epci,
                org=o,
                d_fte=o.d_fte,
                d_cost=o.d_cost,
                net_effect=o.net_effect,
                touched=o.touched,
            )
            for code, o in sorted(by_organisation.items(), key=lambda item: item[0] != epci)
        )
        totals = ImpactTotals(
            d_fte=sum(r.d_fte for r in rows),
            d_cost=sum(r.d_cost for r in rows),
            net_effect=sum(r.net_effect for r in rows),
            charges=sum(r.org.charges for r in rows),
            savings=sum(r.org.savings for r in rows),
        )
        return cls(rows, totals)

    def row(self, code: str) -> ImpactRow:
        return next(r for r in self.rows if r.code == code)


@dataclass(frozen=True)
class ActionResult:
    id: str
    moved_cost: float
    moved_fte: float
    coefficient_after: float | None
    effet: Effet


@dataclass(frozen=True)
class YearResult:
    coefficient: float | None
    fte: float
    cost: float
    numerator: float = 0.0
    denominator: float = 0.0

    def as_json(self) -> dict:
        return {"coefficient": self.coefficient, "fte": self.fte, "cost": self.cost}


@dataclass(frozen=True)
class Simulation:
    nom: str | None
    epci: str
    functional_themes: tuple[str, ...]
    before: Ratio
    after: Ratio
    by_organisation: dict[str, OrgResult]
    actions: list[ActionResult]
    trajectory: dict[int, YearResult]
    warnings: list[str]
    ac_total: float | None
    # Every year of the mandate (FIRST_YEAR..LAST_YEAR): before the first action, the payroll as imported;
    # `trajectory` (the JSON's) only runs from the first action's year to the last one's.
    mandate_trajectory: dict[int, YearResult] = field(default_factory=dict)

    @cached_property
    def impact(self) -> Impact:
        """The legal impact table, per organisation and in total."""
        return Impact.of(self.epci, self.by_organisation)

    @property
    def moved_cost(self) -> float:
        return sum(a.moved_cost for a in self.actions)

    @property
    def moved_fte(self) -> float:
        return sum(a.moved_fte for a in self.actions)

    @property
    def communes_reimbursement(self) -> float:
        """Reimbursements received by the communes, summed (negative: they pay); the EPCI's is the opposite."""
        return sum(o.reimbursement for code, o in self.by_organisation.items() if code != self.epci)

    def as_json(self) -> dict:
        """The `mutualis simulate --json` document (FORMATS.md §6) plus `warnings`; numbers not rounded."""
        return {
            "before": self.before.as_json(),
            "after": self.after.as_json(),
            "by_organisation": {code: org.as_json() for code, org in self.by_organisation.items()},
            "actions": [
                {
                    "id": a.id,
                    "moved_cost": a.moved_cost,
                    "moved_fte": a.moved_fte,
                    "coefficient_after": a.coefficient_after,
                }
                for a in self.actions
            ],
            "trajectory": {str(year): y.as_json() for year, y in self.trajectory.items()},
            "warnings": list(self.warnings),
        }


def simulate(
    bases: Bases,
    territoire: Territoire,
    scenario: Scenario,
    reserved_rh: frozenset[str] | set[str] = frozenset(),
    activites: Mapping[str, str] | None = None,
) -> Simulation:
    """Apply every action of the scenario (all at once for `after`, cumulatively in file order for each
    action's `coefficient_after`, from 1 January of their year for the trajectory). Raises
    `ScenarioInvalide` when `check` finds an error."""
    errors = check(scenario, territoire, activites)
    if errors:
        raise ScenarioInvalide(errors)
    effets = [effet(a, bases, territoire, scenario.partage_gains, reserved_rh) for a in scenario.actions]
    num0, den0 = bases.total_numerator, bases.total_denominator
    warnings = [w for e in effets for w in e.warnings]
    for a, e in zip(scenario.actions, effets, strict=True):
        if a.moves_staff and e.moved_cost == 0 and e.moved_fte == 0 and a.part > 0:
            what = f"{a.theme}" + (f" / {a.activite}" if a.activite else "")
            warnings.append(
                f"action « {a.id} » : aucune masse salariale propre à déplacer ({what}) dans les "
                "communes concernées : l'action ne change rien"
            )

    action_results = []
    num, den = num0, den0
    for e in effets:
        num += e.d_numerator
        den += e.d_denominator
        action_results.append(ActionResult(e.id, e.moved_cost, e.moved_fte, ratio(num, den), e))

    sums: dict[str, list[float]] = {}
    for e in effets:
        for code, d in e.by_organisation.items():
            r = sums.get(code)
            if r is None:
                sums[code] = list(_values(d))
            else:
                for k, v in enumerate(_values(d)):
                    r[k] += v
    totals = {code: OrgDelta(*values) for code, values in sums.items()}
    by_org = {}
    for code in territoire.organisations:
        d = totals.get(code, ZERO)
        cost, fte = bases.employer_total.get(code, (0.0, 0.0))
        fcost, ffte = bases.functional_total.get(code, (0.0, 0.0))
        by_org[code] = OrgResult(
            code=code,
            fte_before=fte,
            fte_after=fte + d.fte,
            cost_before=cost,
            cost_after=cost + d.cost,
            ac_adjustment=d.ac_adjustment if territoire.fpu else None,
            reimbursement=d.reimbursement,
            savings=d.savings,
            functional_cost_before=fcost,
            functional_cost_after=fcost + d.functional_cost,
            functional_fte_before=ffte,
            functional_fte_after=ffte + d.functional_fte,
            charges=d.charges,
            moved_cost=d.moved_cost,
            moved_fte=d.moved_fte,
        )

    total_cost = sum(c for c, _ in bases.employer_total.values())
    total_fte = sum(f for _, f in bases.employer_total.values())
    staff = [
        (sum(d.cost for d in e.by_organisation.values()), sum(d.fte for d in e.by_organisation.values()))
        for e in effets
    ]
    mandate = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        num, den, cost, fte = num0, den0, total_cost, total_fte
        for e, (d_cost, d_fte) in zip(effets, staff, strict=True):
            if e.annee <= year:
                num += e.d_numerator
                den += e.d_denominator
                cost += d_cost
                fte += d_fte
        mandate[year] = YearResult(ratio(num, den), fte, cost, num, den)
    trajectory = {}
    if effets:
        first, last = min(a.annee for a in scenario.actions), max(a.annee for a in scenario.actions)
        trajectory = {year: y for year, y in mandate.items() if first <= year <= last}

    num1 = num0 + sum(e.d_numerator for e in effets)
    den1 = den0 + sum(e.d_denominator for e in effets)
    ac_total = sum(e.ac_total for e in effets) if territoire.fpu else None
    return Simulation(
        nom=scenario.nom,
        epci=territoire.epci,
        functional_themes=bases.functional,
        before=Ratio(num0, den0),
        after=Ratio(num1, den1),
        by_organisation=by_org,
        actions=action_results,
        trajectory=trajectory,
        warnings=warnings,
        ac_total=ac_total,
        mandate_trajectory=mandate,
    )
