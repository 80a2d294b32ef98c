"""A time near the calendar's ends is invalid input naming the field, not a crash: the
deadline arithmetic from it would overflow (it once answered 500 over HTTP)."""

import pytest

from overgang.rules import deadlines
from overgang.rules.registry import RulesError


@pytest.mark.parametrize("at", ["9999-12-31T23:00:00-01:00", "0001-01-01T00:30:00+01:00"])
def test_an_event_at_the_calendars_end_is_invalid_input(at):
    with pytest.raises(RulesError, match=r"^at: ") as raised:
        deadlines({"agreement": "hnt", "event": "admitted", "at": at})
    assert getattr(raised.value, "field", "") == "at"


# Every request first reads the stamp of the agreement versions approved in the app.
@pytest.mark.django_db
def test_over_http_it_is_422_naming_the_field(client):
    event = {"agreement": "hnt", "event": "admitted", "at": "9999-12-31T23:00:00-01:00"}
    response = client.post("/api/v1/rules/deadlines", event, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "at"]
