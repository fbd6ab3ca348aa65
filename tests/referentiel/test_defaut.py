"""The default referential of activities (referentiel/defaut.py): shape, codes, CDG missions."""

import ast
import re
from pathlib import Path

import pytest

from engine.themes import THEME_CODES
from referentiel import defaut
from referentiel.defaut import DEFAULT_REFERENTIAL, activities_by_theme, activity_theme_map

ACTIVITY_CODE = re.compile(r"^[A-Z]+-[A-Z0-9]+$")
SUB_ACTIVITY_CODE = re.compile(r"^[A-Z]+-[A-Z0-9]+-\d{2}$")


@pytest.mark.parametrize("theme", THEME_CODES)
def test_every_theme_has_8_to_15_activities(theme):
    activities = [a for a in DEFAULT_REFERENTIAL if a.theme == theme]
    assert 8 <= len(activities) <= 15


def test_only_the_nine_themes_are_used():
    assert {a.theme for a in DEFAULT_REFERENTIAL} == set(THEME_CODES)


def test_every_activity_has_at_least_two_sub_activities_and_labels():
    for activity in DEFAULT_REFERENTIAL:
        assert len(activity.sous_activites) >= 2, activity.code
        assert activity.libelle.strip() and activity.description.strip(), activity.code
        assert all(s.libelle.strip() for s in activity.sous_activites), activity.code


def test_activity_codes_are_unique_well_formed_and_prefixed_by_their_theme():
    codes = [a.code for a in DEFAULT_REFERENTIAL]
    assert len(codes) == len(set(codes))
    for activity in DEFAULT_REFERENTIAL:
        assert ACTIVITY_CODE.match(activity.code), activity.code
        assert activity.code.isascii()
        assert activity.code.split("-")[0] == activity.theme


def test_sub_activity_codes_are_unique_and_numbered_under_their_activity():
    codes = [s.code for a in DEFAULT_REFERENTIAL for s in a.sous_activites]
    assert len(codes) == len(set(codes))
    for activity in DEFAULT_REFERENTIAL:
        expected = [f"{activity.code}-{n:02d}" for n in range(1, len(activity.sous_activites) + 1)]
        assert [s.code for s in activity.sous_activites] == expected
        assert all(SUB_ACTIVITY_CODE.match(code) for code in expected)


def test_labels_are_unique_within_a_theme():
    for theme, activities in activities_by_theme().items():
        labels = [a.libelle for a in activities]
        assert len(labels) == len(set(labels)), theme


def test_rh_paie_exists_as_the_docs_use_it():
    paie = activity_theme_map()["RH-PAIE"]
    assert paie == "RH"
    activity = next(a for a in DEFAULT_REFERENTIAL if a.code == "RH-PAIE")
    assert activity.libelle == "Paie et gestion administrative des carrières"
    assert not activity.reserve_cdg


def test_activity_theme_map_covers_every_activity():
    mapping = activity_theme_map()
    assert len(mapping) == len(DEFAULT_REFERENTIAL)
    assert all(mapping[a.code] == a.theme for a in DEFAULT_REFERENTIAL)


def test_activities_by_theme_keeps_referential_order():
    grouped = activities_by_theme()
    assert list(grouped) == list(THEME_CODES)
    assert sum(len(v) for v in grouped.values()) == len(DEFAULT_REFERENTIAL)
    assert grouped["RH"][0].code == "RH-PAIE"


def test_missions_reserved_to_centres_de_gestion_are_marked_in_rh_only():
    reserved_activities = {a.code for a in DEFAULT_REFERENTIAL if a.reserve_cdg}
    reserved_subs = {s.code for a in DEFAULT_REFERENTIAL for s in a.sous_activites if s.reserve_cdg}
    # Article 23 of loi 84-53: concours, instances paritaires and discipline, bourse de l'emploi.
    assert {"RH-CONC", "RH-INST"} <= reserved_activities
    assert "RH-RECR-02" in reserved_subs  # déclaration des vacances d'emploi
    assert all(code.startswith("RH-") for code in reserved_activities | reserved_subs)
    # Most of RH stays poolable: paie, formation...
    assert {"RH-PAIE", "RH-FORM", "RH-RECR"}.isdisjoint(reserved_activities)


def test_a_reserved_activity_has_only_reserved_sub_activities():
    for activity in DEFAULT_REFERENTIAL:
        if activity.reserve_cdg:
            assert all(s.reserve_cdg for s in activity.sous_activites), activity.code


def test_records_are_immutable():
    with pytest.raises(AttributeError):
        DEFAULT_REFERENTIAL[0].libelle = "autre"  # type: ignore[misc]


def test_module_imports_no_django():
    tree = ast.parse(Path(defaut.__file__).read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for name in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""])
    }
    assert "django" not in imported
