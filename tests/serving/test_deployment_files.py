"""The deployment files in deploy/ start what they say they start: every command they run is
one Overgang has, every module they name imports, every environment variable they set is
one the app reads, and the hardening docs/deployment.md promises is there. Neither docker
nor systemd runs here; the files are read as those tools read them, and systemd's own
`systemd-analyze verify` checks the units where it is installed."""

from __future__ import annotations

import configparser
import importlib
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from tests.serving.served import BIN, ROOT

DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
INSTALL = "/opt/overgang"  # where the units expect the checkout, with its .venv
ENV_FILE = "/etc/overgang/overgang.env"
VARIABLE = re.compile(r"\b(?:OVERGANG_[A-Z0-9_]+|DATABASE_URL)\b")


def _unit(path: Path) -> configparser.ConfigParser:
    """A unit as systemd reads it: keys keep their case, a key may repeat (ExecStart of a
    oneshot); each repeated key's values are kept in order, joined by newlines."""
    parser = configparser.ConfigParser(
        strict=False, interpolation=None, dict_type=_MultiDict, empty_lines_in_values=False
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser


class _MultiDict(dict[str, Any]):
    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(value, list) and key in self:
            self[key].extend(value)
        else:
            super().__setitem__(key, value)


def _app_reads() -> set[str]:
    """Every environment variable named in the app's code."""
    names: set[str] = set()
    for path in (ROOT / "overgang").rglob("*.py"):
        names |= set(VARIABLE.findall(path.read_text()))
    return names


def _assert_runs_overgang(words: list[str], where: str) -> None:
    """A command line that runs Overgang: `overgang <a command it has>`, or gunicorn with
    a configuration module that imports and names the WSGI application."""
    program = Path(words[0]).name
    if program == "overgang":
        assert words[1] in get_commands(), f"{where}: `overgang {words[1]}` is no command"
    elif program == "gunicorn":
        config = words[words.index("-c") + 1]
        assert config.startswith("python:"), f"{where}: gunicorn -c {config}"
        module = importlib.import_module(config.removeprefix("python:"))
        app_module, _, name = module.wsgi_app.partition(":")
        assert callable(getattr(importlib.import_module(app_module), name))
    else:
        raise AssertionError(f"{where} runs {words[0]}, neither overgang nor gunicorn")


@pytest.mark.parametrize("path", UNITS, ids=[p.name for p in UNITS])
def test_each_unit_runs_a_real_command_of_the_install_hardened(path):
    unit = _unit(path)
    service = unit["Service"]
    for key in ("ExecStartPre", "ExecStart"):
        for line in service.get(key, "").splitlines():
            words = shlex.split(line)
            assert words[0].startswith(f"{INSTALL}/.venv/bin/"), f"{path.name}: {line}"
            _assert_runs_overgang(words, f"{path.name} {key}")
    assert service["WorkingDirectory"] == INSTALL
    assert service["EnvironmentFile"] == ENV_FILE
    assert service["User"] == "overgang" and service["Group"] == "overgang"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    # The one place the app writes (var/: static files, the outbox) stays writable.
    assert service["ReadWritePaths"].split() == [f"{INSTALL}/var"]
    if service.get("Type") != "oneshot":
        assert service["Restart"] == "on-failure"


def test_the_units_are_the_app_server_the_worker_template_and_the_migration():
    commands = {
        path.name: shlex.split(_unit(path)["Service"]["ExecStart"].splitlines()[-1])
        for path in UNITS
    }
    assert {name: Path(words[0]).name for name, words in commands.items()} == {
        "overgang-web.service": "gunicorn",
        "overgang-worker@.service": "overgang",
        "overgang-migrate.service": "overgang",
    }
    assert commands["overgang-worker@.service"][1:] == ["worker"]
    assert commands["overgang-migrate.service"][1:] == ["migrate", "--no-input"]
    assert _unit(DEPLOY / "systemd/overgang-migrate.service")["Service"]["Type"] == "oneshot"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd is not installed")
def test_systemd_accepts_the_units(tmp_path):
    # Copies where the install is this checkout, so that systemd finds the programs they
    # run; the template as an instance of it.
    copies = []
    for path in UNITS:
        name = path.name.replace("@.service", "@1.service")
        copy = tmp_path / name
        copy.write_text(path.read_text().replace(INSTALL, str(ROOT)))
        copies.append(str(copy))
    done = subprocess.run(
        ["systemd-analyze", "verify", *copies], capture_output=True, text=True, timeout=60
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    # Unknown or misspelt settings are only warned of, and then ignored: a hardening
    # option that is ignored is missing.
    assert not re.search(r"Unknown (key|section)|Failed to parse|ignoring", said), said


def test_the_example_environment_sets_only_what_the_app_reads_and_all_production_asks():
    lines = (DEPLOY / "systemd/overgang.env.example").read_text().splitlines()
    names = {line.partition("=")[0] for line in lines if line.strip() and not line.startswith("#")}
    assert names - _app_reads() == set(), "set, but read by nothing"
    # Every variable docs/security.md's production environment asks for.
    security = (ROOT / "docs/security.md").read_text()
    table = security[security.index("### Production environment") :]
    table = table[: table.index("\n\n", table.index("| variable |"))]
    production = set(re.findall(r"^\| `([A-Z_]+)`", table, re.MULTILINE))
    assert production, "the production table of docs/security.md"
    assert production - names == set(), "asked for in production, missing in the example"


def test_the_example_environment_passes_the_deploy_check_once_its_key_is_chosen():
    lines = (DEPLOY / "systemd/overgang.env.example").read_text().splitlines()
    example = dict(
        line.split("=", 1) for line in lines if line.strip() and not line.startswith("#")
    )
    # Only the placeholder key is to be replaced; the check does not connect to the database.
    example["OVERGANG_SECRET_KEY"] = secrets.token_urlsafe(50)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OVERGANG_", "DJANGO_"))}
    done = subprocess.run(
        [str(BIN / "overgang"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env | example,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def test_compose_runs_postgresql_the_migration_the_app_servers_and_the_workers():
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "app", "worker"}
    postgres = services["postgres"]
    assert postgres["image"] == "postgres:15"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    for name in ("migrate", "app", "worker"):
        _assert_runs_overgang(services[name]["command"], f"compose {name}")
        assert services[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}
    assert services["migrate"]["command"][1:] == ["migrate", "--no-input"]
    assert services["worker"]["command"][1:] == ["worker"]
    for name in ("app", "worker"):
        # They start once the schema is the code's, never beside a running migration.
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
        assert services[name]["deploy"]["replicas"] == 2
    assert services["migrate"]["restart"] == "no"
    # Both workers deliver standard messages into the one outbox folder the integration
    # engine reads (settings: var/outbox beside the code, /app in the image).
    assert "outbox:/app/var/outbox" in services["worker"]["volumes"]
    assert "outbox" in _compose()["volumes"]


def test_compose_checks_the_app_servers_health_at_a_path_the_app_serves():
    check = " ".join(_compose()["services"]["app"]["healthcheck"]["test"])
    (url,) = re.findall(r"http://127\.0\.0\.1:(\d+)(/\S*?)['\"]", check)
    port, path = url
    assert port == "8000"  # where the image's OVERGANG_BIND listens
    assert resolve(path).url_name == "healthz"


def test_compose_sets_only_variables_the_app_reads_and_builds_the_image_here():
    compose = _compose()
    for name in ("migrate", "app", "worker"):
        service = compose["services"][name]
        assert set(service["environment"]) - _app_reads() == set(), name
        build = service["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (
            DEPLOY / "Containerfile"
        )
    assert "DATABASE_URL" in compose["services"]["app"]["environment"]
    assert "OVERGANG_SECRET_KEY" in compose["services"]["app"]["environment"]


def _instructions() -> list[tuple[str, str]]:
    """The Containerfile's instructions, continuation lines joined, comments left out."""
    text = (DEPLOY / "Containerfile").read_text()
    text = re.sub(r"^\s*#.*\n", "", text, flags=re.MULTILINE).replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip():
            instruction, _, rest = line.strip().partition(" ")
            found.append((instruction.upper(), " ".join(rest.split())))
    return found


def test_the_image_installs_the_hashed_lock_and_runs_as_a_user_of_its_own():
    instructions = _instructions()
    (base,) = [rest for kind, rest in instructions if kind == "FROM"]
    assert base.startswith("python:3.12")  # the lock is resolved for 3.12
    runs = [rest for kind, rest in instructions if kind == "RUN"]
    assert any("pip install --require-hashes --no-deps -r requirements.lock" in r for r in runs)
    assert any("overgang collectstatic --no-input" in r for r in runs)
    assert ("COPY", "requirements.lock ./") in instructions
    users = [rest for kind, rest in instructions if kind == "USER"]
    assert users and users[-1] not in ("root", "0"), "the app runs as root"
    # The user comes after everything that needs root, and before what starts the app.
    kinds = [kind for kind, _ in instructions]
    assert kinds.index("USER") > max(i for i, kind in enumerate(kinds) if kind == "RUN")
    (command,) = [rest for kind, rest in instructions if kind == "CMD"]
    _assert_runs_overgang(json.loads(command), "the image's CMD")


def test_gunicorn_accepts_the_configuration_the_units_and_the_image_run():
    done = subprocess.run(
        [str(BIN / "gunicorn"), "--check-config", "-c", "python:overgang.serving.gunicorn_config"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
