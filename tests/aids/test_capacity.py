"""Shared capacity (N11): the network group and the superuser see every aids unit and depot
of their agreement, counted per aid type; a unit below its minimum is told once per fall;
the day's counts are kept once per day for the trend."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from overgang.aids import actions
from overgang.aids.actions.capacity import take_snapshots
from overgang.aids.models import AidType, Device, StockShortfall, StockSnapshot
from overgang.audit.history import system_actor
from overgang.audit.models import ChangeRecord, PatientRead
from overgang.organisations.models import Role
from overgang.stays import capacity as capacity_sweep
from overgang.stays.models import News, Notification

pytestmark = pytest.mark.django_db

# (unit, aid type): how many in each status, set up below.
SETUP: dict[tuple[str, str], dict[str, int]] = {
    ("ahus-bhm", "cpap"): {"available": 1},
    ("ous-bhm", "cpap"): {"available": 3, "on-loan": 2, "reprocessing": 1, "in-repair": 1},
    ("oslo-hjelpemiddellager", "wheelchair"): {"available": 2, "on-loan": 1},
    ("unn-bhm", "oxygen-concentrator"): {"available": 1, "reprocessing": 2},
    ("tromso-hjelpemiddellager", "rollator"): {"available": 4, "in-repair": 1},
    ("stolav-bhm", "cpap"): {"available": 2, "on-loan": 3},
    ("levanger-hjelpemiddellager", "care-bed"): {"available": 1, "on-loan": 1},
    ("rn-depot", "wheelchair"): {"available": 5, "on-loan": 2, "in-repair": 1},
    ("aalborg-depot", "care-bed"): {"available": 0, "on-loan": 3, "reprocessing": 1},
}
AREAS = {
    "oslo": {"ous-bhm", "ahus-bhm", "oslo-hjelpemiddellager"},
    "unn": {"unn-bhm", "tromso-hjelpemiddellager"},
    "hnt": {"stolav-bhm", "levanger-hjelpemiddellager"},
    "nordjylland": {"rn-depot", "aalborg-depot"},
}


@pytest.fixture
def stock(system, areas):
    """The devices of SETUP, registered and put in their status (statuses set directly:
    this counts them; the writers' moves are tested with the loans)."""
    for (key, kind), counts in SETUP.items():
        for status, n in counts.items():
            for number in range(n):
                device = actions.register_device(
                    actor=system,
                    aid_type=kind,
                    serial=f"{key[:6].upper()}-{kind[:3].upper()}-{status[:3]}-{number}",
                    owner=areas[key],
                )
                Device.objects.filter(pk=device.pk).update(status=status)


@pytest.fixture
def members(make_user):
    return {
        "oslo": make_user("ous-net", ("ous", Role.NETWORK_GROUP)),
        "unn": make_user("unn-net", ("unn", Role.NETWORK_GROUP)),
        "hnt": make_user("hnt-net", ("hnt", Role.NETWORK_GROUP)),
        "nordjylland": make_user("rn-net", ("rn", Role.NETWORK_GROUP)),
    }


def _rows(client, **query):
    page = client.get("/capacity/", query)
    assert page.status_code == 200, page.content[:500]
    return {(row.owner, row.aid_type_slug): row for row, _spark, _short in page.context["rows"]}


@pytest.mark.parametrize("agreement", sorted(AREAS))
def test_each_area_counts_its_units_per_type_and_status(client, stock, members, areas, agreement):
    client.force_login(members[agreement])
    rows = _rows(client)
    names = {areas[key].name: key for key in AREAS[agreement]}
    shown = {(names.get(owner), slug) for owner, slug in rows}
    assert shown == {(k, t) for (k, t) in SETUP if k in AREAS[agreement]}, "all and only its units"
    for (key, kind), counts in SETUP.items():
        if key not in AREAS[agreement]:
            continue
        row = rows[areas[key].name, kind]
        assert row.available == counts.get("available", 0)
        assert row.on_loan == counts.get("on-loan", 0)
        assert row.reprocessing == counts.get("reprocessing", 0)
        assert row.in_repair == counts.get("in-repair", 0)
        assert row.municipal == areas[key].is_municipal_side


def test_hnt_sees_st_olavs_unit_that_lends_for_it_and_municipal_depots_are_marked(
    client, stock, members, areas
):
    client.force_login(members["hnt"])
    html = client.get("/capacity/").content.decode()
    assert areas["stolav-bhm"].name in html
    assert "St. Olavs" in html, "whose unit it is"
    assert areas["levanger-hjelpemiddellager"].name in html
    assert areas["ous-bhm"].name not in html


def test_no_patient_and_no_borrower_is_shown_and_nothing_is_logged(
    client, stock, members, frogner_patient, ous_technician, areas
):
    device = Device.objects.filter(owner=areas["ous-bhm"], status="available").first()
    assert device is not None
    actions.lend_device(device, frogner_patient, actor=ous_technician)
    client.force_login(members["oslo"])
    html = client.get("/capacity/").content.decode()
    assert "Nordmann" not in html and frogner_patient.national_id not in html
    assert not PatientRead.objects.filter(user=members["oslo"]).exists()


def test_another_agreement_is_not_found_and_a_bad_filter_names_the_field(client, stock, members):
    client.force_login(members["oslo"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/capacity/", {"agreement": "nordjylland"}).status_code == 404
    assert client.get("/capacity/", {"agreement": "atlantis"}).status_code == 404
    bad = client.get("/capacity/", {"aid_type": "time-machine"})
    assert bad.status_code == 422
    assert "Aid type" in bad.content.decode() and bad.context["form"].errors["aid_type"]
    assert client.get("/capacity/", {"sort": "patient"}).status_code == 422


def test_others_are_refused(client, stock, ous_technician, frogner_case_worker):
    for user in (ous_technician, frogner_case_worker):
        client.force_login(user)
        assert client.get("/capacity/").status_code == 404


def test_the_superuser_picks_any_agreement(client, stock, areas):
    admin = User.objects.create_superuser("boss", password="x")
    client.force_login(admin)
    rows = _rows(client, agreement="nordjylland")
    assert {owner for owner, _ in rows} == {areas["rn-depot"].name, areas["aalborg-depot"].name}
    page = client.get("/capacity/", {"agreement": "unn"})
    assert 'name="agreement"' in page.content.decode() and "<select" in page.content.decode()


def test_filter_by_type_sort_and_below(client, stock, members, areas, system):
    client.force_login(members["oslo"])
    assert set(_rows(client, aid_type="wheelchair")) == {
        (areas["oslo-hjelpemiddellager"].name, "wheelchair")
    }
    page = client.get("/capacity/", {"sort": "-available"})
    counts = [row.available for row, _s, _x in page.context["rows"]]
    assert counts == sorted(counts, reverse=True)
    actions.set_stock_minimum(
        areas["ous-bhm"], AidType.objects.get(slug="cpap"), actor=system, minimum=5
    )
    assert set(_rows(client, below="on")) == {(areas["ous-bhm"].name, "cpap")}


def test_the_export_is_the_page_in_numbers(client, stock, members, areas):
    client.force_login(members["nordjylland"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get("/capacity/", {"format": "csv"}).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Unit;Under;Side;Aid type;available;on loan;reprocessing;in repair")
    assert any(line.startswith(f"{areas['aalborg-depot'].name};;municipal;") for line in lines)
    assert any(";5;2;0;1;" in line for line in lines), "rn-depot's wheelchairs"
    assert client.get("/capacity/", {"format": "xlsx"}).status_code == 200
    assert client.get("/capacity/", {"format": "print"}).status_code == 200
    assert client.get("/capacity/", {"format": "docx"}).status_code == 422


def test_a_fall_below_the_minimum_is_told_once_and_again_only_after_recovery(
    stock, areas, system, frogner_patient, ous_technician
):
    unit = areas["ous-bhm"]
    cpap = AidType.objects.get(slug="cpap")
    actions.set_stock_minimum(unit, cpap, actor=system, minimum=3)
    told = Notification.objects.filter(organisation=unit, news=News.BELOW_MINIMUM)
    capacity_sweep.sweep()
    assert not told.exists(), "3 available, minimum 3: not below"

    shelf = Device.objects.filter(owner=unit, aid_type=cpap, status="available").first()
    assert shelf is not None
    loan = actions.lend_device(
        shelf,
        frogner_patient,
        actor=ous_technician,
    )
    assert capacity_sweep.sweep()["shortfalls_opened"] == 1
    assert told.count() == 1
    assert told.get().link == "/depot/?unit=ous-bhm" and told.get().patient is None
    capacity_sweep.sweep()
    capacity_sweep.sweep()
    assert told.count() == 1, "still below: not told again every minute"

    # Back on the shelf (returned, reprocessed): recovered, and a new fall is told again.
    actions.return_loan(loan, actor=ous_technician)
    device = Device.objects.get(pk=loan.device_id)
    actions.reprocess_device(
        device, actor=ous_technician, technical_check="passed", disinfection="passed"
    )
    assert capacity_sweep.sweep()["recovered"] == 1
    assert StockShortfall.objects.get().recovered_at is not None
    actions.lend_device(Device.objects.get(pk=device.pk), frogner_patient, actor=ous_technician)
    capacity_sweep.sweep()
    assert told.count() == 2
    assert StockShortfall.objects.filter(recovered_at__isnull=True).count() == 1
    # Each opening and each recovery is in the history, by the system account.
    history = ChangeRecord.objects.filter(model="aids.stockshortfall")
    assert sorted(history.values_list("action", flat=True)) == ["changed", "created", "created"]
    assert {r.actor.username for r in history} == {system_actor().username}


def test_the_network_group_sees_the_open_shortfall(client, stock, members, areas, system):
    actions.set_stock_minimum(
        areas["aalborg-depot"], AidType.objects.get(slug="care-bed"), actor=system, minimum=2
    )
    capacity_sweep.sweep()
    client.force_login(members["nordjylland"])
    page = client.get("/capacity/")
    assert len(page.context["shortfalls"]) == 1
    client.force_login(members["oslo"])
    assert client.get("/capacity/").context["shortfalls"] == []


def test_the_snapshot_is_taken_once_a_day(stock, areas):
    day = datetime.date(2026, 3, 2)
    first = take_snapshots(day)
    assert first >= len(SETUP)
    assert take_snapshots(day) == 0
    assert StockSnapshot.objects.filter(day=day).count() == first
    rn = StockSnapshot.objects.get(day=day, owner=areas["rn-depot"], aid_type__slug="wheelchair")
    assert (rn.available, rn.on_loan, rn.reprocessing, rn.in_repair) == (5, 2, 0, 1)
    assert take_snapshots(day + datetime.timedelta(days=1)) == first


def test_the_trend_shows_the_days_counted(client, stock, members, areas):
    from overgang import clock

    today = clock.today()
    for back, available in ((2, 7), (1, 6)):
        StockSnapshot.objects.create(
            owner=areas["rn-depot"],
            aid_type=AidType.objects.get(slug="wheelchair"),
            day=today - datetime.timedelta(days=back),
            available=available,
        )
    client.force_login(members["nordjylland"])
    page = client.get("/capacity/")
    row, spark, _ = next(r for r in page.context["rows"] if r[0].aid_type_slug == "wheelchair")
    assert row.trend[-3:] == [7, 6, 5]
    assert spark is not None and (spark.low, spark.high) == (5, 7)
    assert "<polyline" in page.content.decode()


def test_the_menu_offers_the_page_to_the_network_group_only(client, members, ous_technician):
    client.force_login(members["unn"])
    assert 'href="/capacity/"' in client.get("/").content.decode()
    client.force_login(ous_technician)
    assert 'href="/capacity/"' not in client.get("/").content.decode()
