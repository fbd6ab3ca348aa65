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
    rows = list(rows)
    for round_ in range(_COVER_ROUNDS + 1):
        out = inst.solve(rows, objective, fixed=fixed, relaxation=True, without=without)
        if out.status == "stopped":
            inst.stopped = True
            raise _Stopped
        if out.duals is None:
            return None
        cuts = [] if round_ == _COVER_ROUNDS else _covers(inst, out.primal, without, {r.key for r in rows})
        if not cuts or len(rows) > _COVER_MAX:
            break
        rows += cuts
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


# Cover inequalities on the caps (yearly, and the ETP cap), added to the linear relaxation before its
# duals are read: Σ_{i∈E} x_i ≤ |C| − 1 for a cover C (items of one cap whose ETP together exceed it, at
# most one per overlap clique) and its extension E (C and every item at least as heavy as C's heaviest).
# Valid for every set within the cap, so the Lagrangian bound stays valid with their multipliers; the
# linear relaxation is much closer to the integer optimum when a cap binds (seed 4 of the bench: Bordeaux's
# items weigh up to 60 ETP against a yearly cap of 60), and the windows of the enumeration shrink.
_COVER_ROUNDS = 4
_COVER_MAX = 400  # rows of a relaxation, cuts included, beyond which no more are added


def _covers(inst: _Instance, primal: np.ndarray, without: frozenset, known: set) -> list[_Row]:
    """Extended cover inequalities of the caps violated by the linear relaxation's solution `primal`."""
    clique_of = np.full(len(inst), -1, dtype=np.int64)
    for k, row in enumerate(r for r in inst.rows if r.key and r.key[0] == "clique"):
        clique_of[row.index] = k
    cuts = []
    for row in inst.rows:
        if not row.key or row.key[0] not in ("annee", "plafond") or row.key in without:
            continue
        index, weight, cap = row.index, row.value, row.upper
        x = primal[index]
        if float(weight @ x) < cap - 1e-6 * (1 + cap):
            continue  # the cap is slack: no cover is violated
        cover, total, taken = [], 0.0, set()
        for j in np.lexsort((-weight, (1 - x) / np.maximum(weight, 1e-12))).tolist():
            if weight[j] <= 0 or (clique_of[index[j]] >= 0 and clique_of[index[j]] in taken):
                continue
            cover.append(j)
            total += weight[j]
            if clique_of[index[j]] >= 0:
                taken.add(clique_of[index[j]])
            if total > cap * (1 + 1e-9) + 1e-9:
                break
        else:
            continue  # the cap's items do not exceed it together
        # Minimal: without its members of least value while it stays a cover.
        for j in sorted(cover, key=lambda j: x[j]):
            if total - weight[j] > cap * (1 + 1e-9) + 1e-9:
                cover.remove(j)
                total -= weight[j]
        if x[cover].sum() <= len(cover) - 1 + 1e-6:
            continue  # not violated
        heaviest = weight[cover].max()
        members = np.union1d(index[cover], index[weight >= heaviest]).astype(np.int32)
        key = ("couverture", *row.key, tuple(members.tolist()))
        if key not in known:
            cuts.append(_Row(members, np.ones(len(members)), -np.inf, float(len(cover) - 1), key))
    return cuts


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
