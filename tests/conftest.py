"""The cast of the tests (STYLE.md point 9): a small Bordeaux Métropole with four communes, and the
people of docs/contrats §8 plus an outsider from another territory."""

import pytest

from tests.cast import (
    BORDEAUX,
    EPCI,
    MERIGNAC,
    PESSAC,
    TALENCE,
    creer_territoire,
    creer_utilisateur,
    payroll_csv,
    payroll_rows_small,
)


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords():
    """Password hashing at production strength would dominate the suite's time."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache(settings):
    """An in-memory cache emptied around each test: login throttling counters never leak between tests."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _attentes():
    """The writes awaiting their commit's reading (echanges/attentes.py) of a test are rolled back with it:
    none leaks into the next test (whose events may reuse the same ids)."""
    from echanges.attentes import _en_attente

    _en_attente().clear()
    yield
    _en_attente().clear()


@pytest.fixture(autouse=True)
def _courriels_partent():
    """E-mails leave at once, as if the worker of the queue `courriels` were always up (comptes/courriels.py):
    each task is run by the worker's own code as soon as it is queued and due; a retry waits for its time.
    A test that drives the queue itself asks for `courriels_en_file`. The notifications of waiting actions
    (echanges/attentes.py) are read at once too, as if the worker of `attentes` were always up."""
    from django.tasks.signals import task_enqueued

    from tests.taches import executer

    def partir(sender, task_result, **kwargs):
        resultat = getattr(task_result, "db_result", None)
        if task_result.backend == "courriels" and task_result.task.run_after is None:
            executer(resultat)

    def lire(sender, task_result, **kwargs):
        if task_result.backend == "attentes":
            executer(task_result.db_result)

    task_enqueued.connect(partir, dispatch_uid="tests.courriels")
    task_enqueued.connect(lire, dispatch_uid="tests.attentes")
    yield
    task_enqueued.disconnect(dispatch_uid="tests.courriels")
    task_enqueued.disconnect(dispatch_uid="tests.attentes")


@pytest.fixture
def courriels_en_file(_courriels_partent):
    """The e-mails stay queued until the test runs their worker (tests/taches.py)."""
    from django.tasks.signals import task_enqueued

    task_enqueued.disconnect(dispatch_uid="tests.courriels")


@pytest.fixture
def territoire(db):
    return creer_territoire()


@pytest.fixture
def cast(territoire):
    """Every role of the demo, in the small territory, and an outsider with a role elsewhere."""
    from comptes.enums import Role

    people = {
        "equipe_projet": creer_utilisateur(territoire, "equipe-projet", Role.EQUIPE_PROJET, EPCI),
        "dgs_metropole": creer_utilisateur(territoire, "dgs-metropole", Role.DGS, EPCI),
        "dgs_bordeaux": creer_utilisateur(territoire, "dgs-bordeaux", Role.DGS, BORDEAUX),
        "dgs_merignac": creer_utilisateur(territoire, "dgs-merignac", Role.DGS, MERIGNAC),
        "copilote_rh_commune": creer_utilisateur(
            territoire, "copilote-rh-commune", Role.COPILOTE_COMMUNE, PESSAC, "RH"
        ),
        "copilote_rh_epci": creer_utilisateur(territoire, "copilote-rh-epci", Role.COPILOTE_EPCI, EPCI, "RH"),
        "consultant": creer_utilisateur(territoire, "consultant", Role.CONSULTANT),
        "elu_copil": creer_utilisateur(territoire, "elu-copil", Role.ELU, EPCI),
        "membre_rh": creer_utilisateur(territoire, "membre-rh", Role.MEMBRE, TALENCE, "RH"),
        "observateur": creer_utilisateur(territoire, "observateur", Role.OBSERVATEUR, MERIGNAC),
    }
    autre = creer_territoire(code="244400404", nom="Nantes Métropole", communes=[("44109", "Nantes", 320000)])
    people["exterieur"] = creer_utilisateur(autre, "dgs-nantes", Role.DGS, "44109")
    return people


@pytest.fixture
def payroll_small():
    return payroll_csv(*payroll_rows_small())


@pytest.fixture
def lot_courant(cast, territoire, payroll_small):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])
    return do_confirmer_lot(lot, cast["equipe_projet"])


@pytest.fixture
def connecte(client):
    """Log a cast member in: connecte(user) returns the client."""

    def login(user):
        client.force_login(user)
        return client

    return login
