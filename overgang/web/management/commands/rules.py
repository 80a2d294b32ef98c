"""`overgang rules decide|deadlines|explain|list|check` (docs/contracts/rules.md).

decide and deadlines read one JSON object from FILE (or standard input, `-`) and
print one JSON object. Bad input: exit 2, nothing on stdout, one line on stderr
that names the field.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from overgang import rules
from overgang.revisions.published import load_approved
from overgang.rules.check import check
from overgang.rules.engine import deadlines, decide
from overgang.rules.explain import explain_decision
from overgang.rules.registry import RulesError


class Command(BaseCommand):
    help = "Ask the agreements who does what, by when, and why."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in [
            ("decide", "a case in, a decision out (JSON)"),
            ("deadlines", "an event in, its deadlines out (JSON)"),
            ("explain", "a case in, the decision as readable text with citations"),
        ]:
            command = sub.add_parser(name, help=text)
            command.add_argument("file", nargs="?", default="-", help="JSON file, or - for stdin")
            command.add_argument("--language", choices=["en", "nb", "da"], default="en")
        sub.add_parser("list", help="agreements, versions and rule ids")
        sub.add_parser("check", help="validate every agreement file")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        _with_approved_versions()
        if action == "list":
            self.list_agreements()
        elif action == "check":
            self.check_agreements()
        else:
            self.answer(action, options["file"], options["language"])

    def answer(self, action: str, path: str, language: str) -> None:
        try:
            raw = self.read_json(path)
            if action == "deadlines":
                result: Any = deadlines(raw, language=language)
            else:
                result = decide(raw, language=language)
        except RulesError as error:
            self.fail(str(error))
        if action == "explain":
            self.stdout.write(explain_decision(result, language=language))
        else:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def read_json(self, path: str) -> Any:
        try:
            if path == "-":
                return json.load(sys.stdin)
            with open(path, encoding="utf-8") as file:
                return json.load(file)
        except OSError as error:
            self.fail(f"file: cannot read {path!r}: {error.strerror}")
        except json.JSONDecodeError as error:
            self.fail(f"(input): not JSON: {error.msg} at line {error.lineno}")

    def fail(self, message: str) -> Any:
        sys.stderr.write(" ".join(message.split()) + "\n")
        raise SystemExit(2)

    def list_agreements(self) -> None:
        for agreement in rules.all_agreements():
            valid_to = agreement.valid_to.isoformat() if agreement.valid_to else "…"
            self.stdout.write(
                f"{agreement.id} {agreement.version} ({agreement.valid_from.isoformat()} – "
                f"{valid_to}) {agreement.title}"
            )
            for rule in agreement.rules:
                self.stdout.write(f"  rule     {rule.id}  [{', '.join(rule.cites)}]")
            for deadline in agreement.deadline_rules:
                self.stdout.write(f"  deadline {deadline.id}  [{', '.join(deadline.cites)}]")

    def check_agreements(self) -> None:
        problems = check()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise SystemExit(1)
        count = sum(len(a.rules) + len(a.deadline_rules) for a in rules.all_agreements())
        self.stdout.write(f"{len(rules.all_agreements())} agreements, {count} rules: all sound.")


def _with_approved_versions() -> None:
    """The versions approved in the app answer too (docs/agreements.md, section 4); without
    a database (a checkout with none set up, a test without one) the files answer alone."""
    with contextlib.suppress(DatabaseError, RuntimeError):
        load_approved()
