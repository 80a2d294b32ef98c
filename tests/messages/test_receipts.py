"""AppRec v1.1 receipts for every PLO message, accepted or rejected (docs/contracts/messages.md,
Receipts)."""

from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from overgang.messages import (
    AppRecError,
    Checked,
    Party,
    ReceiptStatus,
    ReceivedReceipt,
    Rejected,
    check,
    parse_receipt,
    receipt,
)
from overgang.messages import receipts as receipts_module
from overgang.messages.schemas import APPREC_NS, MSGHEAD_NS, apprec
from tests.messages.test_check import EXAMPLES, INNLAGT, _mutate

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
US = Party("Alvdal kommune", "99387")
NS = {"ar": APPREC_NS, "mh": MSGHEAD_NS}


def answer(raw: bytes, by: Party = US) -> etree._Element:
    """The receipt for `raw`, checked here once more against the AppRec schema."""
    document = receipt(check(raw), raw=raw, by=by, now=NOW)
    root = etree.fromstring(document)
    assert apprec().is_valid(root), list(apprec().iter_errors(root))
    return root


def value(root: etree._Element, path: str) -> str | None:
    return root.findtext(path, namespaces=NS)


def errors(root: etree._Element) -> list[str]:
    return [e.get("V", "") for e in root.findall("ar:Error", NS)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_gets_an_ok_receipt(path):
    raw = path.read_bytes()
    original = etree.fromstring(raw)
    root = answer(raw)
    assert root.find("ar:Status", NS).get("V") == "1"
    assert root.find("ar:Status", NS).get("DN") == "OK"
    assert errors(root) == []
    assert value(root, "ar:OriginalMsgId/ar:Id") == value(original, "mh:MsgInfo/mh:MsgId")
    assert value(root, "ar:OriginalMsgId/ar:IssueDate") == value(original, "mh:MsgInfo/mh:GenDate")
    assert root.find("ar:OriginalMsgId/ar:MsgType", NS).get("V") == original.find(
        "mh:MsgInfo/mh:Type", NS
    ).get("V")
    sender = original.find("mh:MsgInfo/mh:Sender/mh:Organisation", NS)
    assert sender is not None
    inst = "ar:Receiver/ar:HCP/ar:Inst"
    assert value(root, f"{inst}/ar:Name") == value(sender, "mh:OrganisationName")
    assert value(root, f"{inst}/ar:Id") == value(sender, "mh:Ident/mh:Id")
    assert value(root, "ar:Sender/ar:HCP/ar:Inst/ar:Id") == "99387"


def test_receipts_have_new_ids_and_the_given_time():
    raw = INNLAGT.read_bytes()
    first, second = answer(raw), answer(raw)
    assert value(first, "ar:Id") != value(second, "ar:Id")
    assert value(first, "ar:GenDate") == "2026-03-02T09:30:00+00:00"
    dept = "ar:Receiver/ar:HCP/ar:Inst/ar:Dept"
    assert (value(first, f"{dept}/ar:Name"), value(first, f"{dept}/ar:Id")) == (
        "Ortopedisk kirurgi",
        "90998",
    )


def test_naive_time_is_refused():
    raw = INNLAGT.read_bytes()
    with pytest.raises(ValueError, match="aware"):
        receipt(check(raw), raw=raw, by=US, now=datetime(2026, 3, 2, 9, 30))  # noqa: DTZ001


def _rejection(raw: bytes, code: AppRecError) -> etree._Element:
    root = answer(raw)
    assert root.find("ar:Status", NS).get("V") == "3"  # the contract's rejection
    assert root.find("ar:Status", NS).get("DN") == "Avvist"
    (error,) = root.findall("ar:Error", NS)
    assert error.get("V") == code.value
    assert error.get("S") == "2.16.578.1.12.4.1.1.8221"
    assert error.get("DN") == code.display_name
    assert error.get("OT")
    return root


def test_truncated_gets_t01_with_an_unknown_sender():
    raw = INNLAGT.read_bytes()
    root = _rejection(raw[: len(raw) // 2], AppRecError.NOT_XML)
    assert value(root, "ar:Receiver/ar:HCP/ar:Inst/ar:Name") == receipts_module.UNKNOWN_SENDER
    assert value(root, "ar:OriginalMsgId/ar:Id") == ""
    assert value(root, "ar:OriginalMsgId/ar:IssueDate") == "2026-03-02T09:30:00+00:00"


def test_external_entity_gets_t01_and_leaks_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    raw = (
        INNLAGT.read_bytes()
        .replace(
            b'<?xml version="1.0" encoding="UTF-8"?>',
            f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE MsgHead [<!ENTITY xxe SYSTEM '
            f'"{secret.as_uri()}">]>'.encode(),
        )
        .replace(b"<MsgId>b088a160", b"<MsgId>&xxe;b088a160")
    )
    _rejection(raw, AppRecError.NOT_XML)
    assert b"TOP SECRET" not in receipt(check(raw), raw=raw, by=US, now=NOW)


def test_billion_laughs_gets_t01():
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    raw = (
        f'<?xml version="1.0"?><!DOCTYPE MsgHead [<!ENTITY lol0 "lol">{lol}]>'
        f'<MsgHead xmlns="{MSGHEAD_NS}">&lol9;</MsgHead>'
    ).encode()
    _rejection(raw, AppRecError.NOT_XML)


def test_too_large_gets_t99():
    raw = INNLAGT.read_bytes().replace(b"<!-- -->", b"<!--" + b" " * (10 * 1024 * 1024) + b"-->", 1)
    root = _rejection(raw, AppRecError.OTHER_FORMAT)
    assert value(root, "ar:Receiver/ar:HCP/ar:Inst/ar:Name") == receipts_module.UNKNOWN_SENDER


def test_schema_violation_gets_t02_naming_the_original():
    raw = INNLAGT.read_bytes().replace(b"<Anslag>false</Anslag>", b"")
    root = _rejection(raw, AppRecError.SCHEMA)
    assert value(root, "ar:OriginalMsgId/ar:Id") == "b088a160-0698-11e8-b566-0800200c9a66"
    assert value(root, "ar:OriginalMsgId/ar:IssueDate") == "2018-01-29T10:11:54"
    assert value(root, "ar:Receiver/ar:HCP/ar:Inst/ar:Id") == "59"
    assert "Anslag" in root.find("ar:Error", NS).get("OT", "")


def test_envelope_violation_without_gendate_gets_t02():
    raw = INNLAGT.read_bytes().replace(b"<GenDate>2018-01-29T10:11:54</GenDate>", b"")
    root = _rejection(raw, AppRecError.SCHEMA)
    assert value(root, "ar:OriginalMsgId/ar:IssueDate") == "2026-03-02T09:30:00+00:00"


def test_unknown_type_gets_t10():
    raw = INNLAGT.read_bytes().replace(b'V="LOG_INNLAGT"', b'V="LOG_UKJENT"')
    root = _rejection(raw, AppRecError.UNSUPPORTED)
    assert root.find("ar:OriginalMsgId/ar:MsgType", NS).get("V") == "LOG_UKJENT"
    assert "LOG_UKJENT" in root.find("ar:Error", NS).get("OT", "")


def test_not_a_msghead_gets_t10():
    _rejection(b"<a/>", AppRecError.UNSUPPORTED)


@pytest.mark.parametrize(
    "name", ['Ås & Co <"sykehjem">', "Ærøskøbing 'kommune' ØÅ", "a]]>b", "x\x01y"]
)
def test_special_characters_in_names_survive(name):
    raw = INNLAGT.read_bytes().replace(
        b"<OrganisationName>ST OLAVS HOSPITAL HF</OrganisationName>",
        b"<OrganisationName>" + escape(name.replace("\x01", "")).encode() + b"</OrganisationName>",
    )
    root = answer(raw, by=Party(name, "12345"))
    assert value(root, "ar:Sender/ar:HCP/ar:Inst/ar:Name") == name.replace("\x01", "\ufffd")
    assert value(root, "ar:Receiver/ar:HCP/ar:Inst/ar:Name") == name.replace("\x01", "")


def test_an_invalid_receipt_is_never_returned(monkeypatch):
    monkeypatch.setattr(receipts_module, "_XS_DATETIME", type("Any", (), {"fullmatch": str}))
    raw = INNLAGT.read_bytes().replace(b"2018-01-29T10:11:54", b"yesterday")
    with pytest.raises(receipts_module.InvalidReceipt):
        receipt(check(raw), raw=raw, by=US, now=NOW)


@pytest.mark.parametrize(
    "raw", [INNLAGT.read_bytes(), INNLAGT.read_bytes().replace(b'V="LOG_INNLAGT"', b'V="X"'), b"<"]
)
def test_round_trip(raw):
    result = check(raw)
    parsed = parse_receipt(receipt(result, raw=raw, by=US, now=NOW))
    assert isinstance(parsed, ReceivedReceipt)
    assert parsed.sender == US
    assert parsed.original_id == (result.message_id or "")
    if isinstance(result, Checked):
        assert (parsed.status, parsed.errors) == (ReceiptStatus.OK, ())
        assert parsed.original_type == "LOG_INNLAGT"
    else:
        assert parsed.status == ReceiptStatus.REJECTED
        assert [(e.code, e.name, e.text) for e in parsed.errors] == [
            (result.code.value, result.code.display_name, result.text)
        ]


def test_parse_receipt_refuses_what_is_not_an_apprec_v11():
    raw = INNLAGT.read_bytes()
    assert parse_receipt(raw) == Rejected(
        AppRecError.UNSUPPORTED, f"Not an AppRec v1.1 receipt: {{{MSGHEAD_NS}}}MsgHead."
    )
    ok = receipt(check(raw), raw=raw, by=US, now=NOW)
    broken = ok.replace(b'<Status V="1" DN="OK"/>', b"")
    odd = ok.replace(b'<Status V="1" DN="OK"/>', b'<Status V="9"/>')
    for bad, code in [
        (raw[:50], AppRecError.NOT_XML),
        (broken, AppRecError.SCHEMA),
        (odd, AppRecError.SCHEMA),
        (ok + b" " * (10 * 1024 * 1024), AppRecError.OTHER_FORMAT),
    ]:
        result = parse_receipt(bad)
        assert isinstance(result, Rejected) and result.code == code, result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), data=st.data())
def test_every_mutated_message_gets_a_valid_receipt(path, data):
    raw = _mutate(path.read_bytes(), data)
    result = check(raw)
    root = answer(raw)
    expected = "1" if isinstance(result, Checked) else "3"
    assert root.find("ar:Status", NS).get("V") == expected


def test_a_receipt_from_another_system_with_the_code_lists_avvist_is_a_rejection():
    """We send 3 for a rejection, as the contract says; kodeverk 8258 reads 2 as "Avvist".
    Either from another system means the message was not taken as sent."""
    raw = b"<"
    ours = receipt(check(raw), raw=raw, by=US, now=NOW)
    assert b'V="3"' in ours
    theirs = ours.replace(b'V="3"', b'V="2"', 1)
    parsed = parse_receipt(theirs)
    assert isinstance(parsed, ReceivedReceipt)
    assert parsed.status == ReceiptStatus.REJECTED
