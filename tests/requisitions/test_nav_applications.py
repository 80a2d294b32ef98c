"""NAV applications for long-term technical aids (H5, H6): only where the agreement has NAV
provide the aid; the user's signature, then sent (urgent by exception), NAV's decision, the
delivery and the follow-up; reminders while the signature is missing (3 days, then weekly)."""

import datetime

import pytest

from overgang import clock
from overgang.errors import Conflict, InvalidInput
from overgang.requisitions import actions
from overgang.requisitions.models import NavApplication, NavReminder

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_an_application_for_a_long_term_need_waits_for_the_signature(application_for):
    application = application_for()
    assert application.status == "awaiting-signature"
    assert application.cites == ["002 2"]
    assert application.remind_at - application.created_at == 3 * DAY


def test_a_short_term_need_is_the_municipalitys_own_depot_not_nav(application_for):
    with pytest.raises(InvalidInput) as refused:
        application_for(duration_months=6)
    assert "duration_months" in refused.value.errors
    assert not NavApplication.objects.exists()


def test_terminal_care_goes_to_nav_whatever_the_duration(application_for):
    assert application_for(duration_months=None, terminal=True).status == "awaiting-signature"


def test_treatment_aids_are_never_applied_for_at_nav(application_for):
    with pytest.raises(InvalidInput) as refused:
        application_for(aid_type="cpap")
    assert "002 4" in refused.value.errors["aid_type"]


def test_an_oslo_application_for_a_treatment_aid_does_not_cite_st_olavs_routine(
    frogner_patient, frogner_case_worker, areas
):
    """Oslo's routine routes nothing to NAV: the refusal says so, and never cites HNT's
    002 4."""
    given = actions.NavApplicationInput(
        patient=frogner_patient,
        municipality=areas["oslo-frogner-bestiller"],
        aid_type="cpap",
        duration_months=36,
    )
    with pytest.raises(InvalidInput) as refused:
        actions.register_application(given, actor=frogner_case_worker)
    message = " ".join(refused.value.errors.values())
    assert "002 " not in message and "does not route technical aids to NAV" in message


def test_an_urgent_case_says_why(application_for):
    with pytest.raises(InvalidInput) as bad:
        application_for(urgent=True)
    assert "urgent_reason" in bad.value.errors
    urgent = application_for(urgent=True, urgent_reason="Utskrives fredag; kan ikke ligge uten.")
    assert urgent.urgent


def test_signed_sent_granted_delivered_and_followed_up(application_for, levanger_office):
    application = application_for()
    with pytest.raises(Conflict):  # not sent before it is signed
        actions.record_sent(application, actor=levanger_office)
    with pytest.raises(InvalidInput) as bad:
        actions.record_signature(application, actor=levanger_office, signed_by="guardian")
    assert "signer_name" in bad.value.errors
    signed = actions.record_signature(
        application, actor=levanger_office, signed_by="relative", signer_name="Liv Levangsen"
    )
    assert signed.remind_at is None
    actions.record_sent(signed, actor=levanger_office, nav_reference="HMS-2026-118")
    actions.record_nav_decision(signed, actor=levanger_office, granted=True)
    actions.record_nav_delivery(signed, actor=levanger_office)
    with pytest.raises(InvalidInput):
        actions.record_follow_up(signed, actor=levanger_office, note="")
    done = actions.record_follow_up(signed, actor=levanger_office, note="Sengen fungerer godt.")
    assert done.status == "followed-up" and done.nav_reference == "HMS-2026-118"


def test_reminders_after_three_days_then_every_week_until_signed(application_for, levanger_office):
    application = application_for()
    start = application.created_at
    assert actions.remind_missing_signatures(start + 2 * DAY) == 0
    assert actions.remind_missing_signatures(start + 3 * DAY) == 1
    assert actions.remind_missing_signatures(start + 4 * DAY) == 0  # given once
    assert actions.remind_missing_signatures(start + 9 * DAY) == 0
    assert actions.remind_missing_signatures(start + 10 * DAY) == 1
    application.refresh_from_db()
    assert application.reminders == 2 and application.remind_at == start + 17 * DAY
    assert list(NavReminder.objects.values_list("number", "organisation__key")) == [
        (2, "levanger-tildeling"),
        (1, "levanger-tildeling"),
    ]
    actions.record_signature(application, actor=levanger_office, signed_by="user")
    assert actions.remind_missing_signatures(start + 60 * DAY) == 0


def test_a_worker_that_was_down_gives_one_reminder_not_one_per_missed_week(application_for):
    application = application_for()
    assert actions.remind_missing_signatures(application.created_at + 40 * DAY) == 1
    application.refresh_from_db()
    assert application.remind_at > application.created_at + 40 * DAY


def test_dates_in_the_future_are_refused(application_for, levanger_office):
    application = application_for()
    tomorrow = clock.today() + DAY
    with pytest.raises(InvalidInput) as bad:
        actions.record_signature(
            application, actor=levanger_office, signed_by="user", signed_on=tomorrow
        )
    assert "signed_on" in bad.value.errors
    application.refresh_from_db()
    assert application.status == "awaiting-signature"
