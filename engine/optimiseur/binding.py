"""The binding constraints (`binding`, docs/optimiseur.md « Contraintes saturées »): their names, then
for each one whether dropping it alone gives a strictly better optimum, by enumeration first, by MIP
solves for those the enumeration cannot decide."""

from __future__ import annotations

import math
import time

import numpy as np

from engine.optimiseur.enumeration import (
    _NODE_BUDGET,
    _all_options,
    _bound,
    _Graph,
    _search,
    _Test,
    _TooLarge,
)
from engine.optimiseur.probleme import (
    CIBLE,
    FAISABILITE_MIN,
    PLAFOND_ETP,
    SCALE,
    TOL_COEFFICIENT,
    TOL_FTE,
    _Stopped,
    plafond_annuel,
)
from engine.optimiseur.programme import _Instance, _Prepared, _Row
from engine.optimiseur.relaxation import _Bound, _lagrangian, _Relaxation


def _constraint_names(prep: _Prepared, max_fte: float | None) -> list[str]:
    """Every constraint that could bind apart from `cible`, in the documented order (docs/optimiseur.md):
    plafond_etp, plafond_etp_annuel:YEAR by year, faisabilite_min, refus:COMMUNE:THEME by commune then
    theme, chevauchement:A/B by the positions of A then B (A before B in the file)."""
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
        # A quarter of the window first: a witness usually departs little from the cheapest choices, and
        # that search costs little next to the whole window's (which alone can prove that there is none).
        # Measured on the bench, seeds 1-10 both modes: 6.5 s of processor in all, against 7.6 s with
        # windows of 1/64, 1/8 and 1 and 7.2 s with the whole window alone.
        budget = threshold - bound + relax.margin
        for part in (1 / 4, 1):
            if _search(options, budget * part, test, deadline, first=True, max_nodes=max_nodes):
                return True
        return False

    found, undecided = set(), []
    long_searches_failed = 0
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
                try:
                    if witness(relax, options, test, allowed0, (a, b), max_nodes=_NODE_BUDGET // 3):
                        found.add(name)
                    continue
                except _TooLarge:
                    pass
                # A short MIP: it often settles at once what the search finds long (seed 4 of the
                # bench, target mode: 0.08 s against more than a million states), and the reverse.
                soon = min(deadline, time.monotonic() + _QUICK_MIP_S)
                quick = _mip_better(prep, inst, name, target, max_fte, x, soon)
                if quick is not None:
                    if quick:
                        found.add(name)
                    continue
                if long_searches_failed >= _LONG_SEARCH_FAILURES:
                    raise _TooLarge  # on this problem they do not end: the MIP path decides
                try:
                    if witness(relax, options, test, allowed0, (a, b), max_nodes=_PAIR_NODES):
                        found.add(name)
                except _TooLarge:
                    long_searches_failed += 1
                    raise
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


_QUICK_MIP_S = 0.15  # the short MIP of an overlap pair the shared multipliers leave open
_PAIR_NODES = 1_000_000  # states of the search of such a pair with multipliers of its own
# After this many of those searches ended on their limit, the others are left to the MIP path: on a
# problem where they do not end (seed 3 of the bench with a cap of 220 ETP: 28 of 31, 36 s), they cost
# more than the grouped MIP tests.
_LONG_SEARCH_FAILURES = 2


def _better_rows(relaxed: _Instance, inst: _Instance, x, target) -> list[_Row]:
    """A strictly better set than x (docs/optimiseur.md « Contraintes saturées »), as rows of `relaxed`."""
    if target is not None:
        everyone = np.arange(len(relaxed), dtype=np.int32)
        return [
            relaxed.coefficient_row(target - TOL_COEFFICIENT),
            _Row(everyone, relaxed.fte, -np.inf, inst.moved_fte(x) - TOL_FTE),
        ]
    return [relaxed.coefficient_row(inst.ratio(x) + TOL_COEFFICIENT)]


def _mip_better(prep, inst, name, target, max_fte, x, deadline) -> bool | None:
    """Whether dropping the overlap pair `name` admits a strictly better set, by one MIP holding both
    actions; None when `deadline` came first."""
    relaxed = _Instance(prep, frozenset((name,)), max_fte, deadline)
    a, b = prep.pair_by_name[name]
    try:
        out = relaxed.solve(_better_rows(relaxed, inst, x, target), fixed={relaxed.index[a]: 1, relaxed.index[b]: 1})
    except _Stopped:
        return None
    if out.x is not None:
        # The solver's set, checked exactly (its tolerances are not the contract's).
        return True if _strictly_better(relaxed, out.x, inst, x, target) else None
    return None if out.status == "stopped" else False


def _strictly_better(relaxed: _Instance, y: np.ndarray, inst: _Instance, x: np.ndarray, target) -> bool:
    """y (over `relaxed`) is admissible there and strictly better than x (over `inst`), on exact sums."""
    if any(y[i] and y[j] for i, j in relaxed.edges):
        return False
    capped, plafond = relaxed.limits()
    cap = relaxed.problem.yearly_fte_cap
    years = [
        math.fsum(f for f, on, k in zip(relaxed.fte, y, relaxed.year_of, strict=True) if on and k == j)
        for j in range(len(relaxed.years))
    ]
    if any(on and total > cap + TOL_FTE for on, total in zip(capped, years, strict=True)):
        return False
    fte = relaxed.moved_fte(y)
    if plafond and fte > relaxed.max_fte + TOL_FTE:
        return False
    den = math.fsum(
        [relaxed.problem.denominator0, *(c.d_denominator for c, on in zip(relaxed.cands, y, strict=True) if on)]
    )
    if not den > 0:
        return False
    if target is not None:
        return relaxed.ratio(y) >= target - TOL_COEFFICIENT and fte < inst.moved_fte(x) - TOL_FTE
    return relaxed.ratio(y) > inst.ratio(x) + TOL_COEFFICIENT


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
