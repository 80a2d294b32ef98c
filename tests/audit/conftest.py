import pytest

from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo


@pytest.fixture
def demo(db):
    """The demo installation (four areas, 200 patients), loaded into the test's transaction
    and rolled back after it."""
    Demo().load(actor=system_actor(), seed=2026)
