"""Each member commune keeps its own SIREN (the DGCL list's siren_membre) on its Organisation, so that a DSN
payroll file can be checked against its employer."""

import pytest

from territoire.actions import DescriptionTerritoire, Membre, description_fichier, description_officielle
from territoire.models import Organisation
from territoire.officiel import lookup_epci
from tests.cast import EPCI, MERIGNAC

pytestmark = pytest.mark.django_db


@pytest.fixture
def metropole(db):
    """Bordeaux Métropole and its 28 communes installed from the official data, as the demo does."""
    from mutualis.installation import do_installer_territoire

    return do_installer_territoire(description_officielle(EPCI))[0]


def sirens(territoire) -> dict[str, str]:
    return dict(territoire.organisations.values_list("code", "siren"))


@pytest.mark.parametrize(
    ("code", "siren"),
    [
        (EPCI, "243300316"),  # Bordeaux Métropole itself
        (MERIGNAC, "213302813"),  # siren_membre of 33281 in epcicom.xlsx
        ("33063", "213300635"),  # Bordeaux
        ("33318", "213303183"),  # Pessac
    ],
)
def test_a_known_organisation_has_its_siren(metropole, code, siren):
    assert sirens(metropole)[code] == siren


def test_installing_stores_every_communes_siren(metropole):
    official = {c.code: c.siren for c in lookup_epci(EPCI).communes}
    stored = sirens(metropole)
    assert stored.pop(EPCI) == EPCI
    assert stored == official
    assert len(set(stored.values())) == 28 and all(len(s) == 9 and s.isdigit() for s in stored.values())


def description(*communes: Membre) -> DescriptionTerritoire:
    return DescriptionTerritoire(EPCI, "Bordeaux Métropole", "METRO", "FPU", None, communes)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("213302813", "213302813"),  # the official files correct a wrong SIREN
        ("", ""),  # a commune nouvelle, whose SIREN the 2025 list does not give: the old one goes
        (None, "999999999"),  # a territory file says nothing of SIRENs: the stored one is kept
    ],
    ids=["official", "official-unknown", "territory-file"],
)
def test_an_update_replaces_the_siren_only_when_the_source_gives_it(metropole, given, stored):
    from territoire.actions import do_creer_ou_mettre_a_jour

    Organisation.objects.filter(territoire=metropole, code=MERIGNAC).update(siren="999999999")
    do_creer_ou_mettre_a_jour(description(Membre(MERIGNAC, "Mérignac", 78_090, given)))
    assert Organisation.objects.get(territoire=metropole, code=MERIGNAC).siren == stored


def test_a_territory_file_gives_no_commune_siren(metropole):
    from formats.territory import read_territory
    from territoire.actions import do_creer_ou_mettre_a_jour

    data = f"code;nom;type;population\n{EPCI};Bordeaux Métropole;epci;\n{MERIGNAC};Mérignac;commune;78090\n"
    desc = description_fichier(read_territory(data.encode(), "territoire.csv"))
    assert desc.communes == (Membre(MERIGNAC, "Mérignac", 78_090, None),)
    do_creer_ou_mettre_a_jour(desc)
    assert Organisation.objects.get(territoire=metropole, code=MERIGNAC).siren == "213302813"
