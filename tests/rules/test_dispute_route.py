"""N13: the dispute route is the agreement's own data (nordjylland-2024.toml `[dispute]`),
read by the registry; an agreement without that section names none, and a changed file
changes the route."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from overgang.rules import registry
from overgang.rules.disputes import NoDisputeRoute, closest_party, next_level, route_for
from overgang.rules.spec import SpecError


@pytest.fixture
def agreements_dir(tmp_path, monkeypatch):
    """A copy of the agreement files the registry reads instead of the real ones."""
    copy = tmp_path / "agreements"
    shutil.copytree(registry.AGREEMENT_DIR, copy)
    monkeypatch.setattr(registry, "AGREEMENT_DIR", copy)
    registry.forget_loaded()
    yield copy
    registry.forget_loaded()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_route_is_read_from_the_agreement_file():
    route = route_for("nordjylland")
    assert route.levels == ("lowest", "contact-committee", "network-group")
    assert route.cites == ("003 8",)
    assert dict(route.level_cites) == {
        "lowest": ("003 8",),
        "contact-committee": ("003 5.1",),
        "network-group": ("003 5.1",),
    }
    party, reasons, cites = closest_party("nordjylland", in_hospital=False)
    assert party == "municipality" and "kommunen" in reasons["da"] and cites == ["003 8"]


@pytest.mark.parametrize("agreement", ["oslo", "unn", "hnt"])
def test_an_agreement_without_a_dispute_section_has_no_route(agreement):
    with pytest.raises(NoDisputeRoute):
        route_for(agreement)


def test_removing_the_section_removes_the_route(agreements_dir):
    path = agreements_dir / "nordjylland-2024.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("[dispute]")
    end = text.index("# ----", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(NoDisputeRoute):
        route_for("nordjylland")


def test_a_changed_file_changes_the_route(agreements_dir):
    path = agreements_dir / "nordjylland-2024.toml"
    _edit(path, '[[dispute.level]]\nkey = "contact-committee"\ncites = ["003 5.1"]\n\n', "")
    _edit(path, "betalingen afklares efterfølgende.", "betalingen afklares bagefter.")
    assert route_for("nordjylland").levels == ("lowest", "network-group")
    assert next_level("nordjylland", "lowest") == "network-group"
    assert next_level("nordjylland", "network-group") is None
    _party, reasons, _cites = closest_party("nordjylland", in_hospital=True)
    assert reasons["da"].endswith("betalingen afklares bagefter.")


def test_an_unknown_level_is_refused_naming_it(agreements_dir):
    _edit(agreements_dir / "nordjylland-2024.toml", 'key = "network-group"', 'key = "minister"')
    with pytest.raises(SpecError, match="minister"):
        registry.all_agreements()
