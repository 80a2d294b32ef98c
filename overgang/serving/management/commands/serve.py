"""`overgang serve`: Overgang on gunicorn (overgang.serving.gunicorn_config), with
`--with-worker` an `overgang worker` beside it, as one command that starts and stops both.

Unless the environment says otherwise it
- collects the static files (named by their content, settings.STATIC_HASHED) first,
- writes the logs of both processes as JSON lines (OVERGANG_LOG_FORMAT=json),
- points the links in e-mails at the address it listens on (OVERGANG_BASE_URL): behind a
  proxy, set that to the address people open.

`--dev` serves with Django's development server instead, which restarts when the code
changes, and keeps the logs plain: `make dev`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from overgang.serving import addresses, supervisor

OVERGANG = [sys.executable, "-m", "overgang"]


class Command(BaseCommand):
    help = "Serve Overgang with gunicorn and, with --with-worker, its background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--bind",
            help="Address to listen on: host:port or unix:/path "
            "(default: OVERGANG_BIND, else 127.0.0.1:8000).",
        )
        where.add_argument("--port", type=int, help="Port to listen on at 127.0.0.1.")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Run `overgang worker` beside the server (deadlines, e-mails, messages).",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server, restarting on code changes, plain logs.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            bind = self._bind(options)
        except addresses.BadAddress as error:
            raise CommandError(str(error)) from None
        env = self._environment(bind, dev=options["dev"])
        if env.get("OVERGANG_STATIC_HASHED") == "1":
            self._collect_static(env)
        commands = {"the web server": self._server(bind, dev=options["dev"])}
        if options["with_worker"]:
            commands["the worker"] = [*OVERGANG, "worker"]
        self.stdout.write(f"Serving on {bind}; Ctrl+C stops.")
        self.stdout.flush()
        if supervisor.run_together(commands, env) != 0:
            sys.exit(1)

    @staticmethod
    def _bind(options: dict[str, Any]) -> str:
        if options["port"] is not None:
            return addresses.bind_of_port(options["port"])
        given = options["bind"] or os.environ.get("OVERGANG_BIND") or "127.0.0.1:8000"
        bind = addresses.checked_bind(given)
        if options["dev"] and bind.startswith("unix:"):
            raise addresses.BadAddress(f"--bind {bind!r}: --dev listens on host:port only.")
        return bind

    @staticmethod
    def _environment(bind: str, *, dev: bool) -> dict[str, str]:
        env = dict(os.environ)
        if not dev:
            env.setdefault("OVERGANG_LOG_FORMAT", "json")
            env.setdefault("OVERGANG_STATIC_HASHED", "1")
        if "OVERGANG_BASE_URL" not in env and (url := addresses.base_url_of(bind)):
            env["OVERGANG_BASE_URL"] = url
        return env

    @staticmethod
    def _server(bind: str, *, dev: bool) -> list[str]:
        if dev:
            return [*OVERGANG, "runserver", "--insecure", bind]
        config = "python:overgang.serving.gunicorn_config"
        return [sys.executable, "-m", "gunicorn", "-c", config, "--bind", bind]

    @staticmethod
    def _collect_static(env: dict[str, str]) -> None:
        try:
            collected = subprocess.run(
                [*OVERGANG, "collectstatic", "--no-input", "--verbosity", "0"],
                env=env,
                capture_output=True,
                text=True,
            )
        except KeyboardInterrupt:
            raise CommandError("stopped while collecting the static files") from None
        if collected.returncode != 0:
            why = (collected.stderr.strip().splitlines() or ["no message"])[-1]
            raise CommandError(f"collecting the static files failed: {why}")
