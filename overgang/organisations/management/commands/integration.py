"""`overgang integration`: the accounts a record system's integration engine posts messages
with (docs/messages.md). An account belongs to one organisation and receives for it and the
organisations under it; its token may live long, and is revoked at once when it leaks."""

from __future__ import annotations

import datetime
import sys
from typing import Any, NoReturn

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.organisations.actions import add_membership, create_user
from overgang.organisations.models import Membership, Organisation, Role
from overgang.organisations.tokens import issue_token, revoke_tokens

LONGEST_DAYS = 730


class Command(BaseCommand):
    help = "Integration accounts for posting standard messages: create, token, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="an account for an organisation's engine")
        create.add_argument("username")
        create.add_argument("--organisation", required=True, help="the organisation's key")
        token = sub.add_parser("token", help="issue a token (shown once)")
        token.add_argument("username")
        token.add_argument(
            "--days", type=int, default=365, help=f"how long it works (1-{LONGEST_DAYS})"
        )
        revoke = sub.add_parser("revoke", help="every token of the account stops working")
        revoke.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        with channel("command:integration"):
            getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        organisation = Organisation.objects.filter(key=options["organisation"]).first()
        if organisation is None:
            self._fail(f"--organisation: no organisation {options['organisation']!r}")
        if User.objects.filter(username=options["username"]).exists():
            self._fail(f"username: {options['username']!r} exists already")
        actor = system_actor()
        with transaction.atomic():
            user = create_user(actor=actor, username=options["username"], password="")
            user.set_unusable_password()  # it signs in with its token only
            user.save(update_fields=["password"])
            add_membership(user, organisation, Role.INTEGRATION, actor=actor)
        self.stdout.write(f"{user.username}: receives for {organisation.name} and under it")

    def _token(self, options: dict[str, Any]) -> None:
        user = self._account(options["username"])
        days = options["days"]
        if not 1 <= days <= LONGEST_DAYS:
            self._fail(f"--days: between 1 and {LONGEST_DAYS}")
        issued = issue_token(user, lifetime=datetime.timedelta(days=days))
        self.stdout.write(issued.token)
        sys.stderr.write(f"expires {issued.expires_at:%Y-%m-%d %H:%M %Z}; shown only now\n")

    def _revoke(self, options: dict[str, Any]) -> None:
        user = self._account(options["username"])
        self.stdout.write(f"{revoke_tokens(user)} token(s) revoked")

    def _account(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            self._fail(f"username: no account {username!r}")
        if not Membership.objects.filter(user=user, role=Role.INTEGRATION).exists():
            self._fail(f"username: {username!r} is no integration account")
        return user

    def _fail(self, message: str) -> NoReturn:
        sys.stderr.write(message + "\n")
        raise SystemExit(2)
