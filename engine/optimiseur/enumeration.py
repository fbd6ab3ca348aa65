"""Exact enumeration around a Lagrangian bound, the default path: the overlap graph's components, the
test a listed set must pass, the search, and both modes with their tie-breaking."""

from __future__ import annotations

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
# and a search over the components, cheapest departures first, lists every such set; exact
# checks then keep the admissible ones. The bound is valid for any multipliers: good ones (the duals of
# the linear relaxation) only make the list short, and the solver's accuracy does not enter the result,
# only a floating-point margin. When a component or the list would be too large, the MIP path decides.

_COMPONENT_MAX = 12  # larger components of the overlap graph are not enumerated: the MIP path decides
_NODE_BUDGET = 300_000  # states of one enumeration; beyond, the MIP path decides
_GROWTH = 4.0  # the windows of `_least_sets` grow by this factor
_ROUND_NODES = 300_000  # states of one window of `_least_sets` (0.1 to 1 s)
# States of all the windows of one `_least_sets`, beyond which the MIP path decides: seed 5 of the bench
# with a cap of 220 ETP halved its window 16 times near the least set (16 s) before falling back on a MIP
# of 0.8 s. Measured on six harder settings of the bench (caps of 100 and 220 ETP, targets + 0.20):
# 300,000 and 2 million states, 7.0 s of selections in all; 300,000 and 1 million, 8.1 s; 600,000 and 2
# million, 9.7 s.
_LEAST_STATES = 2_000_000
_QUANTILES = (0.5, 0.8, 0.95)  # of the departures' efficiencies: the budget's prices μ of the cuts
_DOMINANCE_FROM = 50_000  # states at which the search starts dropping dominated ones
_DOMINANCE_SHIFTS = 16  # neighbours a state is compared with
_UNLIMITED = 1e300  # an objective bound that bounds nothing (the search's branch and bound needs one)


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
    least: tuple[float, float] | None = None,
    spent: list[int] | None = None,
) -> list[np.ndarray]:
    """The sets (one choice per component) departing from the cheapest choices by at most `budget` in
    reduced cost and that pass `test`; only the first one found when `first`. With `least` = (extra,
    offset), a branch and bound for `_least_sets`: once a set of objective v passes, only the sets of
    objective ≤ v + extra are still wanted (the test's `at_most` and the budget, `at_most − offset`, shrink).
    `spent[0]` grows by the number of states made.

    The search goes component by component, cheapest departure first, over arrays of states (numpy): a
    state is one set of the window (the components before the current one decided, the later ones at
    their cheapest choice) with its reduced cost spent and the running totals W·t of the test's rows. Each
    set is made once, when it departs in its last component, and tested then: within the rows on its
    running totals (with a margin over their rounding), then exactly on fresh sums. A state is dropped
    when even the most favourable completion cannot satisfy one of the rows (the cuts below): the cut
    never drops a set that passes, so the sets found are those of a plain enumeration of the window.
    Measured on the bench (seed 4, target mode, the linear relaxation without cover cuts): the window up
    to the optimum, which the former recursive search in Python listed in 2.3 s, takes 0.13 s."""
    if any(not opts for opts in options):
        return []  # a component without any choice (a forced pair that cannot hold): nothing
    features = test.features()
    weights, bounds = test.linear()
    items = features @ weights.T  # each candidate's contribution to each row
    # The running totals differ from exact sums by rounding only: cut beyond the bound plus this.
    margins = 1e-9 * (1.0 + np.abs(bounds)) + 1e-10 * np.abs(items).sum(axis=0)
    limits = bounds + margins
    base = np.zeros(len(test.inst), dtype=bool)
    kept = []  # per component that may depart: (costs ascending, stay, moves)
    for opts in options:
        cheapest, stay = opts[0]
        base[list(stay)] = True
        alternatives = [(value - cheapest, move) for value, move in opts[1:] if value - cheapest <= budget]
        if alternatives:
            kept.append(([cost for cost, _ in alternatives], stay, [move for _, move in alternatives]))
    # The rows' change of each departure, from prefix sums over the members of every choice at once.
    groups = [group for _, stay, moves in kept for group in (stay, *moves)]
    members = np.fromiter((i for group in groups for i in group), dtype=np.int64)
    ends = np.cumsum([len(group) for group in groups]).astype(np.int64)
    prefix = np.concatenate([np.zeros((1, items.shape[1])), np.cumsum(items[members], axis=0)])
    sums = prefix[ends] - prefix[ends - np.array([len(group) for group in groups], dtype=np.int64)]
    departures = []  # per component: costs (ascending), stay, moves, deltas of the rows
    at = 0
    for costs, stay, moves in kept:
        departures.append((np.array(costs), stay, moves, sums[at + 1 : at + 1 + len(moves)] - sums[at]))
        at += 1 + len(moves)
    # Cheapest departure first: once a component's cheapest departure exceeds what is left, every later
    # component's does too, and the set is complete.
    departures.sort(key=lambda d: d[0][0])
    cheapest = np.array([d[0][0] for d in departures])
    levels = len(departures)
    start = items[base].sum(axis=0)
    # Cuts. A completion departs in some of the components k .. end − 1 (those whose cheapest departure
    # fits what is left of the budget), at a total reduced cost ≤ left; for μ ≥ 0 its change of a row is
    #     Σ δ ≥ Σ_{j=k}^{end−1} min(0, min_a (δ_a + μ·cost_a)) − μ·left = S_μ[k] − S_μ[end] − μ·left,
    # S_μ a suffix sum. μ = 0 reads each row alone; μ > 0 prices the budget, which matters: without it,
    # on the bench (seed 4, max-fte mode) most of a window's sets are visited only to fail on a cap or
    # the coefficient. A few μ per row, from the spread of its departures' efficiencies (−δ/cost).
    # Every departure in one array, component after component (`first_of`: where each one's begin).
    counts = [len(d[0]) for d in departures]
    first_of = np.cumsum([0, *counts[:-1]]).astype(np.int64)
    costs_all = np.concatenate([d[0] for d in departures]) if departures else np.zeros(0)
    deltas_all = np.concatenate([d[3] for d in departures]) if departures else np.zeros((0, len(limits)))
    # The most a completion from each component on adds to each row.
    rises = np.zeros((levels + 1, len(limits)))
    if departures:
        rises[:-1] = np.cumsum(np.maximum(0.0, np.maximum.reduceat(deltas_all, first_of, axis=0))[::-1], axis=0)[::-1]
    cut_row, cut_mu, suffixes = [], [], []
    positive = costs_all > 0
    for i in range(len(limits) if departures else 0):
        if start[i] + rises[0, i] <= limits[i] and not (least and i == 0):
            continue  # no set of the window can break this row
        with np.errstate(over="ignore"):
            useful = -deltas_all[positive, i] / costs_all[positive]
        useful = useful[np.isfinite(useful) & (useful > 0) & (useful < 1e12)]
        mus = [0.0, *(np.unique(np.quantile(useful, _QUANTILES)).tolist() if len(useful) else [])]
        for mu in mus:
            steps = np.minimum(0.0, np.minimum.reduceat(deltas_all[:, i] + mu * costs_all, first_of))
            cut_row.append(i)
            cut_mu.append(mu)
            suffixes.append(np.concatenate([np.cumsum(steps[::-1])[::-1], [0.0]]))
    cut_row_at, cut_mu_at = np.array(cut_row, dtype=np.int64), np.array(cut_mu)
    suffix = np.array(suffixes).reshape(len(suffixes), levels + 1)

    # The states made so far: parent, component, alternative (to rebuild a set), 0 the cheapest choices.
    parent, level, alternative = [np.array([-1])], [np.array([-1])], [np.array([-1])]
    made = 1
    found: list[np.ndarray] = []
    shrink = least is not None

    def rebuild(node: int, par: np.ndarray, lev: np.ndarray, alt: np.ndarray) -> np.ndarray:
        x = base.copy()
        while node > 0:
            _, stay, moves, _ = departures[lev[node]]
            x[list(stay)] = False
            x[list(moves[alt[node]])] = True
            node = par[node]
        return x

    def take(nodes: np.ndarray, totals: np.ndarray) -> bool:
        """Tests the sets `nodes` (running totals within the rows, then the exact test); True to stop."""
        nonlocal budget
        passing = nodes[(totals <= limits).all(axis=1)].tolist()
        if passing:
            tables = [np.concatenate(a) for a in (parent, level, alternative)]
        for node in passing:
            x = rebuild(node, *tables)
            t = features[x].sum(axis=0)
            if not test.holds(t.tolist()):
                continue
            found.append(x)
            if first:
                return True
            if shrink:
                extra, offset = least
                at_most = float(t[0]) + extra
                if test.at_most is None or at_most < test.at_most:
                    test.at_most = at_most
                    limits[0] = at_most + margins[0]
                    budget = min(budget, at_most - offset)
        return False

    # Dominance, when a search looks for one set or the least ones (not when it lists them all): a state
    # whose totals are all above another's (the objective's by more than `extra` in a branch and bound)
    # has no completion that passes the test where the other's would not pass and do better; it goes.
    # Valid whatever the budget: a set that passes lies within it (the Lagrangian bound).
    eps = margins * 4
    if least is not None:
        eps[0] += least[0]

    def dominated(k: int, totals: np.ndarray) -> np.ndarray:
        # A row that no completion of a state can break does not count in its comparisons; the
        # objective always does in a branch and bound (the least sets are wanted, not any).
        safe = totals + rises[k] <= limits
        if least is not None:
            safe[:, 0] = False
        order = np.argsort(totals[:, 0], kind="stable")
        t, safe = totals[order], safe[order]
        out = np.zeros(len(t), dtype=bool)
        # Exactly on the objective and the row most often unsafe, against the states for which every
        # other row is safe: the least of that row among the states of lower objective.
        other = 1 + int(np.argmin(safe[:, 1:].mean(axis=0))) if t.shape[1] > 1 else 0
        rest = np.ones(t.shape[1], dtype=bool)
        rest[[0, other]] = False
        free = safe[:, rest].all(axis=1)
        if free.any() and t.shape[1] > 1:
            least_other = np.minimum.accumulate(np.where(free, t[:, other], np.inf))
            below = np.searchsorted(t[:, 0], t[:, 0] - eps[0], side="right")
            out |= (below > 0) & (least_other[np.maximum(below - 1, 0)] <= t[:, other] - eps[other])
        # Then against a few neighbours in that order, on every row.
        for shift in range(1, _DOMINANCE_SHIFTS + 1):
            out[shift:] |= ((t[:-shift] <= t[shift:] - eps) | safe[:-shift]).all(axis=1)
        result = np.empty_like(out)
        result[order] = out
        return result

    def alive(k: int, used: np.ndarray, totals: np.ndarray) -> np.ndarray:
        """The states that may still depart in a component from k on and satisfy every row."""
        left = budget - used
        keep = left >= (cheapest[k] if k < levels else np.inf)
        if len(cut_row_at) and keep.any():
            end = np.maximum(np.searchsorted(cheapest, left, side="right"), k)
            low = totals[:, cut_row_at] + suffix[:, k] - suffix.T[end] - cut_mu_at * left[:, None]
            keep &= (low <= limits[cut_row_at]).all(axis=1)
        return keep

    try:
        if take(np.array([0]), start[None, :]):
            return found
        nodes, used, totals = np.array([0]), np.zeros(1), start[None, :]
        for k in range(levels):
            if time.monotonic() > deadline:
                raise _Stopped
            keep = alive(k, used, totals)
            nodes, used, totals = nodes[keep], used[keep], totals[keep]
            if not len(nodes):
                break
            if (first or least is not None) and len(nodes) > _DOMINANCE_FROM:
                keep = ~dominated(k, totals)
                nodes, used, totals = nodes[keep], used[keep], totals[keep]
            costs, _, _, deltas = departures[k]
            grown = [(nodes, used, totals)]
            for a in range(len(costs)):
                can = used + costs[a] <= budget
                if not can.any():
                    break  # costs ascend
                count = int(can.sum())
                new = np.arange(made, made + count)
                parent.append(nodes[can])
                level.append(np.full(count, k))
                alternative.append(np.full(count, a))
                made += count
                if made > max_nodes:
                    raise _TooLarge
                new_used, new_totals = used[can] + costs[a], totals[can] + deltas[a]
                if take(new, new_totals):
                    return found
                grown.append((new, new_used, new_totals))
            nodes, used, totals = (np.concatenate(parts) for parts in zip(*grown, strict=True))
        return found
    finally:
        if spent is not None:
            spent[0] += made


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
    # Growing windows: the number of sets in a window grows very fast with it (seed 4 of the bench,
    # target mode, without the cover cuts: 0.3 million states at 0.9 times the distance from the bound
    # to the optimum, 1 million at 1.0, 3 million at 1.2). A round that finds a set shrinks its own window
    # to that set's objective plus `extra`; a round that would exceed `_ROUND_NODES` states is abandoned
    # for a window halfway between the last empty one and it; past `_LEAST_STATES`, the MIP path decides.
    empty, full = bound, None  # no set up to `empty`; the search exceeded its states at `full`
    limit = bound + 1e-6 * (1.0 + abs(bound))
    rounds, spent = 0, [0]
    while True:
        if upper is not None and limit >= upper:
            limit = upper
        if limit - bound >= span:
            limit = np.inf  # the window holds every choice: the last round lists every set
        test.at_most = _UNLIMITED if limit == np.inf else limit
        try:
            sets = _search(
                options,
                max(min(limit, bound + span) - bound, 0.0) + relax.margin,
                test,
                inst.deadline,
                max_nodes=_ROUND_NODES,
                least=(extra, bound - relax.margin),
                spent=spent,
            )
        except _TooLarge:
            full = min(limit, bound + span)
            rounds += 1
            if full - empty <= 1e-3 * (full - bound) + relax.margin or rounds > 60 or spent[0] > _LEAST_STATES:
                raise  # even a window just above an empty one is too large: the MIP path decides
            limit = (empty + full) / 2
            continue
        if spent[0] > _LEAST_STATES and not sets:
            raise _TooLarge  # the windows near the least set hold too many states: the MIP path decides
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
        empty = limit
        limit = (empty + full) / 2 if full is not None else bound + (limit - bound) * _GROWTH


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
            # The current set bounds the window; a hair above its objective, that its own sums (added in
            # another order) pass the test.
            upper = float(objective[x].sum()) + 1e-9 * (1.0 + float(np.abs(objective[x]).sum()))
            sets = _least_sets(graph, relax, _Test(inst, objective, limits), 0.0, upper=upper)
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
