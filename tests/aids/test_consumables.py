"""Consumables (O6, U5): plans per loan, who provides what, the unit's stock, needs reported
1–2 weeks before running out, supply from stock or via a pharmacy decision."""

import datetime

import pytest

from overgang import clock
from overgang.aids import actions, supplies
from overgang.aids.models import ConsumableStock, ConsumableType, ConsumptionPlan
from overgang.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def kind(slug: str) -> ConsumableType:
    return ConsumableType.objects.get(slug=slug)


@pytest.fixture
def cpap_loan(system, areas, frogner_patient, ous_technician):
    cpap = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"]
    )
    return actions.lend_device(cpap, frogner_patient, actor=ous_technician)


@pytest.fixture
def masks(cpap_loan, ous_technician):
    """One mask a month; the patient has masks for ten more days."""
    return actions.add_plan(
        cpap_loan,
        actor=ous_technician,
        consumable=kind("cpap-mask"),
        quantity=1,
        every_days=30,
        supplied_until=clock.today() + datetime.timedelta(days=10),
    )


@pytest.fixture
def stock(areas, ous_technician):
    return actions.receive_stock(
        areas["ous-bhm"], kind("cpap-mask"), actor=ous_technician, received=5, minimum=2
    )


def test_a_linked_consumable_comes_from_the_unit_with_the_agreements_citation(masks):
    assert masks.provider == "hospital" and masks.from_unit
    assert "000 5.0" in masks.provider_cites


def test_a_consumable_not_linked_to_the_aid_is_marked_as_the_municipalitys(
    cpap_loan, ous_technician
):
    plan = actions.add_plan(
        cpap_loan, actor=ous_technician, consumable=kind("dressings"), quantity=2, every_days=7
    )
    assert plan.provider == "municipality" and not plan.from_unit
    with pytest.raises(Conflict, match="not directly linked"):
        actions.report_need(plan, actor=ous_technician)
    with pytest.raises(Conflict, match=r"000 3\.1"):
        actions.supply(plan, actor=ous_technician, route="unit", quantity=2)
    assert not plan.orders.exists()


def test_sending_from_stock_takes_it_off_the_shelf_and_extends_the_supply(
    masks, stock, ous_technician
):
    before = masks.supplied_until
    order = actions.supply(masks, actor=ous_technician, route="unit", quantity=3)
    masks.refresh_from_db()
    stock.refresh_from_db()
    assert (order.status, stock.quantity) == ("sent", 2)
    assert masks.supplied_until == before + datetime.timedelta(days=90)
    assert order.covers_until == masks.supplied_until


def test_the_unit_cannot_send_more_than_it_has_and_nothing_changes(masks, stock, ous_technician):
    with pytest.raises(Conflict, match="Only 5"):
        actions.supply(masks, actor=ous_technician, route="unit", quantity=6)
    stock.refresh_from_db()
    masks.refresh_from_db()
    assert stock.quantity == 5 and not masks.orders.exists()


def test_a_reported_need_is_met_by_the_next_supply(
    masks, stock, frogner_case_worker, ous_technician
):
    need = actions.report_need(masks, actor=frogner_case_worker, note="Mask cracked")
    with pytest.raises(Conflict, match="reported already"):
        actions.report_need(masks, actor=frogner_case_worker)
    sent = actions.supply(masks, actor=ous_technician, route="unit", quantity=1)
    assert sent.pk == need.pk and sent.status == "sent" and sent.requested_by == frogner_case_worker
    assert masks.orders.count() == 1


def test_only_pharmacy_consumables_go_via_a_decision_letter(
    cpap_loan, masks, system, areas, frogner_patient, ous_technician
):
    with pytest.raises(InvalidInput) as raised:
        actions.supply(
            masks,
            actor=ous_technician,
            route="pharmacy",
            quantity=12,
            valid_until=clock.today() + datetime.timedelta(days=180),
        )
    assert "route" in raised.value.errors
    pump = actions.register_device(
        actor=system, aid_type="enteral-feeding-pump", serial="EP-1", owner=areas["ous-bhm"]
    )
    sets = actions.add_plan(
        actions.lend_device(pump, frogner_patient, actor=ous_technician),
        actor=ous_technician,
        consumable=kind("feeding-set"),
        quantity=30,
        every_days=30,
    )
    valid = clock.today() + datetime.timedelta(days=180)
    decision = actions.supply(
        sets, actor=ous_technician, route="pharmacy", quantity=180, valid_until=valid
    )
    sets.refresh_from_db()
    assert decision.status == "decided" and sets.supplied_until == valid


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"route": "drone", "quantity": 1}, "route"),
        ({"route": "unit", "quantity": 0}, "quantity"),
        ({"route": "pharmacy", "quantity": 1}, "valid_until"),
        (
            {"route": "pharmacy", "quantity": 1, "valid_until": datetime.date(2000, 1, 1)},
            "valid_until",
        ),
    ],
)
def test_bad_supply_input_names_the_field(masks, ous_technician, extra, field):
    with pytest.raises(InvalidInput) as raised:
        actions.supply(masks, actor=ous_technician, **extra)
    assert field in raised.value.errors
    assert not masks.orders.exists()


def test_a_plan_needs_positive_numbers_and_one_per_consumable(masks, cpap_loan, ous_technician):
    with pytest.raises(InvalidInput) as raised:
        actions.add_plan(
            cpap_loan, actor=ous_technician, consumable=kind("cpap-tube"), quantity=0, every_days=0
        )
    assert set(raised.value.errors) == {"quantity", "every_days"}
    with pytest.raises(Conflict, match="already has a plan"):
        actions.add_plan(
            cpap_loan, actor=ous_technician, consumable=kind("cpap-mask"), quantity=1, every_days=1
        )
    assert ConsumptionPlan.objects.count() == 1


def test_reminders_come_two_weeks_before_and_are_urgent_the_last_week(
    cpap_loan, ous_technician, masks
):
    today = clock.today()
    tubes = actions.add_plan(
        cpap_loan,
        actor=ous_technician,
        consumable=kind("cpap-tube"),
        quantity=1,
        every_days=90,
        supplied_until=today + datetime.timedelta(days=5),
    )
    actions.add_plan(
        cpap_loan,
        actor=ous_technician,
        consumable=kind("cpap-filter"),
        quantity=1,
        every_days=30,
        supplied_until=today + datetime.timedelta(days=40),
    )
    found = supplies.due(ConsumptionPlan.objects.all(), today)
    assert [(d.plan, d.state, d.days_left) for d in found] == [
        (tubes, "now", 5),
        (masks, "soon", 10),
    ]
    assert found[0].notice.cites == ("000 5.0",)


def test_a_returned_loan_asks_for_no_more_consumables(masks, cpap_loan, ous_technician, stock):
    actions.return_loan(cpap_loan, actor=ous_technician)
    assert supplies.due(ConsumptionPlan.objects.all(), clock.today()) == []
    with pytest.raises(Conflict, match="ended"):
        actions.supply(masks, actor=ous_technician, route="unit", quantity=1)
    assert ConsumableStock.objects.get().quantity == 5


def test_stock_is_received_and_bad_numbers_are_refused(areas, ous_technician, stock):
    more = actions.receive_stock(
        areas["ous-bhm"], kind("cpap-mask"), actor=ous_technician, received=10
    )
    assert (more.quantity, more.minimum) == (15, 2)
    with pytest.raises(InvalidInput) as raised:
        actions.receive_stock(
            areas["ous-bhm"], kind("cpap-mask"), actor=ous_technician, received=-1, minimum=-1
        )
    assert set(raised.value.errors) == {"received", "minimum"}
    more.refresh_from_db()
    assert more.quantity == 15


def test_a_need_reported_by_mistake_is_cancelled(masks, frogner_case_worker):
    need = actions.report_need(masks, actor=frogner_case_worker)
    actions.cancel_need(need, actor=frogner_case_worker)
    need.refresh_from_db()
    assert need.status == "cancelled"
    with pytest.raises(Conflict):
        actions.cancel_need(need, actor=frogner_case_worker)


def test_where_the_agreement_is_silent_what_is_not_linked_is_the_municipality_s(
    system, areas, aalborg_patient
):
    chair = actions.register_device(
        actor=system, aid_type="wheelchair", serial="KS-1", owner=areas["aalborg-depot"]
    )
    loan = actions.lend_device(chair, aalborg_patient, actor=system)
    gloves = actions.add_plan(
        loan, actor=system, consumable=kind("examination-gloves"), quantity=1, every_days=30
    )
    assert gloves.provider == "municipality" and gloves.provider_cites == []
    with pytest.raises(Conflict) as raised:
        actions.report_need(gloves, actor=system)
    assert str(raised.value).endswith("provides it.")
