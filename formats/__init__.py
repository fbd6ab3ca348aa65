"""Reading and validating user files (docs/contrats §1-§3). Pure Python: no Django import."""

from formats.errors import InvalidFile
from formats.lecture import read_table
from formats.payroll import Payroll, TerritoryCodes, read_payroll
from formats.tabular import Table, normalize_header
from formats.territory import OrganisationRow, TerritoryFile, read_territory

__all__ = [
    "InvalidFile",
    "OrganisationRow",
    "Payroll",
    "Table",
    "TerritoryCodes",
    "TerritoryFile",
    "normalize_header",
    "read_payroll",
    "read_table",
    "read_territory",
]
