"""Who sits in which agreement's network group (N10): a network-group membership makes its
holder a member of the group of each agreement their organisation works under, and of no
other; other roles sit in none."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.organisations.network import network_agreements, sits_in


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("username", "agreement"),
    [
        ("rn-network", "nordjylland"),
        ("aalborg-network", "nordjylland"),
        ("ous-network", "oslo"),
        ("oslo-network", "oslo"),
        ("unn-network", "unn"),
        ("tromso-network", "unn"),
        ("hnt-network", "hnt"),
        ("levanger-network", "hnt"),
    ],
)
def test_a_member_sits_in_their_own_agreements_group_only(
    demo: None, db: None, username: str, agreement: str
) -> None:
    user = User.objects.get(username=username)
    assert set(network_agreements(user)) == {agreement}
    assert sits_in(user, agreement)
    assert not sits_in(user, "oslo" if agreement != "oslo" else "nordjylland")


@pytest.mark.parametrize("username", ["aalborg-case", "ous-bhm", "rn-depot", "auditor"])
def test_other_roles_sit_in_no_group(demo: None, db: None, username: str) -> None:
    assert network_agreements(User.objects.get(username=username)) == {}


def test_the_superuser_sits_in_every_group(demo: None, db: None) -> None:
    assert set(network_agreements(User.objects.get(username="admin"))) == {
        "oslo",
        "unn",
        "hnt",
        "nordjylland",
    }
