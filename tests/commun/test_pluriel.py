"""The French plural of the templates (commun/templatetags/fr.py): from 2, not from 0 as Django's."""

from commun.templatetags.fr import pluriel


def test_french_plural_starts_at_two():
    assert [pluriel(n) for n in (0, 1, 2, 28)] == ["", "", "s", "s"]
    assert pluriel([], "a,ont") == "a" and pluriel([1, 2], "a,ont") == "ont"
    assert pluriel(1, ",nt") == "" and pluriel(3, ",nt") == "nt"
    assert pluriel(None) == ""
