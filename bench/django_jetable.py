"""A throwaway Django for a benchmark run as a script (`python bench/bench_x.py`): imported first, it puts the
project on the path, gives the run its own var/ and SQLite database in a temporary folder, and sets Django up.
The benchmark then migrates that empty database and builds what it measures. `comme_servi()` lets Django's
test client request pages as a server serves them (see it)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="mutualis-bench-")
os.environ["MUTUALIS_VAR_DIR"] = TMP
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mutualis.settings")

import django  # noqa: E402

django.setup()


def comme_servi() -> None:
    """Pages requested through Django's test client as a server would serve them: the client's host allowed
    and e-mails kept in memory, without `setup_test_environment`, whose instrumented rendering (every
    template, each include too, sends a signal the client copies the context for) costs 10 to 20 % of a
    page that no server pays."""
    import logging

    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logging.getLogger("django.tasks").setLevel(logging.WARNING)  # the e-mails' tasks, run as they are queued


def scenario_de_vingt_actions(territoire, auteur):
    """The benches' scenario: 20 service-commun actions on the territory's current schéma, 4 per functional
    theme, each on 7 communes (disjoint groups taken in the order of their codes), effective 2027 to 2030."""
    from scenarios import actions, calcul

    communes = list(territoire.organisations.communes().order_by("code"))
    themes = ["FIN", "RH", "CPAJ", "SI", "BML"]
    nouvelles = []
    for k in range(20):
        valeurs = {
            "theme": themes[k % 5],
            "activite": "",
            "toutes": False,
            "modalite": "service_commun",
            "part": 0.8,
            "gain": 0.05,
            "annee": 2027 + k % 4,
        }
        nouvelles.append((valeurs, communes[(k // 5) * 7 : (k // 5) * 7 + 7], f"B{k + 1}"))
    scenario = actions.do_creer(territoire.schemas.get(), auteur, "Bench : 20 actions")
    actions.do_ajouter_actions(calcul.contexte(territoire), scenario, auteur, nouvelles)
    return scenario
