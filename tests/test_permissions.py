"""Every URL with every role (and anonymous), against the matrix of docs/permissions.md.

A new URL fails `test_every_url_is_in_the_matrix` until its expected answers are written here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "exterieur", "equipe_projet", "dgs_metropole", "dgs_bordeaux", "dgs_merignac",
         "copilote_rh_commune", "copilote_rh_epci", "consultant", "elu_copil"]
MEMBRES = ROLES[2:]
IMPORTEURS = {"equipe_projet", "dgs_metropole", "dgs_bordeaux", "dgs_merignac"}
PUBLIC = {"comptes:login", "comptes:password_reset", "comptes:password_reset_done", "comptes:password_reset_confirm",
          "comptes:password_reset_complete"}


def members(status, **overrides):
    """anonymous → login, outsider → 404, every member → `status` unless overridden."""
    table = {"anonyme": 302, "exterieur": 404, **{r: status for r in MEMBRES}}
    table.update(overrides)
    return table


def importers(ok, refused=403, **overrides):
    return members(refused, **{r: ok for r in IMPORTEURS}, **overrides)


def team_only(ok, refused=403):
    return members(refused, equipe_projet=ok)


# (url name, method, data) -> expected status per role. `lot` is a batch imported by the project team.
MATRIX = {
    ("accueil", "get"): {"anonyme": 302, "exterieur": 302, **{r: 302 for r in MEMBRES}},
    ("territoire:accueil", "get"): members(200),
    ("territoire:page", "get"): members(200),
    ("groupes:liste", "get"): members(200),
    ("masse_salariale:coefficient", "get"): members(200),
    ("masse_salariale:detail", "get"): members(200),
    ("masse_salariale:fonctionnels", "get"): team_only(405),
    ("masse_salariale:fonctionnels", "post"): team_only(302),
    ("masse_salariale:lots", "get"): members(200),
    ("masse_salariale:importer", "get"): importers(302),
    ("masse_salariale:importer", "post"): importers(400),
    ("masse_salariale:lot", "get"): team_only(200),
    ("masse_salariale:confirmer", "get"): team_only(405),
    ("masse_salariale:confirmer", "post"): team_only(302),
    ("masse_salariale:abandonner", "get"): team_only(405),
    ("masse_salariale:abandonner", "post"): team_only(302),
    ("referentiel:liste", "get"): members(200),
    ("referentiel:exporter", "get"): members(200),
    ("referentiel:importer", "get"): team_only(302),
    ("referentiel:importer", "post"): team_only(400),
    ("referentiel:ajouter", "get"): team_only(200),
    ("referentiel:ajouter", "post"): team_only(400),
    ("referentiel:modifier", "get"): team_only(200),
    ("referentiel:modifier", "post"): team_only(400),
    ("referentiel:supprimer", "get"): team_only(200),
    ("referentiel:supprimer", "post"): team_only(302),
}


def all_url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_url_names(entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_is_in_the_matrix():
    covered = {name for name, _ in MATRIX} | PUBLIC | {"comptes:logout"}
    missing = sorted(set(all_url_names()) - covered)
    assert not missing, f"URL sans ligne dans la matrice des permissions : {missing}"


@pytest.fixture
def lot(cast, territoire, payroll_small):
    from masse_salariale.actions import do_preparer_lot

    return do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])


def url_for(name, territoire, lot):
    kwargs = {}
    if name.startswith(("territoire:", "masse_salariale:", "referentiel:", "groupes:", "seances:", "documents:")):
        kwargs["code"] = territoire.code
    if name in {"masse_salariale:lot", "masse_salariale:confirmer", "masse_salariale:abandonner"}:
        kwargs["pk"] = lot.pk
    if name in {"referentiel:modifier", "referentiel:supprimer"}:
        kwargs["pk"] = territoire.activites.values_list("pk", flat=True).first()
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_what_the_matrix_says(client, cast, territoire, lot, role):
    from masse_salariale.models import Lot

    if role != "anonyme":
        client.force_login(cast[role] if role != "exterieur" else cast["exterieur"])
    failures = []
    for (name, method), expected in MATRIX.items():
        Lot.objects.filter(pk=lot.pk).update(statut="a_confirmer")  # each POST starts from the same state
        url = url_for(name, territoire, lot)
        response = getattr(client, method)(url)
        if response.status_code != expected[role]:
            failures.append(f"{method.upper()} {url} ({name}) : {response.status_code}, attendu {expected[role]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(PUBLIC - {"comptes:password_reset_confirm"}))
def test_public_pages_answer_anonymous(client, name):
    assert client.get(reverse(name)).status_code == 200
