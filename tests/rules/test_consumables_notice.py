"""O6: consumables are ordered 1–2 weeks before the patient runs out (000 5.0)."""

import datetime
import re
from pathlib import Path

import pytest

from overgang.rules.registry import AGREEMENT_DIR, _load, agreement_by_id
from overgang.rules.spec import SpecError
from tests.rules.test_requirements import DATE

ON = datetime.date.fromisoformat(DATE)


def test_O6_oslo_reminds_from_two_weeks_to_one_week_before_running_out():
    notice = agreement_by_id("oslo", on=ON).consumables_notice
    assert (notice.earliest, notice.latest, notice.cites) == (14, 7, ("000 5.0",))


def test_an_agreement_that_names_no_window_gets_the_same_fortnight_without_a_citation():
    notice = agreement_by_id("unn", on=ON).consumables_notice
    assert (notice.earliest, notice.latest, notice.cites) == (14, 7, ())


@pytest.mark.parametrize("days", ["[7]", '["one", "two"]', "7"])
def test_a_broken_window_is_an_error_naming_the_file(tmp_path: Path, days: str):
    text = (AGREEMENT_DIR / "oslo-2025.toml").read_text(encoding="utf-8")
    path = tmp_path / "oslo-2025.toml"
    path.write_text(
        text.replace("notice_days = [7, 14]", f"notice_days = {days}"), encoding="utf-8"
    )
    with pytest.raises(SpecError, match=re.escape("oslo-2025.toml: consumables.notice_days")):
        _load(path)
