"""Fixtures of the requisitions tests: a resident of a Frogner nursing home and its staff."""

import pytest

from overgang.patients import actions as patients

DOCUMENTED = "Epikrise fra OUS lungemedisinsk avdeling 12.03.2026"


@pytest.fixture
def resident(system, areas):
    return patients.create_patient(
        actor=system,
        national_id_number="24107240027",  # fictitious, valid check digits
        name="Ragnhild Berg",
        municipality="Oslo",
        district="Frogner",
        address="Skovveien 40",
        residence="institution",
        institution=areas["oslo-frogner-skillebekk"],
    )


@pytest.fixture
def nursing_home(make_user):
    return make_user("skillebekk", ("oslo-frogner-skillebekk", "nursing-home-staff"))


@pytest.fixture
def reported(resident, nursing_home):
    """The nursing home reports the resident's oxygen concentrator, started in hospital."""
    from overgang.requisitions import actions

    def report(**changed):
        fields = {
            "aid_type": "oxygen-concentrator",
            "started_by": "specialist",
            "documentation": DOCUMENTED,
            **changed,
        }
        return actions.report_swap(resident, actor=nursing_home, **fields)

    return report
