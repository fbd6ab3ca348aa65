"""Lower bounds from the linear relaxation, its row duals read as Lagrangian multipliers: `_lagrangian`
for the enumeration (why the bound holds: the comment at the top of `enumeration.py`), `_Bound` for the
binding analysis on the MIP path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.optimiseur.probleme import _Stopped
from engine.optimiseur.programme import _Instance, _Row


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
