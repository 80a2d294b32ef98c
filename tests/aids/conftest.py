import pytest

from overgang.aids import actions


@pytest.fixture
def ventilator(system, areas):
    return actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-0001", owner=areas["ous-bhm"]
    )
