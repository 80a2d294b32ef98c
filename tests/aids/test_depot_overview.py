"""N11: each unit sees its stock per type and status, overdue loans and stock below minimum."""

import datetime
import re
from unittest import mock

import pytest

from overgang.aids import actions
from overgang.aids.models import AidType, StockMinimum
from overgang.aids.overview import depot_overview
from overgang.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(system, areas, frogner_patient, ous_technician):
    for number in range(3):
        actions.register_device(
            actor=system, aid_type="cpap", serial=f"CP-{number}", owner=areas["ous-bhm"]
        )
    lent = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-LATE", owner=areas["ous-bhm"]
    )
    actions.lend_device(
        lent, frogner_patient, actor=ous_technician, expected_end=datetime.date(2026, 1, 31)
    )
    actions.register_device(actor=system, aid_type="cpap", serial="AH-1", owner=areas["ahus-bhm"])
    StockMinimum.objects.create(owner=areas["ous-bhm"], aid_type_id=lent.aid_type_id, minimum=5)
    StockMinimum.objects.create(
        owner=areas["ous-bhm"],
        aid_type=AidType.objects.get(slug="home-ventilator"),
        minimum=2,
    )


def test_counts_overdue_and_minimum_per_type(stock, areas):
    rows = depot_overview([areas["ous-bhm"]], today=datetime.date(2026, 2, 15))
    cpap = next(r for r in rows if r.aid_type_slug == "cpap")
    assert cpap.counts["available"] == 3
    assert cpap.counts["on-loan"] == 1
    assert cpap.total == 4
    assert cpap.overdue == 1
    assert cpap.below_minimum, "3 available against a minimum of 5"
    ventilator = next(r for r in rows if r.aid_type_slug == "home-ventilator")
    assert ventilator.total == 0 and ventilator.below_minimum, "none at all is below 2"


def test_the_page_shows_only_the_users_units_and_the_csv_matches(client, stock, ous_technician):
    client.force_login(ous_technician)
    page = client.get("/depot/")
    assert page.status_code == 200
    assert {row.owner for row in page.context["rows"]} == {"Avdeling for behandlingshjelpemidler"}
    export = client.get("/depot/overview.csv")
    assert export["Content-Type"].startswith("text/csv")
    # The one export dialect (docs/exports.md): BOM, semicolons, the page's headings.
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Enhet;Hjelpemiddeltype;ledig;reservert;utlånt")
    assert any(line.startswith("Avdeling for behandlingshjelpemidler;CPAP;3;0;1") for line in lines)
    assert not any("AH-1" in line or "Akershus" in line for line in lines)


def test_a_case_worker_has_no_depot(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    assert client.get("/depot/").status_code == 403
    assert client.get("/depot/overview.csv").status_code == 403


def test_an_unknown_unit_filter_shows_nothing_rather_than_everything(client, stock, ous_technician):
    client.force_login(ous_technician)
    page = client.get("/depot/", {"unit": "ahus-bhm"})
    assert page.context["rows"] == []


def test_the_unit_sets_and_removes_a_minimum_through_the_page(client, ous_technician, areas):
    from django.conf import settings

    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    cpap = AidType.objects.get(slug="cpap")
    saved = client.post("/depot/minimum/", {"aid_type": cpap.pk, "minimum": 4})
    assert saved.status_code == 302
    assert StockMinimum.objects.get(owner=areas["ous-bhm"], aid_type=cpap).minimum == 4
    row = next(r for r in client.get("/depot/").context["rows"] if r.aid_type_slug == "cpap")
    assert row.minimum == 4 and row.below_minimum
    client.post("/depot/minimum/", {"aid_type": cpap.pk, "minimum": ""})
    assert not StockMinimum.objects.exists()


def test_a_negative_minimum_is_a_form_error_and_outsiders_cannot_set_one(
    client, ous_technician, frogner_case_worker
):
    from django.conf import settings

    cpap = AidType.objects.get(slug="cpap")
    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    bad = client.post("/depot/minimum/", {"aid_type": cpap.pk, "minimum": -2})
    assert bad.status_code == 422 and "minimum" in bad.context["minimum_form"].errors
    client.force_login(frogner_case_worker)
    assert client.post("/depot/minimum/", {"aid_type": cpap.pk, "minimum": 3}).status_code == 403
    assert not StockMinimum.objects.exists()


def test_the_csv_is_named_by_the_day_in_oslo_not_the_utc_day(client, stock, ous_technician):
    client.force_login(ous_technician)
    late_evening_utc = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        export = client.get("/depot/overview.csv")
    assert 'filename="depot-2026-02-01.csv"' in export["Content-Disposition"]


@pytest.mark.parametrize(
    ("language", "name", "not_shown"),
    [
        ("da", "Plejeseng", "Care bed"),
        ("nb", "Pleieseng", "Care bed"),
        ("en", "Care bed", "Plejeseng"),
    ],
)
def test_the_overview_names_the_aid_types_in_the_readers_language(
    client, make_user, system, areas, language, name, not_shown
):
    """The Aalborg depot's and Region Nordjylland's depot's staff read Danish names."""
    depot = make_user("aalborg-depot", ("aalborg-depot", Role.DEPOT_STAFF))
    actions.register_device(
        actor=system, aid_type="care-bed", serial="AAL-SEN-1", owner=areas["aalborg-depot"]
    )
    client.force_login(depot)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/depot/").content.decode()
    assert re.search(f"<td[^>]*>{name}</td>", page)
    assert not_shown not in page
