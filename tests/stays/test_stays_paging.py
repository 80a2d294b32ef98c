"""The stays and the deadlines page (docs/contracts/api.md, "Paging"): pages of two cover the
list once in its order, the read log holds only the patients of the page answered, and
without parameters the lists answer as before paging."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from overgang.audit.models import PatientRead, ReadPurpose
from overgang.stays.access import worklist
from overgang.stays.models import Deadline

pytestmark = pytest.mark.django_db

# Two trial discharges on the weekends after the stays' admission (Friday 27 March 2026).
TWO_LEAVES = [
    ("2026-03-28T10:00:00+01:00", "2026-03-29T18:00:00+02:00"),
    ("2026-04-04T10:00:00+02:00", "2026-04-05T18:00:00+02:00"),
]


@pytest.fixture
def root_api(api_as, areas):
    return api_as(User.objects.create_superuser("root", password="demo"))


def _pages_of_two(api, path, **params):
    pages = []
    offset = 0
    while True:
        rows = api.get(path, limit=2, offset=offset, **params).json()
        pages.append(rows)
        if len(rows) < 2:
            return pages
        offset += 2


def test_pages_of_two_cover_the_stays_once_newest_first(root_api, stays_of):
    whole = root_api.get("/stays").json()
    assert len(whole) == 4
    pages = _pages_of_two(root_api, "/stays")
    assert [len(p) for p in pages] == [2, 2, 0]
    assert [s["id"] for p in pages for s in p] == [s["id"] for s in whole]
    # Newest first, the id deciding between stays admitted at the same moment.
    assert [s["id"] for s in whole] == sorted((s["id"] for s in whole), reverse=True)


def test_the_read_log_holds_the_patients_of_the_page_only(root_api, stays_of):
    whole = root_api.get("/stays").json()
    PatientRead.objects.all().delete()

    page = root_api.get("/stays", limit=2, offset=1).json()

    logged = PatientRead.objects.filter(purpose=ReadPurpose.LIST)
    assert sorted(logged.values_list("patient_id", flat=True)) == sorted(
        s["patient"] for s in whole[1:3]
    )
    assert [s["id"] for s in page] == [s["id"] for s in whole[1:3]]
    assert set(logged.values_list("what", flat=True)) == {"/api/v1/stays?limit=2&offset=1"}


def test_the_deadlines_page_in_their_order(root_api, stays_of):
    # More open deadlines than the stays hold, several due at the same moment and one with
    # no due time: the id decides between equals, so pages neither overlap nor skip.
    held = Deadline.objects.filter(done_at__isnull=True).first()
    assert held is not None
    for due in [held.due, held.due, None, held.due]:
        copy = Deadline.objects.get(pk=held.pk)
        copy.pk = None
        copy.due = due
        copy.save()
    everyone = list(worklist(User.objects.get(username="root")).values_list("id", flat=True))
    assert 4 < len(everyone) < 200
    whole = root_api.get("/deadlines").json()
    assert [d["id"] for d in whole] == everyone
    pages = _pages_of_two(root_api, "/deadlines")
    assert [d["id"] for p in pages for d in p] == everyone


def test_a_stays_page_beyond_the_cap_is_422_and_logs_nothing(root_api, stays_of):
    PatientRead.objects.all().delete()
    response = root_api.get("/stays", limit=501)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]
    assert not PatientRead.objects.exists()
    assert len(root_api.get("/stays", limit=500).json()) == 4


def test_a_stays_leaves_page(api_as, aalborg_stay, aalborg_physician):
    api = api_as(aalborg_physician)
    for start, end in TWO_LEAVES:
        response = api.post(
            f"/stays/{aalborg_stay.pk}/leaves",
            {"kind": "trial-discharge", "planned_start": start, "planned_end": end},
        )
        assert response.status_code == 201, response.content
    whole = api.get(f"/stays/{aalborg_stay.pk}/leaves").json()
    assert len(whole) == 2
    assert api.get(f"/stays/{aalborg_stay.pk}/leaves", limit=1, offset=1).json() == whole[1:]
    assert api.get(f"/stays/{aalborg_stay.pk}/leaves", offset=2).json() == []
