"""The house's layers (docs/architecture.md): every import, at module level or inside a function, goes
to the same package or to one below it; the engine is pure Python (no Django); no module of the
application is over 600 lines (data tables excepted)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# From the ground up. A package may import the packages listed before it, never one after.
LAYERS = [
    "engine",
    "formats",
    "commun",
    "territoire",
    "validation",
    "comptes",
    "referentiel",
    "groupes",
    # the account pages sit above the working groups: an invitation gives roles in groups
    "comptes.views",
    "comptes.urls",
    "comptes.urls_territoire",
    "masse_salariale",
    "echanges",
    "seances",
    "documents",
    "livrables",
    "scenarios",
    "parcours",
    "publication",
    "suivi",
    "espace",
    "mutualis",
]
RANK = {name: rank for rank, name in enumerate(LAYERS)}


def rank(module: str) -> int | None:
    """The layer of a dotted module name: its longest prefix listed in LAYERS (None: not ours)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in RANK:
            return RANK[".".join(parts[:n])]
    return None


PURE = {"engine"}  # plain values in and out: no Django
DATA_TABLES = {"referentiel/defaut.py"}  # the default referential: one activity a few lines
MAX_LINES = 600


def modules():
    for package in (name for name in LAYERS if "." not in name):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield package, path


def dotted(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_package_of_the_application_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "scripts"}
    layers = {name for name in LAYERS if "." not in name}
    assert packages == layers, f"paquet sans étage dans tests/test_architecture.py : {packages ^ layers}"


def test_no_import_runs_back_up_a_layer():
    up = []
    for _, path in modules():
        here = rank(dotted(path))
        for line, module in imports(path):
            there = rank(module)
            if there is not None and there > here:
                up.append(
                    f"{path.relative_to(ROOT)}:{line} importe {module} ({LAYERS[there]} est au-dessus de "
                    f"{LAYERS[here]})"
                )
    assert not up, "imports qui remontent d'un étage :\n" + "\n".join(up)


@pytest.mark.parametrize("package", sorted(PURE))
def test_the_engine_imports_no_django(package):
    found = [
        f"{path.relative_to(ROOT)}:{line} importe {module}"
        for pkg, path in modules()
        if pkg == package
        for line, module in imports(path)
        if module.split(".")[0] == "django"
    ]
    assert not found, "\n".join(found)


def test_no_module_is_over_600_lines():
    long = [
        f"{path.relative_to(ROOT)} : {n} lignes"
        for _, path in modules()
        if str(path.relative_to(ROOT)) not in DATA_TABLES
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "modules de plus de 600 lignes :\n" + "\n".join(long)
