"""The pages of received messages: one message laid out for people to read, on its stay,
and the inbox of rejected messages an integration admin tries again once the register is
fixed.

The inbox shows only what the envelope and the receipt say (type, id, error): a rejected
message may name a patient nobody here may see."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.errors import Conflict
from overgang.exchange.actions import NotAllowed, Result, retry
from overgang.exchange.models import Delivery, Outcome, Received
from overgang.exchange.reading import content_of, read
from overgang.organisations.permissions import (
    MANAGE_MESSAGES,
    VIEW,
    is_unrestricted,
    memberships_for,
)
from overgang.stays.models import Stay
from overgang.stays.timeline import message_name
from overgang.web.common.views import AuthedRequest, paginate, scoped_or_404
from overgang.web.exchange.shown import MessageRow, levels_of, parties, sent_at, status_name

REJECTED_PER_PAGE = 25
# How far below an organisation its receivers may be (trust › hospital › clinic › unit ›
# ward): the depth memberships are read with.
LEVELS_BELOW = 5


@login_required
def received_detail(request: AuthedRequest, pk: int, received_pk: int) -> HttpResponse:
    """A received message as its sender wrote it, in the reader's labels: printable."""
    stay = scoped_or_404(Stay.objects.restrict(request.user, VIEW).select_related("patient"), pk=pk)
    row = scoped_or_404(
        Received.objects.filter(stay=stay).select_related("stay_message", "receiver"),
        pk=received_pk,
    )
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.STAY)
    context = {
        "row": row,
        "name": message_name(stay, row.stay_message) if row.stay_message else row.type,
        "message": row.stay_message,
        **_what_it_says(stay, row.content, row.standard),
    }
    return render(request, "exchange/received.html", context)


@login_required
def sent_detail(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    """A message Overgang sent, read back from the very document that left: printable."""
    stay = scoped_or_404(Stay.objects.restrict(request.user, VIEW).select_related("patient"), pk=pk)
    delivery = scoped_or_404(
        Delivery.objects.filter(stay=stay, document__isnull=False).select_related("message"),
        message_id=message_pk,
    )
    reading = read(bytes(delivery.document or b""), delivery.content_type)
    if reading.incoming is None:
        raise Http404  # never: what leaves has passed the same check
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.STAY)
    context = {
        "delivery": delivery,
        "shown": MessageRow(delivery.message, "", None, delivery),
        "name": message_name(stay, delivery.message),
        "message": delivery.message,
        **_what_it_says(stay, content_of(reading.incoming), reading.standard),
    }
    return render(request, "exchange/received.html", context)


def _what_it_says(stay: Stay, content: dict[str, Any], standard: str) -> dict[str, Any]:
    """What the page of one message shows of it, whichever way it went."""
    return {
        "stay": stay,
        "patient": stay.patient,
        "status": status_name(content),
        "sent_at": sent_at(content),
        "senders": parties(content.get("sender", [])),
        "receivers": parties(content.get("receiver", [])),
        # MedCom names organisations by SOR-id, PLO by HER-id.
        "kind_of_id": "SOR" if standard == "medcom" else "HER",
        "sections": content.get("sections", []),
        "levels": levels_of(content),
        "aids": content.get("existing_aids", []),
    }


def _inbox(request: AuthedRequest) -> QuerySet[Received]:
    """The rejected messages the user works: those for no known receiver, and those for the
    organisations the user manages messages for (and those below them)."""
    if not request.user.has_perm("exchange.change_received"):
        raise PermissionDenied
    found = Received.objects.all()
    if is_unrestricted(request.user):
        return found
    mine = {m.organisation_id for m in memberships_for(request.user, MANAGE_MESSAGES)}
    scope = Q(receiver__isnull=True)
    for depth in range(LEVELS_BELOW + 1):
        scope |= Q(**{"receiver" + "__parent" * depth + "__in": mine})
    return found.filter(scope)


@login_required
def rejected_list(request: AuthedRequest) -> HttpResponse:
    return _rejected_page(request)


def _rejected_page(request: AuthedRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    waiting = _inbox(request).filter(outcome=Outcome.REJECTED, retried_as__isnull=True)
    page = paginate(request, waiting.order_by("-received_at", "-id"), REJECTED_PER_PAGE)
    return render(request, "exchange/rejected.html", {"page": page, "error": error}, status=status)


@login_required
@require_POST
def rejected_retry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Try a rejected message again; what became of it is said on the inbox."""
    row = scoped_or_404(_inbox(request), pk=pk)
    if row.outcome != Outcome.REJECTED:
        error = _("Message %(id)s was accepted: only a rejected message can be tried again.")
        return _rejected_page(request, error=error % {"id": _shown_id(row)}, status=409)
    if row.retried_as_id is not None:
        error = _("Message %(id)s was tried again already.")
        return _rejected_page(request, error=error % {"id": _shown_id(row)}, status=409)
    try:
        result = retry(row, actor=request.user)
    except Conflict:
        # Someone else tried it again meanwhile.
        error = _("Message %(id)s was tried again already.")
        return _rejected_page(request, error=error % {"id": _shown_id(row)}, status=409)
    except NotAllowed as receiver:
        error = _(
            "Message %(id)s is for %(receiver)s, whose messages you do not look after: "
            "nothing was changed."
        )
        return _rejected_page(
            request, error=error % {"id": _shown_id(row), "receiver": receiver}, status=403
        )
    _say(request, row, result)
    return redirect("rejected-messages")


def _shown_id(row: Received) -> str:
    return row.message_id or f"#{row.pk}"


def _say(request: AuthedRequest, row: Received, result: Result) -> None:
    said = {"id": _shown_id(row)}
    if result.status == "accepted":
        messages.success(request, _("Message %(id)s was tried again and accepted.") % said)
    elif result.status == "duplicate":
        messages.info(request, _("Message %(id)s had been accepted already.") % said)
    else:
        errors = "; ".join(f"{e.get('code', '')} {e.get('text', '')}" for e in result.errors)
        messages.warning(
            request,
            _("Message %(id)s was tried again and rejected again: %(errors)s")
            % {**said, "errors": errors},
        )
