"""Times in a requisition carry their UTC offset: a time without one would be read in the
server's zone and could move the palliative conference across a day."""

import pytest

from overgang.requisitions.models import Requisition

pytestmark = pytest.mark.django_db

GP_PALLIATIVE = {
    "aid_type": "oxygen-concentrator",
    "requester_role": "gp",
    "phase": "palliative",
    "justification": "Palliativ fase, dyspné.",
    "department": "unn-lunge",
    "conferred_with": "Overlege, UNN lunge",
}


@pytest.mark.parametrize(
    "conferred_at", ["2026-03-27T10:00:00", "2026-03-27 10:00", "9999-12-31T23:30:00-05:00"]
)
def test_a_conference_time_without_offset_or_beyond_the_calendar_is_422(
    api_as, unn_physician, tromso_patient, concentrator, conferred_at
):
    body = {"patient": tromso_patient.pk, **GP_PALLIATIVE, "conferred_at": conferred_at}
    response = api_as(unn_physician).post("/requisitions", body)
    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert [p["loc"][-1] for p in problems] == ["conferred_at"]
    assert not Requisition.objects.exists()
