"""The label sheet (/labels/, O8): a technician ticks the unit's devices and gets their
labels as one PDF; devices of other units and discarded ones are not offered, and whoever
does not manage devices is refused."""

import pytest

from overgang.aids import actions
from overgang.aids.models import Device
from overgang.aids.states import DeviceStatus
from overgang.organisations.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices(system, areas):
    for serial, owner in (
        ("OUS-CPA-7001", "ous-bhm"),
        ("OUS-CPA-7002", "ous-bhm"),
        ("UNN-CPA-7001", "unn-bhm"),
    ):
        actions.register_device(actor=system, aid_type="cpap", serial=serial, owner=areas[owner])
    Device.objects.filter(serial="OUS-CPA-7002").update(status=DeviceStatus.DISCARDED)


def test_the_sheet_offers_the_units_devices_and_prints_the_ticked_ones(
    client, ous_technician, devices
):
    client.force_login(ous_technician)
    page = client.get("/labels/").content.decode()
    assert 'name="serial" value="OUS-CPA-7001"' in page
    assert "OUS-CPA-7002" not in page  # discarded: no label needed
    assert "UNN-CPA-7001" not in page  # another unit's
    assert 'action="/devices/labels.pdf"' in page
    printed = client.get("/devices/labels.pdf", {"serial": "OUS-CPA-7001", "layout": "a4"})
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    # Another unit's device ticked by hand in the address: not found.
    assert client.get("/devices/labels.pdf", {"serial": "UNN-CPA-7001"}).status_code == 404


def test_who_does_not_manage_devices_gets_no_label_sheet(client, frogner_case_worker, devices):
    client.force_login(frogner_case_worker)
    assert client.get("/labels/").status_code == 403
    client.logout()
    assert client.get("/labels/").status_code == 302


def test_a_unit_without_devices_is_told_so(client, make_user):
    client.force_login(make_user("unn-tech", ("unn-bhm", Role.AIDS_STAFF)))
    page = client.get("/labels/")
    assert page.status_code == 200 and b'name="serial"' not in page.content
    assert "Enheten din har ingen hjelpemidler registrert" in page.content.decode()
