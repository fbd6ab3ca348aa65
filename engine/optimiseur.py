"""The optimal portfolio of actions (`mutualis optimize`, FORMATS.md §6; method in docs/optimiseur.md).

Plain values in, plain values out; no Django. Each candidate is reduced to its additive effect on the
coefficient's numerator and denominator, its moved ETP and a few attributes; a 0-1 program (HiGHS)
chooses the portfolio:

- `target` mode: the eligible sets whose coefficient reaches the target (tolerance `TOL_COEFFICIENT`)
  are the class; the one with the least moved ETP wins;
- `max_fte` mode: the sets with moved ETP ≤ the cap; the highest coefficient (Dinkelbach's parametric
  method: the coefficient is a ratio) defines the class of sets within `TOL_COEFFICIENT` of it.

Ties are broken in both modes by less moved ETP (tolerance `TOL_FTE`), higher total feasibility, fewer
actions, then the lexicographically smallest sorted list of input positions: one solve per level, the
level fixed as a constraint for the next, and the last level proven unique by a no-good cut (or walked
position by position). The result is therefore the one a brute force with the same tolerances finds.
"""

from __future__ import annotations

import bisect
import math
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# A coefficient reaches a target, or ties with the best one, within this (FORMATS.md §6: 1e-9).
TOL_COEFFICIENT = 1e-9
# Moved ETP are compared within this: sums of ETP such as 0.1 + 0.2 and 0.3 are equal.
TOL_FTE = 1e-6
# Euros are rescaled so that the denominator before is this many units: the solver's absolute
# tolerances (below) are then far below TOL_COEFFICIENT whatever the size of the territory.
SCALE = 1e6
_SOLVER_FEASIBILITY = 1e-9
_GAP_EUROS = 1e-6  # in scaled euros: 1e-12 of the denominator
_GAP_FTE = 1e-9

FAISABILITE_MAX = 5  # "4+" counts 5 in sums

CIBLE = "cible"
PLAFOND_ETP = "plafond_etp"
FAISABILITE_MIN = "faisabilite_min"


def plafond_annuel(annee: int) -> str:
    return f"plafond_etp_annuel:{annee}"


def refus(commune: str, theme: str) -> str:
    return f"refus:{commune}:{theme}"


def chevauchement(id_a: str, id_b: str) -> str:
    return f"chevauchement:{id_a}/{id_b}"


@dataclass(frozen=True)
class Candidate:
    """One candidate action reduced to what the optimiser needs. `d_numerator`/`d_denominator` are its
    additive effects on the coefficient (euros); `communes` the member communes it touches (for
    refusals); `staff` is False for the modalités that move no staff (never selected)."""

    id: str
    position: int
    d_numerator: float
    d_denominator: float
    moved_fte: float
    moved_cost: float
    ac: float | None
    faisabilite: int
    annee: int
    theme: str = ""
    communes: tuple[str, ...] = ()
    staff: bool = True


@dataclass(frozen=True)
class Problem:
    numerator0: float
    denominator0: float
    candidates: tuple[Candidate, ...]
    # Pairs of ids of which at most one may be selected (order within a pair does not matter).
    overlaps: frozenset[tuple[str, str]] = frozenset()
    yearly_fte_cap: float | None = None
    min_feasibility: int = 0
    refusals: Mapping[str, frozenset[str]] = field(default_factory=dict)  # commune → refused themes
    fpu: bool = True


@dataclass(frozen=True)
class Portfolio:
    selected: tuple[str, ...]
    coefficient: float | None
    moved_fte: float
    moved_cost: float
    ac_total: float | None
    optimal: bool
    binding: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict:
        """The `mutualis optimize --json` document (FORMATS.md §6), without `warnings`."""
        return {
            "selected": list(self.selected),
            "coefficient": self.coefficient,
            "moved_fte": self.moved_fte,
            "moved_cost": self.moved_cost,
            "ac_total": self.ac_total,
            "optimal": self.optimal,
            "binding": list(self.binding),
        }


class UnreachableTarget(Exception):
    """No eligible set reaches the target; `best` is the highest coefficient an eligible set reaches."""

    def __init__(self, target: float, best: float | None, optimal: bool = True):
        super().__init__(f"cible {target} inatteignable, meilleur coefficient {best}")
        self.target = target
        self.best = best
        self.optimal = optimal


class NoSolutionInTime(Exception):
    """The time limit stopped the search before any set reaching the target was found."""


class _Stopped(Exception):
    """Internal: the deadline has passed."""


# --- the solver -------------------------------------------------------------------------------------

_banner_silenced = False


def _new_highs():
    """A silent HiGHS instance. HiGHS prints its banner on standard output (file descriptor 1, below
    Python) the first time an instance is built in a process: that would corrupt `--json`."""
    global _banner_silenced
    import highspy

    if _banner_silenced:
        return highspy.Highs()
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _banner_silenced = True
    return h


@dataclass
class _Row:
    index: np.ndarray
    value: np.ndarray
    lower: float
    upper: float
    key: tuple = ()  # names a structural row across instances (for the duals of `_Bound`)


@dataclass
class _Outcome:
    status: str  # "optimal", "infeasible" or "stopped"
    x: np.ndarray | None  # boolean vector over the instance's candidates (None: no solution)
    duals: np.ndarray | None = None  # row duals of a linear relaxation, rows in `solve`'s order
    value: float | None = None  # objective of a linear relaxation
    primal: np.ndarray | None = None  # column values of a linear relaxation


class _Prepared:
    """What every instance of one problem shares: positions, named overlap pairs, exclusions."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.position = {c.id: c.position for c in problem.candidates}
        pairs = []
        for a, b in problem.overlaps:
            if a == b or a not in self.position or b not in self.position:
                raise ValueError(f"chevauchement invalide : {a} / {b}")
            first, second = sorted((a, b), key=self.position.__getitem__)
            pairs.append((self.position[first], self.position[second], chevauchement(first, second), first, second))
        self.pairs = sorted(set(pairs))
        self.pair_by_name = {name: (a, b) for _, _, name, a, b in self.pairs}
        self.exclusions = {c.id: _exclusions(c, problem) for c in problem.candidates}

    def eligible(self, c: Candidate, dropped: frozenset[str]) -> bool:
        return c.staff and all(name in dropped for name in self.exclusions[c.id])


class _Instance:
    """The eligible candidates of a problem with some constraints dropped, and its structural rows."""

    def __init__(self, prep: _Prepared, dropped: frozenset[str], max_fte: float | None, deadline: float):
        problem = prep.problem
        self.problem = problem
        self.deadline = deadline
        self.stopped = False
        self.cands = [c for c in problem.candidates if prep.eligible(c, dropped)]
        n = len(self.cands)
        scale = SCALE / problem.denominator0
        self.dn = np.array([c.d_numerator * scale for c in self.cands], dtype=float)
        self.dd = np.array([c.d_denominator * scale for c in self.cands], dtype=float)
        self.n0, self.d0 = problem.numerator0 * scale, problem.denominator0 * scale
        self.fte = np.array([c.moved_fte for c in self.cands], dtype=float)
        self.feas = np.array([c.faisabilite for c in self.cands], dtype=float)
        self.weights = np.arange(n, dtype=float)
        self.positions = np.array([c.position for c in self.cands], dtype=np.int64)
        self.index = {c.id: i for i, c in enumerate(self.cands)}
        self.max_fte = max_fte if PLAFOND_ETP not in dropped else None
        years = sorted({c.annee for c in self.cands})
        self.year_of = np.array([years.index(c.annee) for c in self.cands], dtype=np.int64)
        self.years = years
        self.capped_years = np.array(
            [problem.yearly_fte_cap is not None and plafond_annuel(y) not in dropped for y in years], dtype=bool
        )
        everyone = np.arange(n, dtype=np.int32)
        rows: list[_Row] = []
        edges = [
            (self.index[a], self.index[b])
            for _, _, name, a, b in prep.pairs
            if a in self.index and b in self.index and name not in dropped
        ]
        self.edges = edges
        for clique in _clique_cover(edges):
            ids = tuple(self.cands[i].id for i in clique)
            rows.append(_Row(np.array(clique, dtype=np.int32), np.ones(len(clique)), -np.inf, 1, ("clique", ids)))
        if problem.yearly_fte_cap is not None:
            for annee in sorted({c.annee for c in self.cands}):
                if plafond_annuel(annee) not in dropped:
                    idx = np.array([i for i, c in enumerate(self.cands) if c.annee == annee], dtype=np.int32)
                    rows.append(_Row(idx, self.fte[idx], -np.inf, problem.yearly_fte_cap + TOL_FTE, ("annee", annee)))
        if max_fte is not None and PLAFOND_ETP not in dropped:
            rows.append(_Row(everyone, self.fte, -np.inf, max_fte + TOL_FTE, ("plafond",)))
        # The ratio is linearised on the assumption that the denominator stays positive.
        if self.d0 + self.dd[self.dd < 0].sum() <= TOL_COEFFICIENT * self.d0:
            rows.append(_Row(everyone, self.dd, TOL_COEFFICIENT * self.d0 - self.d0, np.inf, ("denominateur",)))
        self.rows = rows

    def __len__(self) -> int:
        return len(self.cands)

    # Exact values of a selection, in the problem's units.
    def ratio(self, x: np.ndarray) -> float:
        chosen = [c for c, on in zip(self.cands, x, strict=True) if on]
        num = math.fsum([self.problem.numerator0, *(c.d_numerator for c in chosen)])
        den = math.fsum([self.problem.denominator0, *(c.d_denominator for c in chosen)])
        return num / den

    def moved_fte(self, x: np.ndarray) -> float:
        return math.fsum(c.moved_fte for c, on in zip(self.cands, x, strict=True) if on)

    def limits(self, without: frozenset = frozenset()) -> tuple[np.ndarray, bool]:
        """The capped years (mask over `years`) and whether the ETP cap applies, `without` those rows."""
        capped = np.array(
            [on and ("annee", y) not in without for on, y in zip(self.capped_years, self.years, strict=True)],
            dtype=bool,
        )
        return capped, self.max_fte is not None and ("plafond",) not in without

    def coefficient_row(self, at_least: float) -> _Row:
        """N − at_least × D ≥ 0, i.e. coefficient ≥ at_least (D > 0)."""
        return _Row(
            np.arange(len(self), dtype=np.int32),
            self.dn - at_least * self.dd,
            at_least * self.d0 - self.n0,
            np.inf,
            ("classe",),
        )

    def solve(
        self,
        rows: Sequence[_Row],
        objective: np.ndarray | None = None,
        maximise: bool = False,
        gap: float = 0.0,
        fixed: Mapping[int, int] | None = None,
        start: np.ndarray | None = None,
        relaxation: bool = False,
        without: frozenset = frozenset(),
    ) -> _Outcome:
        n = len(self)
        all_rows = [r for r in [*self.rows, *rows] if not r.key or r.key not in without]
        lower, upper = np.zeros(n), np.ones(n)
        for i, v in (fixed or {}).items():
            lower[i] = upper[i] = v
        if n == 0:  # only the empty set: check it directly
            ok = all(r.lower <= 1e-12 and r.upper >= -1e-12 for r in all_rows)
            return _Outcome("optimal" if ok else "infeasible", np.zeros(0, dtype=bool) if ok else None)
        left = self.deadline - time.monotonic()
        if left <= 0:
            self.stopped = True
            raise _Stopped
        import highspy

        h = _new_highs()
        for name, value in (
            ("output_flag", False),
            ("mip_rel_gap", 0.0),
            ("mip_abs_gap", gap),
            ("primal_feasibility_tolerance", _SOLVER_FEASIBILITY),
            ("mip_feasibility_tolerance", _SOLVER_FEASIBILITY),
            ("time_limit", left),
        ):
            h.setOptionValue(name, value)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(all_rows)
        lp.col_cost_ = objective if objective is not None else np.zeros(n)
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.row_lower_ = np.array([r.lower for r in all_rows], dtype=float)
        lp.row_upper_ = np.array([r.upper for r in all_rows], dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(all_rows)
        lp.a_matrix_.start_ = np.cumsum([0, *(len(r.index) for r in all_rows)]).astype(np.int32)
        lp.a_matrix_.index_ = (
            np.concatenate([r.index for r in all_rows]) if all_rows else np.zeros(0, dtype=np.int32)
        ).astype(np.int32)
        lp.a_matrix_.value_ = np.concatenate([r.value for r in all_rows]) if all_rows else np.zeros(0)
        lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        kind = highspy.HighsVarType.kContinuous if relaxation else highspy.HighsVarType.kInteger
        lp.integrality_ = [kind] * n
        h.passModel(lp)
        if start is not None:
            h.setSolution(n, np.arange(n, dtype=np.int32), start.astype(float))
        h.run()
        status = h.getModelStatus()
        if relaxation:
            if status != highspy.HighsModelStatus.kOptimal:
                return _Outcome("stopped" if status == highspy.HighsModelStatus.kTimeLimit else "infeasible", None)
            solution = h.getSolution()
            return _Outcome(
                "optimal",
                None,
                np.asarray(solution.row_dual),
                h.getInfo().objective_function_value,
                np.asarray(solution.col_value),
            )
        has_solution = h.getInfo().primal_solution_status == 2
        x = np.asarray(h.getSolution().col_value) > 0.5 if has_solution else None
        if status == highspy.HighsModelStatus.kOptimal:
            return _Outcome("optimal", x)
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return _Outcome("infeasible", None)
        if status == highspy.HighsModelStatus.kTimeLimit:
            self.stopped = True
            return _Outcome("stopped", x)
        raise RuntimeError(f"HiGHS : statut inattendu {h.modelStatusToString(status)}")


def _clique_cover(edges: list[tuple[int, int]]) -> list[list[int]]:
    """Cliques covering every overlap edge, greedily: "at most one of a, b, c" is one row instead of
    three, and a much tighter linear relaxation (actions on one commune × theme all overlap)."""
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    covered: set[tuple[int, int]] = set()
    cliques = []
    for a, b in sorted((min(e), max(e)) for e in edges):
        if (a, b) in covered:
            continue
        clique = [a, b]
        for w in sorted(neighbours[a] & neighbours[b]):
            if all(w in neighbours[v] for v in clique):
                clique.append(w)
        clique.sort()
        covered |= {(u, v) for k, u in enumerate(clique) for v in clique[k + 1 :]}
        cliques.append(clique)
    return cliques


def _exclusions(c: Candidate, problem: Problem) -> list[str]:
    """The names of the filters that exclude an otherwise eligible staff-moving candidate."""
    names = []
    if c.faisabilite < problem.min_feasibility:
        names.append(FAISABILITE_MIN)
    for commune in c.communes:
        if c.theme in problem.refusals.get(commune, ()):
            names.append(refus(commune, c.theme))
    return names


# --- the levels --------------------------------------------------------------------------------------


def _max_ratio(inst: _Instance, rows: Sequence[_Row]) -> tuple[float, np.ndarray]:
    """Dinkelbach: the highest coefficient over the instance (`rows` must admit the empty set) and a
    set reaching it. At the deadline (`inst.stopped`), the best set found so far."""
    best_x = np.zeros(len(inst), dtype=bool)
    best = inst.ratio(best_x)
    while True:
        try:
            out = inst.solve(rows, inst.dn - best * inst.dd, maximise=True, gap=_GAP_EUROS, start=best_x)
        except _Stopped:
            break
        if out.x is None:
            break
        value = inst.ratio(out.x)
        # No set beats λ by more than rounding: λ is the maximum (the parametric optimum is ~0).
        if value <= best + 1e-13 * max(1.0, abs(best)):
            break
        best, best_x = value, out.x
        if out.status == "stopped":
            break
    return best, best_x


def _lexicographic(inst: _Instance, rows: list[_Row], start: np.ndarray | None) -> np.ndarray | None:
    """Within the class defined by `rows`: least moved ETP, then highest total feasibility, then fewest
    actions, then smallest positions. None when the class is empty. At the deadline, returns the best
    set found so far (`inst.stopped` is then set)."""
    n = len(inst)
    everyone = np.arange(n, dtype=np.int32)
    out = inst.solve(rows, inst.fte, gap=_GAP_FTE, start=start)
    if out.x is None:
        if out.status == "stopped":
            raise _Stopped
        return None
    x = out.x
    if out.status == "stopped":
        return x
    try:
        rows = [*rows, _Row(everyone, inst.fte, -np.inf, inst.moved_fte(x) + TOL_FTE)]
        # Usually no other set moves as few ETP: one solve with a no-good cut proves it and settles
        # every further level.
        if inst.solve([*rows, _no_good(x)]).x is None:
            return x
        out = inst.solve(rows, inst.feas, maximise=True, gap=0.5, start=x)
        x = out.x if out.x is not None else x
        if out.status == "stopped":
            return x
        rows = [*rows, _Row(everyone, inst.feas, float(inst.feas[x].sum()) - 0.5, np.inf)]
        out = inst.solve(rows, np.ones(n), gap=0.5, start=x)
        x = out.x if out.x is not None else x
        if out.status == "stopped":
            return x
        count = int(x.sum())
        rows = [*rows, _Row(everyone, np.ones(n), count - 0.5, count + 0.5)]
        return _smallest_positions(inst, rows, x)
    except _Stopped:
        return x


def _no_good(x: np.ndarray) -> _Row:
    """Excludes exactly the set x: Σ_{i∈x} x_i − Σ_{i∉x} x_i ≤ |x| − 1."""
    return _Row(np.arange(len(x), dtype=np.int32), np.where(x, 1.0, -1.0), -np.inf, float(x.sum()) - 1)


def _smallest_positions(inst: _Instance, rows: list[_Row], x: np.ndarray) -> np.ndarray:
    """Among the sets of the class (all of one size), the one whose sorted positions are smallest."""
    chosen = np.flatnonzero(x).astype(np.int32)
    if len(chosen) == 0:
        return x
    # A no-good cut: is any other set in the class? Usually not, and one solve proves it.
    if inst.solve([*rows, _no_good(x)]).x is None:
        return x
    # Walk the positions: fix the k-th smallest element as low as any set of the class allows.
    prefix: list[int] = []
    low = 0
    for k in range(len(chosen)):
        while True:
            current = int(np.flatnonzero(x)[k])
            if current == low:
                break
            fixed = {i: 1 for i in prefix}
            fixed.update({i: 0 for i in range(low) if i not in prefix})
            window = np.arange(low, current, dtype=np.int32)
            out = inst.solve([*rows, _Row(window, np.ones(len(window)), 1, np.inf)], inst.weights, gap=0.5, fixed=fixed)
            if out.x is None:
                if out.status == "stopped":
                    return x
                break
            x = out.x
            if out.status == "stopped":
                return x
        current = int(np.flatnonzero(x)[k])
        prefix.append(current)
        low = current + 1
    return x


# --- exact enumeration around a Lagrangian bound -------------------------------------------------------
#
# At Bordeaux size one MIP solve costs 0.1 to 1.5 s although the linear relaxation is within 0.02 ETP of
# the integer optimum: HiGHS spends that time (heuristics, sub-MIPs, branching) telling apart the many
# sets that come within a few hundredths of an ETP of each other. The relaxation's duals bound every set
# instead. For multipliers y on the coupling rows (the coefficient row, the caps; y of the sign that makes
# the bound valid), any admissible set x has
#     c·x ≥ Σ_i y_i·b_i + Σ_k r(S_k),   r = c − yA,
# where S_k is x's part in the k-th connected component of the overlap graph: overlaps stay exact, each
# component being small enough to list its independent sets. With m_k the least r(S) over component k's
# independent sets, a set whose objective is at most T departs from the cheapest choices by
#     Σ_k (r(S_k) − m_k) ≤ T − (Σ y·b + Σ_k m_k),
# and a depth-first search over the components, cheapest departures first, lists every such set; exact
# checks then keep the admissible ones. The bound is valid for any multipliers: good ones (the duals of
# the linear relaxation) only make the list short, and the solver's accuracy does not enter the result,
# only a floating-point margin. When a component or the list would be too large, the MIP path decides.

_COMPONENT_MAX = 12  # larger components of the overlap graph are not enumerated: the MIP path decides
_NODE_BUDGET = 200_000  # search nodes of one enumeration; beyond, the MIP path decides


class _TooLarge(Exception):
    """Internal: the enumeration would be too long; the MIP path decides."""


@dataclass
class _Relaxation:
    """The Lagrangian relaxation of min c·x: reduced costs r, constant Σ y·b, and a margin covering the
    floating-point error of the bound (every admissible set has c·x ≥ const + Σ_k r(S_k) − margin)."""

    r: np.ndarray
    const: float
    margin: float
    primal: np.ndarray | None = None  # the linear relaxation's solution

    def rounded(self) -> np.ndarray | None:
        """The linear relaxation's solution rounded down: often a set of the problem, a cheap witness."""
        return None if self.primal is None else self.primal > 1 - 1e-6


def _lagrangian(
    inst: _Instance,
    objective: np.ndarray,
    rows: Sequence[_Row],
    fixed: Mapping[int, int] | None = None,
    without: frozenset = frozenset(),
) -> _Relaxation | None:
    """Multipliers from the duals of the linear relaxation (clique rows included, so that they are the
    relaxation's optimal ones); None when that relaxation is infeasible: no admissible set."""
    objective = np.asarray(objective, dtype=float)
    if len(inst) == 0:
        return _Relaxation(objective.copy(), 0.0, 1e-9)
    out = inst.solve(rows, objective, fixed=fixed, relaxation=True, without=without)
    if out.status == "stopped":
        inst.stopped = True
        raise _Stopped
    if out.duals is None:
        return None
    all_rows = [r for r in [*inst.rows, *rows] if not r.key or r.key not in without]
    low, high = np.zeros(len(inst)), np.ones(len(inst))
    for i, v in (fixed or {}).items():
        low[i] = high[i] = v

    def relaxation(duals, coupling_only: bool) -> _Relaxation:
        r, const, scale = objective.copy(), 0.0, 0.0
        for row, y in zip(all_rows, duals, strict=True):
            if coupling_only and row.key and row.key[0] == "clique":
                continue
            if y > 0 and row.lower > -np.inf:
                b = row.lower
            elif y < 0 and row.upper < np.inf:
                b = row.upper
            else:
                continue
            const += y * b
            r[row.index] -= y * row.value
            scale += abs(y) * (abs(b) + np.abs(row.value).sum())
        margin = 1e-9 * (1.0 + abs(const) + scale + np.abs(objective).sum() + np.abs(r).sum())
        return _Relaxation(r, const, margin, out.primal)

    # HiGHS's sign convention for row duals: the one whose bound is the relaxation's value.
    for sign in (1.0, -1.0):
        full = relaxation(sign * np.asarray(out.duals), coupling_only=False)
        value = full.const + float(np.minimum(full.r * low, full.r * high).sum())
        if abs(value - out.value) <= 1e-6 * (1 + abs(out.value)):
            return relaxation(sign * np.asarray(out.duals), coupling_only=True)
    return relaxation(np.zeros(len(all_rows)), coupling_only=True)  # valid, if weak


class _Graph:
    """The overlap graph of an instance: its connected components and their independent sets."""

    def __init__(self, n: int, edges: Iterable[tuple[int, int]]):
        self.adjacent = [set() for _ in range(n)]
        for a, b in edges:
            self.adjacent[a].add(b)
            self.adjacent[b].add(a)
        self.component_of = np.full(n, -1, dtype=np.int64)
        self.components: list[list[int]] = []
        for start in range(n):
            if self.component_of[start] >= 0:
                continue
            members, stack = [], [start]
            self.component_of[start] = len(self.components)
            while stack:
                v = stack.pop()
                members.append(v)
                for w in self.adjacent[v]:
                    if self.component_of[w] < 0:
                        self.component_of[w] = len(self.components)
                        stack.append(w)
            if len(members) > _COMPONENT_MAX:
                raise _TooLarge
            self.components.append(sorted(members))

    def options(
        self,
        k: int,
        r: np.ndarray,
        allowed: np.ndarray,
        forced: tuple[int, ...] = (),
        dropped: tuple[int, int] | None = None,
    ) -> list[tuple[float, tuple[int, ...]]]:
        """The independent sets of component k within `allowed` holding `forced` (the edge `dropped`
        ignored), as (reduced cost, members), cheapest first."""
        members, out = self.components[k], []

        def extend(pos: int, chosen: list[int], value: float):
            if pos == len(members):
                out.append((value, tuple(chosen)))
                return
            v = members[pos]
            if v not in forced:
                extend(pos + 1, chosen, value)
            if allowed[v] and all(w not in self.adjacent[v] or {v, w} == set(dropped or ()) for w in chosen):
                chosen.append(v)
                extend(pos + 1, chosen, value + r[v])
                chosen.pop()

        extend(0, [], 0.0)
        out.sort()
        return out


@dataclass
class _Test:
    """What a listed set must satisfy, read on its totals: objective, moved ETP, N and D (scaled, without
    their values before), moved ETP per year of `inst.years`. `limits` as `_Instance.limits`."""

    inst: _Instance
    objective: np.ndarray
    limits: tuple[np.ndarray, bool]
    at_most: float | None = None  # objective ≤
    below: float | None = None  # objective <
    ratio_at_least: float | None = None
    ratio_above: float | None = None

    def features(self) -> np.ndarray:
        inst = self.inst
        per_year = np.zeros((len(inst), len(inst.years)))
        per_year[np.arange(len(inst)), inst.year_of] = inst.fte
        return np.column_stack([self.objective, inst.fte, inst.dn, inst.dd, per_year])

    def takes(self, x: np.ndarray) -> bool:
        """The exact test of the set x (overlaps aside)."""
        return self.holds(self.features()[x].sum(axis=0).tolist())

    def holds(self, t: Sequence[float], slack: float = 0.0) -> bool:
        """With `slack` > 0, a looser test (for running totals, whose rounding differs); 0: exact."""
        inst = self.inst
        objective, fte, dn, dd = t[0], t[1], t[2], t[3]
        if self.at_most is not None and objective > self.at_most + slack * (1 + abs(self.at_most)):
            return False
        if self.below is not None and objective >= self.below + slack * (1 + abs(self.below)):
            return False
        capped, plafond = self.limits
        cap = inst.problem.yearly_fte_cap
        for k in np.flatnonzero(capped):
            if t[4 + k] > cap + TOL_FTE + slack * (1 + cap):
                return False
        if plafond and fte > inst.max_fte + TOL_FTE + slack * (1 + inst.max_fte):
            return False
        den = inst.d0 + dd
        if den < (TOL_COEFFICIENT - slack) * inst.d0:
            return False
        ratio = (inst.n0 + dn) / den
        if self.ratio_at_least is not None and ratio < self.ratio_at_least - slack:
            return False
        return self.ratio_above is None or ratio > self.ratio_above - slack

    def linear(self) -> tuple[np.ndarray, np.ndarray]:
        """The test as rows W·t ≤ b over the totals t of `features` (D > 0 makes the ratio tests linear):
        what the search prunes on. Strictness is left to the exact test."""
        inst, width = self.inst, 4 + len(self.inst.years)
        rows, bounds = [], []

        def row(entries, bound):
            w = np.zeros(width)
            for k, v in entries:
                w[k] += v
            rows.append(w)
            bounds.append(bound)

        for limit in (self.at_most, self.below):
            if limit is not None:
                row([(0, 1.0)], limit)
        capped, plafond = self.limits
        for k in np.flatnonzero(capped).tolist():
            row([(4 + k, 1.0)], inst.problem.yearly_fte_cap + TOL_FTE)
        if plafond:
            row([(1, 1.0)], inst.max_fte + TOL_FTE)
        row([(3, -1.0)], inst.d0 - TOL_COEFFICIENT * inst.d0)  # D ≥ TOL·d0
        for g in (self.ratio_at_least, self.ratio_above):
            if g is not None:  # (n0 + N)/(d0 + D) ≥ g ⟺ g·D − N ≤ n0 − g·d0
                row([(2, -1.0), (3, g)], inst.n0 - g * inst.d0)
        return np.array(rows), np.array(bounds)


def _search(
    options: Sequence[list[tuple[float, tuple[int, ...]]]],
    budget: float,
    test: _Test,
    deadline: float,
    first: bool = False,
    max_nodes: int = _NODE_BUDGET,
) -> list[np.ndarray]:
    """The sets (one choice per component) departing from the cheapest choices by at most `budget` in
    reduced cost and that pass `test`, in search order; only the first one found when `first`.

    Each node is one set of the window (the components before k decided, the later ones at their cheapest
    choice). The test's rows are followed along the search as running totals W·t, and a node is cut when
    even the most favourable completion cannot satisfy one of them (bound below): the cut never drops a
    set that passes (margin over the running totals' rounding): the same sets are found (in another
    order than the former stay-first search), only fewer failing ones are visited. Measured on the bench: seed 4,
    max-fte mode with the binding analysis, 1.6 million nodes before the cuts, 0.7 million after."""
    if any(not opts for opts in options):
        return []  # a component without any choice (a forced pair that cannot hold): nothing
    features = test.features()
    weights, bounds = test.linear()
    items = features @ weights.T  # each candidate's contribution to each row
    # The running totals differ from exact sums by rounding only: cut beyond the bound plus this.
    margins = 1e-9 * (1.0 + np.abs(bounds)) + 1e-10 * np.abs(items).sum(axis=0)
    limits = (bounds + margins).tolist()
    x = np.zeros(len(test.inst), dtype=bool)
    departures = []
    for opts in options:
        cheapest, stay = opts[0]
        x[list(stay)] = True
        alternatives = []
        for value, move in opts[1:]:
            if value - cheapest <= budget:
                stay_at, move_at = np.array(stay, dtype=np.int64), np.array(move, dtype=np.int64)
                delta = items[move_at].sum(axis=0) - items[stay_at].sum(axis=0)
                alternatives.append((value - cheapest, stay_at, move_at, delta))
        if alternatives:
            departures.append(alternatives)
    # Cheapest departure first: once a component's cheapest departure exceeds what is left, every later
    # component's does too, and the set is complete.
    departures.sort(key=lambda alternatives: alternatives[0][0])
    if len(departures) > 900:
        raise _TooLarge  # recursion depth
    # Cuts. A completion departs in some of the components k .. end − 1 (those whose cheapest departure
    # fits what is left of the budget), at a total reduced cost ≤ left; for μ ≥ 0 its change of a row is
    #     Σ δ ≥ Σ_{j=k}^{end−1} min(0, min_a (δ_a + μ·cost_a)) − μ·left = S_μ[k] − S_μ[end] − μ·left,
    # S_μ a suffix sum. μ = 0 reads each row alone; μ > 0 prices the budget, which matters: without it,
    # on the bench (seed 4, max-fte mode) most of a window's sets are visited only to fail on a cap or
    # the coefficient. A few μ per row, from the spread of its departures' efficiencies (−δ/cost).
    start = (items[x].sum(axis=0)).tolist()
    rows_at, weights_at, suffixes = [], [], []
    if departures:
        deltas = [np.array([alt[3] for alt in alts]) for alts in departures]
        costs = [np.array([alt[0] for alt in alts]) for alts in departures]
        worst = np.array(start) + sum(np.maximum(0.0, d.max(axis=0)) for d in deltas)
        for i in range(len(limits)):
            if worst[i] <= limits[i]:
                continue  # no set of the window can break this row
            useful = np.concatenate([-d[c > 0, i] / c[c > 0] for d, c in zip(deltas, costs, strict=True)])
            useful = useful[np.isfinite(useful) & (useful > 0) & (useful < 1e12)]
            mus = [0.0, *(np.unique(np.quantile(useful, (0.5, 0.8, 0.95))).tolist() if len(useful) else [])]
            for mu in mus:
                suffix = np.zeros(len(departures) + 1)
                for j in range(len(departures) - 1, -1, -1):
                    suffix[j] = suffix[j + 1] + min(0.0, float((deltas[j][:, i] + mu * costs[j]).min()))
                rows_at.append(i)
                weights_at.append(mu)
                suffixes.append(suffix)
    cut_rows = [
        (i, mu, limits[i], suffix.tolist()) for i, mu, suffix in zip(rows_at, weights_at, suffixes, strict=True)
    ]
    cheapest = [alternatives[0][0] for alternatives in departures]
    departures = [[(cost, stay, move, delta.tolist()) for cost, stay, move, delta in alts] for alts in departures]
    found: list[np.ndarray] = []
    nodes = 0

    def cut(k: int, end: int, left: float, totals: list[float]) -> bool:
        return any(totals[i] + suffix[k] - suffix[end] - mu * left > limit for i, mu, limit, suffix in cut_rows)

    def visit(k: int, left: float, totals: list[float]) -> bool:
        """The current set (components before k decided, the others at their cheapest), then every set
        departing further in a component from k on: each set of the window is one node."""
        nonlocal nodes
        nodes += 1
        if nodes > max_nodes:
            raise _TooLarge
        if nodes % 4096 == 0 and time.monotonic() > deadline:
            raise _Stopped
        end = bisect.bisect_right(cheapest, left, lo=k)
        if cut(k, end, left, totals):
            return False  # neither this set nor any departing further satisfies a row
        # The running totals pass (with their margin)? The exact test on fresh sums decides.
        within = all(t <= limit for t, limit in zip(totals, limits, strict=True))
        if within and test.holds(features[x].sum(axis=0).tolist()):
            found.append(x.copy())
            if first:
                return True
        for j in range(k, end):
            # Departing from j on only: once that cannot satisfy a row, departing later cannot either.
            if j > k and cut(j, end, left, totals):
                break
            for cost, stay, move, delta in departures[j]:
                if cost > left:
                    break
                x[stay] = False
                x[move] = True
                stop = visit(j + 1, left - cost, [a + b for a, b in zip(totals, delta, strict=True)])
                x[move] = False
                x[stay] = True
                if stop:
                    return True
        return False

    visit(0, budget, start)
    return found


def _all_options(graph: _Graph, relax: _Relaxation, allowed: np.ndarray) -> list[list[tuple[float, tuple[int, ...]]]]:
    return [graph.options(k, relax.r, allowed) for k in range(len(graph.components))]


def _bound(relax: _Relaxation, options) -> float:
    """The Lagrangian bound: every admissible set has an objective ≥ this − relax.margin."""
    return relax.const + sum(opts[0][0] for opts in options if opts)


def _least_sets(
    graph: _Graph, relax: _Relaxation, test: _Test, extra: float, upper: float | None = None
) -> list[np.ndarray]:
    """The sets passing `test` whose objective is within `extra` of the least one ([] when none is). The
    window above the bound grows until it holds a set: every set whose objective lies in the window has
    been listed, so the least one listed is the least of all. `upper`: the objective of a known set
    passing the test (the window need not go beyond)."""
    inst, objective = test.inst, test.objective
    options = _all_options(graph, relax, np.ones(len(inst), dtype=bool))
    bound = _bound(relax, options)
    span = sum(opts[-1][0] - opts[0][0] for opts in options)
    # Doubling: the number of sets listed grows fast with the window, overshooting costs more than a
    # few more rounds.
    width, limit = 1e-6 * (1.0 + abs(bound)), None
    while True:
        if limit is None:
            limit = bound + width
        if upper is not None and limit >= upper:
            limit = upper
        if limit - bound >= span:
            limit = np.inf  # the window holds every choice: the last round lists every set
        test.at_most = None if limit == np.inf else limit
        sets = _search(options, max(min(limit, bound + span) - bound, 0.0) + relax.margin, test, inst.deadline)
        if sets:
            least = min(objective[s].sum() for s in sets)
            if least + extra <= limit:
                return [s for s in sets if objective[s].sum() <= least + extra]
            limit = least + extra  # one more round holds every set up to least + extra
            continue
        if upper is not None and limit >= upper:
            raise _TooLarge  # the known set was not listed: only rounding can get here
        if limit == np.inf:
            return []  # the search listed every set
        width, limit = width * 2, None


def _tie_break(inst: _Instance, sets: list[np.ndarray]) -> np.ndarray:
    """FORMATS.md §6 among the sets of a class: less moved ETP (within TOL_FTE), higher total feasibility,
    fewer actions, the smallest sorted list of positions."""
    least = min(inst.fte[s].sum() for s in sets)
    tied = [s for s in sets if inst.fte[s].sum() <= least + TOL_FTE]
    return min(tied, key=lambda s: (-int(round(inst.feas[s].sum())), int(s.sum()), sorted(inst.positions[s].tolist())))


def _enumerated_target(inst: _Instance, target: float) -> np.ndarray | None:
    """Target mode by enumeration: the least moved ETP reaching the target, ties broken. None: no set."""
    graph = _Graph(len(inst), inst.edges)
    goal = target - TOL_COEFFICIENT
    relax = _lagrangian(inst, inst.fte, [inst.coefficient_row(goal)])
    if relax is None:
        return None
    limits = inst.limits()
    sets = _least_sets(graph, relax, _Test(inst, inst.fte, limits, ratio_at_least=goal), TOL_FTE)
    return _tie_break(inst, sets) if sets else None


def _enumerated_max_ratio(inst: _Instance) -> tuple[float, np.ndarray]:
    """Dinkelbach by enumeration: the highest coefficient and a set reaching it. At the deadline
    (`inst.stopped`), the best set found so far."""
    graph = _Graph(len(inst), inst.edges)
    limits = inst.limits()
    x = np.zeros(len(inst), dtype=bool)
    best = inst.ratio(x)
    try:
        while True:
            # min (λ·D − N) over the sets: negative for a set above λ.
            objective = best * inst.dd - inst.dn
            relax = _lagrangian(inst, objective, [])
            if relax is None:
                break
            sets = _least_sets(graph, relax, _Test(inst, objective, limits), 0.0, upper=float(objective[x].sum()))
            candidate = min(sets, key=lambda s: objective[s].sum())
            value = inst.ratio(candidate)
            # No set beats λ by more than rounding: λ is the maximum.
            if value <= best + 1e-13 * max(1.0, abs(best)):
                break
            best, x = value, candidate
    except _Stopped:
        inst.stopped = True
    return best, x


def _enumerated_max_class(inst: _Instance, best: float) -> np.ndarray:
    """Max-fte mode by enumeration: among the sets within TOL_COEFFICIENT of the best coefficient, the
    tie-breaking of FORMATS.md §6."""
    graph = _Graph(len(inst), inst.edges)
    limits = inst.limits()
    floor = best - TOL_COEFFICIENT
    # coefficient ≥ floor ⟺ floor·D − N ≤ 0 (D > 0): the sets whose objective is at most n0 − floor·d0.
    objective = floor * inst.dd - inst.dn
    relax = _lagrangian(inst, objective, [])
    options = _all_options(graph, relax, np.ones(len(inst), dtype=bool))
    threshold = inst.n0 - floor * inst.d0
    sets = _search(
        options,
        threshold - _bound(relax, options) + relax.margin,
        _Test(inst, objective, limits, ratio_at_least=floor),
        inst.deadline,
    )
    if not sets:
        raise _TooLarge  # the best set itself is in the class: only rounding can get here
    return _tie_break(inst, sets)


# --- the two modes -----------------------------------------------------------------------------------


def _select_target(inst: _Instance, target: float) -> np.ndarray | None:
    """Target mode: by enumeration, or by a MIP per level when the enumeration would be too long."""
    try:
        return _enumerated_target(inst, target)
    except _TooLarge:
        return _lexicographic(inst, [inst.coefficient_row(target - TOL_COEFFICIENT)], None)


def _best_ratio(inst: _Instance) -> tuple[float, np.ndarray]:
    try:
        return _enumerated_max_ratio(inst)
    except _TooLarge:
        return _max_ratio(inst, [])


def _select_max(inst: _Instance) -> np.ndarray:
    """Max-fte mode: the highest coefficient (Dinkelbach), then the ties; the best set found so far at the
    deadline (`inst.stopped`)."""
    best, x = _best_ratio(inst)
    if inst.stopped:
        return x
    try:
        return _enumerated_max_class(inst, best)
    except _Stopped:
        inst.stopped = True
        return x
    except _TooLarge:
        pass
    try:
        return _lexicographic(inst, [inst.coefficient_row(best - TOL_COEFFICIENT)], x)
    except _Stopped:
        return x


def optimise(
    problem: Problem,
    *,
    target: float | None = None,
    max_fte: float | None = None,
    time_limit: float = 60.0,
    with_binding: bool = True,
) -> Portfolio:
    """The optimal portfolio; exactly one of `target` and `max_fte`. Raises UnreachableTarget,
    NoSolutionInTime, or ValueError (no mode, or a denominator before that is not positive).
    `with_binding=False` skips the analysis of binding constraints (one solve or more per constraint):
    `binding` is then empty."""
    if (target is None) == (max_fte is None):
        raise ValueError("indiquer soit une cible, soit un plafond d'ETP")
    if not problem.denominator0 > 0:
        raise ValueError("la masse salariale des services fonctionnels est nulle : coefficient non défini")
    for cap in (max_fte, problem.yearly_fte_cap):
        if cap is not None and not cap >= 0:
            raise ValueError("un plafond d'ETP doit être positif ou nul")
    deadline = time.monotonic() + time_limit
    prep = _Prepared(problem)
    inst = _Instance(prep, frozenset(), max_fte, deadline)
    if target is not None:
        try:
            x = _select_target(inst, target)
        except _Stopped:
            raise NoSolutionInTime from None
        if x is None:
            unbounded = _Instance(prep, frozenset(), None, deadline)
            best, _ = _best_ratio(unbounded)
            raise UnreachableTarget(target, best, optimal=not unbounded.stopped)
    else:
        x = _select_max(inst)
    optimal = not inst.stopped
    warnings = []
    binding: tuple[str, ...] = ()
    if optimal and with_binding:
        try:
            binding = _binding(prep, inst, x, target, max_fte, deadline)
        except _Stopped:
            warnings.append("délai dépassé : la liste des contraintes saturées n'a pas pu être établie")
    return _portfolio(problem, inst, x, optimal, binding, tuple(warnings))


def _portfolio(problem, inst, x, optimal, binding, warnings) -> Portfolio:
    chosen = [c for c, on in zip(inst.cands, x, strict=True) if on]
    return Portfolio(
        selected=tuple(c.id for c in chosen),
        coefficient=inst.ratio(x),
        moved_fte=math.fsum(c.moved_fte for c in chosen),
        moved_cost=math.fsum(c.moved_cost for c in chosen),
        ac_total=math.fsum(c.ac or 0.0 for c in chosen) if problem.fpu else None,
        optimal=optimal,
        binding=binding,
        warnings=warnings,
    )


# --- binding constraints -----------------------------------------------------------------------------


def constraint_names(problem: Problem, max_fte: float | None = None) -> list[str]:
    """Every constraint that could bind apart from `cible`, in the documented order (docs/optimiseur.md):
    plafond_etp, plafond_etp_annuel:YEAR by year, faisabilite_min, refus:COMMUNE:THEME by commune then
    theme, chevauchement:A/B by the positions of A then B (A before B in the file)."""
    return _constraint_names(_Prepared(problem), max_fte)


def _constraint_names(prep: _Prepared, max_fte: float | None) -> list[str]:
    problem = prep.problem
    names = [PLAFOND_ETP] if max_fte is not None else []
    staff = [c for c in problem.candidates if c.staff]
    if problem.yearly_fte_cap is not None:
        names += [plafond_annuel(y) for y in sorted({c.annee for c in staff})]
    excluded = {n for c in staff for n in prep.exclusions[c.id]}
    if FAISABILITE_MIN in excluded:
        names.append(FAISABILITE_MIN)
    names += sorted((n for n in excluded if n != FAISABILITE_MIN), key=lambda n: n.split(":")[1:])
    # A pair with an excluded member cannot bind by itself: dropping it alone changes nothing.
    eligible = {c.id for c in staff if prep.eligible(c, frozenset())}
    names += [name for _, _, name, a, b in prep.pairs if a in eligible and b in eligible]
    return names


class _Bound:
    """A Lagrangian bound for the relaxed problems of the binding analysis, from the row duals of the
    linear relaxation of the problem itself: most relaxations are shown not to improve the optimum
    without a solve. Problems are in minimisation form: `objective(inst)`, rows `rows(inst)`."""

    def __init__(self, inst: _Instance, objective, rows):
        self.objective, self.rows = objective, rows
        self.duals: dict[tuple, float] = {}
        all_rows = [*inst.rows, *rows(inst)]
        out = inst.solve(rows(inst), objective(inst), relaxation=True)
        if out.duals is None:
            return
        # The bound is valid for any duals; check the sign convention on the problem itself.
        for sign in (1.0, -1.0):
            self.duals = {r.key: sign * y for r, y in zip(all_rows, out.duals, strict=True) if r.key}
            if abs(self.value(inst, {}) - out.value) <= 1e-6 * (1 + abs(out.value)):
                return
        self.duals = {}

    def value(self, inst: _Instance, fixed: Mapping[int, int]) -> float:
        """A lower bound on min objective·x over the instance's rows (x binary, `fixed` fixed)."""
        if not self.duals:
            return -np.inf
        reduced = np.array(self.objective(inst), dtype=float)
        total = 0.0
        for r in [*inst.rows, *self.rows(inst)]:
            y = self.duals.get(r.key, 0.0)
            if y > 0 and r.lower > -np.inf:
                total += y * r.lower
            elif y < 0 and r.upper < np.inf:
                total += y * r.upper
            else:
                continue
            reduced[r.index] -= y * r.value
        low, high = np.zeros(len(inst)), np.ones(len(inst))
        for i, v in fixed.items():
            low[i] = high[i] = v
        return total + float(np.minimum(reduced * low, reduced * high).sum())


def _binding(prep, inst, x, target, max_fte, deadline) -> tuple[str, ...]:
    """A constraint binds when dropping it alone gives a strictly better optimum: less moved ETP by more
    than TOL_FTE (target mode), a coefficient higher by more than TOL_COEFFICIENT (max-fte mode). Each
    constraint is decided by enumeration; those it cannot decide, by MIP solves."""
    names = _constraint_names(prep, max_fte)
    try:
        found, undecided = _binding_enumerated(prep, inst, x, target, max_fte, deadline, names)
    except _TooLarge:
        found, undecided = set(), names
    if undecided:
        found |= _binding_mip(prep, inst, x, target, max_fte, deadline, undecided)
    # Without the target the empty set (no ETP) is optimal: the target binds whenever ETP move.
    head = [CIBLE] if target is not None and inst.moved_fte(x) > TOL_FTE else []
    return tuple(head + [n for n in names if n in found])


def _binding_enumerated(prep, inst, x, target, max_fte, deadline, names) -> tuple[set[str], list[str]]:
    """The binding constraints among `names` by enumeration, and the names it could not decide.

    One instance holds every staff-moving candidate, those excluded by a filter forbidden unless that
    filter is dropped; one linear relaxation gives the multipliers. Is there a strictly better set once a
    constraint is dropped? The Lagrangian bound usually says no at once; otherwise the search lists the
    sets that could be, up to the first one that is. A dropped overlap changes one component, whose
    choices must then hold both actions (any other set was admissible already, hence not better); a
    dropped filter or cap gets multipliers of its own (one more linear relaxation)."""
    exclusions = frozenset(n for c in prep.problem.candidates if c.staff for n in prep.exclusions[c.id])
    uni = _Instance(prep, exclusions, max_fte, deadline)
    graph = _Graph(len(uni), uni.edges)

    def allowed_without(dropped: frozenset[str]) -> np.ndarray:
        return np.array([prep.eligible(c, dropped) for c in uni.cands], dtype=bool)

    def forbidden(allowed: np.ndarray) -> dict[int, int]:
        return {int(i): 0 for i in np.flatnonzero(~allowed)}

    chosen = {c.id for c, on in zip(inst.cands, x, strict=True) if on}
    fte, best = inst.moved_fte(x), inst.ratio(x)
    if target is not None:
        goal = target - TOL_COEFFICIENT
        objective, rows, threshold = uni.fte, [uni.coefficient_row(goal)], fte - TOL_FTE

        def better(limits) -> _Test:
            return _Test(uni, objective, limits, below=threshold, ratio_at_least=goal)
    else:
        # coefficient > higher ⟺ higher·D − N < n0 − higher·d0 (D > 0).
        higher = best + TOL_COEFFICIENT
        objective, rows, threshold = higher * uni.dd - uni.dn, [], uni.n0 - higher * uni.d0

        def better(limits) -> _Test:
            return _Test(uni, objective, limits, ratio_above=higher)

    allowed0 = allowed_without(frozenset())
    base = _lagrangian(uni, objective, rows, fixed=forbidden(allowed0))
    if base is None:
        raise _TooLarge  # the optimum itself satisfies these rows: only rounding can get here
    base_options = _all_options(graph, base, allowed0)
    base_limits = uni.limits()

    def witness(
        relax: _Relaxation,
        options,
        test: _Test,
        allowed: np.ndarray,
        dropped: tuple[int, int] | None = None,
        max_nodes: int = _NODE_BUDGET,
        forced: int | None = None,
    ) -> bool | None:
        """Whether a set passes `test` (None: the bound says no at once)."""
        bound = _bound(relax, options)
        if bound - relax.margin >= threshold:
            return None
        y = relax.rounded()
        if y is not None:
            y &= allowed
            if dropped is not None:
                y[list(dropped)] = True
            if forced is not None:
                y[forced] = True
            if test.takes(_filled(uni, graph, y, relax.r, allowed, test.limits, dropped)):
                return True
        # Deepening windows: a witness usually departs little from the cheapest choices, and the
        # smaller windows cost little next to the last one (which alone can prove that there is none).
        budget = threshold - bound + relax.margin
        for part in (1 / 64, 1 / 8, 1):
            if _search(options, budget * part, test, deadline, first=True, max_nodes=max_nodes):
                return True
        return False

    found, undecided = set(), []
    for name in names:
        if time.monotonic() > deadline:
            raise _Stopped
        try:
            if pair := prep.pair_by_name.get(name):
                if pair[0] in chosen and pair[1] in chosen:
                    continue  # impossible: the optimum holds at most one of them
                a, b = uni.index[pair[0]], uni.index[pair[1]]
                k = int(graph.component_of[a])
                options = list(base_options)
                options[k] = graph.options(k, base.r, allowed0, forced=(a, b), dropped=(a, b))
                if not options[k]:
                    continue  # a third action overlapping both (or an excluded one): nothing changes
                test = better(base_limits)
                try:
                    # The shared multipliers first, with a small search; then multipliers of its own.
                    if witness(base, options, test, allowed0, (a, b), max_nodes=_NODE_BUDGET // 10):
                        found.add(name)
                    continue
                except _TooLarge:
                    pass
                # Both actions in: the rows holding both go, their other members are out.
                fixed = (
                    forbidden(allowed0)
                    | {v: 0 for v in (graph.adjacent[a] | graph.adjacent[b]) - {a, b}}
                    | {a: 1, b: 1}
                )
                both = frozenset(
                    r.key
                    for r in uni.rows
                    if r.key and r.key[0] == "clique" and pair[0] in r.key[1] and pair[1] in r.key[1]
                )
                relax = _lagrangian(uni, objective, rows, fixed=fixed, without=both)
                if relax is None:
                    continue
                options = _all_options(graph, relax, allowed0)
                options[k] = graph.options(k, relax.r, allowed0, forced=(a, b), dropped=(a, b))
                if witness(relax, options, test, allowed0, (a, b)):
                    found.add(name)
            elif name == PLAFOND_ETP or name.startswith("plafond_etp_annuel:"):
                without = frozenset({("plafond",) if name == PLAFOND_ETP else ("annee", int(name.split(":")[1]))})
                relax = _lagrangian(uni, objective, rows, fixed=forbidden(allowed0), without=without)
                if relax is not None and witness(
                    relax, _all_options(graph, relax, allowed0), better(uni.limits(without)), allowed0
                ):
                    found.add(name)
            else:  # a filter: the actions it alone excluded come back
                allowed = allowed_without(frozenset({name}))
                relax = _lagrangian(uni, objective, rows, fixed=forbidden(allowed))
                if relax is None:
                    continue  # not even the linear relaxation admits a set
                options, test = _all_options(graph, relax, allowed), better(base_limits)
                try:
                    if witness(relax, options, test, allowed, max_nodes=_NODE_BUDGET // 10):
                        found.add(name)
                    continue
                except _TooLarge:
                    pass
                # A better set holds one of the actions that came back (else it was admissible before):
                # one case per such action, in with multipliers of its own.
                for j in np.flatnonzero(allowed & ~allowed0).tolist():
                    k = int(graph.component_of[j])
                    fixed = forbidden(allowed) | {v: 0 for v in graph.adjacent[j]} | {j: 1}
                    relax = _lagrangian(uni, objective, rows, fixed=fixed)
                    if relax is None:
                        continue
                    options = _all_options(graph, relax, allowed)
                    options[k] = graph.options(k, relax.r, allowed, forced=(j,))
                    if witness(relax, options, test, allowed, forced=j):
                        found.add(name)
                        break
        except _TooLarge:
            undecided.append(name)
    return found, undecided


def _filled(
    inst: _Instance,
    graph: _Graph,
    x: np.ndarray,
    r: np.ndarray,
    allowed: np.ndarray,
    limits: tuple[np.ndarray, bool],
    dropped: tuple[int, int] | None = None,
) -> np.ndarray:
    """x without its overlapping pairs (but `dropped`), then greedily completed, most negative reduced
    cost first, with the actions that overlap nothing chosen and keep within the caps: a cheap witness."""
    x = x.copy()
    for i, j in inst.edges:
        if x[i] and x[j] and (i, j) != dropped and (j, i) != dropped:
            x[j if dropped is None or j not in dropped else i] = False
    capped, plafond = limits
    cap = inst.problem.yearly_fte_cap
    per_year = np.bincount(inst.year_of[x], inst.fte[x], minlength=len(inst.years))
    total = float(inst.fte[x].sum())
    for j in np.argsort(r, kind="stable"):
        if r[j] >= 0:
            break
        if x[j] or not allowed[j] or any(x[w] for w in graph.adjacent[j]):
            continue
        year = inst.year_of[j]
        if capped[year] and per_year[year] + inst.fte[j] > cap + TOL_FTE:
            continue
        if plafond and total + inst.fte[j] > inst.max_fte + TOL_FTE:
            continue
        x[j] = True
        per_year[year] += inst.fte[j]
        total += inst.fte[j]
    return x


def _binding_mip(prep, inst, x, target, max_fte, deadline, names) -> set[str]:
    """The binding constraints among `names` by MIP solves (see `_binding`)."""
    fte = inst.moved_fte(x)
    best = inst.ratio(x)
    if target is not None:
        # Is there a set reaching the target with less ETP? min ETP < threshold.
        bound = _Bound(inst, lambda i: i.fte, lambda i: [i.coefficient_row(target - TOL_COEFFICIENT)])
        threshold, margin = fte - TOL_FTE, 1e-9 * (1 + fte)
    else:
        # Is there a set with a higher coefficient? min −(N − λD) ≤ −rhs, at λ = best + tolerance.
        higher = best + TOL_COEFFICIENT
        bound = _Bound(inst, lambda i: higher * i.dd - i.dn, lambda i: [])
        threshold, margin = (inst.n0 - higher * inst.d0), 1e-9 * SCALE

    def relaxed_instance(dropped: frozenset[str]) -> tuple[_Instance, dict[int, int]]:
        relaxed = _Instance(prep, dropped, max_fte, deadline)
        fixed = {}
        if len(dropped) == 1 and (pair := prep.pair_by_name.get(next(iter(dropped)))):
            # Only a set holding both actions of the pair can do better.
            fixed = {relaxed.index[pair[0]]: 1, relaxed.index[pair[1]]: 1}
        return relaxed, fixed

    def may_be_better(name: str) -> bool:
        relaxed, fixed = relaxed_instance(frozenset((name,)))
        return bound.value(relaxed, fixed) <= threshold + margin

    def better(dropped: frozenset[str]) -> bool:
        relaxed, fixed = relaxed_instance(dropped)
        everyone = np.arange(len(relaxed), dtype=np.int32)
        if target is not None:
            rows = [
                relaxed.coefficient_row(target - TOL_COEFFICIENT),
                _Row(everyone, relaxed.fte, -np.inf, fte - TOL_FTE),
            ]
        else:
            rows = [relaxed.coefficient_row(best + TOL_COEFFICIENT)]
        out = relaxed.solve(rows, fixed=fixed)
        if out.status == "stopped" and out.x is None:
            raise _Stopped
        return out.x is not None

    def search(group: list[str]) -> list[str]:
        # Dropping a group relaxes more than dropping any part of it: no gain for the group, no gain
        # for any of its members.
        if not group or not better(frozenset(group)):
            return []
        if len(group) == 1:
            return group
        half = len(group) // 2
        return search(group[:half]) + search(group[half:])

    return set(search([n for n in names if may_be_better(n)]))


# --- from a candidates file --------------------------------------------------------------------------


def candidats_depuis_effets(
    actions: Sequence, effets: Sequence, faisabilites: Mapping[str, int], territoire
) -> tuple[list[Candidate], list[str]]:
    """Candidates from the scenario engine's actions and their effects (`engine.scenario.effet`), in
    file order, with warnings. An action that moves staff but finds no base (no agent of that theme in
    its communes) moves nothing: it is left out like the modalités that move no staff."""
    candidates, warnings = [], []
    for position, (action, e) in enumerate(zip(actions, effets, strict=True)):
        staff = action.moves_staff
        if staff and e.moved_fte == 0 and e.moved_cost == 0:
            warnings.append(f"action « {action.id} » : aucun agent concerné dans la masse salariale : écartée")
            staff = False
        candidates.append(
            Candidate(
                id=action.id,
                position=position,
                d_numerator=e.d_numerator,
                d_denominator=e.d_denominator,
                moved_fte=e.moved_fte,
                moved_cost=e.moved_cost,
                ac=e.ac_total,
                faisabilite=faisabilites.get(action.id, 0),
                annee=action.annee,
                theme=action.theme,
                communes=tuple(action.communes_de(territoire)),
                staff=staff,
            )
        )
    return candidates, warnings


def probleme_depuis_candidats(
    candidats, bases, territoire, min_feasibility: int = 0, reserved_rh: frozenset[str] = frozenset()
) -> tuple[Problem, list[str]]:
    """The optimisation problem of a candidates file (`formats.scenario.Candidats`) on a payroll reduced
    to `engine.scenario.Bases`; shared by `mutualis optimize` and the web. Returns warnings too."""
    from engine.scenario import chevauchent, effet

    scenario = candidats.scenario
    effets = [effet(a, bases, territoire, scenario.partage_gains, reserved_rh) for a in scenario.actions]
    candidates, warnings = candidats_depuis_effets(scenario.actions, effets, candidats.faisabilites, territoire)
    warnings = [*(w for e in effets for w in e.warnings), *warnings]
    staff = [a for a in scenario.actions if a.moves_staff]
    overlaps = frozenset(
        (a.id, b.id) for i, a in enumerate(staff) for b in staff[i + 1 :] if chevauchent(a, b, territoire)
    )
    problem = Problem(
        numerator0=bases.total_numerator,
        denominator0=bases.total_denominator,
        candidates=tuple(candidates),
        overlaps=overlaps,
        yearly_fte_cap=candidats.plafond_etp_annuel,
        min_feasibility=min_feasibility,
        refusals=dict(candidats.refus),
        fpu=territoire.fpu,
    )
    return problem, warnings
