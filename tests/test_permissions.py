"""Every URL with every role (and anonymous), against the matrix of docs/permissions.md.

Each app writes its rows in tests/permissions/matrice_<app>.py; a URL with no row fails
`test_every_url_is_in_the_matrix`. Each request runs in a savepoint rolled back afterwards, so that
every role meets the same state."""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.permissions
from tests.permissions.commun import PUBLIC, ROLES

pytestmark = pytest.mark.django_db

MODULES = [
    importlib.import_module(f"tests.permissions.{m.name}")
    for m in pkgutil.iter_modules(tests.permissions.__path__)
    if m.name.startswith("matrice_")
]
MATRIX = {key: expected for module in MODULES for key, expected in module.MATRIX.items()}


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


def test_every_row_answers_every_role():
    incomplete = [key for key, expected in MATRIX.items() if set(expected) != set(ROLES)]
    assert not incomplete, incomplete


def url_for(name, territoire, extra):
    kwargs = dict(extra.get(name, {}))
    if ":" in name and not name.startswith("comptes:") and name != "accueil":
        kwargs["code"] = territoire.code
    return reverse(name, kwargs=kwargs)


class _Rollback(Exception):
    pass


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_what_the_matrix_says(client, cast, territoire, role):
    extra = {}
    for module in MODULES:
        extra.update(module.cas(cast, territoire))
    if role != "anonyme":
        client.force_login(cast[role])
    failures = []
    for (name, method), expected in MATRIX.items():
        url = url_for(name, territoire, extra)
        try:
            with transaction.atomic():
                response = getattr(client, method)(url)
                raise _Rollback
        except _Rollback:
            pass
        if response.status_code != expected[role]:
            failures.append(f"{method.upper()} {url} ({name}) : {response.status_code}, attendu {expected[role]}")
    assert not failures, "\n".join(failures)


# Pages with a key in their address: tested with a real key (tests/comptes, tests/parcours/test_pages.py).
@pytest.mark.parametrize("name", sorted(PUBLIC - {"comptes:password_reset_confirm", "calendrier:flux"}))
def test_public_pages_answer_anonymous(client, name):
    assert client.get(reverse(name)).status_code == 200
