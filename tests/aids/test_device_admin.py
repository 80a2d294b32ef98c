"""The admin is where a device registered with a wrong serial is put right."""

import pytest
from django.contrib.auth.models import User

from overgang.aids.models import Device
from overgang.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


def test_a_serial_corrected_in_the_admin_is_recorded(admin_client, ventilator):
    url = f"/admin/aids/device/{ventilator.pk}/change/"
    assert admin_client.get("/admin/aids/device/", {"q": "HV-0001"}).status_code == 200
    form = admin_client.get(url)
    assert form.status_code == 200
    response = admin_client.post(
        url,
        {
            "serial": "NEW-OXY 77/A",
            "aid_type": ventilator.aid_type.pk,
            "owner": ventilator.owner.pk,
            "location": "store room 2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ventilator.refresh_from_db()
    assert ventilator.serial == "NEW-OXY 77/A"
    assert ventilator.status == "available", "the status is not the admin's to change"
    change = ChangeRecord.objects.get(model="aids.device", object_id=ventilator.pk)
    assert change.changes["serial"] == ["HV-0001", "NEW-OXY 77/A"]
    assert change.channel.startswith("page:POST /admin/")


def test_devices_deleted_together_in_the_admin_are_each_recorded(admin_client, system, areas):
    from overgang.aids import actions

    ids = [
        actions.register_device(
            actor=system, aid_type="cpap", serial=serial, owner=areas["ous-bhm"]
        ).pk
        for serial in ("CP-1", "CP-2/B")
    ]
    response = admin_client.post(
        "/admin/aids/device/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Device.objects.filter(pk__in=ids).exists()
    deleted = ChangeRecord.objects.filter(model="aids.device", action="deleted")
    assert {change.changes["serial"][0] for change in deleted} == {"CP-1", "CP-2/B"}
