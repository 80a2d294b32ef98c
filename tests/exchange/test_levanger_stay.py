"""A Levanger patient's whole stay arrives as PLO messages (HNT's routine, 004): the real
examples where the standard has them, composed messages where it has none."""

from __future__ import annotations

import datetime
import uuid

from overgang import clock
from overgang.exchange.actions import receive
from overgang.messages import Outgoing, compose
from overgang.messages.incoming import Happening, Organisation, Person, Section, Status
from overgang.messages.plo_documents import ADMITTED, DISCHARGE_READY, DISCHARGED
from overgang.organisations.models import Organisation as Register
from overgang.stays.models import Deadline, Message, Stay
from overgang.stays.states import StayStatus
from tests.exchange.conftest import PATIENT


def levels(*keys: str) -> tuple[Organisation, ...]:
    found = {o.key: o for o in Register.objects.filter(key__in=keys)}
    return tuple(Organisation(found[k].name, (found[k].her_id,)) for k in keys)


def composed(code: str, *, from_hospital: bool = True, **fields) -> bytes:
    hospital, municipality = levels("hnt", "hnt-levanger-med"), levels("levanger")
    return compose(
        Outgoing(
            code=code,
            message_id=str(uuid.uuid4()),
            status=Status.NEW,
            sent_at=clock.now() - datetime.timedelta(minutes=1),
            sender=hospital if from_hospital else municipality,
            receiver=municipality if from_hospital else hospital,
            patient=Person(PATIENT, "FNR", "Gundersen", "Roland"),
            **fields,
        )
    )


def test_a_levanger_stay_from_admission_to_discharge_by_plo(addressed, system):
    def accepted(body: bytes) -> int:
        result = receive(body, actor=system)
        assert result.status == "accepted", result.errors
        assert result.stay is not None
        return result.stay

    stay_id = accepted(addressed("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml", days_ago=3))
    stay = Stay.objects.get(pk=stay_id)
    assert stay.agreement == "hnt"
    accepted(addressed("Innleggelsesrapport_v1-6_Ny.xml", from_hospital=False, days_ago=2))
    accepted(addressed("Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml"))
    accepted(addressed("Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml", days_ago=1))
    done = set(
        Deadline.objects.filter(stay=stay, done_at__isnull=False).values_list("duty", flat=True)
    )
    assert {
        "admission-report",
        "hospital-admission-information",
        "functional-needs-description",
    } <= done

    admitted_at = stay.admitted_at
    ready_at = clock.now() - datetime.timedelta(minutes=30)
    accepted(
        composed(
            "LOG_UTSKRIVNINGSKLAR",
            happenings=(Happening(ADMITTED, admitted_at), Happening(DISCHARGE_READY, ready_at)),
        )
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.DISCHARGE_READY
    assert stay.notified_at is not None
    answer_due = Deadline.objects.get(stay=stay, duty="municipality-answer")
    assert answer_due.done_at is None

    accepted(
        composed(
            "TILBAKEMELDING_UTSKRIVNINGSKLAR",
            from_hospital=False,
            happenings=(Happening(DISCHARGE_READY, ready_at),),
            can_receive=True,
            receive_at=clock.now(),
            service="Hjemmesykepleie",
        )
    )
    answer_due.refresh_from_db()
    assert answer_due.done_at is not None

    accepted(addressed("Utskrivningsrapport_v1-6_Ny.xml", days_ago=0))
    left = clock.now() - datetime.timedelta(minutes=5)
    accepted(
        composed(
            "LOG_UTSKREVET",
            happenings=(Happening(ADMITTED, admitted_at), Happening(DISCHARGED, left)),
            sections=(Section("Merknad", ("Reiser hjem med drosje",)),),
        )
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.DISCHARGED
    assert abs(stay.ended_at - left) < datetime.timedelta(seconds=1)
    codes = list(Message.objects.filter(stay=stay).order_by("id").values_list("type", flat=True))
    assert codes[0] == "LOG_INNLAGT"
    assert "TILBAKEMELDING_UTSKRIVNINGSKLAR" in codes
    assert codes.count("LOG_UTSKREVET") == 1
