"""The MIP path, the fallback when the enumeration would be too long: Dinkelbach by MIP solves, and the
tie-breaking one solve per level (docs/optimiseur.md, « Chemin MIP »)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.optimiseur.probleme import _GAP_EUROS, _GAP_FTE, TOL_FTE, _Stopped
from engine.optimiseur.programme import _Instance, _Row


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
