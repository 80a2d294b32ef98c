"""What users record on a stay leaves as a valid standard message, through the outbox: at
least once, in order per stay, with its receipt state."""

from __future__ import annotations

import datetime
import http.server
import threading
import uuid
from pathlib import Path

import pytest

from overgang import clock
from overgang.exchange.actions import receive
from overgang.exchange.export import export_stay
from overgang.exchange.models import Delivery, DeliveryState
from overgang.exchange.outbox import deliver_due, receipt_overdue
from overgang.messages import Checked, Party, check, read_plo, receipt
from overgang.patients.models import Patient
from overgang.stays import actions
from overgang.stays.models import Deadline, Message, Receipt, Stay
from overgang.stays.states import StayStatus
from tests.stays.conftest import SECTION_9, written


def notify_ready(stay, physician):
    """HNT's order: the updated health information, then the notice (004 Vedlegg 3.1.1 b)."""
    actions.record_message(stay, "HELSEOPPL_SOKNAD:oppdatert", actor=physician)
    actions.document(stay, SECTION_9, actor=physician, texts=written(SECTION_9))
    actions.declare_discharge_ready(stay, actor=physician)
    return actions.record_message(stay, "LOG_UTSKRIVNINGSKLAR", actor=physician)


def test_a_notice_recorded_by_hand_leaves_as_a_valid_plo_message(levanger_stay, hnt_physician):
    message = notify_ready(levanger_stay, hnt_physician)
    delivery = Delivery.objects.get(message=message)
    assert delivery.state == DeliveryState.QUEUED
    checked = check(bytes(delivery.document or b""))
    assert isinstance(checked, Checked), checked
    assert checked.type == "LOG_UTSKRIVNINGSKLAR"
    assert checked.message_id == str(message.message_id)
    assert checked.patient_id == levanger_stay.patient.national_id
    assert checked.sender_her_ids[-1] == levanger_stay.department.her_id
    assert "9900249" in checked.receiver_her_ids  # Levanger kommune
    said = read_plo(checked)
    assert said.happening("3") is not None


def test_the_outbox_writes_whole_files_in_order(levanger_stay, hnt_physician, settings):
    first = actions.record_message(levanger_stay, "HELSEOPPL_SOKNAD:varsel", actor=hnt_physician)
    second = notify_ready(levanger_stay, hnt_physician)
    assert deliver_due() == 3
    files = sorted(Path(settings.OUTBOX_DIR).iterdir())
    assert [f.suffix for f in files] == [".xml"] * 3
    assert str(first.message_id) in files[0].name
    assert str(second.message_id) in files[2].name
    assert all(d.state == DeliveryState.DELIVERED for d in Delivery.objects.all())
    assert deliver_due() == 0  # at least once, and not again


def test_a_failed_delivery_is_retried_later_and_holds_the_stays_next(
    levanger_stay, hnt_physician, settings, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    settings.OUTBOX_DIR = str(blocked)
    actions.record_message(levanger_stay, "HELSEOPPL_SOKNAD:varsel", actor=hnt_physician)
    notify_ready(levanger_stay, hnt_physician)
    assert deliver_due() == 0
    first, *later = Delivery.objects.order_by("id")
    assert first.attempts == 1 and first.problem
    assert first.next_attempt_at is not None and first.next_attempt_at > clock.now()
    assert all(d.attempts == 0 for d in later), "a stay's later messages wait for the earlier"

    settings.OUTBOX_DIR = str(tmp_path / "outbox-fixed")
    assert deliver_due() == 0, "not before its next attempt"
    assert deliver_due(first.next_attempt_at) == 3


class Engine(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Engine.received.append((self.headers["Content-Type"], body))
        self.send_response(202)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def engine(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), Engine)
    Engine.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OUTBOX_URL = f"http://127.0.0.1:{server.server_port}/inbox"
    settings.OUTBOX_DIR = ""
    yield Engine
    server.shutdown()


def test_the_outbox_posts_to_the_integration_engine(levanger_stay, hnt_physician, engine):
    notify_ready(levanger_stay, hnt_physician)
    assert deliver_due() == 2
    (_first, (kind, body)) = engine.received
    assert kind == "application/xml"
    assert isinstance(check(body), Checked)


def test_the_receivers_receipt_sets_the_state_and_a_rejection_gives_the_sender_a_task(
    levanger_stay, hnt_physician, system
):
    message = notify_ready(levanger_stay, hnt_physician)
    deliver_due()
    document = bytes(Delivery.objects.get(message=message).document or b"")
    checked = check(document)
    assert isinstance(checked, Checked)
    from overgang.messages import Rejected
    from overgang.messages.errors import AppRecError

    refusal = Rejected(AppRecError.UNKNOWN_PATIENT, "Ukjent pasient", checked.message_id)
    answer = receipt(
        refusal, raw=document, by=Party("Levanger kommune", "9900249"), now=clock.now()
    )
    result = receive(answer, actor=system)
    assert result.status == "accepted", result.errors
    message.refresh_from_db()
    assert message.receipt == Receipt.ERROR
    task = Deadline.objects.get(stay=levanger_stay, duty="message-rejected")
    assert task.holder == levanger_stay.department
    assert "Ukjent pasient" in task.text["nb"]


def test_no_receipt_in_time_shows(levanger_stay, hnt_physician, settings):
    message = notify_ready(levanger_stay, hnt_physician)
    deliver_due()
    delivery = Delivery.objects.get(message=message)
    assert not receipt_overdue(delivery)
    later = clock.now() + datetime.timedelta(minutes=settings.RECEIPT_WAIT_MINUTES + 1)
    assert receipt_overdue(delivery, later)


def test_a_message_without_a_standard_document_is_recorded_but_not_sent(
    levanger_stay, hnt_physician
):
    message = actions.record_message(levanger_stay, "EPIKRISE", actor=hnt_physician)
    delivery = Delivery.objects.get(message=message)
    assert delivery.state == DeliveryState.NOT_SENT
    assert "EPIKRISE" in delivery.problem


def test_round_trip_an_exported_stay_imports_as_the_same_stay(
    levanger_stay, hnt_physician, system, tmp_path
):
    """What one Overgang sends, another receives as the same patient, stay and events: the
    patient is given another (fictitious) number here, as a fresh instance would not know
    them."""
    actions.record_message(levanger_stay, "LOG_INNLAGT", actor=hnt_physician)
    notify_ready(levanger_stay, hnt_physician)
    paths = export_stay(levanger_stay.pk, tmp_path / "export")
    assert paths, "the stay's sent messages are exported"
    other = "15076500565"
    renamed = {
        str(m.message_id).encode(): str(uuid.uuid4()).encode()
        for m in Message.objects.filter(stay=levanger_stay)
    }

    def as_elsewhere(body: bytes) -> bytes:
        body = body.replace(levanger_stay.patient.national_id.encode(), other.encode())
        for old, new in renamed.items():
            body = body.replace(old, new)
        return body

    results = [receive(as_elsewhere(p.read_bytes()), actor=system) for p in paths]
    assert [r.status for r in results] == ["accepted"] * len(paths), [r.errors for r in results]
    twin = Patient.objects.get(national_id=other)
    assert twin.name == levanger_stay.patient.name
    copy = Stay.objects.get(patient=twin)
    assert copy.department == levanger_stay.department
    assert copy.status == StayStatus.DISCHARGE_READY
    original_events = set(levanger_stay.events.values_list("name", flat=True))
    copied_events = set(copy.events.values_list("name", flat=True))
    assert {"discharge-ready", "discharge-ready-notified"} <= copied_events & original_events
    assert list(Message.objects.filter(stay=copy).values_list("type", flat=True)) == list(
        Message.objects.filter(stay=levanger_stay).values_list("type", flat=True)
    )
