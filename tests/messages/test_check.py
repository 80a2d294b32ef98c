"""Checking an incoming PLO message before anything changes (docs/contracts/messages.md,
Receiving, steps 1-3)."""

import copy
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from overgang.messages import AppRecError, Checked, Rejected, check
from overgang.messages.schemas import MSGHEAD_NS, envelope_with

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.xml"))
INNLAGT = Path(__file__).parent / "examples" / "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"


def rejected(raw: bytes) -> Rejected:
    result = check(raw)
    assert isinstance(result, Rejected), result
    return result


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_checks(path):
    assert isinstance(check(path.read_bytes()), Checked)


def test_what_the_envelope_says():
    result = check(INNLAGT.read_bytes())
    assert isinstance(result, Checked)
    assert result.type == "LOG_INNLAGT"
    assert (result.standard, result.document, result.version) == ("plo", "Pasientlogistikk", "v1.6")
    assert result.message_id == "b088a160-0698-11e8-b566-0800200c9a66"
    assert result.sender_her_ids == ("59", "90998")
    assert result.receiver_her_ids == ("99387", "5078")
    assert result.patient_id == "15076500565"
    assert etree.QName(result.element).localname == "Pasientlogistikk"


def test_no_network_when_compiling_or_validating(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    envelope_with.cache_clear()
    assert all(isinstance(check(path.read_bytes()), Checked) for path in EXAMPLES)


def test_truncated_xml():
    raw = INNLAGT.read_bytes()
    assert rejected(raw[: len(raw) // 2]).code == AppRecError.NOT_XML


def test_external_entity_is_refused(tmp_path):
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
    result = rejected(raw)
    assert result.code == AppRecError.NOT_XML
    assert "TOP SECRET" not in result.text


def test_billion_laughs():
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    raw = (
        f'<?xml version="1.0"?><!DOCTYPE MsgHead [<!ENTITY lol0 "lol">{lol}]>'
        f'<MsgHead xmlns="{MSGHEAD_NS}">&lol9;</MsgHead>'
    ).encode()
    assert rejected(raw).code == AppRecError.NOT_XML


def test_any_doctype_is_refused():
    raw = INNLAGT.read_bytes().replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE MsgHead>',
    )
    assert rejected(raw).code == AppRecError.NOT_XML


def test_too_large():
    raw = INNLAGT.read_bytes()
    padded = raw.replace(b"<!-- -->", b"<!--" + b" " * (10 * 1024 * 1024) + b"-->", 1)
    assert rejected(padded).code == AppRecError.OTHER_FORMAT
    assert isinstance(check(raw), Checked)


def test_schema_violation():
    raw = INNLAGT.read_bytes().replace(b"<Anslag>false</Anslag>", b"")
    assert b"Anslag" not in raw
    result = rejected(raw)
    assert result.code == AppRecError.SCHEMA
    assert result.message_id == "b088a160-0698-11e8-b566-0800200c9a66"


def test_envelope_violation():
    raw = INNLAGT.read_bytes().replace(b"<GenDate>2018-01-29T10:11:54</GenDate>", b"")
    assert rejected(raw).code == AppRecError.SCHEMA


def test_unknown_message_type():
    raw = INNLAGT.read_bytes().replace(b'V="LOG_INNLAGT"', b'V="LOG_UKJENT"')
    result = rejected(raw)
    assert result.code == AppRecError.UNSUPPORTED
    assert "LOG_UKJENT" in result.text


def test_unknown_plo_version():
    raw = INNLAGT.read_bytes().replace(
        b"Pasientlogistikk/2012-04-01", b"Pasientlogistikk/2099-01-01"
    )
    result = rejected(raw)
    assert result.code == AppRecError.UNSUPPORTED
    assert "2099-01-01" in result.text


def test_not_a_msghead():
    assert rejected(b"<a/>").code == AppRecError.UNSUPPORTED


CODES = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=12)


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    root = etree.fromstring(raw)
    elements = list(root.iter(etree.Element))
    for _ in range(data.draw(st.integers(1, 4))):
        target = data.draw(st.sampled_from(elements))
        parent = target.getparent()
        action = data.draw(st.sampled_from(["drop", "duplicate", "reorder", "code"]))
        if action == "drop" and parent is not None:
            parent.remove(target)
            elements = list(root.iter(etree.Element))
        elif action == "duplicate" and parent is not None:
            parent.insert(parent.index(target), copy.deepcopy(target))
            elements = list(root.iter(etree.Element))
        elif action == "reorder" and parent is not None and len(parent) > 1:
            parent.remove(target)
            parent.insert(data.draw(st.integers(0, len(parent))), target)
        elif action == "code":
            target.set("V", data.draw(CODES))
    return etree.tostring(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLES), data=st.data())
def test_mutated_examples_never_raise(path, data):
    result = check(_mutate(path.read_bytes(), data))
    assert isinstance(result, Checked | Rejected)
