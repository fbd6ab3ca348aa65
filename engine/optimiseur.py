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
        self.index = {c.id: i for i, c in enumerate(self.cands)}
        everyone = np.arange(n, dtype=np.int32)
        rows: list[_Row] = []
        edges = [(self.index[a], self.index[b]) for _, _, name, a, b in prep.pairs
                 if a in self.index and b in self.index and name not in dropped]
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

    def coefficient_row(self, at_least: float) -> _Row:
        """N − at_least × D ≥ 0, i.e. coefficient ≥ at_least (D > 0)."""
        return _Row(np.arange(len(self), dtype=np.int32), self.dn - at_least * self.dd,
                    at_least * self.d0 - self.n0, np.inf, ("classe",))

    def solve(self, rows: Sequence[_Row], objective: np.ndarray | None = None, maximise: bool = False,
              gap: float = 0.0, fixed: Mapping[int, int] | None = None, start: np.ndarray | None = None,
              relaxation: bool = False) -> _Outcome:
        n = len(self)
        all_rows = [*self.rows, *rows]
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
        for name, value in (("output_flag", False), ("mip_rel_gap", 0.0), ("mip_abs_gap", gap),
                            ("primal_feasibility_tolerance", _SOLVER_FEASIBILITY),
                            ("mip_feasibility_tolerance", _SOLVER_FEASIBILITY), ("time_limit", left)):
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
        lp.a_matrix_.index_ = (np.concatenate([r.index for r in all_rows]) if all_rows
                               else np.zeros(0, dtype=np.int32)).astype(np.int32)
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
            return _Outcome("optimal", None, np.asarray(h.getSolution().row_dual), h.getInfo().objective_function_value)
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
        covered |= {(u, v) for k, u in enumerate(clique) for v in clique[k + 1:]}
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
            out = inst.solve([*rows, _Row(window, np.ones(len(window)), 1, np.inf)], inst.weights,
                             gap=0.5, fixed=fixed)
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


# --- the two modes -----------------------------------------------------------------------------------


def optimise(problem: Problem, *, target: float | None = None, max_fte: float | None = None,
             time_limit: float = 60.0, with_binding: bool = True) -> Portfolio:
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
            x = _lexicographic(inst, [inst.coefficient_row(target - TOL_COEFFICIENT)], None)
        except _Stopped:
            raise NoSolutionInTime from None
        if x is None:
            unbounded = _Instance(prep, frozenset(), None, deadline)
            best, _ = _max_ratio(unbounded, [])
            raise UnreachableTarget(target, best, optimal=not unbounded.stopped)
    else:
        best, x = _max_ratio(inst, [])
        if not inst.stopped:
            try:
                x = _lexicographic(inst, [inst.coefficient_row(best - TOL_COEFFICIENT)], x)
            except _Stopped:
                pass
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
    than TOL_FTE (target mode), a coefficient higher by more than TOL_COEFFICIENT (max-fte mode)."""
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
            rows = [relaxed.coefficient_row(target - TOL_COEFFICIENT),
                    _Row(everyone, relaxed.fte, -np.inf, fte - TOL_FTE)]
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

    names = [n for n in _constraint_names(prep, max_fte) if may_be_better(n)]
    found = set(search(names))
    # Without the target the empty set (no ETP) is optimal: the target binds whenever ETP move.
    head = [CIBLE] if target is not None and fte > TOL_FTE else []
    return tuple(head + [n for n in names if n in found])


# --- from a candidates file --------------------------------------------------------------------------


def candidats_depuis_effets(actions: Sequence, effets: Sequence, faisabilites: Mapping[str, int],
                            territoire) -> tuple[list[Candidate], list[str]]:
    """Candidates from the scenario engine's actions and their effects (`engine.scenario.effet`), in
    file order, with warnings. An action that moves staff but finds no base (no agent of that theme in
    its communes) moves nothing: it is left out like the modalités that move no staff."""
    candidates, warnings = [], []
    for position, (action, e) in enumerate(zip(actions, effets, strict=True)):
        staff = action.moves_staff
        if staff and e.moved_fte == 0 and e.moved_cost == 0:
            warnings.append(f"action « {action.id} » : aucun agent concerné dans la masse salariale : écartée")
            staff = False
        candidates.append(Candidate(
            id=action.id, position=position, d_numerator=e.d_numerator, d_denominator=e.d_denominator,
            moved_fte=e.moved_fte, moved_cost=e.moved_cost, ac=e.ac_total,
            faisabilite=faisabilites.get(action.id, 0), annee=action.annee, theme=action.theme,
            communes=tuple(action.communes_de(territoire)), staff=staff,
        ))
    return candidates, warnings


def probleme_depuis_candidats(candidats, bases, territoire, min_feasibility: int = 0,
                              reserved_rh: frozenset[str] = frozenset()) -> tuple[Problem, list[str]]:
    """The optimisation problem of a candidates file (`formats.scenario.Candidats`) on a payroll reduced
    to `engine.scenario.Bases`; shared by `mutualis optimize` and the web. Returns warnings too."""
    from engine.scenario import chevauchent, effet

    scenario = candidats.scenario
    effets = [effet(a, bases, territoire, scenario.partage_gains, reserved_rh) for a in scenario.actions]
    candidates, warnings = candidats_depuis_effets(scenario.actions, effets, candidats.faisabilites, territoire)
    warnings = [*(w for e in effets for w in e.warnings), *warnings]
    staff = [a for a in scenario.actions if a.moves_staff]
    overlaps = frozenset((a.id, b.id) for i, a in enumerate(staff) for b in staff[i + 1:]
                         if chevauchent(a, b, territoire))
    problem = Problem(
        numerator0=bases.total_numerator, denominator0=bases.total_denominator, candidates=tuple(candidates),
        overlaps=overlaps, yearly_fte_cap=candidats.plafond_etp_annuel, min_feasibility=min_feasibility,
        refusals=dict(candidats.refus), fpu=territoire.fpu,
    )
    return problem, warnings
