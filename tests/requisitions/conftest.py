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
def physician(api_as, unn_physician):
    """UNN's lung physician on the API, who requests."""
    return api_as(unn_physician)


@pytest.fixture
def unit(api_as, unn_unit):
    """UNN's treatment-aids unit on the API, which decides."""
    return api_as(unn_unit)


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


# Requisitions of treatment aids (U1–U3): UNN's lung department asks, UNN's unit decides.


@pytest.fixture
def unn_physician(make_user):
    user = make_user("unn-lege", ("unn-lunge", "clinician"))
    user.first_name, user.last_name = "Ingrid", "Lege"
    user.save()
    return user


@pytest.fixture
def unn_unit(make_user):
    return make_user("unn-bhm", ("unn-bhm", "aids-staff"))


@pytest.fixture
def concentrator(areas, system):
    from overgang.aids import actions as aids

    return aids.register_device(
        actor=system, aid_type="oxygen-concentrator", serial="UNN-OC-1", owner=areas["unn-bhm"]
    )


@pytest.fixture
def requisition_of(tromso_patient, unn_physician, areas):
    """A requisition through the one writer; fields as changed."""
    from overgang.requisitions import actions

    def make(patient=None, actor=None, **changed):
        fields = {
            "aid_type": "oxygen-concentrator",
            "justification": "KOLS grad IV, pO2 7,0 kPa i hvile; 2 l/min over 16 t/døgn.",
            "requester_role": "specialist-physician",
            "requester_name": "Ingrid Lege",
            "department": areas["unn-lunge"],
            "route": "outpatient",
            "referred_by": "Fastlege Per Hansen",
            **changed,
        }
        return actions.submit_requisition(
            actions.RequisitionInput(patient=patient or tromso_patient, **fields),
            actor=actor or unn_physician,
        )

    return make


@pytest.fixture
def unit_requisition(requisition_of):
    return requisition_of()


# NAV applications (H5, H6): Levanger's allocation office applies for a long-term need.


@pytest.fixture
def levanger_user(system, areas):
    from tests.stays.conftest import LEVANGER_FNR

    return patients.create_patient(
        actor=system,
        national_id_number=LEVANGER_FNR,
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )


@pytest.fixture
def levanger_office(make_user):
    return make_user("levanger-case", ("levanger-tildeling", "case-worker"))


@pytest.fixture
def application_for(levanger_user, levanger_office, areas):
    from overgang.requisitions import actions

    def make(**changed):
        fields = {
            "municipality": areas["levanger-tildeling"],
            "aid_type": "care-bed",
            "duration_months": 36,
            **changed,
        }
        return actions.register_application(
            actions.NavApplicationInput(patient=levanger_user, **fields), actor=levanger_office
        )

    return make


# Disputes (N13): Aalborg University Hospital and Aalborg's allocation disagree.


@pytest.fixture
def aalborg_allocation(make_user):
    return make_user("aalborg-case", ("aalborg-visitation", "case-worker"))


@pytest.fixture
def aauh_physician(make_user):
    return make_user("aauh-lege", ("aauh-lunge", "clinician"))
