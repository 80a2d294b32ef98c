"""Issue 14 (4): the requesting unit is told when its requisition is decided, and the hospital
and the applying office when NAV decides; news names the step, not the patient's health."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from overgang.requisitions import actions
from overgang.stays import actions as stay_actions
from overgang.stays.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def news_of(kind: str) -> list[tuple[str, str]]:
    return [
        (n.organisation.key, n.link)
        for n in Notification.objects.filter(kind=NotificationKind.EVENT, news=kind).order_by("pk")
    ]


def test_the_requesting_department_is_told_of_the_decision(requisition_of, unn_unit, unn_physician):
    requisition = requisition_of()
    actions.start_assessment(requisition, actor=unn_unit)
    assert news_of("requisition-decided") == []
    actions.decide_requisition(requisition, actor=unn_unit, approved=False, reason="Ikke KOLS.")
    assert news_of("requisition-decided") == [("unn-lunge", f"/requisitions/{requisition.pk}/")]
    ward = Client(HTTP_ACCEPT_LANGUAGE="nb")
    ward.force_login(unn_physician)
    assert 'id="news-count"' in ward.get("/").content.decode()
    assert "En rekvisisjon er avgjort" in ward.get("/notifications/").content.decode()


def test_nav_s_decision_is_told_to_the_hospital_while_the_patient_is_in_it(
    application_for, levanger_office, levanger_user, areas, make_user
):
    physician = make_user("hnt-lege", ("hnt-levanger-med", "clinician"))
    stay = stay_actions.admit(
        levanger_user,
        actor=physician,
        unit=areas["hnt-levanger-med"],
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=5),
    )
    application = application_for(stay=stay)
    actions.record_signature(application, actor=levanger_office, signed_by="user")
    actions.record_sent(application, actor=levanger_office, nav_reference="HMS-1")
    actions.record_nav_decision(application, actor=levanger_office, granted=True)
    # The office recorded it itself: only the hospital is told.
    assert news_of("nav-decided") == [("hnt-levanger-med", f"/nav/{application.pk}/")]


def test_nav_s_decision_recorded_by_someone_else_is_told_to_the_applying_office(
    application_for, levanger_office, make_user
):
    application = application_for()
    actions.record_signature(application, actor=levanger_office, signed_by="user")
    actions.record_sent(application, actor=levanger_office, nav_reference="HMS-2")
    colleague = make_user("levanger-boss", ("levanger", "case-worker"))
    actions.record_nav_decision(application, actor=colleague, granted=False, note="Avslag.")
    assert news_of("nav-decided") == [("levanger-tildeling", f"/nav/{application.pk}/")]
