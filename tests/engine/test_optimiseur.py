"""The optimal portfolio (engine/optimiseur/; docs/contrats §6 `mutualis optimize`): hand-made cases
for every mode, constraint, tie level and binding name, and a property test against brute force."""

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.optimiseur import (
    TOL_COEFFICIENT,
    TOL_FTE,
    Candidate,
    NoSolutionInTime,
    Problem,
    UnreachableTarget,
    optimise,
)

# --- brute force, written plainly and independently of the optimiser --------------------------------


def _excluded_by(c, problem):
    names = []
    if c.faisabilite < problem.min_feasibility:
        names.append("faisabilite_min")
    for commune in c.communes:
        if c.theme in problem.refusals.get(commune, ()):
            names.append(f"refus:{commune}:{c.theme}")
    return names


def brute_sets(problem, max_fte=None, dropped=()):
    """Every admissible set as (coefficient, fte, feasibility, count, positions, ids)."""
    eligible = [c for c in problem.candidates if c.staff and all(n in dropped for n in _excluded_by(c, problem))]
    position = {c.id: c.position for c in problem.candidates}
    sets = []
    for size in range(len(eligible) + 1):
        for combo in itertools.combinations(eligible, size):
            ids = {c.id for c in combo}
            clash = False
            for a, b in problem.overlaps:
                first, second = sorted((a, b), key=position.get)
                if a in ids and b in ids and f"chevauchement:{first}/{second}" not in dropped:
                    clash = True
            if clash:
                continue
            fte = sum(c.moved_fte for c in combo)
            if max_fte is not None and "plafond_etp" not in dropped and fte > max_fte + TOL_FTE:
                continue
            if problem.yearly_fte_cap is not None:
                years = {c.annee for c in combo}
                if any(
                    sum(c.moved_fte for c in combo if c.annee == y) > problem.yearly_fte_cap + TOL_FTE
                    for y in years
                    if f"plafond_etp_annuel:{y}" not in dropped
                ):
                    continue
            num = problem.numerator0 + sum(c.d_numerator for c in combo)
            den = problem.denominator0 + sum(c.d_denominator for c in combo)
            if den <= 0:
                continue
            sets.append(
                (
                    num / den,
                    fte,
                    sum(c.faisabilite for c in combo),
                    len(combo),
                    sorted(c.position for c in combo),
                    [c.id for c in sorted(combo, key=lambda c: c.position)],
                )
            )
    return sets


def brute_choice(sets, target=None):
    """The tie-breaking of docs/contrats §6, one filter after the other."""
    if target is not None:
        tied = [s for s in sets if s[0] >= target - TOL_COEFFICIENT]
        if not tied:
            return None
    else:
        best = max(s[0] for s in sets)
        tied = [s for s in sets if s[0] >= best - TOL_COEFFICIENT]
    least_fte = min(s[1] for s in tied)
    tied = [s for s in tied if s[1] <= least_fte + TOL_FTE]
    most_feasible = max(s[2] for s in tied)
    tied = [s for s in tied if s[2] == most_feasible]
    fewest = min(s[3] for s in tied)
    tied = [s for s in tied if s[3] == fewest]
    return min(tied, key=lambda s: s[4])


def brute_force(problem, target=None, max_fte=None):
    """(ids selected, None) or (None, best reachable coefficient) for an unreachable target."""
    sets = brute_sets(problem, max_fte)
    choice = brute_choice(sets, target)
    if choice is None:
        return None, max(s[0] for s in sets)
    return choice[5], None


def brute_binding(problem, target=None, max_fte=None):
    """The constraints whose dropping alone gives a strictly better optimum, as a set of names."""
    choice = brute_choice(brute_sets(problem, max_fte), target)
    position = {c.id: c.position for c in problem.candidates}
    names = set()
    if max_fte is not None:
        names.add("plafond_etp")
    if problem.yearly_fte_cap is not None:
        names |= {f"plafond_etp_annuel:{c.annee}" for c in problem.candidates}
    names |= {n for c in problem.candidates for n in _excluded_by(c, problem)}
    for a, b in problem.overlaps:
        first, second = sorted((a, b), key=position.get)
        names.add(f"chevauchement:{first}/{second}")
    binding = {"cible"} if target is not None and choice[1] > TOL_FTE else set()
    for name in names:
        relaxed = brute_sets(problem, max_fte, dropped=(name,))
        if target is not None:
            better = any(s[0] >= target - TOL_COEFFICIENT and s[1] < choice[1] - TOL_FTE for s in relaxed)
        else:
            better = any(s[0] > choice[0] + TOL_COEFFICIENT for s in relaxed)
        if better:
            binding.add(name)
    return binding


# --- hand-made cases ---------------------------------------------------------------------------------

# Coefficient before: 40 / 100.
N0, D0 = 40_000.0, 100_000.0


def cand(
    ident, position, dn, fte, dd=0.0, faisabilite=3, annee=2027, theme="RH", communes=("33063",), staff=True, ac=None
):
    return Candidate(
        ident, position, dn, dd, fte, dn, -dn if ac is None else ac, faisabilite, annee, theme, communes, staff
    )


def problem(*candidates, **kwargs):
    return Problem(N0, D0, tuple(candidates), **kwargs)


def test_target_mode_takes_the_least_moved_etp():
    p = problem(cand("a", 0, 20_000, 4), cand("b", 1, 12_000, 2), cand("c", 2, 11_000, 2.5))
    # 0.6 needs 20 000 more: a (4 ETP) or b + c (4.5 ETP).
    result = optimise(p, target=0.6)
    assert result.selected == ("a",)
    assert result.coefficient == pytest.approx(0.6)
    assert (result.moved_fte, result.moved_cost, result.ac_total) == (4, 20_000, -20_000)
    assert result.optimal and result.binding == ("cible",)


def test_target_is_reached_within_1e_9():
    p = problem(cand("a", 0, 20_000, 4))
    assert optimise(p, target=0.6 + 0.5e-9).selected == ("a",)
    with pytest.raises(UnreachableTarget):
        optimise(p, target=0.6 + 2e-9)


def test_a_target_already_reached_selects_nothing():
    result = optimise(problem(cand("a", 0, 20_000, 4)), target=0.3)
    assert result.selected == () and result.coefficient == pytest.approx(0.4)
    assert result.moved_fte == 0 and result.binding == ()


def test_max_fte_mode_maximises_the_ratio_not_the_numerator():
    # A gain shrinks the denominator: b moves less but raises the ratio more than a.
    p = problem(cand("a", 0, 10_000, 3), cand("b", 1, 9_000, 3, dd=-5_000), cand("c", 2, 1_000, 1))
    result = optimise(p, max_fte=3)
    assert result.selected == ("b",)
    assert result.coefficient == pytest.approx(49_000 / 95_000)
    assert result.binding == ("plafond_etp",)


def test_max_fte_mode_leaves_out_what_does_not_raise_the_coefficient():
    p = problem(cand("a", 0, 10_000, 1), cand("neutre", 1, 0, 1, theme="AOS"))
    result = optimise(p, max_fte=10)
    assert result.selected == ("a",) and result.binding == ()


def test_unreachable_target_carries_the_best_coefficient():
    p = problem(cand("a", 0, 10_000, 1), cand("b", 1, 10_000, 1), overlaps=frozenset({("a", "b")}))
    with pytest.raises(UnreachableTarget) as info:
        optimise(p, target=0.55)
    assert info.value.best == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("candidates", "max_fte", "expected"),
    [
        # Equal ETP: the higher total feasibility wins.
        ([cand("a", 0, 20_000, 4, faisabilite=2), cand("b", 1, 20_000, 4, faisabilite=4)], 4, ("b",)),
        # Equal ETP (0.1 + 0.2 and 0.3 within TOL_FTE), equal feasibility: fewer actions.
        (
            [
                cand("a", 0, 10_000, 0.1, faisabilite=1),
                cand("b", 1, 10_000, 0.2, faisabilite=1),
                cand("c", 2, 20_000, 0.3, faisabilite=2),
            ],
            0.3,
            ("c",),
        ),
        # All equal: the smallest positions.
        ([cand("a", 0, 20_000, 4), cand("b", 1, 20_000, 4)], 4, ("a",)),
        (
            [
                cand("x", 0, 0, 9),
                cand("a", 1, 10_000, 2),
                cand("b", 2, 10_000, 2),
                cand("c", 3, 10_000, 2),
                cand("d", 4, 10_000, 2),
            ],
            4,
            ("a", "b"),
        ),
    ],
)
def test_ties_in_order(candidates, max_fte, expected):
    p = problem(*candidates)
    assert optimise(p, target=0.6).selected == expected
    assert optimise(p, max_fte=max_fte).selected == expected


def test_positions_not_sums_decide_the_last_tie():
    # Sets {a, d} (positions 0, 3) and {b, c} (1, 2) tie on everything: [0, 3] < [1, 2], although
    # 0 + 3 = 1 + 2.
    p = problem(
        cand("a", 0, 15_000, 2),
        cand("b", 1, 10_000, 2),
        cand("c", 2, 10_000, 2),
        cand("d", 3, 5_000, 2),
        overlaps=frozenset({("a", "b"), ("a", "c")}),
    )
    assert optimise(p, target=0.6).selected == ("a", "d")


def test_overlapping_candidates_are_never_both_selected():
    p = problem(
        cand("a", 0, 10_000, 1), cand("b", 1, 10_000, 1), cand("c", 2, 10_000, 5), overlaps=frozenset({("b", "a")})
    )
    result = optimise(p, target=0.6)
    assert result.selected == ("a", "c")
    assert result.binding == ("cible", "chevauchement:a/b")


def test_yearly_cap():
    p = problem(
        cand("a", 0, 10_000, 2, annee=2027),
        cand("b", 1, 10_000, 2, annee=2027),
        cand("c", 2, 10_000, 3, annee=2028),
        yearly_fte_cap=3,
    )
    result = optimise(p, target=0.6)
    assert result.selected == ("a", "c")
    assert result.binding == ("cible", "plafond_etp_annuel:2027")


def test_min_feasibility_excludes_and_binds():
    p = problem(cand("a", 0, 20_000, 2, faisabilite=1), cand("b", 1, 20_000, 4, faisabilite=5), min_feasibility=2)
    result = optimise(p, target=0.6)
    assert result.selected == ("b",) and result.binding == ("cible", "faisabilite_min")
    # "4+" (5) passes a minimum of 4+.
    assert optimise(problem(*p.candidates, min_feasibility=5), target=0.6).selected == ("b",)


def test_refusal_excludes_candidates_touching_the_commune_and_binds():
    p = problem(
        cand("a", 0, 20_000, 2, communes=("33063", "33281")),
        cand("b", 1, 20_000, 4, communes=("33318",)),
        cand("c", 2, 20_000, 3, theme="FIN", communes=("33281",)),
        refusals={"33281": frozenset({"RH"})},
    )
    result = optimise(p, target=0.6)
    assert result.selected == ("c",) and result.binding == ("cible", "refus:33281:RH")


def test_candidates_that_move_no_staff_are_never_selected():
    p = problem(cand("a", 0, 20_000, 0, staff=False), cand("b", 1, 20_000, 4))
    assert optimise(p, target=0.6).selected == ("b",)


def test_binding_order_and_non_binding_constraints():
    p = problem(
        cand("a", 0, 10_000, 1, faisabilite=0),
        cand("b", 1, 10_000, 1, communes=("33281",)),
        cand("c", 2, 10_000, 1),
        cand("d", 3, 10_000, 1),
        cand("e", 4, 10_000, 9),
        overlaps=frozenset({("c", "d"), ("c", "e")}),
        min_feasibility=1,
        refusals={"33281": frozenset({"RH"}), "33522": frozenset({"RH"})},
        yearly_fte_cap=20,
    )
    result = optimise(p, max_fte=2)
    # c or d alone (tie on everything but the position); a, b excluded; c + e is above the cap.
    assert result.selected == ("c",)
    assert result.binding == ("plafond_etp", "faisabilite_min", "refus:33281:RH", "chevauchement:c/d")


def test_fa_territory_has_no_ac_total():
    p = problem(cand("a", 0, 20_000, 4, ac=None), fpu=False)
    assert optimise(p, target=0.6).ac_total is None


def test_time_limit_stops_the_search():
    p = problem(cand("a", 0, 20_000, 4), cand("b", 1, 30_000, 4))
    result = optimise(p, max_fte=4, time_limit=0)
    assert result.optimal is False and result.selected == ()
    with pytest.raises(NoSolutionInTime):
        optimise(p, target=0.6, time_limit=0)


def test_invalid_calls():
    p = problem(cand("a", 0, 20_000, 4))
    with pytest.raises(ValueError):
        optimise(p)
    with pytest.raises(ValueError):
        optimise(p, target=0.5, max_fte=3)
    with pytest.raises(ValueError):
        optimise(Problem(0.0, 0.0, p.candidates), max_fte=3)


def test_json_document():
    doc = optimise(problem(cand("a", 0, 20_000, 4)), target=0.6).as_json()
    assert list(doc) == ["selected", "coefficient", "moved_fte", "moved_cost", "ac_total", "optimal", "binding"]


# --- property: the optimiser selects what brute force selects ----------------------------------------


@st.composite
def instances(draw):
    n = draw(st.integers(0, 9))
    candidates = []
    for i in range(n):
        # Small sets of values make ties on purpose; a continuous draw now and then.
        dn = draw(st.sampled_from([0.0, 5_000.0, 10_000.0, 15_000.0]) | st.floats(0, 30_000))
        dd = -draw(st.sampled_from([0.0, 1_000.0, 2_000.0]) | st.floats(0, 5_000)) if dn else 0.0
        fte = draw(st.sampled_from([0.5, 1.0, 1.5, 2.0, 0.1, 0.2, 0.3]) | st.floats(0.05, 4))
        candidates.append(
            Candidate(
                f"c{i}",
                i,
                dn,
                dd,
                fte,
                dn * 1.2,
                -dn,
                draw(st.integers(0, 5)),
                draw(st.sampled_from([2026, 2027])),
                draw(st.sampled_from(["RH", "FIN"])),
                (draw(st.sampled_from(["33063", "33281"])),),
                draw(st.integers(0, 9)) > 0,  # a few candidates move no staff
            )
        )
    pairs = [(a.id, b.id) for k, a in enumerate(candidates) for b in candidates[k + 1 :]]
    overlaps = frozenset(draw(st.lists(st.sampled_from(pairs), max_size=6))) if pairs else frozenset()
    return Problem(
        numerator0=draw(st.floats(5_000, 60_000)),
        denominator0=100_000.0,
        candidates=tuple(candidates),
        overlaps=overlaps,
        yearly_fte_cap=draw(st.none() | st.sampled_from([1.0, 2.0, 3.5])),
        min_feasibility=draw(st.sampled_from([0, 0, 2, 5])),
        refusals=draw(st.sampled_from([{}, {"33281": frozenset({"RH"})}])),
    )


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.floats(0.05, 0.7) | st.sampled_from([0.4, 0.5, 0.55]))
def test_target_mode_matches_brute_force(p, target):
    expected, best = brute_force(p, target=target)
    if expected is None:
        with pytest.raises(UnreachableTarget) as info:
            optimise(p, target=target)
        assert info.value.best == pytest.approx(best, abs=1e-12)
        return
    result = optimise(p, target=target)
    assert list(result.selected) == expected
    assert result.optimal
    assert set(result.binding) == brute_binding(p, target=target)


@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 100.0]) | st.floats(0, 8))
def test_max_fte_mode_matches_brute_force(p, max_fte):
    expected, _ = brute_force(p, max_fte=max_fte)
    result = optimise(p, max_fte=max_fte)
    assert list(result.selected) == expected
    assert result.optimal
    assert math.isclose(result.moved_fte, sum(c.moved_fte for c in p.candidates if c.id in expected))
    assert set(result.binding) == brute_binding(p, max_fte=max_fte)


# --- the enumeration against the MIP path, on larger instances ----------------------------------------


def _grouped_instance(seed, groups=12):
    """Bench-like: groups of three overlapping modalités (one commune × theme), ties on purpose."""
    import random

    rng = random.Random(seed)
    candidates, overlaps = [], set()
    for g in range(groups):
        commune, theme = ("33063", "33281", "33318")[g % 3], ("RH", "FIN", "SI", "AOS")[g % 4]
        base = rng.choice([1.0, 2.0, 5.0]) * rng.uniform(0.5, 1.5)
        ids = []
        for m in range(3):
            part, gain = rng.choice([0.5, 1.0, rng.uniform(0.3, 1.0)]), rng.choice([0.0, 0.1, rng.uniform(0, 0.2)])
            cost = part * base * 10_000
            dn = 0.0 if theme == "AOS" else cost * (1 - gain)
            ident = f"g{g}m{m}"
            candidates.append(
                Candidate(
                    ident,
                    len(candidates),
                    dn,
                    -cost * gain if dn else 0.0,
                    round(part * base, 1),
                    cost,
                    -cost,
                    rng.randint(0, 5),
                    rng.choice([2026, 2027]),
                    theme,
                    (commune,),
                )
            )
            ids.append(ident)
        overlaps |= {(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]}
    return Problem(
        60_000.0,
        200_000.0,
        tuple(candidates),
        frozenset(overlaps),
        yearly_fte_cap=rng.choice([None, 8.0, 12.0]),
        min_feasibility=rng.choice([0, 1]),
        refusals=rng.choice([{}, {"33281": frozenset({"RH"})}]),
    )


@pytest.mark.parametrize("seed", range(6))
def test_enumeration_matches_the_mip_path(seed, monkeypatch):
    from engine.optimiseur import enumeration

    p = _grouped_instance(seed)
    before = p.numerator0 / p.denominator0
    modes = [{"target": before + 0.04}, {"target": before + 0.08}, {"max_fte": 6.0}, {"max_fte": 15.0}]
    fast = []
    for mode in modes:
        try:
            fast.append(optimise(p, **mode))
        except UnreachableTarget as e:
            fast.append(("unreachable", e.best))
    # Every component is then "too large": the MIP path decides everything.
    monkeypatch.setattr(enumeration, "_COMPONENT_MAX", 0)  # read where the components are built
    for mode, result in zip(modes, fast, strict=True):
        try:
            reference = optimise(p, **mode)
        except UnreachableTarget as e:
            assert result[0] == "unreachable" and result[1] == pytest.approx(e.best, abs=1e-12)
            continue
        assert (result.selected, result.binding, result.optimal) == (reference.selected, reference.binding, True), mode


# --- the search's shortcuts, forced on the small instances ---------------------------------------------


@pytest.mark.parametrize("quick_mip_s", [0.15, 0.0])
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(p=instances(), target=st.floats(0.05, 0.7), max_fte=st.sampled_from([0.0, 1.0, 2.0, 100.0]) | st.floats(0, 8))
def test_shortcuts_keep_the_brute_force_result(quick_mip_s, p, target, max_fte):
    """Dominance between states, the halving of windows, the short MIP of an overlap pair and the MIP
    path of the binding analysis act only on large instances; forced here on every search, they must
    still give what brute force gives."""
    from engine.optimiseur import binding, enumeration

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enumeration, "_DOMINANCE_FROM", 0)
        patch.setattr(enumeration, "_ROUND_NODES", 12)
        patch.setattr(enumeration, "_GROWTH", 64.0)
        patch.setattr(binding, "_NODE_BUDGET", 3)
        patch.setattr(binding, "_PAIR_NODES", 3)
        patch.setattr(binding, "_QUICK_MIP_S", quick_mip_s)
        expected, _ = brute_force(p, target=target)
        if expected is not None:
            result = optimise(p, target=target)
            assert list(result.selected) == expected
            assert set(result.binding) == brute_binding(p, target=target)
        expected, _ = brute_force(p, max_fte=max_fte)
        result = optimise(p, max_fte=max_fte)
        assert list(result.selected) == expected
        assert set(result.binding) == brute_binding(p, max_fte=max_fte)
