"""`overgang organisations import FILE|-` (docs/contracts/messages.md, the organisation
register). Prints `created N, changed N, unchanged N`. A bad row: exit 2, one line on
stderr naming the line and the column, nothing changed."""

from __future__ import annotations

import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from overgang.audit.channel import channel
from overgang.audit.history import system_actor
from overgang.organisations.actions import import_organisations
from overgang.organisations.register import RegisterError


class Command(BaseCommand):
    help = "Keep the organisation register: HER-ids, SOR-ids, who is part of whom."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        command = sub.add_parser("import", help="create or update organisations from a CSV file")
        command.add_argument("file", help="CSV file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8-sig", newline="") as file:
                    text = file.read()
        except OSError as error:
            self.fail(f"file: cannot read {path!r}: {error.strerror}")
        except UnicodeDecodeError:
            self.fail(f"file: {path!r} is not UTF-8")
        with channel("command:organisations"):
            try:
                result = import_organisations(
                    io.StringIO(text.removeprefix("\ufeff"), newline=""), actor=system_actor()
                )
            except RegisterError as error:
                self.fail(f"{error}; nothing changed")
        self.stdout.write(str(result))

    def fail(self, message: str) -> Any:
        sys.stderr.write(" ".join(message.split()) + "\n")
        raise SystemExit(2)
