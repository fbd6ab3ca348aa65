"""The audit of the sweep is not vacuous: a reader outside the employers has hidden amounts to protect,
and the linear program flags a hidden cell as soon as its value, or the neighbours hidden to protect it,
are released."""

import pytest

from engine import confidentialite as regle
from tests.cast import BORDEAUX
from tests.confidentialite.sweep import distinct_releases, render_all, targets

pytestmark = pytest.mark.django_db

PAGES = {"masse_salariale:coefficient", "masse_salariale:detail", "espace:territoire"}


@pytest.fixture
def seen_by_elue(client, world):
    """The Lectures of the élue's payroll pages (coefficient, drill-downs, territory)."""
    client.force_login(world.readers["elu_copil"])
    lectures = [lecture for r in render_all(client, world, PAGES) for lecture in r.lectures]
    assert lectures
    return lectures


def combination(lecture, cell) -> dict:
    return {a: 1.0 for a in lecture.tableau.atomes_de[cell]}


def value(lecture, cell) -> int:
    return round(sum(lecture.tableau.cellules[cell].values()))


def test_a_reader_outside_the_employers_has_hidden_amounts_to_protect(seen_by_elue):
    lecture = seen_by_elue[0]
    wanted = targets(seen_by_elue)
    assert lecture.motif.primaires and wanted
    assert any(("cellule", k) in wanted for k in lecture.motif.primaires)


def test_audit_flags_a_hidden_cell_once_its_value_is_released(seen_by_elue):
    lecture = seen_by_elue[0]
    # Bordeaux's one RH agent (tests/confidentialite/world.py): a primary hidden cell for the élue.
    [cell] = [k for k in lecture.motif.primaires if k[0] == BORDEAUX and k[1] == "RH"]
    target = {("cellule", cell): combination(lecture, cell)}
    released = regle.Publie(combination(lecture, cell), value(lecture, cell))
    found = regle.audit([*distinct_releases(seen_by_elue), released], target)
    assert ("cellule", cell) in found
    low, high = found["cellule", cell]
    assert low <= value(lecture, cell) <= high


def test_audit_flags_more_once_the_neighbours_hidden_to_protect_cells_are_released(seen_by_elue):
    lecture = seen_by_elue[0]
    secondary = sorted(lecture.motif.caches - lecture.motif.primaires)
    assert secondary, "le motif masque des cellules voisines pour protéger les petites"
    wanted = targets(seen_by_elue)
    releases = distinct_releases(seen_by_elue)
    before = regle.audit(releases, wanted)
    neighbours = [regle.Publie(combination(lecture, k), value(lecture, k)) for k in secondary]
    after = regle.audit([*releases, *neighbours], wanted)
    assert set(after) > set(before)
    assert any(name[0] == "cellule" and name[1] in lecture.motif.primaires for name in set(after) - set(before))
