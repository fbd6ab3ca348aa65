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
