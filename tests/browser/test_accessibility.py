"""The key pages pass axe-core's checks (axe-core from tests/browser/package-lock.json,
installed by `make test`): no violation a screen-reader or keyboard user would be stopped
or seriously hindered by (impact serious or critical), on a wide screen and on a phone.

Without axe-core the test is skipped, except on CI (CI=true), where it fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from overgang.aids.models import Device
from overgang.audit.history import system_actor
from overgang.demo.management.commands.demo import Command as Demo
from overgang.patients.models import Patient
from overgang.stays.models import Stay

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_MISSING = (
    f"axe-core not found at {AXE.relative_to(Path(__file__).resolve().parents[2])}: "
    "run `make browser-deps` (npm ci --prefix tests/browser)"
)
SERIOUS = ("serious", "critical")
WIDTHS = (1366, 390)


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(AXE_MISSING + "; CI must install it.", pytrace=False)
        pytest.skip(AXE_MISSING)
    return AXE.read_text(encoding="utf-8")


def _key_pages() -> list[str]:
    """The pages everyone works in, with one patient, stay and device of the demo."""
    patient = Patient.objects.filter(stays__isnull=False).order_by("pk").first()
    stay = Stay.objects.order_by("pk").first()
    device = Device.objects.order_by("serial").first()
    assert patient and stay and device, "the demo has patients, stays and devices"
    return [
        "/",
        "/patients/",
        f"/patients/{patient.pk}/",
        f"/stays/{stay.pk}/",
        "/worklist/",
        "/devices/",
        f"/devices/{device.serial}/",
        "/requisitions/",
        "/returns/",
        "/depot/",
        "/labels/",
        "/notifications/",
        "/catalogue/",
        "/rules/",
        "/organisations/",
    ]


def _serious_violations(page: Page, axe: str) -> list[str]:
    """axe-core's serious and critical violations of the page, one readable block each."""
    # Evaluated through the browser's devtools protocol, which the page's
    # Content-Security-Policy (no inline script) does not stop.
    page.evaluate(axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        nodes = "\n".join(
            f"      {' '.join(node['target'])}\n        {' '.join(node['failureSummary'].split())}"
            for node in violation["nodes"][:5]
        )
        found.append(
            f"  {violation['impact']}: {violation['id']} – {violation['help']}"
            f" ({len(violation['nodes'])} elements)\n{nodes}"
        )
    return found


def test_the_key_pages_have_no_serious_accessibility_violations(
    page: Page, log_in: Callable[[str], Page]
) -> None:
    axe = _axe_source()
    # One demo for both widths: loading it is most of the test's time.
    Demo().load(actor=system_actor(), seed=2026)
    report: list[str] = []

    def check(path: str, width: int, *, open_menu: bool = False) -> None:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        if open_menu:
            page.locator(".menu-button").click()
        found = _serious_violations(page, axe)
        if found:
            shown = f"{path}{' with the menu open' if open_menu else ''} at {width} px"
            report.append(f"{shown}:\n" + "\n".join(found))

    for width in WIDTHS:
        page.context.clear_cookies()
        page.set_viewport_size({"width": width, "height": 900})
        check("/login/", width)
        log_in("admin")
        for path in _key_pages():
            check(path, width)
        if width < 640:  # the phone's menu, opened, is part of every page
            check("/", width, open_menu=True)
    assert not report, "axe-core found serious or critical violations:\n" + "\n".join(report)


def test_the_check_finds_a_serious_violation(page: Page) -> None:
    """The check above can fail: an image without a text and an unnamed button are found."""
    axe = _axe_source()
    page.set_content('<main><img src="x.png"><button></button></main>')
    found = "\n".join(_serious_violations(page, axe))
    assert "image-alt" in found and "button-name" in found
