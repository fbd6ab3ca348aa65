"""The ``formats`` package is plain Python: importable without Django, with the public API others use."""

import subprocess
import sys

import formats


def test_formats_never_imports_django():
    code = (
        "import sys, formats, formats.workbook\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_public_api():
    assert set(formats.__all__) == {
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
    }
    assert all(hasattr(formats, name) for name in formats.__all__)
