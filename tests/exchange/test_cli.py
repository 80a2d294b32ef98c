"""`overgang messages import` and `export`, as the contract says: one JSON line per message,
receipts in a folder, exit 0 / 1 / 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from overgang.exchange.models import Received
from overgang.messages import parse_receipt
from overgang.stays.models import Stay
from tests.exchange.test_receive import ADMISSION_REPORT, ADMITTED


def run(*args: str) -> tuple[int, list[dict]]:
    out = io.StringIO()
    try:
        call_command("messages", *args, stdout=out)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, [json.loads(line) for line in out.getvalue().splitlines() if line]


def test_a_folder_of_messages_is_received_in_order_with_receipts(addressed, tmp_path):
    inbox = tmp_path / "in" / "levanger"
    inbox.mkdir(parents=True)
    (inbox / "1-admitted.xml").write_bytes(addressed(ADMITTED))
    (inbox / "2-report.xml").write_bytes(addressed(ADMISSION_REPORT, from_hospital=False))
    receipts = tmp_path / "receipts"
    status, lines = run("import", "--receipts", str(receipts), str(tmp_path / "in"))
    assert status == 0
    assert [line["status"] for line in lines] == ["accepted", "accepted"]
    assert [line["type"] for line in lines] == ["LOG_INNLAGT", "INNLEGGELSESRAPPORT"]
    assert lines[0]["stay"] == lines[1]["stay"]
    assert lines[0]["source"].endswith("1-admitted.xml")
    for line in lines:
        answer = parse_receipt(Path(line["receipt"]).read_bytes())
        assert answer.original_id == line["message_id"]


def test_any_rejection_exits_1_and_the_rest_is_still_received(addressed, tmp_path):
    (tmp_path / "a.xml").write_bytes(addressed(ADMITTED))
    (tmp_path / "b.xml").write_bytes(b"<MsgHead>")
    status, lines = run("import", "--receipts", str(tmp_path / "r"), str(tmp_path))
    assert status == 1
    assert [line["status"] for line in lines] == ["accepted", "rejected"]
    assert lines[1]["errors"][0]["code"] == "T01"
    assert Stay.objects.count() == 1


def test_a_duplicate_is_not_a_failure(addressed, tmp_path):
    body = addressed(ADMITTED)
    (tmp_path / "a.xml").write_bytes(body)
    (tmp_path / "again.xml").write_bytes(body)
    status, lines = run("import", "--receipts", str(tmp_path / "r"), str(tmp_path))
    assert status == 0
    assert [line["status"] for line in lines] == ["accepted", "duplicate"]


def test_a_dry_run_changes_nothing(addressed, tmp_path):
    (tmp_path / "a.xml").write_bytes(addressed(ADMITTED))
    status, lines = run("import", "--dry-run", str(tmp_path / "a.xml"))
    assert status == 0
    assert lines[0]["status"] == "accepted"
    assert not Received.objects.exists()
    assert not Stay.objects.exists()


def test_a_path_that_is_not_there_is_a_usage_error(tmp_path, capsys):
    status, lines = run("import", str(tmp_path / "missing.xml"))
    assert status == 2
    assert lines == []
    assert "missing.xml" in capsys.readouterr().err


def test_export_writes_the_stays_documents_and_an_unknown_stay_is_a_usage_error(
    addressed, system, tmp_path, capsys
):
    from overgang.exchange.actions import receive

    first = receive(addressed(ADMITTED), actor=system)
    receive(addressed(ADMISSION_REPORT, from_hospital=False), actor=system)
    out = io.StringIO()
    call_command("messages", "export", "--stay", str(first.stay), str(tmp_path / "x"), stdout=out)
    written = out.getvalue().split()
    assert len(written) == 2
    assert b"LOG_INNLAGT" in Path(written[0]).read_bytes()
    with pytest.raises(SystemExit) as exit_:
        call_command("messages", "export", "--stay", "999999", str(tmp_path / "y"))
    assert exit_.value.code == 2
    assert "999999" in capsys.readouterr().err


def test_exporting_a_stays_messages_is_logged_as_a_read_by_the_system(addressed, system, tmp_path):
    from overgang.audit.models import PatientRead
    from overgang.exchange.actions import receive
    from overgang.stays.models import Stay

    first = receive(addressed(ADMITTED), actor=system)
    assert first.stay is not None
    before = PatientRead.objects.count()
    call_command("messages", "export", "--stay", str(first.stay), str(tmp_path / "x"))
    read = PatientRead.objects.order_by("-id").first()
    assert PatientRead.objects.count() == before + 1
    assert read.patient_id == Stay.objects.get(pk=first.stay).patient_id
    assert (read.user, read.purpose) == (system, "export")
    assert read.channel == "command:messages export"
