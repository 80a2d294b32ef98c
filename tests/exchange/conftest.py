"""Real example messages, addressed to the demo's organisations and given a patient, so that
they reach an agreement's area (the examples name real hospitals and Alvdal)."""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from overgang import clock
from overgang.messages.schemas import MSGHEAD_NS
from overgang.organisations.models import Organisation, Role

EXAMPLES = Path(__file__).parent.parent / "messages" / "examples"
NS = {"mh": MSGHEAD_NS}
# A fictitious patient of the examples (valid check digits).
PATIENT = "15076500565"
HOSPITAL = ("hnt", "hnt-levanger-med")
MUNICIPALITY = ("levanger",)

Addressed = Callable[..., bytes]


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.fixture
def addressed(areas: dict[str, Organisation]) -> Addressed:
    """An example with its sender, receiver, patient and id replaced. `from_hospital` says
    which way it goes (hospital → municipality, or back)."""

    def make(
        name: str,
        *,
        from_hospital: bool = True,
        sender: tuple[str, ...] | None = None,
        receiver: tuple[str, ...] | None = None,
        patient: str = PATIENT,
        message_id: str | None = None,
        days_ago: int = 2,
    ) -> bytes:
        root = etree.fromstring(example(name))
        hospital, municipality = HOSPITAL, MUNICIPALITY
        sender = sender or (hospital if from_hospital else municipality)
        receiver = receiver or (municipality if from_hospital else hospital)
        _set_her(root.find("mh:MsgInfo/mh:Sender/mh:Organisation", NS), sender, areas)
        _set_her(root.find("mh:MsgInfo/mh:Receiver/mh:Organisation", NS), receiver, areas)
        ident = root.find("mh:MsgInfo/mh:Patient/mh:Ident/mh:Id", NS)
        if ident is not None:
            ident.text = patient
        root.find("mh:MsgInfo/mh:MsgId", NS).text = message_id or str(uuid.uuid4())
        # The message was sent `days_ago` days ago; what it tells of moves with it.
        generated = root.findtext("mh:MsgInfo/mh:GenDate", "", NS)
        sent = datetime.date.fromisoformat(generated[:10])
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        return recent(body, days_ago=days_ago, latest=sent)

    return make


_DATE = re.compile(rb"(?<=[>\"])(20[0-9]{2})-([0-9]{2})-([0-9]{2})")


def recent(body: bytes, *, days_ago: int = 2, latest: datetime.date | None = None) -> bytes:
    """The example's dates moved, all by the same number of days, so that its latest date
    (or `latest`, for a series of messages moved alike) is `days_ago` days before today:
    agreements in force, nothing in the future."""
    found = [datetime.date(*map(int, m.groups())) for m in _DATE.finditer(body)]
    if not found:
        return body
    shift = clock.today_in("NO") - datetime.timedelta(days=days_ago) - (latest or max(found))

    def moved(match: re.Match[bytes]) -> bytes:
        day = datetime.date(*map(int, match.groups())) + shift
        return day.isoformat().encode()

    return _DATE.sub(moved, body)


def _set_her(organisation, keys: tuple[str, ...], areas) -> None:
    """Each level gets the HER-id of the next key; levels beyond the keys keep an id the
    register does not know."""
    level = 0
    while organisation is not None:
        for ident in organisation.findall("mh:Ident", NS):
            if ident.find("mh:TypeId", NS).get("V") == "HER":
                ident.find("mh:Id", NS).text = (
                    Organisation.objects.get(key=keys[level]).her_id
                    if level < len(keys)
                    else "1999999"
                )
        organisation = organisation.find("mh:Organisation", NS)
        level += 1


@pytest.fixture
def integration(make_user):
    """Levanger municipality's integration engine."""
    return make_user("levanger-engine", ("levanger", Role.INTEGRATION))


# The Levanger stay of the stays' tests, recorded by hand, for what Overgang sends.
from tests.stays.conftest import (  # noqa: E402, F401
    hnt_physician,
    levanger_case_worker,
    levanger_patient,
    levanger_stay,
)
