import pytest

from engine.secret import secondary_suppression


def test_no_primary_hides_nothing():
    assert secondary_suppression({("a", "x"): 1.0, ("b", "x"): 2.0}, []) == set()


def test_single_hidden_cell_in_a_column_drags_the_smallest_other():
    values = {("a", "x"): 10.0, ("b", "x"): 5.0, ("c", "x"): 7.0}
    assert secondary_suppression(values, [("a", "x")]) == {("a", "x"), ("b", "x")}


def test_two_hidden_cells_in_every_line_are_enough():
    values = {("a", "x"): 1.0, ("b", "x"): 2.0, ("c", "x"): 3.0}
    assert secondary_suppression(values, [("a", "x"), ("b", "x")]) == {("a", "x"), ("b", "x")}


def test_suppression_propagates_across_rows_and_columns():
    values = {("a", "x"): 1.0, ("a", "y"): 5.0, ("b", "x"): 4.0, ("b", "y"): 6.0, ("c", "y"): 9.0}
    hidden = secondary_suppression(values, [("a", "x")])
    # column x: a hidden alone -> b,x hidden; row a: a,x alone -> a,y hidden; row b then has b,x alone -> b,y
    assert hidden >= {("a", "x"), ("b", "x"), ("a", "y")}
    for line in ("a", "b", "c"):
        assert len([k for k in hidden if k[0] == line]) != 1 or all(k2 in hidden for k2 in values if k2[0] == line)


def test_a_lone_cell_cannot_be_protected_by_another():
    assert secondary_suppression({("a", "x"): 1.0}, [("a", "x")]) == {("a", "x")}


def test_known_cells_are_never_the_second_hidden_cell():
    values = {("a", "x"): 1.0, ("b", "x"): 2.0, ("c", "x"): 3.0}
    assert secondary_suppression(values, [("a", "x")], known=[("b", "x")]) == {("a", "x"), ("c", "x")}


def test_a_line_with_one_hidden_cell_and_no_candidate_has_its_total_hidden():
    from engine.secret import lines_to_hide

    values = {("a", "x"): 1.0, ("b", "x"): 2.0}
    assert lines_to_hide(values, [("a", "x")], known=[("b", "x")]) >= {("col", "x")}


def test_extra_lines_are_protected_like_rows_and_columns():
    from engine.secret import suppress

    # the theme's numerator (published) = EPCI cell + communes' agents made available: hiding the
    # made-available cell alone would let anyone subtract; the extra line forces a second cell.
    values = {("EPCI", "FIN"): 100.0, ("MAD", "FIN"): 5.0, ("A", "FIN"): 50.0, ("A", "RH"): 60.0,
              ("EPCI", "RH"): 80.0}
    hidden, exposed = suppress(values, [("MAD", "FIN")], extra_lines={"num-FIN": [("EPCI", "FIN"), ("MAD", "FIN")]})
    assert ("EPCI", "FIN") in hidden
    assert not any(len([k for k in keys if k in hidden]) == 1
                   for keys in ([("EPCI", "FIN"), ("MAD", "FIN")],))


@pytest.mark.parametrize("parts, secret", [
    ([], False),
    ([(5, False), (4, False)], False),        # nothing hidden
    ([(5, False), (1, True)], True),          # one hidden part: the sum minus the known part
    ([(2, True), (2, True)], False),          # two hidden parts of 4 agents together
    ([(1, True), (1, True)], True),           # hidden parts of fewer than 3 agents together
    ([(5, False), (0, True)], False),         # an empty part hides nothing
])
def test_a_sum_over_contributors_is_secret_when_a_small_part_could_be_recovered(parts, secret):
    from engine.secret import somme_secrete

    assert somme_secrete(parts) is secret
