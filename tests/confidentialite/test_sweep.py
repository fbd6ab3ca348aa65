"""The confidentiality sweep of docs/confidentialite.md (« Vérification »): every page and export that shows
payroll amounts, rendered once for every reader of the cast on a payroll full of small cells
(tests/confidentialite/world.py). For each reader, every amount read on a page must be in the register of
what the rule released on that request, no confidential amount of an employer she does not know may
appear (the élue of the comité de pilotage included), and the linear-programming audit proves that
nothing she was shown on all her pages together determines a hidden cell, atom or non-diffusible hidden
sum. A URL with no row in the sweep's table (tests/confidentialite/sweep.py) fails the suite."""

import pytest

from engine import confidentialite as regle
from tests.confidentialite.sweep import PAGES_SANS_MONTANT, SWEEP, euros, recovered, render_all

pytestmark = pytest.mark.django_db

# Every reader of the cast (tests/conftest.py) and the two of tests/confidentialite/world.py; the outsider
# and the anonymous visitor open none of these pages (tests/test_permissions.py).
READERS = [
    "equipe_projet",
    "dgs_metropole",
    "dgs_bordeaux",
    "dgs_merignac",
    "copilote_rh_commune",
    "copilote_rh_epci",
    "consultant",
    "elu_copil",
    "membre_rh",
    "observateur",
    "referent_paie_merignac",
    "elu_merignac",
]


def test_every_url_has_a_row_in_the_sweep():
    from tests.test_permissions import all_url_names

    names = set(all_url_names())
    missing = sorted(names - set(SWEEP) - set(PAGES_SANS_MONTANT))
    assert not missing, (
        "URL sans ligne dans le balayage de confidentialité (tests/confidentialite/sweep.py : "
        f"SWEEP, ou PAGES_SANS_MONTANT avec la raison) : {', '.join(missing)}"
    )
    stale = sorted((set(SWEEP) | set(PAGES_SANS_MONTANT)) - names)
    assert not stale, f"lignes du balayage de confidentialité sans URL : {', '.join(stale)}"
    assert not set(SWEEP) & set(PAGES_SANS_MONTANT)
    assert all(reason.strip() for reason in PAGES_SANS_MONTANT.values())


def confidential_values(lecture) -> dict[int, str]:
    """Rounded value -> name of every non-diffusible cell or atom of an employer this reader does not know."""
    t = lecture.tableau
    out = {}
    for kind, source in (("cellule", t.cellules), ("atome", t.atomes)):
        for key, contributions in source.items():
            if not lecture.connait(key[0]) and not regle.diffusible(contributions):
                out.setdefault(round(sum(contributions.values())), f"{kind} {key}")
    return out


@pytest.mark.parametrize("role", READERS)
def test_pages_show_a_reader_only_what_the_rule_releases(client, world, role):
    client.force_login(world.readers[role])
    renderings = render_all(client, world)
    problems = []
    for r in renderings:
        if r.status != 200 and (role == "equipe_projet" or r.status != 403):
            problems.append(f"{r.label} : statut {r.status}")
    lectures = [lecture for r in renderings for lecture in r.lectures]
    assert lectures, f"{role} : aucune page n'a lu la paie"
    assert len({lecture.classe for lecture in lectures}) == 1, "un lecteur, une classe de lecteurs"
    assert any(r.amounts for r in renderings), f"{role} : aucun montant lu sur ses pages"

    # 1. Every amount shown was released by the rule on that request.
    for r in renderings:
        register = r.register
        for v in sorted({v for v in r.amounts if v not in register}):
            problems.append(f"{r.label} : {euros(v)} absent du registre de la page")

    # 2. No confidential amount of an employer the reader does not know (the project team sees them all).
    if role != "equipe_projet":
        confidential = confidential_values(lectures[0])
        for r in renderings:
            for v in sorted({v for v in r.amounts if v in confidential}):
                problems.append(f"{r.label} : {euros(v)} est le montant confidentiel {confidential[v]}")

    # 3. The audit: nothing hidden is determined by everything she was shown, on all her pages together.
    problems += recovered(renderings)

    assert not problems, f"{role} :\n  " + "\n  ".join(problems)
