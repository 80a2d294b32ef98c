"""The technician's day on the devices pages: list, register, lend, return, reprocess, discard,
and the page a scanned label opens."""

import pytest
from django.conf import settings

from overgang.aids import actions
from overgang.aids.models import Device, DeviceTransition, Loan
from overgang.web.devices import views as devices_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def ahus_technician(make_user):
    return make_user("ahus", ("ahus-bhm", "aids-staff"))


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def serials(page) -> list[str]:
    return [device.serial for device in page.context["page"].object_list]


def lend_form(patient, **extra) -> dict:
    return {"patient": patient.pk, "placement": "home", **extra}


def register(system, areas, serial: str, aid_type: str = "cpap", owner: str = "ous-bhm"):
    return actions.register_device(
        actor=system, aid_type=aid_type, serial=serial, owner=areas[owner]
    )


def test_the_list_shows_only_the_devices_of_the_technicians_unit(
    as_user, ous_technician, ahus_technician, ventilator, system, areas
):
    register(system, areas, "AHUS-CPA-0001", owner="ahus-bhm")
    assert serials(as_user(ous_technician).get("/devices/")) == ["HV-0001"]
    page = as_user(ahus_technician).get("/devices/")
    assert serials(page) == ["AHUS-CPA-0001"]
    assert "/devices/HV-0001/" not in page.content.decode()


def test_the_list_is_for_device_staff_only(as_user, frogner_case_worker):
    assert as_user(frogner_case_worker).get("/devices/").status_code == 403


def test_the_list_searches_by_serial_or_type_and_filters_by_status_and_type(
    as_user, ous_technician, ventilator, frogner_patient, system, areas
):
    register(system, areas, "CP-0001")
    register(system, areas, "CP-0002")
    actions.lend_device(ventilator, frogner_patient, actor=system)
    client = as_user(ous_technician)
    assert serials(client.get("/devices/", {"q": "cp-0002"})) == ["CP-0002"]
    assert serials(client.get("/devices/", {"q": "ventilator"})) == ["HV-0001"]
    assert serials(client.get("/devices/", {"q": "respirator"})) == ["HV-0001"], "Norwegian too"
    assert serials(client.get("/devices/", {"status": "on-loan"})) == ["HV-0001"]
    assert serials(client.get("/devices/", {"status": "available", "aid_type": "cpap"})) == [
        "CP-0001",
        "CP-0002",
    ]
    nothing = client.get("/devices/", {"q": "rocket"})
    assert serials(nothing) == []
    assert "No device of your unit matches the search." in nothing.content.decode()


def test_a_device_on_loan_shows_whom_it_is_lent_to(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    actions.lend_device(ventilator, frogner_patient, actor=system)
    text = as_user(ous_technician).get("/devices/").content.decode()
    assert "Kari Nordmann" in text
    assert 'class="tag status status-on-loan">on loan<' in text


def test_the_unit_sees_whom_its_device_is_lent_to_even_outside_its_catchment(
    as_user, ahus_technician, ous_technician, stovner_patient, system, areas
):
    # An Ahus device lent to a Tromsø patient (who moved north with it): Ahus follows up
    # its device, so it sees the borrower; OUS staff see neither the device nor the patient.
    device = register(system, areas, "AHUS-CPA-0001", owner="ahus-bhm")
    from overgang.patients import actions as patients

    tromso = patients.create_patient(
        actor=system,
        national_id_number="03035512410",
        name="Nils Nordlys",
        municipality="Tromsø",
        address="Storgata 1",
    )
    actions.lend_device(device, tromso, actor=system)
    text = as_user(ahus_technician).get("/devices/").content.decode()
    assert "Nils Nordlys" in text and "a patient outside your area" not in text
    assert as_user(ous_technician).get(f"/patients/{tromso.pk}/").status_code == 404


def test_the_list_sorts_and_pages_keeping_the_search(
    as_user, ous_technician, ventilator, frogner_patient, system, areas, monkeypatch
):
    for serial in ("CP-0003", "CP-0001", "CP-0002"):
        register(system, areas, serial)
    actions.lend_device(ventilator, frogner_patient, actor=system)
    client = as_user(ous_technician)
    assert serials(client.get("/devices/", {"sort": "-serial"})) == [
        "HV-0001",
        "CP-0003",
        "CP-0002",
        "CP-0001",
    ]
    # By the order of a device's life: available before on loan.
    assert serials(client.get("/devices/", {"sort": "-status"}))[0] == "HV-0001"
    assert serials(client.get("/devices/", {"sort": "type"}))[0] == "CP-0001"
    monkeypatch.setattr(devices_views, "DEVICES_PER_PAGE", 2)
    first = client.get("/devices/", {"status": "available", "sort": "serial"})
    assert serials(first) == ["CP-0001", "CP-0002"]
    assert 'href="?status=available&amp;sort=serial&amp;page=2"' in first.content.decode()
    second = client.get("/devices/", {"status": "available", "sort": "serial", "page": 2})
    assert serials(second) == ["CP-0003"]


def test_the_live_search_answers_with_the_results_only(as_user, ous_technician, ventilator):
    page = as_user(ous_technician).get("/devices/", {"q": "HV"}, headers={"HX-Request": "true"})
    assert serials(page) == ["HV-0001"]
    assert "<html" not in page.content.decode()


def test_registering_a_device_leads_to_its_page(as_user, ous_technician, areas):
    client = as_user(ous_technician)
    form = client.get("/devices/new/")
    assert "owner" not in form.context["form"].fields, "one unit: nothing to choose"
    page = client.post(
        "/devices/new/", {"aid_type": "cpap", "serial": " CP-7 ", "location": "Lager 2"}
    )
    assert page.status_code == 302
    assert page["Location"] == "/devices/CP-7/"
    device = Device.objects.get()
    assert (device.serial, device.owner, device.location) == ("CP-7", areas["ous-bhm"], "Lager 2")
    assert DeviceTransition.objects.get(device=device).actor == ous_technician


def test_a_duplicate_serial_is_an_error_at_the_serial(as_user, ous_technician, ventilator):
    page = as_user(ous_technician).post("/devices/new/", {"aid_type": "cpap", "serial": "HV-0001"})
    assert page.status_code == 409
    assert "already registered" in page.context["form"].errors["serial"][0]
    assert 'href="/devices/HV-0001/"' in page.content.decode(), "a link to the one registered"
    assert Device.objects.get().aid_type.slug == "home-ventilator"


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"aid_type": "rocket", "serial": "R-1"}, "aid_type"),
        ({"aid_type": "", "serial": "R-1"}, "aid_type"),
        ({"aid_type": "cpap", "serial": "  "}, "serial"),
    ],
)
def test_bad_devices_are_422_with_the_error_at_the_field(as_user, ous_technician, form, field):
    page = as_user(ous_technician).post("/devices/new/", form)
    assert page.status_code == 422
    assert field in page.context["form"].errors
    assert not Device.objects.exists()


def test_the_device_page_is_404_for_an_outsider(as_user, tromso_case_worker, ventilator):
    page = as_user(tromso_case_worker).get("/devices/HV-0001/")
    assert page.status_code == 404
    assert "Home ventilator" not in page.content.decode()


def test_a_case_worker_sees_the_device_only_while_it_is_lent_to_their_patient(
    as_user, frogner_case_worker, ventilator, frogner_patient, system
):
    client = as_user(frogner_case_worker)
    assert client.get("/devices/HV-0001/").status_code == 404
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    page = client.get("/devices/HV-0001/")
    assert page.status_code == 200
    assert "Kari Nordmann" in page.content.decode()
    assert "Register return" not in page.content.decode(), "no actions for a case worker"
    actions.return_loan(loan, actor=system)
    assert client.get("/devices/HV-0001/").status_code == 404


def test_a_device_goes_round_lend_return_reprocess_lend_through_the_page(
    as_user, ous_technician, ventilator, frogner_patient, manuals
):
    client = as_user(ous_technician)
    page = client.get("/devices/HV-0001/")
    assert 'id="lend"' in page.content.decode() and "Register return" not in page.content.decode()

    lent = client.post(
        "/devices/HV-0001/lend/",
        lend_form(frogner_patient, expected_end="2031-05-01", manual_handed_over="on"),
    )
    assert lent.status_code == 302 and lent["Location"] == "/devices/HV-0001/"
    loan = Loan.objects.get()
    assert (loan.patient, loan.expected_end.isoformat(), loan.manual_handed_over) == (
        frogner_patient,
        "2031-05-01",
        True,
    )
    page = client.get("/devices/HV-0001/")
    text = page.content.decode()
    assert "Register return" in text and 'id="lend"' not in text
    assert "Kari Nordmann" in text and "not given" in text, "instruction not given is flagged"

    returned = client.post("/devices/HV-0001/return/", {"loan": loan.pk})
    assert returned.status_code == 302
    text = client.get("/devices/HV-0001/").content.decode()
    assert 'id="reprocess"' in text and "on loan → <strong>returned</strong>" in text

    done = client.post(
        "/devices/HV-0001/reprocess/",
        {"technical_check": "passed", "disinfection": "thermal 90 °C", "batch": "B-17"},
    )
    assert done.status_code == 302
    text = client.get("/devices/HV-0001/").content.decode()
    assert "reprocessing → <strong>available</strong>" in text
    assert "thermal 90 °C" in text and "B-17" in text

    again = client.post("/devices/HV-0001/lend/", lend_form(frogner_patient))
    assert again.status_code == 302
    assert Loan.objects.filter(returned_at__isnull=True).count() == 1
    history = client.get("/devices/HV-0001/").context["history"]
    assert [change.new for change in history] == [
        "on-loan",
        "available",
        "reprocessing",
        "returned",
        "on-loan",
        "available",
    ]


def test_lending_to_a_patient_outside_the_technicians_area_is_a_form_error(
    as_user, ous_technician, ventilator, stovner_patient
):
    # Stovner is served by Akershus, not by OUS (O1).
    page = as_user(ous_technician).post("/devices/HV-0001/lend/", lend_form(stovner_patient))
    assert page.status_code == 422
    assert "patient" in page.context["lend_form"].errors
    assert "Stovnersen" not in page.content.decode()
    ventilator.refresh_from_db()
    assert ventilator.status == "available" and not Loan.objects.exists()


def test_lending_without_a_patient_shows_the_matches_of_the_search(
    as_user, ous_technician, ventilator, frogner_patient, stovner_patient
):
    page = as_user(ous_technician).post(
        "/devices/HV-0001/lend/", {"find": "Nordmann", "placement": "home"}
    )
    assert page.status_code == 422
    assert page.context["lend_form"].errors["patient"] == [
        "Choose the patient the device is lent to."
    ]
    assert [p.name for p in page.context["suggestions"]] == ["Kari Nordmann"]


def test_the_patient_suggestions_are_the_technicians_patients_only(
    as_user, ous_technician, ventilator, frogner_patient, stovner_patient
):
    client = as_user(ous_technician)
    found = client.get("/devices/HV-0001/patients/", {"find": "nordm"})
    assert [p.name for p in found.context["suggestions"]] == ["Kari Nordmann"]
    outside = client.get("/devices/HV-0001/patients/", {"find": "Stovnersen"})
    assert outside.context["suggestions"] == []
    assert "No patient you may lend to matches" in outside.content.decode()


def test_lending_a_device_already_on_loan_is_409_and_changes_nothing(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    actions.lend_device(ventilator, frogner_patient, actor=system)
    page = as_user(ous_technician).post("/devices/HV-0001/lend/", lend_form(frogner_patient))
    assert page.status_code == 409
    assert "not available for a loan" in page.content.decode()
    assert Loan.objects.count() == 1


def test_a_second_return_from_a_stale_page_is_409(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    client = as_user(ous_technician)
    assert client.post("/devices/HV-0001/return/", {"loan": loan.pk}).status_code == 302
    again = client.post("/devices/HV-0001/return/", {"loan": loan.pk})
    assert again.status_code == 409
    assert "already returned" in again.content.decode()


def test_reprocessing_without_disinfection_is_422_and_changes_nothing(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    actions.return_loan(
        actions.lend_device(ventilator, frogner_patient, actor=system), actor=system
    )
    before = DeviceTransition.objects.count()
    page = as_user(ous_technician).post(
        "/devices/HV-0001/reprocess/", {"technical_check": "passed"}
    )
    assert page.status_code == 422
    assert page.context["reprocess_form"].errors["disinfection"] == [
        "Say how the device was disinfected."
    ]
    ventilator.refresh_from_db()
    assert ventilator.status == "returned"
    assert DeviceTransition.objects.count() == before


def test_discarding_needs_a_reason(as_user, ous_technician, ventilator):
    client = as_user(ous_technician)
    page = client.post("/devices/HV-0001/discard/", {"reason": "  "})
    assert page.status_code == 422
    assert "reason" in page.context["discard_form"].errors
    ventilator.refresh_from_db()
    assert ventilator.status == "available"
    done = client.post("/devices/HV-0001/discard/", {"reason": "Cracked housing"})
    assert done.status_code == 302
    ventilator.refresh_from_db()
    assert ventilator.status == "discarded"
    assert "Cracked housing" in client.get("/devices/HV-0001/").content.decode()


def test_a_discard_reason_too_long_is_an_error_on_the_field(as_user, ous_technician, ventilator):
    page = as_user(ous_technician).post("/devices/HV-0001/discard/", {"reason": "x" * 501})
    assert page.status_code == 422
    (message,) = page.context["discard_form"].errors["reason"]
    assert "at most 500 characters" in message
    assert "at most 500 characters" in page.content.decode()
    ventilator.refresh_from_db()
    assert ventilator.status == "available"


def test_the_label_page_lets_the_technician_check_a_device_in(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    client = as_user(ous_technician)
    page = client.get("/d/HV-0001/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Check in" in text and "Check out" not in text
    checked_in = client.post("/d/HV-0001/check-in/", {"loan": loan.pk})
    assert checked_in.status_code == 302 and checked_in["Location"] == "/d/HV-0001/"
    loan.refresh_from_db()
    ventilator.refresh_from_db()
    assert loan.returned_at is not None and ventilator.status == "returned"
    text = client.get("/d/HV-0001/").content.decode()
    assert "Check in" not in text and "Reprocess" in text


def test_the_label_page_offers_check_out_for_an_available_device(
    as_user, ous_technician, ventilator
):
    text = as_user(ous_technician).get("/d/HV-0001/").content.decode()
    assert 'href="/devices/HV-0001/#lend"' in text and "Check in" not in text


def test_the_label_page_shows_only_the_facts_to_a_case_worker_who_may_see_it(
    as_user, frogner_case_worker, tromso_case_worker, ventilator, frogner_patient, system
):
    actions.lend_device(ventilator, frogner_patient, actor=system)
    page = as_user(frogner_case_worker).get("/d/HV-0001/")
    assert page.status_code == 200
    assert "Check in" not in page.content.decode()
    assert as_user(tromso_case_worker).get("/d/HV-0001/").status_code == 404


def test_the_label_page_asks_for_a_login_and_comes_back(client, ventilator):
    page = client.get("/d/HV-0001/")
    assert page.status_code == 302
    assert page["Location"] == "/login/?next=/d/HV-0001/"


@pytest.mark.parametrize(
    "path",
    [
        "lend/",
        "return/",
        "reprocess/",
        "discard/",
        "handover/",
        "lend-with/",
        "/d/HV-0001/check-in/",
    ],
)
def test_a_post_by_someone_who_does_not_manage_the_device_is_404(
    as_user, frogner_case_worker, ventilator, frogner_patient, system, path
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    url = path if path.startswith("/") else f"/devices/HV-0001/{path}"
    form = {
        "loan": loan.pk,
        "reason": "x",
        "technical_check": "failed",
        "instruction_given": "on",
        "device": "HV-0001",
        **lend_form(frogner_patient),
    }
    assert as_user(frogner_case_worker).post(url, form).status_code == 404
    loan.refresh_from_db()
    ventilator.refresh_from_db()
    assert loan.returned_at is None and ventilator.status == "on-loan"
    assert not loan.instruction_given


def test_a_conflict_on_a_form_still_on_the_page_is_shown_at_that_form(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    loan = actions.lend_device(ventilator, frogner_patient, actor=system)
    actions.return_loan(loan, actor=system)
    actions.reprocess_device(ventilator, actor=system, technical_check="failed")
    # In repair already: failing the check again is not a change the device can make.
    page = as_user(ous_technician).post(
        "/devices/HV-0001/reprocess/", {"technical_check": "failed"}
    )
    assert page.status_code == 409
    assert "cannot become" in page.context["reprocess_form"].non_field_errors()[0]
    assert page.context["conflict"] == ""


def test_a_device_on_loan_offers_no_discard(
    as_user, ous_technician, ventilator, frogner_patient, system
):
    actions.lend_device(ventilator, frogner_patient, actor=system)
    page = as_user(ous_technician).get("/devices/HV-0001/")
    assert 'id="discard"' not in page.content.decode()


def test_the_device_page_links_its_label_and_the_loan_slip(
    client, ous_technician, ventilator, frogner_patient
):
    from overgang.aids import actions

    loan = actions.lend_device(ventilator, frogner_patient, actor=ous_technician)
    client.force_login(ous_technician)
    page = client.get(f"/devices/{ventilator.serial}/").content.decode()
    assert f"/devices/{ventilator.serial}/label.pdf?layout=roll62" in page
    assert f"/loans/{loan.pk}/slip.pdf" in page
    assert client.get(f"/loans/{loan.pk}/slip.pdf").status_code == 200
