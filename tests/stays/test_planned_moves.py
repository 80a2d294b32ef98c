"""A planned admission moves to another time (H4, N5): the operation is postponed, or the
date was entered wrong. The stay keeps its notices and what was done on them, the expected
discharge follows, the municipality is told the new time, and the history says why. Bad
input names its field and changes nothing; only the hospital moves it; outsiders get 404."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from overgang import clock
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.stays import actions
from overgang.stays.models import Deadline, News, Notification, Stay
from overgang.stays.states import StayStatus
from tests.stays.test_planned_admissions import AREAS, ahead, plan

pytestmark = pytest.mark.django_db

REASON = "The operation is postponed."


def _duties(stay: Stay) -> list[tuple[str, str, object]]:
    return sorted(
        (d.duty, d.party, d.due) for d in Deadline.objects.filter(stay=stay, done_at__isnull=True)
    )


@pytest.mark.parametrize("area", sorted(AREAS))
def test_a_moved_planned_admission_keeps_its_notices_and_tells_the_municipality(request, area):
    stay = plan(request, area, foreseeable=True, days=10)
    physician = request.getfixturevalue(AREAS[area][1])
    duties = _duties(stay)
    later = ahead(17)
    actions.move_planned(stay, actor=physician, to=later, reason=REASON)
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED
    assert stay.admitted_at == later
    assert stay.expected_discharge == later + datetime.timedelta(hours=96)
    assert _duties(stay) == duties  # the notices given before arrival stay as they were
    assert Notification.objects.filter(news=News.PLANNED_MOVED, patient=stay.patient).exists()
    change = (
        ChangeRecord.objects.filter(model="stays.stay", object_id=str(stay.pk))
        .order_by("id")
        .last()
    )
    assert change is not None and change.reason == REASON
    assert stay.events.filter(name=actions.PLANNED_MOVED, note=REASON).exists()


@pytest.mark.parametrize(
    ("to", "reason", "field"),
    [
        (lambda: ahead(5), " ", "reason"),
        (lambda: clock.now() - datetime.timedelta(hours=1), REASON, "admitted_at"),
        (lambda: ahead(5).replace(tzinfo=None), REASON, "admitted_at"),
    ],
    ids=["no reason", "in the past", "no offset"],
)
def test_a_bad_move_names_its_field_and_changes_nothing(request, to, reason, field):
    stay = plan(request, "levanger")
    before = Stay.objects.get(pk=stay.pk).admitted_at
    with pytest.raises(InvalidInput) as refused:
        actions.move_planned(
            stay, actor=request.getfixturevalue("hnt_physician"), to=to(), reason=reason
        )
    assert field in refused.value.errors
    assert Stay.objects.get(pk=stay.pk).admitted_at == before


def test_only_the_hospital_moves_a_planned_admission_and_only_before_arrival(request):
    stay = plan(request, "levanger")
    with pytest.raises(InvalidInput):
        actions.move_planned(
            stay, actor=request.getfixturevalue("levanger_case_worker"), to=ahead(12), reason=REASON
        )
    physician = request.getfixturevalue("hnt_physician")
    Stay.objects.filter(pk=stay.pk).update(admitted_at=clock.now() - datetime.timedelta(hours=2))
    actions.record_arrival(stay, actor=physician, at=clock.now())
    with pytest.raises(Conflict):
        actions.move_planned(stay, actor=physician, to=ahead(12), reason=REASON)


def test_the_api_moves_it_and_refuses_bad_input_and_outsiders(request, api_as):
    stay = plan(request, "aalborg")
    physician_api = api_as(request.getfixturevalue("aalborg_physician"))
    path = f"/stays/{stay.pk}/events"
    missing = physician_api.post(path, {"event": "planned-admission-moved", "reason": REASON})
    assert missing.status_code == 422 and "admitted_at" in str(missing.json())
    later = ahead(20)
    outsider = api_as(request.getfixturevalue("frogner_case_worker"))
    move = {"event": "planned-admission-moved", "admitted_at": later.isoformat(), "reason": REASON}
    assert outsider.post(path, move).status_code == 404
    assert Stay.objects.get(pk=stay.pk).admitted_at != later
    moved = physician_api.post(path, move)
    assert moved.status_code == 201, moved.content
    assert datetime.datetime.fromisoformat(moved.json()["admitted_at"]) == later


def test_the_page_moves_it_and_keeps_the_input_on_an_error(request):
    stay = plan(request, "levanger")
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(request.getfixturevalue("hnt_physician"))
    page = client.get(f"/stays/{stay.pk}/").content.decode()
    assert 'id="move_planned"' in page
    url = f"/stays/{stay.pk}/move_planned/"
    refused = client.post(url, {"admitted_at": "2026-01-01T08:00", "reason": "Feil dato"})
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert "Feil dato" in shown and 'id="move_planned" open' in shown
    later = ahead(14).astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    done = client.post(
        url, {"admitted_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Feil dato"}
    )
    assert done.status_code == 302
    assert Stay.objects.get(pk=stay.pk).admitted_at == later.replace(second=0)
