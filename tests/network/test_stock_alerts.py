"""The network group's stock alerts (N11): when the minute's sweep finds a unit below its
minimum, the members of that agreement's group (and only theirs) see a new alert, in the
menu, on the start page and on /network/alerts/<agreement>/, until they mark it as read;
its recovery is new again. Members see no patient: an alert is a unit, an aid type and two
counts."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.aids.models import AidType, StockShortfall
from overgang.audit.models import ChangeRecord, PatientRead
from overgang.network import actions, alerts
from overgang.network.models import AlertsRead
from overgang.organisations.models import Role
from overgang.organisations.network import network_agreements
from overgang.stays import capacity

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(make_user):
    return {
        "nordjylland": make_user("rn-net", ("rn", Role.NETWORK_GROUP)),
        "oslo": make_user("ous-net", ("ous", Role.NETWORK_GROUP)),
        "unn": make_user("unn-net", ("unn", Role.NETWORK_GROUP)),
        "hnt": make_user("hnt-net", ("hnt", Role.NETWORK_GROUP)),
    }


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _minimum(areas, system, unit: str, kind: str, minimum: int | None) -> None:
    aid_actions.set_stock_minimum(
        areas[unit], AidType.objects.get(slug=kind), actor=system, minimum=minimum
    )


def _badge(client: Client) -> int:
    """The count on the menu's network-group link (0: no badge)."""
    found = re.search(r'id="network-alerts"[^>]*>(\d+)', client.get("/").content.decode())
    return int(found.group(1)) if found else 0


def _card(client: Client) -> int:
    """The start page's figure of new stock alerts (one card per group)."""
    html = client.get("/").content.decode()
    found = re.findall(r'id="alerts-card-[\w-]+"><span class="figure">(\d+)', html)
    assert found, "members see the card"
    return sum(int(n) for n in found)


def test_a_fall_is_new_to_its_own_agreements_group_only(areas, system, members):
    # Aalborg's depot (Nordjylland) has no care bed at all: below a minimum of 2.
    _minimum(areas, system, "aalborg-depot", "care-bed", 2)
    assert capacity.sweep()["shortfalls_opened"] == 1
    rn, oslo = _client(members["nordjylland"]), _client(members["oslo"])
    assert _badge(rn) == 1 and _card(rn) == 1
    assert _badge(oslo) == 0 and _card(oslo) == 0

    page = rn.get("/network/alerts/nordjylland/")
    assert page.status_code == 200
    html = page.content.decode()
    assert areas["aalborg-depot"].name in html and "still short" in html
    assert "0 / 2" in html, "available against the minimum"
    assert 'href="/capacity/?agreement=nordjylland"' in html
    assert "1 new alert since you last marked them as read" in html
    assert oslo.get("/network/alerts/nordjylland/").status_code == 404

    # A Norwegian unit's fall is UNN's group's, not Nordjylland's or HNT's.
    _minimum(areas, system, "unn-bhm", "oxygen-concentrator", 3)
    capacity.sweep()
    assert _badge(_client(members["unn"])) == 1
    assert _badge(rn) == 1, "still only its own"
    assert _badge(_client(members["hnt"])) == 0
    unn_page = _client(members["unn"]).get("/network/alerts/unn/").content.decode()
    assert areas["unn-bhm"].name in unn_page and areas["aalborg-depot"].name not in unn_page
    assert areas["unn-bhm"].parent.name in unn_page, "whose unit: its trust"
    assert not PatientRead.objects.exists()


def test_marking_read_clears_the_count_and_keeps_later_alerts_new(areas, system, members):
    _minimum(areas, system, "aalborg-depot", "care-bed", 2)
    capacity.sweep()
    rn = _client(members["nordjylland"])
    shown_at = rn.get("/network/alerts/nordjylland/").context["shown_at"]
    assert not AlertsRead.objects.exists(), "reading the page writes nothing"

    done = rn.post("/network/alerts/nordjylland/read/", {"until": shown_at}, follow=True)
    assert done.status_code == 200
    assert "The alerts are marked as read." in done.content.decode()
    assert _badge(rn) == 0 and _card(rn) == 0
    assert "No new alerts." in done.content.decode()
    history = ChangeRecord.objects.filter(model="network.alertsread")
    assert [(r.action, r.actor_id) for r in history] == [("created", members["nordjylland"].pk)]

    # "New to you" lists none now; "all" still lists it.
    assert (
        rn.get("/network/alerts/nordjylland/", {"show": "new"}).context["page"].paginator.count == 0
    )
    assert rn.get("/network/alerts/nordjylland/").context["page"].paginator.count == 1
    # A fall after the page was shown stays new.
    _minimum(areas, system, "rn-depot", "wheelchair", 4)
    capacity.sweep()
    assert _badge(rn) == 1
    # An older page's mark does not move the mark back.
    old = (datetime.datetime.fromisoformat(shown_at) - datetime.timedelta(hours=1)).isoformat()
    rn.post("/network/alerts/nordjylland/read/", {"until": old})
    assert AlertsRead.objects.get().read_until == datetime.datetime.fromisoformat(shown_at)
    assert _badge(rn) == 1


def test_a_recovery_is_shown_and_new_again(areas, system, members):
    _minimum(areas, system, "aalborg-depot", "care-bed", 1)
    capacity.sweep()
    rn = _client(members["nordjylland"])
    rn.post("/network/alerts/nordjylland/read/", {"until": clock.now().isoformat()})
    assert _badge(rn) == 0
    aid_actions.register_device(
        actor=system, aid_type="care-bed", serial="AAL-BED-1", owner=areas["aalborg-depot"]
    )
    assert capacity.sweep()["recovered"] == 1
    assert _badge(rn) == 1, "enough again is news too"
    page = rn.get("/network/alerts/nordjylland/", {"sort": "recovered"})
    row = page.context["page"].object_list[0]
    assert row.recovered_at is not None and row.new
    assert "still short" not in page.content.decode()


def test_outsiders_get_404_and_the_superuser_sees_every_group(
    areas, system, members, ous_technician
):
    _minimum(areas, system, "aalborg-depot", "care-bed", 2)
    capacity.sweep()
    staff = _client(ous_technician)
    for address in ("/network/alerts/", "/network/alerts/nordjylland/"):
        assert staff.get(address).status_code == 404
    until = {"until": clock.now().isoformat()}
    assert staff.post("/network/alerts/nordjylland/read/", until).status_code == 404
    oslo = _client(members["oslo"])
    assert oslo.post("/network/alerts/nordjylland/read/", until).status_code == 404
    assert oslo.get("/network/alerts/atlantis/").status_code == 404
    assert not AlertsRead.objects.exists()
    assert 'id="alerts-card' not in staff.get("/").content.decode()

    boss = _client(User.objects.create_superuser("boss", password="x"))
    assert boss.get("/network/alerts/").status_code == 302
    page = boss.get("/network/alerts/oslo/").content.decode()
    assert 'href="/network/alerts/nordjylland/"' in page, "the other groups are a link away"


def test_bad_input_is_refused_and_changes_nothing(areas, system, members):
    _minimum(areas, system, "aalborg-depot", "care-bed", 2)
    capacity.sweep()
    rn = _client(members["nordjylland"])
    for until in ("", "yesterday", "2026-12-06T10:00:00"):  # the last: without its offset
        refused = rn.post("/network/alerts/nordjylland/read/", {"until": until})
        assert refused.status_code == 422
        assert "The page's time is missing" in unescape(refused.content.decode())
    assert not AlertsRead.objects.exists()
    # A GET of the button's address (a reloaded tab) writes nothing; it leads to the page.
    assert rn.get("/network/alerts/nordjylland/read/").status_code == 302
    assert not AlertsRead.objects.exists()
    # A mark from the future is a mark of now: what comes later stays new.
    ahead = clock.now() + datetime.timedelta(days=3)
    rn.post("/network/alerts/nordjylland/read/", {"until": ahead.isoformat()})
    assert AlertsRead.objects.get().read_until <= clock.now()
    # An unknown sort or page shows the list as it comes.
    for query in ({"sort": "patient"}, {"page": "many"}, {"page": "999"}):
        page = rn.get("/network/alerts/nordjylland/", query)
        assert page.status_code == 200 and len(page.context["page"].object_list) == 1


def test_sorted_and_paged(areas, system, members):
    care_bed, wheelchair = (
        AidType.objects.get(slug="care-bed"),
        AidType.objects.get(slug="wheelchair"),
    )
    start = clock.now() - datetime.timedelta(days=20)
    for n in range(30):
        StockShortfall.objects.create(
            owner=areas["rn-depot" if n % 2 else "aalborg-depot"],
            aid_type=wheelchair if n % 3 else care_bed,
            since=start + datetime.timedelta(hours=n),
            recovered_at=start + datetime.timedelta(hours=n, minutes=30),
            available=1,
            minimum=2,
        )
    rn = _client(members["nordjylland"])
    first = rn.get("/network/alerts/nordjylland/").context["page"]
    assert first.paginator.count == 30 and len(first.object_list) == 25
    times = [s.since for s in first.object_list]
    assert times == sorted(times, reverse=True), "newest first"
    second = rn.get("/network/alerts/nordjylland/", {"page": 2}).context["page"]
    assert len(second.object_list) == 5
    oldest = rn.get("/network/alerts/nordjylland/", {"sort": "opened"}).context["page"]
    assert oldest.object_list[0].since == start
    units = rn.get("/network/alerts/nordjylland/", {"sort": "unit"}).context["page"]
    names = [s.owner.name for s in units.object_list]
    assert names == sorted(names)
    # None of them is in the last week: nothing new to a member who never marked.
    assert _badge(rn) == 0


def test_the_count_takes_two_queries_whatever_the_groups(
    areas, system, members, django_assert_num_queries
):
    _minimum(areas, system, "aalborg-depot", "care-bed", 2)
    _minimum(areas, system, "unn-bhm", "oxygen-concentrator", 3)
    capacity.sweep()
    boss = User.objects.create_superuser("boss", password="x")
    mine = network_agreements(boss)
    assert len(mine) > 2
    with django_assert_num_queries(2):
        counts = alerts.unread_counts(boss, mine)
    assert counts["nordjylland"] == 1 and counts["unn"] == 1 and counts["hnt"] == 0


# The mark, over any sequence of falls, recoveries and marks: it moves forward only, never
# past now; what is new is what opened or recovered after it.
EVENTS = st.lists(
    st.one_of(
        st.tuples(st.just("fall"), st.integers(0, 600), st.none() | st.integers(1, 600)),
        st.tuples(st.just("mark"), st.integers(0, 1400), st.none()),
    ),
    max_size=10,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=EVENTS)
def test_the_mark_moves_forward_only_and_decides_what_is_new(areas, members, events):
    member = members["hnt"]
    base = clock.now() - datetime.timedelta(minutes=1000)
    at = [base + datetime.timedelta(minutes=m) for m in range(2001)]
    StockShortfall.objects.all().delete()
    AlertsRead.objects.all().delete()
    mark: datetime.datetime | None = None
    falls: list[tuple[datetime.datetime, datetime.datetime | None]] = []
    for kind, when, later in events:
        if kind == "fall":
            # One open shortfall per unit and type at a time (as the sweep keeps it).
            still_short = later is None and all(r is not None for _s, r in falls)
            recovered = None if still_short else at[when + (later or 1)]
            StockShortfall.objects.create(
                owner=areas["levanger-hjelpemiddellager"],
                aid_type=AidType.objects.get(slug="wheelchair"),
                since=at[when],
                recovered_at=recovered,
                available=0,
                minimum=1,
            )
            falls.append((at[when], recovered))
        else:
            before = clock.now()
            actions.mark_alerts_read("hnt", actor=member, until=at[when])
            # A mark ahead of now is now (the writer's now: between before and here).
            wanted = at[when] if at[when] <= before else clock.now()
            mark = wanted if mark is None else max(mark, wanted)
            read_until = AlertsRead.objects.get(user=member).read_until
            if at[when] <= before:
                assert read_until == mark
            else:
                assert before <= read_until <= mark
                mark = read_until
        seen = mark or clock.now() - alerts.UNREAD_WINDOW
        expected = sum(1 for s, r in falls if s > seen or (r is not None and r > seen))
        assert alerts.unread_counts(member, network_agreements(member))["hnt"] == expected


def test_the_start_card_opens_the_list_of_exactly_the_new_ones(areas, system, members):
    _minimum(areas, system, "aalborg-depot", "care-bed", 1)
    capacity.sweep()
    rn = _client(members["nordjylland"])
    rn.post("/network/alerts/nordjylland/read/", {"until": clock.now().isoformat()})
    aid_actions.register_device(
        actor=system, aid_type="care-bed", serial="AAL-BED-1", owner=areas["aalborg-depot"]
    )
    _minimum(areas, system, "rn-depot", "wheelchair", 1)
    capacity.sweep()  # the care beds recover, the wheelchairs fall
    start = rn.get("/").content.decode()
    assert 'href="/network/alerts/nordjylland/?show=new" id="alerts-card-nordjylland"' in start
    assert _card(rn) == 2
    listed = rn.get("/network/alerts/nordjylland/", {"show": "new"})
    assert listed.context["page"].paginator.count == 2
    assert "2 alerts" in listed.content.decode()
    # The index keeps what the card asked for.
    index = rn.get("/network/alerts/", {"show": "new"})
    assert index["Location"] == "/network/alerts/nordjylland/?show=new"
