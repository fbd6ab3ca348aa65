"""The 0-1 program of one run: the candidates it may select (`_Instance`, with some constraints dropped
for the binding analysis), its rows, and one HiGHS solve (integer, or its linear relaxation)."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.optimiseur.probleme import (
    _SOLVER_FEASIBILITY,
    FAISABILITE_MIN,
    PLAFOND_ETP,
    SCALE,
    TOL_COEFFICIENT,
    TOL_FTE,
    Candidate,
    Problem,
    _Stopped,
    chevauchement,
    plafond_annuel,
    refus,
)

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
