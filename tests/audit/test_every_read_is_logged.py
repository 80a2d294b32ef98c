"""Every page and API operation that shows who a patient is leaves a read in the access log.

The table below classifies every URL pattern of the site and every operation of the API:
either it shows a patient (`Shows`: how to ask for it in the demo installation, and which
patient it shows) or it does not (a sentence saying why not, or that it is an action whose
trace is its history row). A new page or operation that is in no table fails the first
test until someone classifies it; one classified as showing a patient is then requested as
a demo user who may see that patient, and the patient's read must appear.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Model, Q, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from overgang import clock
from overgang.aids import supplies
from overgang.aids.actions.consumables import supply
from overgang.aids.models import (
    ConsumableOrder,
    ConsumptionPlan,
    Device,
    ElectricalCheck,
    Loan,
    ReturnRequest,
)
from overgang.aids.models.consumables import OrderStatus, Route
from overgang.api.urls import api
from overgang.audit.history import system_actor
from overgang.audit.models import PatientRead
from overgang.demo.users import DEMO_USERS
from overgang.organisations.permissions import VIEW
from overgang.patients.models import Patient
from overgang.requisitions.models import Appeal, Dispute, NavApplication, Requisition, SwapReport
from overgang.stays import waiting
from overgang.stays.models import Message, ProcedureDocument, Stay
from overgang.ventilation.models import VentilationAgreement

pytestmark = pytest.mark.django_db

# What a case gives: the address to GET, and the patient it shows.
Ask = tuple[str, Patient]


@dataclass(frozen=True)
class Shows:
    """The page or operation shows a patient: `ask` finds, in the demo installation, an
    address and the patient it shows. `user`: the demo user who asks; by default each demo
    user who may see the patient, until one is answered (200)."""

    ask: Callable[[], Ask]
    user: str = ""


# Reasons for what shows no patient, said once.
ACTION = "an action (POST/PUT): its trace is the history row its writer writes"
CATALOGUE = "the catalogue and its manuals: no patient"
DIRECTORY = "organisations and agreements: no patient"
SITE = "the site's machinery: no patient"
STOCK = "stock and devices on the shelf, counted: no patient"
FAILURE = "a failure and the agreement's advice: the device, not who has it"


def _first[M: Model](queryset: QuerySet[M]) -> M:
    found = queryset.first()
    assert found is not None, f"the demo has no {queryset.model.__name__}"
    return found


def _patient() -> Patient:
    # A patient with loans, in Oslo, whom the lists show on their first page.
    return _loan().patient


def _loan() -> Loan:
    return _first(Loan.objects.filter(returned_at__isnull=True).order_by("pk"))


def _stay() -> Stay:
    return _first(Stay.objects.order_by("pk"))


def _procedure() -> ProcedureDocument:
    return _first(ProcedureDocument.objects.select_related("training__stay").order_by("pk"))


def _procedure_path(api: str = "") -> Ask:
    document = _procedure()
    training = document.training
    path = f"/stays/{training.stay_id}/trainings/{training.pk}/procedures/{document.pk}.pdf"
    return f"{api}{path}", training.stay.patient


def _lent_device() -> Device:
    return _loan().device


def _requisition() -> Requisition:
    return _first(Requisition.objects.order_by("pk"))


def _decided() -> Requisition:
    return _first(Requisition.objects.exclude(decided_at=None).order_by("pk"))


def _by_name(path: str, patient: Patient) -> Ask:
    return f"{path}?q={patient.name.split()[-1]}", patient


def _sent_message() -> Message:
    # A message Overgang sent with its document (the outbox's Delivery).
    return _first(Message.objects.filter(delivery__document__isnull=False).order_by("pk"))


# Every URL pattern of the site outside the API, by its route.
PAGES: dict[str, Shows | str] = {
    "": "the start page: counts and links, no patient",
    "login/": SITE,
    "^api/": "any other path under /api/: a JSON 404, no patient",
    "logout/": SITE,
    "sso/<slug:name>/login/": "single sign-on: off to the identity provider, no patient",
    "sso/<slug:name>/callback/": "single sign-on: back from the identity provider, no patient",
    "logins/paused/": "paused logins: accounts and addresses, no patient",
    "healthz": "the process is up: no data",
    "readyz": "the database answers and is migrated: no data",
    "metrics": "counts and ages for the monitoring: no patient",
    "logins/paused/lift/": ACTION,
    "i18n/setlang/": SITE,
    "patients/": Shows(lambda: _by_name("/patients/", _patient())),
    "patients/new/": "an empty form; what it creates is a change",
    "search/": Shows(lambda: _by_name("/search/", _patient())),
    "patients/<int:pk>/": Shows(lambda: (f"/patients/{_patient().pk}/", _patient())),
    "patients/<int:pk>/edit/": Shows(lambda: (f"/patients/{_patient().pk}/edit/", _patient())),
    "patients/<int:pk>/relatives/": ACTION,
    # The superuser: no demo technician's unit manages the demo's checked homes.
    "patients/<int:pk>/electrical-checks/": Shows(
        lambda: (f"/patients/{_checked().pk}/electrical-checks/", _checked()), user="admin"
    ),
    "patients/<int:pk>/electrical-checks/<int:check_id>/remedied/": ACTION,
    "organisations/": DIRECTORY,
    "organisations/<slug:key>/": DIRECTORY,
    "rules/": DIRECTORY,
    "rules/seeds/<str:prefix>/": DIRECTORY,
    "agreements/catalogue/": "the case catalogues the reader may read: no patient",
    "agreements/<str:key>/catalogue/": "an agreement's case catalogue: no patient",
    # Agreement versions revised by the network group: agreement text, no patient.
    "agreements/revisions/": DIRECTORY,
    "agreements/revisions/new/<str:agreement>/": ACTION,
    "agreements/revisions/<int:pk>/": DIRECTORY,
    "agreements/revisions/<int:pk>/diff/": DIRECTORY,
    "agreements/revisions/<int:pk>/export/": DIRECTORY,
    "agreements/<str:key>/versions/<str:label>/": "a redirect to an agreement version: no patient",
    "devices/": Shows(lambda: (f"/devices/?q={_lent_device().serial}", _loan().patient)),
    "devices/new/": "an empty form for a new device: no patient",
    "loans/without-manual/": Shows(
        lambda: ("/loans/without-manual/", _without_manual().patient), user="ous-bhm"
    ),
    "devices/<serial:serial>/": Shows(
        lambda: (f"/devices/{_lent_device().serial}/", _loan().patient)
    ),
    "devices/<serial:serial>/patients/": Shows(
        lambda: (
            f"/devices/{_available().serial}/patients/?find={_patient().name.split()[-1]}",
            _patient(),
        )
    ),
    "devices/<serial:serial>/lend/": ACTION,
    "devices/<serial:serial>/return/": ACTION,
    "devices/<serial:serial>/handover/": ACTION,
    "devices/<serial:serial>/lend-with/": ACTION,
    "devices/<serial:serial>/reprocess/": ACTION,
    "devices/<serial:serial>/discard/": ACTION,
    "d/<serial:serial>/": Shows(lambda: (f"/d/{_lent_device().serial}/", _loan().patient)),
    "d/<serial:serial>/check-in/": ACTION,
    "d/<path:serial>/": Shows(lambda: (f"/d/{_lent_device().serial}/", _loan().patient)),
    "catalogue/": CATALOGUE,
    "catalogue/manuals/<int:pk>/": CATALOGUE,
    "catalogue/<slug:slug>/": CATALOGUE,
    "catalogue/<slug:slug>/manual/": CATALOGUE,
    "catalogue/<slug:slug>/manuals/": CATALOGUE,
    "devices/<serial:serial>/return-request/": Shows(
        lambda: (f"/devices/{_lent_device().serial}/return-request/", _loan().patient)
    ),
    "returns/": Shows(lambda: ("/returns/", _return().patient)),
    "returns/<int:pk>/": Shows(lambda: (f"/returns/{_return().pk}/", _return().patient)),
    "returns/<int:pk>/schedule/": ACTION,
    "returns/<int:pk>/cancel/": ACTION,
    "consumables/": Shows(lambda: ("/consumables/", _due().loan.patient)),
    "consumables/stock/": STOCK,
    "consumables/orders/<int:pk>/decision.pdf": Shows(
        lambda: (f"/consumables/orders/{_order().pk}/decision.pdf", _order().plan.loan.patient)
    ),
    "loans/<int:pk>/consumables/": Shows(
        lambda: (f"/loans/{_plan().loan.pk}/consumables/", _plan().loan.patient)
    ),
    "loans/<int:pk>/consumables/add/": ACTION,
    "loans/<int:pk>/consumables/supply/": ACTION,
    "loans/<int:pk>/consumables/need/": ACTION,
    "loans/<int:pk>/consumables/<int:plan_id>/end/": ACTION,
    "patients/<int:pk>/swaps/new/": Shows(
        lambda: (f"/patients/{_swap().patient.pk}/swaps/new/", _swap().patient)
    ),
    "swaps/": Shows(lambda: ("/swaps/", _swap().patient)),
    "swaps/<int:pk>/": Shows(lambda: (f"/swaps/{_swap().pk}/", _swap().patient)),
    "swaps/<int:pk>/lend/": ACTION,
    "swaps/<int:pk>/withdraw/": ACTION,
    "patients/<int:pk>/requisitions/new/": Shows(
        lambda: (f"/patients/{_patient().pk}/requisitions/new/", _patient())
    ),
    "requisitions/": Shows(lambda: ("/requisitions/", _requisition().patient)),
    "requisitions/<int:pk>/": Shows(
        lambda: (f"/requisitions/{_requisition().pk}/", _requisition().patient)
    ),
    "requisitions/<int:pk>/assess/": ACTION,
    "requisitions/<int:pk>/decide/": ACTION,
    "requisitions/<int:pk>/reserve/": ACTION,
    "requisitions/<int:pk>/deliver/": ACTION,
    "requisitions/<int:pk>/withdraw/": ACTION,
    "requisitions/<int:pk>/letter-<str:language>.pdf": Shows(
        lambda: (f"/requisitions/{_decided().pk}/letter-nb.pdf", _decided().patient)
    ),
    "requisitions/<int:pk>/appeals/": ACTION,
    "appeals/<int:pk>/forward/": ACTION,
    "appeals/<int:pk>/outcome/": ACTION,
    "patients/<int:pk>/nav/new/": Shows(
        lambda: (f"/patients/{_nav().patient.pk}/nav/new/", _nav().patient), user="levanger-case"
    ),
    "nav/": Shows(lambda: ("/nav/", _nav().patient)),
    "nav/<int:pk>/": Shows(lambda: (f"/nav/{_nav().pk}/", _nav().patient)),
    "nav/<int:pk>/<slug:step>/": ACTION,
    "patients/<int:pk>/disputes/new/": Shows(
        lambda: (f"/patients/{_dispute().patient.pk}/disputes/new/", _dispute().patient)
    ),
    "disputes/": Shows(lambda: ("/disputes/", _dispute().patient)),
    "disputes/<int:pk>/": Shows(lambda: (f"/disputes/{_dispute().pk}/", _dispute().patient)),
    "disputes/<int:pk>/<slug:step>/": ACTION,
    "network/": "the network group's members by side: no patient",
    "network/chairs/<str:agreement>/": ACTION,
    "network/alerts/": "leads to the stock alerts of one of the user's groups: no patient",
    "network/alerts/<str:agreement>/": "the stock alerts: unit, aid type and counts, no patient",
    "network/alerts/<str:agreement>/read/": ACTION,
    "network/meetings/": "the network group's meetings: no patient",
    "network/meetings/new/": "an empty form for a meeting: no patient",
    "network/meetings/<int:pk>/": "a meeting's agenda, minutes and decisions: no patient",
    "network/meetings/<int:pk>/edit/": "a meeting's form: no patient",
    "network/meetings/<int:pk>/decisions/": ACTION,
    "network/questions/": "delimitation questions: the case, never a patient",
    "network/questions/mine/": "the user's own delimitation questions: no patient",
    "network/questions/new/": "a form with the case's fields: no patient",
    "network/questions/<int:pk>/": "a delimitation question: the case or a dispute's subject",
    "network/questions/<int:pk>/<slug:step>/": ACTION,
    "stays/<int:pk>/ventilation/new/": ACTION,
    "ventilation/<int:pk>/": Shows(
        lambda: (f"/ventilation/{_ventilation().pk}/", _ventilation().patient)
    ),
    "ventilation/<int:pk>/edit/": ACTION,
    "ventilation/<int:pk>/sign/": ACTION,
    "ventilation/<int:pk>/pdf/": Shows(
        lambda: (f"/ventilation/{_ventilation().pk}/pdf/?lang=nb", _ventilation().patient)
    ),
    "loans/<int:pk>/slip.pdf": Shows(lambda: (f"/loans/{_loan().pk}/slip.pdf", _loan().patient)),
    "labels/": "choosing devices for a label sheet: serials and kinds, no patient",
    "devices/labels.pdf": "labels of devices: serials and kinds, no patient",
    "devices/<serial:serial>/label.pdf": "a device's label: serial and kind, no patient",
    "depot/": STOCK,
    "depot/overview.csv": STOCK,
    "depot/minimum/": ACTION,
    "capacity/": "every aids unit's counts per aid type, for the network group: no patient",
    "failures/": FAILURE,
    "devices/<serial:serial>/failures/new/": FAILURE,
    "devices/<serial:serial>/failures/<int:pk>/": FAILURE,
    "devices/<serial:serial>/failures/<int:pk>/repair/": ACTION,
    "devices/<serial:serial>/failures/<int:pk>/resolve/": ACTION,
    "stays/<int:pk>/messages/<int:received_pk>/": "received messages: logged, tested in "
    "tests/exchange (the demo receives none)",
    "stays/<int:pk>/messages/sent/<int:message_pk>/": Shows(
        lambda: (
            f"/stays/{_sent_message().stay.pk}/messages/sent/{_sent_message().pk}/",
            _sent_message().stay.patient,
        )
    ),
    "messages/rejected/": "rejected messages: what could not be read, no patient found",
    "messages/rejected/<int:pk>/retry/": ACTION,
    "stays/": Shows(lambda: ("/stays/", _stay().patient)),
    "patients/<int:pk>/admit/": Shows(lambda: (f"/patients/{_patient().pk}/admit/", _patient())),
    "stays/<int:pk>/": Shows(lambda: (f"/stays/{_stay().pk}/", _stay().patient)),
    "stays/<int:pk>/reasoning/": Shows(
        lambda: (f"/stays/{_stay().pk}/reasoning/", _stay().patient)
    ),
    "waiting-days/": Shows(lambda: (f"/waiting-days/?month={_month()}", _waiting())),
    "stays/<int:pk>/survey/": Shows(lambda: (f"/stays/{_stay().pk}/survey/", _stay().patient)),
    "s/<str:token>/": "the survey's page for the patient: three questions, no one named",
    "stays/<int:pk>/waiting-days/": Shows(
        lambda: (f"/stays/{_waiting_stay().pk}/waiting-days/", _waiting_stay().patient)
    ),
    "waiting-day-objections/<int:pk>/answer/": ACTION,
    "stays/<int:pk>/needs/<int:need_pk>/link/": ACTION,
    "stays/<int:pk>/needs/<int:need_pk>/cancel/": ACTION,
    "stays/<int:pk>/leaves/plan/": ACTION,
    "stays/<int:pk>/leaves/<int:leave_pk>/<slug:step>/": ACTION,
    "stays/<int:pk>/trainings/<int:training_pk>/procedures/": ACTION,
    "stays/<int:pk>/trainings/<int:training_pk>/procedures/<int:document_pk>.pdf": Shows(
        _procedure_path
    ),
    "staff-training/": "staff-training sessions: staff and aids, no patient",
    "staff-training/<int:pk>/": "a staff-training session: staff and an aid, no patient",
    "indicators/": "indicators: counts by month, no patient",
    "stays/<int:pk>/<slug:step>/": ACTION,
    "worklist/": Shows(lambda: ("/worklist/", _stay().patient), user="hnt-clinician"),
    "deadlines/<int:pk>/done/": ACTION,
    "notifications/": Shows(lambda: ("/notifications/", _notified())),
    "audit/": Shows(lambda: _by_name("/audit/", _patient()), user="auditor"),
    "audit/patients/<int:pk>/": Shows(
        lambda: (f"/audit/patients/{_patient().pk}/", _patient()), user="auditor"
    ),
    "audit/patients/<int:pk>/reads.csv": Shows(
        lambda: (f"/audit/patients/{_patient().pk}/reads.csv", _patient()), user="auditor"
    ),
}


# Every list's exports (overgang.web.exports): `?format=csv|xlsx|print` on the list's own
# address, so no route of their own; each export of patients must log them as read.
def _exported(ask: Callable[[], Ask]) -> list[Shows]:
    def kind(ask: Callable[[], Ask], kind: str) -> Callable[[], Ask]:
        def asked() -> Ask:
            path, patient = ask()
            return f"{path}{'&' if '?' in path else '?'}format={kind}", patient

        return asked

    return [Shows(kind(ask, format_)) for format_ in ("csv", "xlsx", "print")]


EXPORTS: dict[str, list[Shows]] = {
    "patients/": _exported(lambda: _by_name("/patients/", _patient())),
    "devices/": _exported(lambda: (f"/devices/?q={_lent_device().serial}", _loan().patient)),
    "returns/": _exported(lambda: ("/returns/", _return().patient)),
    "consumables/": _exported(lambda: ("/consumables/", _due().loan.patient)),
    "swaps/": _exported(lambda: ("/swaps/", _swap().patient)),
    "requisitions/": _exported(lambda: ("/requisitions/", _requisition().patient)),
    "nav/": _exported(lambda: ("/nav/", _nav().patient)),
    "disputes/": _exported(lambda: ("/disputes/", _dispute().patient)),
    "stays/": _exported(lambda: ("/stays/", _stay().patient)),
    "waiting-days/": _exported(lambda: (f"/waiting-days/?month={_month()}", _waiting())),
    "notifications/": _exported(lambda: ("/notifications/", _notified())),
}
# Exports asked by one user, as their lists are (the worklist, the access log).
EXPORTS_BY: dict[str, tuple[str, Callable[[], Ask]]] = {
    "worklist/": ("hnt-clinician", lambda: ("/worklist/", _stay().patient)),
    "audit/patients/<int:pk>/": (
        "auditor",
        lambda: (f"/audit/patients/{_patient().pk}/", _patient()),
    ),
}
# Lists whose exports show no patient: their pages are classified so in PAGES.
EXPORTS_OF_NO_PATIENT = (
    "staff-training/",
    "organisations/",
    "catalogue/",
    "depot/",
    "capacity/",
    "agreements/<str:key>/catalogue/",
    "indicators/",
)


# Every operation of the API, as METHOD and path.
API: dict[str, Shows | str] = {
    "GET /api/v1/openapi.json": SITE,
    "GET /api/v1/docs": SITE,
    "GET /api/v1/": SITE,
    "POST /api/v1/auth/token": SITE,
    "GET /api/v1/auth/tokens": "the caller's own tokens: no patient",
    "POST /api/v1/auth/token/revoke": ACTION,
    "POST /api/v1/auth/tokens/{token_id}/revoke": ACTION,
    "POST /api/v1/patients": ACTION,
    "GET /api/v1/patients": Shows(
        lambda: (f"/api/v1/patients?q={_patient().name.split()[-1]}", _patient())
    ),
    "GET /api/v1/patients/{patient_id}": Shows(
        lambda: (f"/api/v1/patients/{_patient().pk}", _patient())
    ),
    "GET /api/v1/organisations": DIRECTORY,
    "GET /api/v1/organisations/{key}": DIRECTORY,
    "POST /api/v1/rules/decide": "asks the agreements about a case it is given: no patient",
    "POST /api/v1/rules/deadlines": "asks the agreements about an event: no patient",
    "GET /api/v1/agreements/{key}/catalogue": "an agreement's case catalogue: no patient",
    "POST /api/v1/devices": ACTION,
    "GET /api/v1/devices/{serial}": Shows(
        lambda: (f"/api/v1/devices/{_lent_device().serial}", _loan().patient)
    ),
    "POST /api/v1/devices/{serial}/reprocess": ACTION,
    "POST /api/v1/loans": ACTION,
    "GET /api/v1/loans/{loan_id}": Shows(lambda: (f"/api/v1/loans/{_loan().pk}", _loan().patient)),
    "POST /api/v1/loans/{loan_id}/devices": ACTION,
    "POST /api/v1/loans/{loan_id}/handover": ACTION,
    "POST /api/v1/loans/{loan_id}/return": ACTION,
    "GET /api/v1/aid-types": CATALOGUE,
    "GET /api/v1/aid-types/{slug}": CATALOGUE,
    "GET /api/v1/aid-types/{slug}/manual": CATALOGUE,
    "GET /api/v1/aid-types/{slug}/manuals": CATALOGUE,
    "POST /api/v1/aid-types/{slug}/manuals": ACTION,
    "GET /api/v1/consumables": CATALOGUE,
    "POST /api/v1/returns": ACTION,
    "GET /api/v1/returns": Shows(lambda: ("/api/v1/returns", _return().patient)),
    "GET /api/v1/returns/{pk}": Shows(
        lambda: (f"/api/v1/returns/{_return().pk}", _return().patient)
    ),
    "POST /api/v1/returns/{pk}/schedule": ACTION,
    "POST /api/v1/returns/{pk}/cancel": ACTION,
    "GET /api/v1/loans/{pk}/consumables": Shows(
        lambda: (f"/api/v1/loans/{_plan().loan.pk}/consumables", _plan().loan.patient)
    ),
    "POST /api/v1/loans/{pk}/consumables": ACTION,
    "POST /api/v1/consumption-plans/{pk}/needs": ACTION,
    "POST /api/v1/consumption-plans/{pk}/supply": ACTION,
    "GET /api/v1/consumable-orders/{pk}/decision-letter": Shows(
        lambda: (
            f"/api/v1/consumable-orders/{_order().pk}/decision-letter",
            _order().plan.loan.patient,
        )
    ),
    "GET /api/v1/consumables/due": Shows(lambda: ("/api/v1/consumables/due", _due().loan.patient)),
    "GET /api/v1/consumables/stock": STOCK,
    "POST /api/v1/consumables/stock": ACTION,
    "POST /api/v1/swaps": ACTION,
    "GET /api/v1/swaps": Shows(lambda: ("/api/v1/swaps", _swap().patient)),
    "GET /api/v1/swaps/{pk}": Shows(lambda: (f"/api/v1/swaps/{_swap().pk}", _swap().patient)),
    "POST /api/v1/swaps/{pk}/lend": ACTION,
    "POST /api/v1/swaps/{pk}/withdraw": ACTION,
    "GET /api/v1/requisitions/existing-loans": Shows(
        lambda: (
            f"/api/v1/requisitions/existing-loans?patient={_loan().patient.pk}"
            f"&aid_type={_loan().device.aid_type.slug}",
            _loan().patient,
        )
    ),
    "POST /api/v1/requisitions": ACTION,
    "GET /api/v1/requisitions": Shows(lambda: ("/api/v1/requisitions", _requisition().patient)),
    "GET /api/v1/requisitions/{pk}": Shows(
        lambda: (f"/api/v1/requisitions/{_requisition().pk}", _requisition().patient)
    ),
    "POST /api/v1/requisitions/{pk}/withdraw": ACTION,
    "POST /api/v1/requisitions/{pk}/assess": ACTION,
    "POST /api/v1/requisitions/{pk}/decision": ACTION,
    "POST /api/v1/requisitions/{pk}/reserve": ACTION,
    "POST /api/v1/requisitions/{pk}/deliver": ACTION,
    "GET /api/v1/requisitions/{pk}/letter": Shows(
        lambda: (f"/api/v1/requisitions/{_decided().pk}/letter", _decided().patient)
    ),
    "GET /api/v1/requisitions/{pk}/journal-note": Shows(
        lambda: (f"/api/v1/requisitions/{_decided().pk}/journal-note", _decided().patient)
    ),
    "POST /api/v1/requisitions/{pk}/appeals": ACTION,
    "GET /api/v1/appeals/{pk}": Shows(
        lambda: (f"/api/v1/appeals/{_appeal().pk}", _appeal().requisition.patient)
    ),
    "POST /api/v1/appeals/{pk}/forward": ACTION,
    "POST /api/v1/appeals/{pk}/outcome": ACTION,
    "POST /api/v1/appeals/{pk}/withdraw": ACTION,
    "POST /api/v1/nav-applications": ACTION,
    "GET /api/v1/nav-applications": Shows(lambda: ("/api/v1/nav-applications", _nav().patient)),
    "GET /api/v1/nav-applications/{pk}": Shows(
        lambda: (f"/api/v1/nav-applications/{_nav().pk}", _nav().patient)
    ),
    "POST /api/v1/nav-applications/{pk}/signature": ACTION,
    "POST /api/v1/nav-applications/{pk}/sent": ACTION,
    "POST /api/v1/nav-applications/{pk}/decision": ACTION,
    "POST /api/v1/nav-applications/{pk}/delivery": ACTION,
    "POST /api/v1/nav-applications/{pk}/follow-up": ACTION,
    "POST /api/v1/nav-applications/{pk}/withdraw": ACTION,
    "POST /api/v1/disputes": ACTION,
    "GET /api/v1/disputes": Shows(lambda: ("/api/v1/disputes", _dispute().patient)),
    "GET /api/v1/disputes/{pk}": Shows(
        lambda: (f"/api/v1/disputes/{_dispute().pk}", _dispute().patient)
    ),
    "POST /api/v1/disputes/{pk}/delivery": ACTION,
    "POST /api/v1/disputes/{pk}/escalate": ACTION,
    "POST /api/v1/disputes/{pk}/settle": ACTION,
    "GET /api/v1/ventilation-agreements": Shows(
        lambda: ("/api/v1/ventilation-agreements", _ventilation().patient)
    ),
    "GET /api/v1/ventilation-agreements/{pk}": Shows(
        lambda: (f"/api/v1/ventilation-agreements/{_ventilation().pk}", _ventilation().patient)
    ),
    "GET /api/v1/ventilation-agreements/{pk}/versions": Shows(
        lambda: (
            f"/api/v1/ventilation-agreements/{_ventilation().pk}/versions",
            _ventilation().patient,
        )
    ),
    "POST /api/v1/ventilation-agreements": ACTION,
    "PUT /api/v1/ventilation-agreements/{pk}": ACTION,
    "POST /api/v1/ventilation-agreements/{pk}/sign": ACTION,
    "POST /api/v1/devices/{serial}/failures": ACTION,
    "POST /api/v1/failures/{failure_id}/repair": ACTION,
    "POST /api/v1/failures/{failure_id}/resolve": ACTION,
    "POST /api/v1/stays": ACTION,
    "GET /api/v1/stays": Shows(lambda: ("/api/v1/stays", _stay().patient)),
    "GET /api/v1/stays/{pk}": Shows(lambda: (f"/api/v1/stays/{_stay().pk}", _stay().patient)),
    "POST /api/v1/stays/{pk}/events": ACTION,
    "POST /api/v1/stays/{pk}/messages": ACTION,
    "POST /api/v1/stays/{pk}/answer": ACTION,
    "PUT /api/v1/stays/{pk}/documented": ACTION,
    "PUT /api/v1/stays/{pk}/prepared": ACTION,
    "PUT /api/v1/stays/{pk}/relatives": ACTION,
    "POST /api/v1/stays/{pk}/messages/{message_pk}/receipt": ACTION,
    "GET /api/v1/deadlines": Shows(lambda: ("/api/v1/deadlines", _stay().patient)),
    "POST /api/v1/deadlines/{pk}/done": ACTION,
    "POST /api/v1/stays/{pk}/needs": ACTION,
    "GET /api/v1/stays/{pk}/needs": Shows(
        lambda: (f"/api/v1/stays/{_stay().pk}/needs", _stay().patient)
    ),
    "POST /api/v1/stays/{pk}/needs/{need_pk}/loan": ACTION,
    "POST /api/v1/stays/{pk}/trainings": ACTION,
    "POST /api/v1/stays/{pk}/leaves": ACTION,
    "GET /api/v1/stays/{pk}/leaves": Shows(
        lambda: (f"/api/v1/stays/{_stay().pk}/leaves", _stay().patient)
    ),
    "POST /api/v1/stays/{pk}/leaves/{leave_pk}/start": ACTION,
    "POST /api/v1/stays/{pk}/leaves/{leave_pk}/end": ACTION,
    "POST /api/v1/stays/{pk}/leaves/{leave_pk}/cancel": ACTION,
    "POST /api/v1/stays/{pk}/leaves/{leave_pk}/aids": ACTION,
    "GET /api/v1/stays/{pk}/trainings": Shows(
        lambda: (f"/api/v1/stays/{_stay().pk}/trainings", _stay().patient)
    ),
    "POST /api/v1/stays/{pk}/trainings/{training_pk}/procedures/written": ACTION,
    "POST /api/v1/stays/{pk}/trainings/{training_pk}/procedures": ACTION,
    "GET /api/v1/stays/{pk}/trainings/{training_pk}/procedures/{document_pk}.pdf": Shows(
        lambda: _procedure_path("/api/v1")
    ),
    "GET /api/v1/staff-trainings": "staff-training sessions: staff and aids, no patient",
    "GET /api/v1/staff-trainings/{pk}": "a staff-training session: staff and an aid, no patient",
    "GET /api/v1/indicators": "indicators: counts by month, no patient",
    "POST /api/v1/staff-trainings": ACTION,
    "GET /api/v1/waiting-days": Shows(
        lambda: (f"/api/v1/waiting-days?month={_month()}", _waiting())
    ),
    "GET /api/v1/waiting-days/statement": Shows(
        lambda: (f"/api/v1/waiting-days/statement?month={_month()}", _waiting())
    ),
    "GET /api/v1/stays/{pk}/waiting-day-objections": Shows(
        lambda: (
            f"/api/v1/stays/{_waiting_stay().pk}/waiting-day-objections",
            _waiting_stay().patient,
        )
    ),
    "POST /api/v1/stays/{pk}/waiting-day-objections": ACTION,
    "POST /api/v1/waiting-day-objections/{pk}/answer": ACTION,
    "POST /api/v1/messages": ACTION,
    "GET /api/v1/messages/{message_id}/receipt": "a receipt: ids and a status, no patient",
    "GET /api/v1/messages/{message_id}": Shows(
        lambda: (f"/api/v1/messages/{_sent_message().message_id}", _sent_message().stay.patient)
    ),
    "GET /api/v1/audit/reads": Shows(
        lambda: (f"/api/v1/audit/reads?patient={_patient().pk}", _patient()), user="auditor"
    ),
}


def _checked() -> Patient:
    return _first(ElectricalCheck.objects.order_by("pk")).patient


def _without_manual() -> Loan:
    return _first(
        Loan.objects.filter(
            returned_at__isnull=True, manual_handed_over=False, device__owner__key="ous-bhm"
        ).order_by("started_at", "pk")
    )


def _available() -> Device:
    return _first(Device.objects.filter(status="available", owner__key="ous-bhm").order_by("pk"))


def _return() -> ReturnRequest:
    return _first(ReturnRequest.objects.order_by("pk"))


def _plan() -> ConsumptionPlan:
    return _first(ConsumptionPlan.objects.order_by("pk"))


def _due() -> ConsumptionPlan:
    due = supplies.due(ConsumptionPlan.objects.all(), clock.today())
    assert due, "the demo has consumables due"
    return due[0].plan


def _order() -> ConsumableOrder:
    """An order met with a decision letter for a pharmacy (the demo's only order waits)."""
    decided = ConsumableOrder.objects.filter(status=OrderStatus.DECIDED).first()
    if decided is not None:
        return decided
    plan: ConsumptionPlan = _first(
        ConsumptionPlan.objects.filter(consumable__pharmacy=True).order_by("pk")
    )
    return supply(
        plan,
        actor=system_actor(),
        route=Route.PHARMACY,
        quantity=plan.quantity,
        valid_until=clock.today() + datetime.timedelta(days=30),
    )


def _month() -> str:
    return f"{clock.today():%Y-%m}"


def _waiting_stay() -> Stay:
    """A stay with waiting days this month."""
    return Stay.objects.get(patient=_waiting())


def _waiting() -> Patient:
    """A patient whose stay has waiting days this month."""
    today = clock.today()
    first, last = waiting.month_bounds(today.year, today.month)
    for statement in waiting.statements(Stay.objects.all(), first, last):
        for line in statement.lines:
            return line.stay.patient
    raise AssertionError("the demo has no waiting days this month")


def _swap() -> SwapReport:
    return _first(SwapReport.objects.order_by("pk"))


def _nav() -> NavApplication:
    return _first(NavApplication.objects.order_by("pk"))


def _dispute() -> Dispute:
    return _first(Dispute.objects.order_by("pk"))


def _ventilation() -> VentilationAgreement:
    return _first(VentilationAgreement.objects.order_by("pk"))


def _appeal() -> Appeal:
    return _first(Appeal.objects.order_by("pk"))


def _notified() -> Patient:
    from overgang.stays.models import Notification

    # One that names a patient (news of a unit's stock names none).
    about_a_patient = Q(patient__isnull=False) | Q(deadline__isnull=False)
    found: Notification = _first(Notification.objects.filter(about_a_patient).order_by("pk"))
    return found.patient if found.patient is not None else found.deadline.stay.patient


# The admin registers no patient-linked model: checked below, so a new registration fails.
ADMIN_PREFIX = "admin/"


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _page_routes() -> set[str]:
    return {
        route
        for route, _ in _routes(get_resolver().url_patterns)
        if not route.startswith(("api/", ADMIN_PREFIX))
    }


def _api_operations() -> set[str]:
    found = set()
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    route = re.sub(r"\{\w+:(\w+)\}", r"{\1}", f"/api/v1{prefix}{path}")
                    found.add(f"{method} {route.rstrip('/') or '/'}")
    return found | {"GET /api/v1/openapi.json", "GET /api/v1/docs", "GET /api/v1/"}


def test_every_page_and_operation_is_classified():
    pages, operations = _page_routes(), _api_operations()
    assert not pages - set(PAGES), "classify these pages in PAGES: do they show a patient?"
    assert not operations - set(API), "classify these operations in API: do they show a patient?"
    assert not set(PAGES) - pages, "these pages no longer exist: remove them from PAGES"
    assert not set(API) - operations, "these operations no longer exist: remove them from API"


def test_the_admin_shows_no_patient():
    from django.contrib import admin

    linked = [
        model._meta.label
        for model in admin.site._registry
        if model._meta.label == "patients.Patient"
        or any(f.related_model is Patient for f in model._meta.fields)
    ]
    assert linked == [], "a patient-linked model in the admin: its pages must log their reads"


def _cases() -> Iterator[tuple[str, Shows]]:
    for table in (PAGES, API):
        for name, entry in table.items():
            if isinstance(entry, Shows):
                yield name, entry
    for name, exports in EXPORTS.items():
        for export in exports:
            yield f"{name} (export)", export
    for name, (user, ask) in EXPORTS_BY.items():
        for export in _exported(ask):
            yield f"{name} (export)", Shows(export.ask, user=user)


def test_every_export_is_of_a_classified_list():
    listed = set(EXPORTS) | set(EXPORTS_BY)
    assert listed <= {name for name, entry in PAGES.items() if isinstance(entry, Shows)}
    assert {name for name in EXPORTS_OF_NO_PATIENT if isinstance(PAGES[name], Shows)} == set()


def _in_scope(patient: Patient) -> Iterator[User]:
    """The demo users (not the superuser) who may see the patient, in the contract's order."""
    for demo_user in DEMO_USERS:
        user = User.objects.get(username=demo_user.username)
        if not demo_user.superuser and Patient.objects.restrict(user, VIEW).filter(pk=patient.pk):
            yield user


def _asked_by(case: Shows, patient: Patient) -> list[User]:
    """Who asks: the case's user, or else each demo user in scope until one is answered."""
    if case.user:
        return [User.objects.get(username=case.user)]
    return list(_in_scope(patient))


def test_every_page_and_operation_that_shows_a_patient_logs_the_read(demo):
    silent: list[str] = []
    unanswered: list[str] = []
    for name, case in _cases():
        path, patient = case.ask()
        for user in _asked_by(case, patient):
            client = Client()
            client.force_login(user)
            reads = PatientRead.objects.filter(patient=patient, user=user)
            before = reads.count()
            response = client.get(path)
            if response.status_code == 200:
                if reads.count() == before:
                    silent.append(f"{name} ({path} as {user}, patient {patient.pk})")
                break
        else:
            unanswered.append(f"{name} ({path}: no demo user in scope is answered)")
    assert "\n".join(unanswered) == "", "the case does not reach its page: fix the table"
    assert "\n".join(silent) == "", "these show a patient and leave no read"
