"""A whole scenario: `simulate` adds up the effects of its actions into the results per organisation,
per action and per year, and `Simulation.impact`, the legal table (L5211-39-1)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from engine.coefficient import ratio
from engine.scenario.effets import ZERO, Effet, OrgDelta, _values, effet
from engine.scenario.entrees import FIRST_YEAR, LAST_YEAR, UNTOUCHED, Scenario, ScenarioInvalide, Territoire
from engine.scenario.masse import Bases
from engine.scenario.regles import check

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
        """The change of the organisation's operating balance (docs/contrats §6; positive: it gains): less
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
        """The `mutualis simulate --json` document (docs/contrats §6) plus `warnings`; numbers not rounded."""
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
