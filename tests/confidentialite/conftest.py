import pytest


@pytest.fixture
def world(cast, territoire):
    """The sweep's payroll, scenarios, GT3 lines and readers (tests/confidentialite/world.py)."""
    from tests.confidentialite.world import build

    return build(territoire, cast)
