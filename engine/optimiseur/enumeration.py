"""Exact enumeration around a Lagrangian bound, the default path: the overlap graph's components, the
test a listed set must pass, the search, and both modes with their tie-breaking."""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.optimiseur.probleme import TOL_COEFFICIENT, TOL_FTE, _Stopped
from engine.optimiseur.programme import _Instance
from engine.optimiseur.relaxation import _lagrangian, _Relaxation

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
    """docs/contrats §6 among the sets of a class: less moved ETP (within TOL_FTE), higher total feasibility,
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
    tie-breaking of docs/contrats §6."""
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
