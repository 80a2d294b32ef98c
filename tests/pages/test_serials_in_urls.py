"""Serial numbers as manufacturers print them, a slash and spaces included, work in every
link that carries one: the device list, the device page and its actions, the label's page,
and the API."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from overgang.aids.models import Device, Loan

pytestmark = pytest.mark.django_db

SERIAL = "NEW-OXY 77/A"


@pytest.fixture
def client_en(client, ous_technician):
    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def links(page, pattern: str) -> list[str]:
    """The links and form actions of a page whose address matches `pattern`."""
    found = re.findall(r'(?:href|action)="([^"]+)"', page.content.decode())
    return [unescape(url) for url in found if re.search(pattern, url)]


def test_a_device_with_a_slash_in_its_serial_is_registered_listed_and_opened(client_en):
    created = client_en.post(
        "/devices/new/", {"aid_type": "cpap", "serial": SERIAL, "owner": ""}, follow=True
    )
    assert created.status_code == 200
    assert created.context["device"].serial == SERIAL

    for query in ({}, {"q": "oxy"}, {"q": "77/A"}, {"status": "available"}, {"sort": "-serial"}):
        listed = client_en.get("/devices/", query)
        assert listed.status_code == 200, query
        assert [d.serial for d in listed.context["page"].object_list] == [SERIAL]

    (detail,) = set(links(listed, r"^/devices/NEW-OXY"))
    page = client_en.get(detail)
    assert page.status_code == 200
    assert page.context["device"].serial == SERIAL
    assert client_en.get(reverse("device-detail", args=[SERIAL])).status_code == 200


def test_lending_and_returning_such_a_device_goes_through_its_own_page(
    client_en, system, areas, frogner_patient
):
    from overgang.aids import actions

    device = actions.register_device(
        actor=system, aid_type="cpap", serial=SERIAL, owner=areas["ous-bhm"]
    )
    page = client_en.get(reverse("device-detail", args=[SERIAL]))
    (lend,) = links(page, r"/lend/(#lend)?$")
    lent = client_en.post(lend, {"patient": frogner_patient.pk, "placement": "home"})
    assert lent.status_code == 302
    assert client_en.get(lent.url).context["device"].serial == SERIAL
    loan = Loan.objects.get(device=device, returned_at__isnull=True)

    page = client_en.get(lent.url)
    (give_back,) = links(page, r"/return/(#\w+)?$")
    returned = client_en.post(give_back, {"loan": loan.pk})
    assert returned.status_code == 302
    device.refresh_from_db()
    assert device.status == "returned"

    page = client_en.get(returned.url)
    (reprocess,) = links(page, r"/reprocess/(#\w+)?$")
    done = client_en.post(reprocess, {"technical_check": "passed", "disinfection": "thermal"})
    assert done.status_code == 302
    assert Device.objects.get(pk=device.pk).status == "available"


def test_the_label_page_opens_from_the_printed_code_and_from_the_links(client_en, system, areas):
    from overgang.aids import actions
    from overgang.aids.documents import device_label_url

    device = actions.register_device(
        actor=system, aid_type="cpap", serial=SERIAL, owner=areas["ous-bhm"]
    )
    printed = device_label_url(device, "http://testserver")
    assert client_en.get(printed).context["device"].serial == SERIAL
    assert client_en.get(reverse("device-scan", args=[SERIAL])).context["device"] == device


def test_the_api_finds_such_a_device_by_its_encoded_serial(api_as, ous_technician):
    api = api_as(ous_technician)
    assert api.post("/devices", {"aid_type": "cpap", "serial": SERIAL}).status_code == 201

    found = api.get("/devices/NEW-OXY%2077%2FA")
    assert found.status_code == 200
    assert found.json()["serial"] == SERIAL
    not_yet = api.post(
        "/devices/NEW-OXY%2077%2FA/reprocess",
        {"technical_check": "passed", "disinfection": "thermal"},
    )
    assert not_yet.status_code == 409, "it is available, not back from a loan"
    reported = api.post(
        "/devices/NEW-OXY%2077%2FA/failures", {"description": "Alarm sounds at start."}
    )
    assert reported.status_code == 201, reported.content


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_every_api_route_below_a_serial_names_its_action_to_the_converter():
    from django.urls import get_resolver

    from overgang.api.converters import ACTIONS

    below = {
        route.split("<serialpath:serial>")[1]
        for route in _routes(get_resolver().url_patterns)
        if "<serialpath:serial>" in route
    }
    assert below, "the API takes serials with a slash"
    assert {tail.strip("/").split("/")[0] for tail in below} - {""} <= set(ACTIONS)


def test_every_api_route_below_a_message_id_names_its_action_to_the_converter():
    from django.urls import get_resolver

    from overgang.api.converters import MESSAGE_ACTIONS

    below = {
        route.split("<messagepath:message_id>")[1]
        for route in _routes(get_resolver().url_patterns)
        if "<messagepath:message_id>" in route
    }
    assert below, "the API takes message ids with a slash"
    assert {tail.strip("/").split("/")[0] for tail in below} - {""} <= set(MESSAGE_ACTIONS)
