"""Consumables on the pages and over the API (O6, U5), and the decision letter."""

import datetime
import io

import pytest
from django.conf import settings
from pypdf import PdfReader

from overgang import clock
from overgang.aids import actions
from overgang.aids.models import ConsumableOrder, ConsumableStock, ConsumableType, ConsumptionPlan

pytestmark = pytest.mark.django_db


def kind(slug):
    return ConsumableType.objects.get(slug=slug)


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def pump_loan(system, areas, frogner_patient):
    pump = actions.register_device(
        actor=system, aid_type="enteral-feeding-pump", serial="EP-1", owner=areas["ous-bhm"]
    )
    return actions.lend_device(pump, frogner_patient, actor=system)


@pytest.fixture
def feeding_sets(pump_loan, system):
    return actions.add_plan(
        pump_loan,
        actor=system,
        consumable=kind("feeding-set"),
        quantity=30,
        every_days=30,
        supplied_until=clock.today() + datetime.timedelta(days=6),
    )


def test_the_unit_adds_a_plan_and_sees_it_on_the_loan_page(as_user, ous_technician, pump_loan):
    client = as_user(ous_technician)
    added = client.post(
        f"/loans/{pump_loan.pk}/consumables/add/",
        {"consumable": kind("feeding-set").pk, "quantity": 30, "every_days": 30},
    )
    assert added.status_code == 302
    text = client.get(f"/loans/{pump_loan.pk}/consumables/").content.decode()
    assert "Feeding set for the pump" in text and "nothing handed out yet" in text


def test_a_plan_with_bad_numbers_is_a_form_error(as_user, ous_technician, pump_loan):
    page = as_user(ous_technician).post(
        f"/loans/{pump_loan.pk}/consumables/add/",
        {"consumable": kind("feeding-set").pk, "quantity": 0, "every_days": ""},
    )
    assert page.status_code == 422
    assert {"quantity", "every_days"} <= set(page.context["plan_form"].errors)
    assert not ConsumptionPlan.objects.exists()


def test_a_consumable_not_linked_is_added_as_the_municipalitys(as_user, ous_technician, pump_loan):
    client = as_user(ous_technician)
    client.post(
        f"/loans/{pump_loan.pk}/consumables/add/",
        {"consumable": kind("dressings").pk, "quantity": 2, "every_days": 7},
    )
    text = client.get(f"/loans/{pump_loan.pk}/consumables/").content.decode()
    assert "the municipality" in text and "not directly linked" in text
    assert "Meet the need" not in text and 'action="/loans/' in text


def test_home_nursing_reports_a_need_and_the_unit_meets_it_from_stock(
    as_user, frogner_case_worker, ous_technician, areas, feeding_sets, pump_loan
):
    actions.receive_stock(
        areas["ous-bhm"], kind("feeding-set"), actor=ous_technician, received=100, minimum=20
    )
    nurse = as_user(frogner_case_worker)
    reported = nurse.post(
        f"/loans/{pump_loan.pk}/consumables/need/", {"plan": feeding_sets.pk, "note": "Week 49"}
    )
    assert reported.status_code == 302
    need = ConsumableOrder.objects.get()
    assert need.status == "requested" and need.quantity == 30
    unit = as_user(ous_technician)
    worklist = unit.get("/consumables/")
    assert [n.pk for n in worklist.context["needs"]] == [need.pk]
    assert [d.plan.pk for d in worklist.context["page"].object_list] == [feeding_sets.pk]
    sent = unit.post(
        f"/loans/{pump_loan.pk}/consumables/supply/",
        {"plan": feeding_sets.pk, "route": "unit", "quantity": 60},
    )
    assert sent.status_code == 302
    need.refresh_from_db()
    assert need.status == "sent"
    assert ConsumableStock.objects.get().quantity == 40


def test_sending_more_than_the_stock_is_409_and_changes_nothing(
    as_user, ous_technician, feeding_sets, pump_loan
):
    page = as_user(ous_technician).post(
        f"/loans/{pump_loan.pk}/consumables/supply/",
        {"plan": feeding_sets.pk, "route": "unit", "quantity": 60},
    )
    assert page.status_code == 409 and "Only 0" in page.content.decode()
    assert not ConsumableOrder.objects.exists()


def test_a_pharmacy_decision_prints_as_a_letter_the_municipality_can_open(
    as_user, ous_technician, frogner_case_worker, feeding_sets, pump_loan
):
    valid = clock.today() + datetime.timedelta(days=90)
    saved = as_user(ous_technician).post(
        f"/loans/{pump_loan.pk}/consumables/supply/",
        {
            "plan": feeding_sets.pk,
            "route": "pharmacy",
            "quantity": 90,
            "valid_until": valid.isoformat(),
        },
    )
    assert saved.status_code == 302
    order = ConsumableOrder.objects.get()
    letter = as_user(frogner_case_worker).get(f"/consumables/orders/{order.pk}/decision.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert "Vedtak" in text and "Kari Nordmann" in text and "151086 95088" in text
    assert "Ernæringssett (aggregat) til pumpe" in text and "90 stk." in text
    assert valid.strftime("%d.%m.%Y") in text
    assert "et apotek du velger selv" in text and "Du betaler ingenting" in text
    assert "Faktura til Avdeling for behandlingshjelpemidler" in text
    danish = as_user(frogner_case_worker).get(
        f"/consumables/orders/{order.pk}/decision.pdf", {"lang": "da"}
    )
    assert "Afgørelse" in pdf_text(danish.content)


def test_a_decision_for_a_consumable_pharmacies_do_not_hand_out_is_a_form_error(
    as_user, ous_technician, system, areas, frogner_patient
):
    cpap = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"]
    )
    loan = actions.lend_device(cpap, frogner_patient, actor=system)
    masks = actions.add_plan(
        loan, actor=system, consumable=kind("cpap-mask"), quantity=1, every_days=30
    )
    page = as_user(ous_technician).post(
        f"/loans/{loan.pk}/consumables/supply/",
        {
            "plan": masks.pk,
            "route": "pharmacy",
            "quantity": 3,
            "valid_until": (clock.today() + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert page.status_code == 422
    assert not ConsumableOrder.objects.exists()


def test_outsiders_see_no_consumables_and_the_municipality_cannot_supply(
    as_user, tromso_case_worker, frogner_case_worker, feeding_sets, pump_loan
):
    outsider = as_user(tromso_case_worker)
    assert outsider.get(f"/loans/{pump_loan.pk}/consumables/").status_code == 404
    assert (
        outsider.post(
            f"/loans/{pump_loan.pk}/consumables/need/", {"plan": feeding_sets.pk}
        ).status_code
        == 404
    )
    assert outsider.get("/consumables/").status_code == 403
    municipality = as_user(frogner_case_worker)
    assert (
        municipality.post(
            f"/loans/{pump_loan.pk}/consumables/supply/",
            {"plan": feeding_sets.pk, "route": "unit", "quantity": 1},
        ).status_code
        == 404
    )
    assert (
        municipality.post(
            f"/loans/{pump_loan.pk}/consumables/add/",
            {"consumable": kind("feeding-set").pk, "quantity": 1, "every_days": 1},
        ).status_code
        == 404
    )
    assert not ConsumableOrder.objects.exists()


def test_the_unit_receives_stock_and_a_bad_number_is_a_form_error(as_user, ous_technician):
    client = as_user(ous_technician)
    saved = client.post(
        "/consumables/stock/", {"consumable": kind("cpap-mask").pk, "received": 12, "minimum": 4}
    )
    assert saved.status_code == 302
    stock = ConsumableStock.objects.get()
    assert (stock.unit.key, stock.quantity, stock.minimum) == ("ous-bhm", 12, 4)
    bad = client.post("/consumables/stock/", {"consumable": kind("cpap-mask").pk, "received": -3})
    assert bad.status_code == 422 and "received" in bad.context["stock_form"].errors
    stock.refresh_from_db()
    assert stock.quantity == 12


def test_the_api_runs_a_plan_from_need_to_decision(
    api_as, ous_technician, frogner_case_worker, tromso_case_worker, pump_loan
):
    unit = api_as(ous_technician)
    created = unit.post(
        f"/loans/{pump_loan.pk}/consumables",
        {"consumable": "feeding-set", "quantity": 30, "every_days": 30},
    )
    assert created.status_code == 201 and created.json()["provider"] == "hospital"
    plan = created.json()["id"]
    nurse = api_as(frogner_case_worker)
    assert nurse.post(f"/consumption-plans/{plan}/needs", {}).status_code == 201
    assert nurse.post(f"/consumption-plans/{plan}/needs", {}).status_code == 409
    assert api_as(tromso_case_worker).post(f"/consumption-plans/{plan}/needs", {}).status_code == (
        404
    )
    valid = (clock.today() + datetime.timedelta(days=60)).isoformat()
    decided = unit.post(
        f"/consumption-plans/{plan}/supply",
        {"route": "pharmacy", "quantity": 60, "valid_until": valid},
    )
    assert decided.status_code == 201 and decided.json()["status"] == "decided"
    letter = nurse.get(f"/consumable-orders/{decided.json()['id']}/decision-letter")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    plans = nurse.get(f"/loans/{pump_loan.pk}/consumables").json()
    assert plans[0]["supplied_until"] == valid and len(plans[0]["orders"]) == 1
    bad = unit.post(
        f"/loans/{pump_loan.pk}/consumables", {"consumable": "gum", "quantity": 1, "every_days": 1}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "consumable"]


def test_the_api_lists_what_runs_out_and_the_stock(api_as, ous_technician, feeding_sets):
    unit = api_as(ous_technician)
    due = unit.get("/consumables/due").json()
    assert [(d["plan"]["id"], d["state"], d["days_left"]) for d in due] == [
        (feeding_sets.pk, "now", 6)
    ]
    received = unit.post("/consumables/stock", {"consumable": "feeding-set", "received": 50})
    assert received.status_code == 200 and received.json()["quantity"] == 50
    assert unit.get("/consumables/stock").json()[0]["consumable"] == "feeding-set"
    bad = unit.post("/consumables/stock", {"consumable": "feeding-set", "received": -1})
    assert bad.status_code == 422


def test_stock_for_a_unit_the_user_does_not_work_for_is_a_form_error(as_user, ous_technician):
    page = as_user(ous_technician).post(
        "/consumables/stock/",
        {"unit": "ahus-bhm", "consumable": kind("cpap-mask").pk, "received": 5},
    )
    assert page.status_code == 422
    assert not ConsumableStock.objects.exists()
