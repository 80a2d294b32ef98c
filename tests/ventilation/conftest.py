"""A home-ventilator need on a stay in each of the four areas, and the people of each side."""

from __future__ import annotations

import datetime

import pytest

from overgang.organisations.models import Role
from overgang.stays import actions as stay_actions
from overgang.ventilation import actions

# The four areas' stays of tests/stays, as fixtures of this directory too.
from tests.stays.conftest import (  # noqa: F401
    aalborg_physician,
    aalborg_stay,
    hnt_physician,
    levanger_patient,
    levanger_stay,
    oslo_stay,
    stays_of,
    tromso_stay,
    unn_physician,
)


@pytest.fixture
def frogner_nurse(make_user):
    """Works in Frogner's allocation office: the district completes and signs for Oslo."""
    return make_user("frogner-ltmv", ("oslo-frogner-bestiller", Role.CASE_WORKER))


def ventilator_needed(stay, physician):
    return stay_actions.record_need(
        stay,
        actor=physician,
        kind="aid",
        description="Nattlig respiratorbehandling hjemme",
        aid_type="home-ventilator",
        duration="long",
        purpose="treatment" if stay.agreement != "nordjylland" else "",
        at=stay.admitted_at + datetime.timedelta(hours=2),
    )


@pytest.fixture
def oslo_need(oslo_stay, ous_clinician):  # noqa: F811
    return ventilator_needed(oslo_stay, ous_clinician)


@pytest.fixture
def drafted(oslo_need, oslo_stay, ous_clinician):  # noqa: F811
    return actions.draft(oslo_stay, actor=ous_clinician)


def complete(agreement, actor, **changes):
    """Fill in what signing needs: the assessment with its participants."""
    version = agreement.current
    content = {
        "assessment_date": datetime.date(2026, 3, 28),
        "participants": [
            {"name": "Lege Lunge", "role": "lege", "organisation": "OUS lungeavdeling"},
            {"name": "Sykepleier Frogner", "role": "sykepleier", "organisation": "Bydel Frogner"},
        ],
        "responsibilities": [
            {"duty": r["duty"], "party": r["party"], "reason": r["reason"]}
            for r in version.responsibilities
        ],
        "staffing_plan": "To sykepleiere om natten.",
        "training": [{"trainer": "OUS BHM", "trainees": "Hjemmesykepleien", "by": "2026-04-02"}],
        "follow_up_days": [14, 90, 365],
        **changes,
    }
    return actions.update(agreement, actions.Content(**content), actor=actor)
