import pytest

from overgang.audit.models import ChangeRecord
from overgang.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_a_membership_added_in_the_admin_is_recorded(client, system, areas, make_user):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", password="x")
    newcomer = make_user("newcomer")
    client.force_login(admin)
    response = client.post(
        "/admin/organisations/membership/add/",
        {"user": newcomer.pk, "organisation": areas["oslo-frogner"].pk, "role": "case-worker"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    change = ChangeRecord.objects.get(model="organisations.membership", object_id=membership.pk)
    assert change.actor == admin
    assert change.changes["role"] == [None, "case-worker"]
    assert change.channel.startswith("page:POST /admin/")
