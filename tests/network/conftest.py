"""The demo installation once per module: the network group's pages are tried as its
demo users (rn-network, hnt-network, oslo-network…) in the four areas."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        with channel("command:demo"):
            Demo(stdout=io.StringIO()).load(actor=system_actor(), seed=2026)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def user(demo: None, db: None) -> Callable[[str], User]:
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def client_of(user: Callable[[str], User]) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user(username))
        return client

    return make
