"""Requisitions of treatment aids on the pages (U1–U3).

A clinician asks from the patient's page (or from a need on the stay) and sees the aids
already on loan first; the agreement's answer on who may ask comes at once with its
citation. The treatment-aids unit works two lists — requisitions to assess and granted aids
to deliver by date — decides with reasons, reserves a device, delivers it, prints the
decision letter and registers appeals.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang import clock
from overgang.aids.models import AidType, Device, DeviceStatus
from overgang.audit.history import log_read
from overgang.audit.models import ChangeRecord, ReadPurpose
from overgang.errors import InvalidInput
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import DECIDE, MANAGE_DEVICES, VIEW
from overgang.patients.models import Patient
from overgang.requisitions import actions, letters
from overgang.requisitions.access import (
    may_decide,
    may_requisition,
    requesting_places,
)
from overgang.requisitions.models import Appeal, Requisition, RequisitionStatus
from overgang.requisitions.states import AppealStatus
from overgang.stays.models import Need, NeedKind, NeedStatus, Stay
from overgang.stays.states import StayStatus
from overgang.web.common.citations import cite_links
from overgang.web.common.forms import split_serials
from overgang.web.common.reads import read_page
from overgang.web.common.views import (
    AuthedRequest,
    Refused,
    attempt,
    paginate,
    run_step,
    scoped_or_404,
)
from overgang.web.exports.respond import exported
from overgang.web.requisitions import tables
from overgang.web.requisitions.cases import requisition_case
from overgang.web.requisitions.forms import (
    AppealForm,
    DecisionForm,
    DeliverForm,
    ForwardForm,
    OutcomeForm,
    RequisitionForm,
    ReserveForm,
    WithdrawForm,
)

PER_PAGE = 25
SHOWS = ("to-assess", "to-deliver", "open", "all")
SORTS = {
    "received": ("submitted_at", "id"),
    "-received": ("-submitted_at", "-id"),
    "deliver-by": ("deliver_by", "submitted_at", "id"),
    "patient": ("patient__name", "submitted_at", "id"),
    "aid": ("aid_type__slug", "submitted_at", "id"),
}


def _patient(request: AuthedRequest, pk: int) -> Patient:
    return scoped_or_404(Patient.objects.restrict(request.user, VIEW), pk=pk)


@login_required
def requisition_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """The requisition form, built for the route and the requester's role chosen. Choosing
    them again (`choose` posted: htmx on a change, or the button without JavaScript) shows
    the form for them with what was typed, and sends nothing."""
    patient = _patient(request, pk)
    if not may_requisition(request.user):
        raise PermissionDenied
    stays = Stay.objects.restrict(request.user, VIEW).filter(
        patient=patient, status__in=StayStatus.OPEN
    )
    needs = Need.objects.filter(
        stay__in=stays, kind=NeedKind.AID, status=NeedStatus.OPEN
    ).select_related("aid_type")
    places = requesting_places(request.user)
    loans = (
        patient.loans.filter(returned_at__isnull=True)
        .select_related("device__aid_type", "device__owner")
        .order_by("device__aid_type__slug")
    )
    sending = request.method == "POST" and "choose" not in request.POST
    initial = _new_requisition_initial(request, needs, places)
    chosen = request.POST if request.method == "POST" else request.GET
    case = requisition_case(request.user, places, stays, chosen, initial.get("requester_role", ""))
    if request.method == "POST" and not sending:
        # Shown again for the case chosen, unbound: no errors before anything is sent.
        initial.update((name, request.POST.get(name)) for name in request.POST)
    initial.update(route=case.route, requester_role=case.role)
    initial.setdefault("stay", stays.first())  # the patient's one open stay, if it fits
    form = RequisitionForm(
        request.POST if sending else None,
        initial=initial,
        case=case,
        stays=stays,
        needs=needs,
        places=places,
        loans=loans.exists(),
    )
    status = 200
    if sending:
        requisition = _submit_from_form(request, patient, form)
        if requisition is not None:
            messages.success(
                request,
                _("The requisition is sent to %(unit)s.") % {"unit": requisition.unit.name},
            )
            return redirect("requisition-detail", pk=requisition.pk)
        status = 422
    log_read(patient, user=request.user, purpose=ReadPurpose.REQUISITION)
    context = {"patient": patient, "form": form, "loans": loans}
    return render(request, "requisitions/new.html", context, status=status)


def _new_requisition_initial(
    request: AuthedRequest, needs: QuerySet[Need], places: list[Organisation]
) -> dict[str, Any]:
    """The form as the requester most likely fills it: their name and only place, the
    specialist role on the hospital side, the open stay, and the need or aid asked about."""
    initial: dict[str, Any] = {
        "requester_name": request.user.get_full_name() or request.user.get_username(),
        "department": places[0] if len(places) == 1 else None,
    }
    if places and all(p.is_hospital_side for p in places):
        initial["requester_role"] = "specialist-physician"
    chosen = needs.filter(pk=request.GET.get("need") or 0).first()
    if chosen is not None:
        initial.update(need=chosen, stay=chosen.stay)
        if chosen.aid_type is not None:
            initial["aid_type"] = chosen.aid_type.slug
    elif request.GET.get("aid_type"):
        initial["aid_type"] = request.GET["aid_type"]
    return initial


def _submit_from_form(
    request: AuthedRequest, patient: Patient, form: RequisitionForm
) -> Requisition | None:
    """The submitted requisition, or None with the problems on the form."""
    if form.is_valid() and not _another_confirmed(patient, form):
        return None
    outcome = attempt(
        lambda: actions.submit_requisition(
            _submission(patient, form.cleaned_data), actor=request.user
        ),
        form,
    )
    return None if isinstance(outcome, Refused) else outcome


def _another_confirmed(patient: Patient, form: RequisitionForm) -> bool:
    """Asking for an aid the patient already has on loan needs the requester's confirmation;
    without it, the form says which devices the patient has."""
    data = form.cleaned_data
    kind = _kind(data.get("aid_type", ""))
    same_kind = list(actions.existing_loans(patient, kind)) if kind else []
    if not same_kind or data.get("confirm_existing"):
        return True
    form.add_error(
        "confirm_existing",
        _("%(name)s already has %(aid)s on loan (%(serials)s). Confirm that another is needed.")
        % {
            "name": patient.name,
            "aid": kind.name if kind else "",
            "serials": ", ".join(loan.device.serial for loan in same_kind),
        },
    )
    return False


def _submission(patient: Patient, data: dict[str, Any]) -> actions.RequisitionInput:
    """The requisition as the form gives it; stay and need on the inpatient route, and on
    the outpatient route those of an outpatient episode (none given: the writer links the
    patient's open episode)."""
    inpatient = data.get("route") == "inpatient"
    stay, need = data.get("stay"), data.get("need")
    if not inpatient:
        stay = stay if stay is not None and stay.is_outpatient else None
        need = need if stay is not None and need is not None and need.stay_id == stay.pk else None
    return actions.RequisitionInput(
        patient=patient,
        aid_type=data.get("aid_type", ""),
        justification=data.get("justification", ""),
        requester_role=data.get("requester_role", ""),
        requester_name=data.get("requester_name", ""),
        department=data.get("department"),
        route=data.get("route", ""),
        stay=stay,
        need=need,
        phase=data.get("phase", ""),
        lymphoedema=data.get("lymphoedema", ""),
        referred_by=data.get("referred_by", ""),
        referred_on=data.get("referred_on"),
        conferred_with=data.get("conferred_with", ""),
        conferred_at=data.get("conferred_at"),
    )


def _kind(slug: str) -> AidType | None:
    return AidType.objects.filter(slug=slug).first() if slug else None


@login_required
def requisition_list(request: AuthedRequest) -> HttpResponse:
    if not request.user.has_perm("patients.view_patient"):
        raise PermissionDenied
    decides = request.user.has_perm("aids.manage_device")
    show = request.GET.get("show") or ("to-assess" if decides else "open")
    if show not in SHOWS:
        show = "open"
    sort = request.GET.get("sort") or ("deliver-by" if show == "to-deliver" else "received")
    if sort not in SORTS:
        sort = "received"
    found: QuerySet[Requisition]
    if show == "to-assess":
        found = Requisition.objects.restrict(request.user, DECIDE).filter(
            status__in=sorted(RequisitionStatus.TO_DECIDE)
        )
    elif show == "to-deliver":
        found = Requisition.objects.restrict(request.user, DECIDE).filter(
            status=RequisitionStatus.GRANTED
        )
    elif show == "open":
        found = Requisition.objects.restrict(request.user, VIEW).filter(
            status__in=sorted(RequisitionStatus.OPEN)
        )
    else:
        found = Requisition.objects.restrict(request.user, VIEW)
    found = found.select_related("patient", "aid_type", "unit", "device", "stay").order_by(
        *SORTS[sort]
    )
    export = exported(request, tables.REQUISITIONS, found)
    if export is not None:
        return export
    context = {
        "page": read_page(request, paginate(request, found, PER_PAGE)),
        "show": show,
        "sort": sort,
        "decides": decides,
        "today": clock.today(),
    }
    return render(request, "requisitions/list.html", context)


def _requisition(request: AuthedRequest, pk: int) -> Requisition:
    return scoped_or_404(
        Requisition.objects.restrict(request.user, VIEW).select_related(
            "patient",
            "aid_type",
            "unit",
            "department",
            "stay",
            "need",
            "device",
            "loan",
            "submitted_by",
            "decided_by",
        ),
        pk=pk,
    )


def _available(request: AuthedRequest, requisition: Requisition) -> list[Device]:
    kind = requisition.aid_type
    return list(
        Device.objects.restrict(request.user, MANAGE_DEVICES)
        .filter(owner=requisition.unit, status=DeviceStatus.AVAILABLE)
        .filter(aid_type__slug__in=[kind.slug, *kind.parts])
        .order_by("serial")[:100]
    )


def _history(requisition: Requisition) -> list[dict[str, Any]]:
    """The requisition's changes as a reader follows them: statuses by their names."""
    rows = []
    for change in ChangeRecord.objects.filter(
        model=Requisition._meta.label_lower, object_id=str(requisition.pk)
    ).select_related("actor"):
        old, new = change.changes.get("status", [None, None])
        if change.action == "created":
            what = _("Received")
        elif new:
            what = (
                f"{RequisitionStatus(old).label if old else '–'} → {RequisitionStatus(new).label}"
            )
        elif "device" in change.changes:
            what = _("Reserved device changed")
        else:
            what = change.get_action_display()
        rows.append({"at": change.at, "actor": change.actor, "what": what, "reason": change.reason})
    return rows


def _detail(
    request: AuthedRequest,
    requisition: Requisition,
    *,
    forms: dict[str, Any] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    decides = may_decide(request.user, requisition)
    devices = _available(request, requisition) if decides else []
    language = letters.letter_language("", country=requisition.country)
    appeals = list(requisition.appeals.all())
    open_appeal = next((a for a in appeals if a.status in AppealStatus.OPEN), None)
    history = _history(requisition)
    context: dict[str, Any] = {
        "requisition": requisition,
        "links": cite_links(requisition.cites),
        "appeal_route": actions.appeal_for(requisition),
        "loans": actions.existing_loans(requisition.patient, requisition.aid_type).exclude(
            pk=requisition.loan_id or 0
        ),
        "decides": decides,
        "to_decide": decides and requisition.status in RequisitionStatus.TO_DECIDE,
        "granted": requisition.status == RequisitionStatus.GRANTED,
        "may_withdraw": requisition.status in RequisitionStatus.OPEN
        and (decides or requisition.submitted_by_id == request.user.pk),
        "appeals": appeals,
        "open_appeal": open_appeal,
        "may_appeal": decides
        and requisition.status == RequisitionStatus.REFUSED
        and open_appeal is None,
        "journal_note": letters.journal_note(requisition, language=language)
        if requisition.decided_at
        else "",
        "history": history,
        "decision_form": DecisionForm(devices=devices),
        "reserve_form": ReserveForm(devices=devices),
        "deliver_form": DeliverForm(),
        "withdraw_form": WithdrawForm(),
        "appeal_form": AppealForm(),
        "forward_form": ForwardForm(),
        "outcome_form": OutcomeForm(),
        "error": error,
        **(forms or {}),
    }
    return render(request, "requisitions/detail.html", context, status=status)


@login_required
def requisition_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _requisition(request, pk)
    log_read(requisition.patient, user=request.user, purpose=ReadPurpose.REQUISITION)
    return _detail(request, requisition)


def _deciding(request: AuthedRequest, pk: int) -> Requisition:
    requisition = _requisition(request, pk)
    if not may_decide(request.user, requisition):
        raise Http404
    return requisition


def _device(request: AuthedRequest, serial: str) -> Device | None:
    if not serial:
        return None
    found, missing = Device.objects.restrict(request.user, MANAGE_DEVICES).by_serials([serial])
    if missing:
        raise InvalidInput(
            {
                "device": _("No device of your unit has the serial number %(serials)s.")
                % {"serials": serial}
            }
        )
    return found[0]


def _run(
    request: AuthedRequest,
    requisition: Requisition,
    name: str,
    form: Any,
    write: Any,
    done: str,
) -> HttpResponse:
    """Run a writer for the form called `name` on the detail page."""

    def page(request: AuthedRequest, requisition: Requisition, **shown: Any) -> HttpResponse:
        bound = shown.pop("form")
        return _detail(request, requisition, forms={name: bound} if bound else None, **shown)

    return run_step(request, page, requisition, form, write, done, "requisition-detail")


@login_required
@require_POST
def requisition_assess(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _deciding(request, pk)
    return _run(
        request,
        requisition,
        "decision_form",
        None,
        lambda: actions.start_assessment(requisition, actor=request.user),
        _("You are assessing the requisition."),
    )


@login_required
@require_POST
def requisition_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _deciding(request, pk)
    form = DecisionForm(request.POST, devices=_available(request, requisition))
    form.is_valid()
    data = form.cleaned_data
    approved = data.get("approved")
    if approved in ("", None):
        form.add_error("approved", _("Choose whether to grant or refuse."))
        return _detail(request, requisition, forms={"decision_form": form}, status=422)

    def write() -> None:
        actions.decide_requisition(
            requisition,
            actor=request.user,
            approved=bool(approved),
            reason=data.get("reason", ""),
            delivery=data.get("delivery", ""),
            deliver_by=data.get("deliver_by"),
            device=_device(request, data.get("device", "")),
        )

    return _run(
        request,
        requisition,
        "decision_form",
        form,
        write,
        _("Granted. Print the decision letter for the patient.")
        if approved
        else _("Refused. Print the decision letter for the patient."),
    )


@login_required
@require_POST
def requisition_reserve(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _deciding(request, pk)
    form = ReserveForm(request.POST, devices=_available(request, requisition))
    form.is_valid()
    serial = form.cleaned_data.get("device", "")

    def write() -> None:
        device = _device(request, serial)
        if device is None:
            raise InvalidInput({"device": _("Choose the device to reserve.")})
        actions.reserve_for(requisition, device, actor=request.user)

    return _run(request, requisition, "reserve_form", form, write, _("The device is reserved."))


@login_required
@require_POST
def requisition_deliver(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _deciding(request, pk)
    form = DeliverForm(request.POST)
    form.is_valid()
    data = form.cleaned_data

    def write() -> None:
        serials = split_serials(data.get("companions", ""))
        found, missing = (
            Device.objects.restrict(request.user, MANAGE_DEVICES).by_serials(serials)
            if serials
            else ([], [])
        )
        if missing:
            raise InvalidInput(
                {
                    "companions": _("No device of your unit has the serial number %(serials)s.")
                    % {"serials": ", ".join(missing)}
                }
            )
        actions.deliver(
            requisition,
            actor=request.user,
            companions=found,
            manual_handed_over=data.get("manual_handed_over", False),
            instruction_given=data.get("instruction_given", False),
        )

    return _run(request, requisition, "deliver_form", form, write, _("Delivered: the aid is lent."))


@login_required
@require_POST
def requisition_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _requisition(request, pk)
    if not may_decide(request.user, requisition) and (
        requisition.submitted_by_id != request.user.pk
    ):
        raise Http404
    form = WithdrawForm(request.POST)
    form.is_valid()
    return _run(
        request,
        requisition,
        "withdraw_form",
        form,
        lambda: actions.withdraw_requisition(
            requisition, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        _("The requisition is withdrawn."),
    )


@login_required
def requisition_letter(request: AuthedRequest, pk: int, language: str) -> HttpResponse:
    requisition = _requisition(request, pk)
    if language not in ("nb", "da") or requisition.decided_at is None:
        raise Http404
    log_read(requisition.patient, user=request.user, purpose=ReadPurpose.DECISION_LETTER)
    response = HttpResponse(
        letters.decision_letter(requisition, language=letters.letter_language(language)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="vedtak-{requisition.pk}-{language}.pdf"'
    return response


@login_required
@require_POST
def appeal_new(request: AuthedRequest, pk: int) -> HttpResponse:
    requisition = _deciding(request, pk)
    form = AppealForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _run(
        request,
        requisition,
        "appeal_form",
        form,
        lambda: actions.register_appeal(
            requisition,
            actor=request.user,
            appellant=data.get("appellant", ""),
            appellant_name=data.get("appellant_name", ""),
            grounds=data.get("grounds", ""),
            received_on=data.get("received_on"),
        ),
        _("The appeal is registered. Assess it again, or forward it."),
    )


def _appeal(request: AuthedRequest, pk: int) -> Appeal:
    appeal = scoped_or_404(
        Appeal.objects.restrict(request.user, VIEW).select_related("requisition"), pk=pk
    )
    if not may_decide(request.user, appeal.requisition):
        raise Http404
    return appeal


@login_required
@require_POST
def appeal_forward(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    form = ForwardForm(request.POST)
    form.is_valid()
    return _run(
        request,
        _requisition(request, appeal.requisition_id),
        "forward_form",
        form,
        lambda: actions.forward_appeal(
            appeal, actor=request.user, forwarded_on=form.cleaned_data.get("forwarded_on")
        ),
        _("The appeal is forwarded to %(body)s.") % {"body": appeal.body},
    )


@login_required
@require_POST
def appeal_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    requisition = _requisition(request, appeal.requisition_id)
    form = OutcomeForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    upheld = data.get("upheld")
    if upheld in ("", None):
        form.add_error("upheld", _("Choose the outcome."))
        return _detail(request, requisition, forms={"outcome_form": form}, status=422)
    return _run(
        request,
        requisition,
        "outcome_form",
        form,
        lambda: actions.record_outcome(
            appeal,
            actor=request.user,
            upheld=bool(upheld),
            outcome=data.get("outcome", ""),
            decided_on=data.get("decided_on"),
        ),
        _("Upheld: the requisition is back in the queue to be assessed again.")
        if upheld
        else _("Dismissed: the refusal stands."),
    )
