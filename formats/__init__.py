"""Reading and validating user files (docs/contrats §1-§3). Pure Python: no Django import.

The public names are loaded on first use (PEP 562): importing `formats.errors` or `formats.scdl` (as the
models and the command line do at start-up) must not import polars through this package."""

from importlib import import_module

_HOMES = {
    "InvalidFile": "formats.errors",
    "OrganisationRow": "formats.territory",
    "Payroll": "formats.payroll",
    "Table": "formats.tabular",
    "TerritoryCodes": "formats.payroll",
    "TerritoryFile": "formats.territory",
    "normalize_header": "formats.tabular",
    "read_payroll": "formats.payroll",
    "read_table": "formats.lecture",
    "read_territory": "formats.territory",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'formats' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_HOMES])
