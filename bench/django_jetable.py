"""A throwaway Django for a benchmark run as a script (`python bench/bench_x.py`): imported first, it puts the
project on the path, gives the run its own var/ and SQLite database in a temporary folder, and sets Django up.
The benchmark then migrates that empty database and builds what it measures."""

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
