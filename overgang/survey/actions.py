"""The one writer of the survey: a link is made for a stay that has ended in a discharge,
and answered once, before it expires."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from overgang import clock
from overgang.audit.history import record_change, save_changed, snapshot, writer_atomic
from overgang.audit.models import ChangeAction
from overgang.errors import Conflict, InvalidInput
from overgang.stays.models import Stay
from overgang.stays.states import StayStatus
from overgang.survey.models import Answer, Invitation, Reply

# Long enough for the letter to reach home and the aid to be tried for a couple of weeks.
LIFETIME = datetime.timedelta(days=30)
QUESTIONS = ("delivered_on_time", "instruction_given", "works")
# 128 random bits: as hard to guess as the session keys.
_TOKEN_BYTES = 16


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(stay: Stay, *, actor: User) -> tuple[Invitation, str]:
    """A new link for the stay, and its token (shown once). An unanswered earlier link of
    the stay is withdrawn: the patient answers once, on the newest paper."""
    if stay.status != StayStatus.DISCHARGED:
        raise Conflict(_("The survey is for patients who have been discharged."))
    now = clock.now()
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    with writer_atomic():
        Stay.objects.select_for_update().filter(pk=stay.pk).first()
        if Invitation.objects.filter(stay=stay, answered_at__isnull=False).exists():
            raise Conflict(_("The patient has already answered the survey for this stay."))
        for earlier in Invitation.objects.filter(
            stay=stay, answered_at__isnull=True, withdrawn_at__isnull=True
        ):
            save_changed(earlier, ["withdrawn_at"], {"withdrawn_at": now}, actor=actor)
        invitation = Invitation.objects.create(
            stay=stay,
            digest=digest_of(token),
            created_by=actor,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        record_change(
            invitation,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(invitation, ["stay_id", "created_at", "expires_at"]),
        )
    return invitation, token


def invitation_of(token: str) -> Invitation | None:
    """The link's invitation in whatever state it is; None for a token never made."""
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.select_related("stay__hospital").filter(digest=digest_of(token)).first()
    )


def open_invitation(token: str) -> Invitation | None:
    """The link's invitation while it can still be answered; None when the token is unknown,
    used, replaced or expired (the page says the same for each: the link does not work)."""
    invitation = invitation_of(token)
    if invitation is None or not _answerable(invitation, clock.now()):
        return None
    return invitation


def _answerable(invitation: Invitation, now: datetime.datetime) -> bool:
    return (
        invitation.answered_at is None
        and invitation.withdrawn_at is None
        and now < invitation.expires_at
    )


def answer(token: str, replies: Mapping[str, str], *, actor: User) -> Answer:
    """Store the three replies; the link works no more. `actor` is the system account: the
    one who answers is not a user."""
    errors = {q: _("Choose an answer.") for q in QUESTIONS if replies.get(q) not in Reply.values}
    if errors:
        raise InvalidInput(errors)
    now = clock.now()
    with writer_atomic():
        invitation = Invitation.objects.select_for_update().filter(digest=digest_of(token)).first()
        if invitation is None or not _answerable(invitation, now):
            raise Conflict(_("This link has been used or has expired."))
        reply = Answer.objects.create(
            invitation=invitation,
            stay_id=invitation.stay_id,
            answered_at=now,
            **{q: replies[q] for q in QUESTIONS},
        )
        record_change(
            reply,
            actor=actor,
            action=ChangeAction.CREATED,
            after=snapshot(reply, [*QUESTIONS, "answered_at"]),
        )
        save_changed(invitation, ["answered_at"], {"answered_at": now}, actor=actor)
    return reply
