"""Reading a MedCom Acknowledgement that answers a message Overgang sent: which message
(MessageHeader.response.identifier, our MessageHeader.id), whether it was taken (`ok`) or
not (`transient-error`, `fatal-error`), and why (the OperationOutcome's issues)."""

from __future__ import annotations

from fhir.resources.R4B.messageheader import MessageHeader
from fhir.resources.R4B.operationoutcome import OperationOutcome

from overgang.messages.check import Rejected
from overgang.messages.errors import AppRecError
from overgang.messages.medcom.bundle import Entries
from overgang.messages.medcom.parse import read_bundle
from overgang.messages.medcom.terms import ACKNOWLEDGEMENT_EVENT
from overgang.messages.receipts import Party, ReceiptError, ReceiptStatus, ReceivedReceipt


def is_acknowledgement(raw: bytes, content_type: str) -> bool:
    """Whether the body says it is an Acknowledgement (its event code), read cheaply."""
    return ACKNOWLEDGEMENT_EVENT.encode() in raw[:20000]


def parse_acknowledgement(raw: bytes, content_type: str) -> ReceivedReceipt | Rejected:
    """The Acknowledgement as a receipt, or why it is not one; never raises."""
    bundle = read_bundle(raw, content_type)
    if isinstance(bundle, Rejected):
        return bundle
    entries = Entries(bundle)
    headers = entries.of_type(MessageHeader)
    header = headers[0] if headers else None
    coding = getattr(header, "eventCoding", None) if header is not None else None
    if header is None or coding is None or coding.code != ACKNOWLEDGEMENT_EVENT:
        return Rejected(AppRecError.UNSUPPORTED, "Not a MedCom Acknowledgement.", bundle.id)
    response = header.response
    if response is None or not response.identifier:
        return Rejected(
            AppRecError.SCHEMA, "The Acknowledgement names no message it answers.", bundle.id
        )
    errors = tuple(
        ReceiptError(issue.code or "", issue.severity or "", _text(issue))
        for outcome in entries.of_type(OperationOutcome)
        for issue in outcome.issue or []
    )
    status = ReceiptStatus.OK if response.code == "ok" else ReceiptStatus.REJECTED
    sender = header.sender.display if header.sender is not None else None
    return ReceivedReceipt(
        receipt_id=bundle.id or "",
        status=status,
        errors=errors,
        original_type="HospitalNotification",
        original_issued="",
        original_id=str(response.identifier),
        sender=Party(sender, None),
    )


def _text(issue: object) -> str:
    details = getattr(issue, "details", None)
    text = getattr(details, "text", None) if details is not None else None
    return str(text or getattr(issue, "diagnostics", None) or "")
