"""Standard messages over HTTP (docs/contracts/messages.md): an integration engine posts what
its organisation received, and reads the receipts and documents back."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from ninja.errors import HttpError

from overgang.api.auth import request_user
from overgang.api.errors import ErrorOut
from overgang.audit.history import log_read
from overgang.exchange.actions import NotAllowed, receive
from overgang.exchange.models import Delivery, Outcome, Received
from overgang.exchange.reading import CONTENT_TYPES
from overgang.messages.check import MAX_BYTES
from overgang.organisations.permissions import (
    RECEIVE,
    VIEW,
    acts_for,
    is_unrestricted,
    memberships_for,
)
from overgang.stays.models import Stay

router = Router(tags=["messages"])

STATUS = {"accepted": 201, "duplicate": 200, "rejected": 422}

# The body is the message as it arrived, in one of the content types a message comes in.
MESSAGE_BODY = {
    "requestBody": {
        "required": True,
        "content": {kind: {"schema": {"type": "string"}} for kind in CONTENT_TYPES},
    }
}
# A document or receipt as it was sent or received.
DOCUMENT = {
    "responses": {
        200: {
            "description": "The document as it was sent or received.",
            "content": {kind: {"schema": {"type": "string"}} for kind in CONTENT_TYPES},
        }
    }
}


@router.post(
    "/messages",
    response={200: dict, 201: dict, 413: ErrorOut, 415: ErrorOut, 422: dict},
    openapi_extra=MESSAGE_BODY,
)
def post_message(request: HttpRequest) -> HttpResponse:
    """Receive one message, the body as it arrived. 201 accepted, 200 duplicate, 422 rejected
    (the same body), 403 for a receiver the token may not receive for, 413 over 10 MB."""
    user = request_user(request)
    if not is_unrestricted(user) and not memberships_for(user, RECEIVE):
        raise HttpError(403, "This account may not hand over messages.")
    kind = (request.content_type or "").lower()
    if kind not in CONTENT_TYPES:
        raise HttpError(415, f"Send the message as one of: {', '.join(CONTENT_TYPES)}.")
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BYTES:
        raise HttpError(413, f"The message is larger than {MAX_BYTES} bytes.")
    # Read the stream itself: request.body stops at Django's smaller upload limit.
    raw = request.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise HttpError(413, f"The message is larger than {MAX_BYTES} bytes.")
    try:
        result = receive(
            raw,
            content_type=kind,
            actor=user,
            source=f"api:{user.get_username()}",
            may_receive_for=lambda organisation: acts_for(user, RECEIVE, organisation),
        )
    except NotAllowed as refused:
        raise HttpError(403, f"This account may not receive for {refused}.") from None
    if result.receipt_body is not None:
        # The id as one path segment: a record system's id may hold "/", "?" or "#".
        named = quote(result.message_id, safe="")
        result.receipt = request.build_absolute_uri(f"/api/v1/messages/{named}/receipt")
    return JsonResponse(
        result.as_json(), status=STATUS[result.status], json_dumps_params={"ensure_ascii": False}
    )


@router.get("/messages/{messagepath:message_id}/receipt", openapi_extra=DOCUMENT)
def get_receipt(request: HttpRequest, message_id: str) -> HttpResponse:
    """The receipt a received message was answered with (its first, for a duplicate)."""
    row = _received(request, message_id)
    if row.receipt is None:
        raise HttpError(404, "Not Found")
    return HttpResponse(bytes(row.receipt), content_type=row.receipt_type or "application/xml")


@router.get("/messages/{messagepath:message_id}", openapi_extra=DOCUMENT)
def get_message(request: HttpRequest, message_id: str) -> HttpResponse:
    """The message's document: as it arrived, or as Overgang sent it."""
    user = request_user(request)
    sent = _sent(user, message_id)
    if sent is not None:
        log_read(sent.stay.patient, user=user, purpose="message")
        return HttpResponse(bytes(sent.document or b""), content_type=sent.content_type)
    row = _received(request, message_id)
    if row.patient is not None:
        log_read(row.patient, user=user, purpose="message")
    return HttpResponse(bytes(row.document), content_type=row.content_type)


def _sent(user: User, message_id: str) -> Delivery | None:
    """A message Overgang sent with a document, on a stay the user may see."""
    try:
        key = uuid.UUID(message_id)
    except ValueError:
        return None
    found = (
        Delivery.objects.filter(message__message_id=key, document__isnull=False)
        .select_related("stay__patient")
        .first()
    )
    if found is None or not Stay.objects.restrict(user, VIEW).filter(pk=found.stay_id).exists():
        return None
    return found


def _received(request: HttpRequest, message_id: str) -> Received:
    """A message the caller may see: its receiver's integration account, or whoever may see
    the stay. Others get 404, as for a message that does not exist."""
    user = request_user(request)
    rows = Received.objects.filter(message_id=message_id).select_related("receiver", "patient")
    row = rows.filter(outcome=Outcome.ACCEPTED).first() or rows.order_by("-id").first()
    if row is None:
        raise HttpError(404, "Not Found")
    if row.receiver is not None and acts_for(user, RECEIVE, row.receiver):
        return row
    if (
        row.stay_id is not None
        and Stay.objects.restrict(user, VIEW).filter(pk=row.stay_id).exists()
    ):
        return row
    if row.receiver is None and row.received_by_id == user.pk:
        return row  # a message the account sent that could not be read: its own receipt
    raise HttpError(404, "Not Found")
