import datetime as dt
from decimal import Decimal

import pytest

from tests.cast import BORDEAUX, MERIGNAC


def ajouter_action(territoire, scenario, user, communes=(BORDEAUX,), **valeurs):
    from scenarios import calcul
    from scenarios.actions import do_ajouter_actions

    v = {
        "theme": "RH",
        "activite": "RH-PAIE",
        "modalite": "service_commun",
        "part": Decimal("1"),
        "gain": Decimal("0.1"),
        "annee": 2027,
        **valeurs,
    }
    orgs = list(territoire.organisations.filter(code__in=communes))
    return do_ajouter_actions(calcul.contexte(territoire, scenario.annee_paie), scenario, user, [(v, orgs, None)])


@pytest.fixture
def scenario_paie(cast, territoire, lot_courant):
    from scenarios.actions import do_creer

    s = do_creer(territoire.schemas.get(), cast["equipe_projet"], "Paie commune")
    ajouter_action(territoire, s, cast["equipe_projet"])
    return s


@pytest.fixture
def version_projet(cast, territoire, scenario_paie):
    from parcours.actions import do_figer_version

    return do_figer_version(territoire.schemas.get(), scenario_paie, "projet", cast["equipe_projet"])


@pytest.fixture
def envoyee(cast, territoire, version_projet):
    """The projet sent on 1 December 2026 to the four communes."""
    from parcours.actions import do_envoyer_projet

    do_envoyer_projet(
        version_projet,
        list(territoire.organisations.communes()),
        dt.date(2026, 12, 1),
        "recommande",
        cast["equipe_projet"],
        dt.date(2026, 12, 7),
    )
    return version_projet


def commune(territoire, code=MERIGNAC):
    return territoire.organisations.get(code=code)
