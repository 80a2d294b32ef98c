"""The home-ventilation agreement's versions and signatures under any sequence of changes
and signatures by either side (hypothesis, O11).

After every step: a refused step changes nothing; versions are numbered 1, 2, … with only
the last one possibly a draft; a version is signed by both exactly when both signatures are
on it; a version signed by both never changes again; a draft carries no signature given to
other words (a change undoes it); and every accepted step leaves a history row.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from overgang.ventilation import actions
from overgang.ventilation.models import AgreementVersion, VersionStatus
from tests.ventilation.conftest import complete

pytestmark = pytest.mark.django_db

SIDES = ("hospital", "district")
step = st.one_of(
    st.tuples(st.just("sign"), st.sampled_from(SIDES), st.just("")),
    st.tuples(st.just("change"), st.sampled_from(SIDES), st.sampled_from(("A", "B", "C"))),
    # A change that refuses itself: a duty moved from the rules' answer without a reason.
    st.tuples(st.just("bad change"), st.sampled_from(SIDES), st.just("")),
    st.tuples(st.just("empty"), st.sampled_from(SIDES), st.just("")),
)


class Rollback(Exception):
    pass


def versions(agreement) -> list[Any]:
    return list(AgreementVersion.objects.filter(ventilation=agreement).order_by("number").values())


def act(operation: str, who, choice: str, agreement) -> None:
    if operation == "sign":
        actions.sign(agreement, actor=who)
    elif operation == "change":
        complete(agreement, who, staffing_plan=f"Plan {choice}")
    elif operation == "bad change":
        rows = [
            {"duty": r["duty"], "party": "citizen", "reason": ""}
            for r in agreement.current.responsibilities
        ]
        complete(agreement, who, responsibilities=rows)
    else:  # a change that takes the participants away again
        complete(agreement, who, participants=[])


def check(agreement, signed_before: dict[int, dict]) -> dict[int, dict]:
    found = versions(agreement)
    assert [v["number"] for v in found] == list(range(1, len(found) + 1))
    assert all(v["status"] == VersionStatus.SIGNED for v in found[:-1])
    for v in found:
        both = v["hospital_signed_at"] is not None and v["municipality_signed_at"] is not None
        assert (v["status"] == VersionStatus.SIGNED) is both
    for number, kept in signed_before.items():
        assert found[number - 1] == kept, f"signed version {number} changed"
    return {v["number"]: v for v in found if v["status"] == VersionStatus.SIGNED}


@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_any_sequence_keeps_signed_versions_as_signed(
    steps, oslo_need, oslo_stay, ous_clinician, frogner_nurse
):
    people = {"hospital": ous_clinician, "district": frogner_nurse}
    try:
        with transaction.atomic():
            agreement = actions.draft(oslo_stay, actor=ous_clinician)
            complete(agreement, frogner_nurse)
            signed: dict[int, dict] = {}
            for operation, who, choice in steps:
                before = versions(agreement)
                rows_before = ChangeRecord.objects.count()
                try:
                    act(operation, people[who], choice, agreement)
                except (Conflict, InvalidInput) as refused:
                    note(f"{operation} by {who} refused: {refused}")
                    assert versions(agreement) == before
                else:
                    note(f"{operation} by {who}")
                    after = versions(agreement)
                    if after != before:
                        assert ChangeRecord.objects.count() > rows_before
                    if operation != "sign" and before[-1]["status"] == VersionStatus.SIGNED:
                        assert len(after) == len(before) + 1
                signed = check(agreement, signed)
            raise Rollback
    except Rollback:
        pass


def test_a_signature_is_never_kept_on_changed_words(drafted, ous_clinician, frogner_nurse):
    """The example the property turns on, spelled out."""
    complete(drafted, frogner_nurse)
    actions.sign(drafted, actor=ous_clinician)
    changed = complete(drafted, frogner_nurse, assessment_date=datetime.date(2026, 3, 27))
    assert changed.hospital_signed_at is None
    unchanged = complete(drafted, frogner_nurse, assessment_date=datetime.date(2026, 3, 27))
    assert unchanged.hospital_signed_at is None and unchanged.number == 1
