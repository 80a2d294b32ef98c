"""The devices pages: the technician's list, a device's page with its actions, and the page a
scanned label opens. They read through overgang.aids.access and write through
overgang.aids.actions, nothing else."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.aids import actions, sets
from overgang.aids.access import (
    managing_units,
)
from overgang.aids.models import (
    OPEN_RETURNS,
    AidType,
    Device,
    DeviceTransition,
    Loan,
    ReturnRequest,
)
from overgang.aids.states import DeviceStatus
from overgang.audit.models import ReadPurpose
from overgang.errors import Conflict, InvalidInput
from overgang.i18n import current_language
from overgang.organisations.agreements import agreements_of
from overgang.organisations.models import Organisation
from overgang.organisations.permissions import MANAGE_DEVICES, VIEW, is_unrestricted
from overgang.organisations.regions import region_of
from overgang.patients.models import Patient
from overgang.requisitions.models import Requisition
from overgang.requisitions.states import RequisitionStatus
from overgang.web.common.reads import itself, read_list, read_one
from overgang.web.common.views import AuthedRequest, Refused, attempt, paginate, scoped_or_404
from overgang.web.devices import tables
from overgang.web.devices.borrowers import with_borrowers
from overgang.web.devices.forms import (
    TO_REPROCESS,
    DeviceForm,
    DeviceSearchForm,
    DiscardForm,
    HandoverForm,
    LendForm,
    LendWithForm,
    ReprocessForm,
    ReturnForm,
)
from overgang.web.exports.respond import CAP, asked, exported

# Back from a loan or half-way through reprocessing: what the start page counts as to reprocess.
TO_REPROCESS_STATUSES = frozenset({DeviceStatus.RETURNED, DeviceStatus.REPROCESSING})

DEVICES_PER_PAGE = 50
MANAGE = "aids.manage_device"

# What may be reprocessed: back from a loan, half-way through, or back from repair.
REPROCESSABLE = frozenset(
    {DeviceStatus.RETURNED, DeviceStatus.REPROCESSING, DeviceStatus.IN_REPAIR}
)

# The order a device goes through its life, for sorting by status.
_LIFE_ORDER = Case(
    *(When(status=status, then=Value(i)) for i, status in enumerate(DeviceStatus)),
    output_field=IntegerField(),
)


def filter_devices(
    devices: QuerySet[Device], *, q: str = "", status: str = "", aid_type: str = ""
) -> QuerySet[Device]:
    """Search by serial or by the type's name in any language, and filter by status and type."""
    if q := q.strip():
        devices = devices.filter(
            Q(serial__icontains=q)
            | Q(aid_type__name_nb__icontains=q)
            | Q(aid_type__name_da__icontains=q)
            | Q(aid_type__name_en__icontains=q)
        )
    if status == TO_REPROCESS:
        devices = devices.filter(status__in=sorted(TO_REPROCESS_STATUSES))
    elif status:
        devices = devices.filter(status=status)
    if aid_type:
        devices = devices.filter(aid_type__slug=aid_type)
    return devices


def _sorted(devices: QuerySet[Device], sort: str) -> QuerySet[Device]:
    name = f"aid_type__name_{current_language()}"
    keys = {
        "serial": ("serial",),
        "type": (name, "serial"),
        "status": (_LIFE_ORDER, "serial"),
    }
    descending = sort.startswith("-")
    ordering = [
        key if not descending else (f"-{key}" if isinstance(key, str) else key.desc())
        for key in keys[sort.lstrip("-")]
    ]
    return devices.order_by(*ordering)


def _sort_links(request: AuthedRequest, sort: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it (or reverses it) and its arrow."""
    query = request.GET.copy()
    query.pop("page", None)
    links = {}
    for key in ("serial", "type", "status"):
        query["sort"] = f"-{key}" if sort == key else key
        arrow = "▲" if sort == key else "▼" if sort == f"-{key}" else ""
        links[key] = {"href": f"?{query.urlencode()}", "arrow": arrow}
    return links


@login_required
@permission_required(MANAGE, raise_exception=True)
def device_list(request: AuthedRequest) -> HttpResponse:
    devices = Device.objects.restrict(request.user, MANAGE_DEVICES)
    form = DeviceSearchForm(
        request.GET, aid_types=AidType.objects.filter(pk__in=devices.values("aid_type"))
    )
    form.is_valid()
    data = form.cleaned_data
    sort = data.get("sort") or "serial"
    found = _sorted(
        filter_devices(
            devices.select_related("aid_type"),
            q=data.get("q", ""),
            status=data.get("status", ""),
            aid_type=data.get("aid_type", ""),
        ),
        sort,
    )
    if asked(request):
        whole = list(found[: CAP + 1])
        with_borrowers(request.user, whole)
        return exported(request, tables.DEVICES, whole, form=form) or HttpResponse(status=204)
    page = paginate(request, found, DEVICES_PER_PAGE)
    page.object_list = list(page.object_list)
    with_borrowers(request.user, page.object_list)
    read_list(request, page.object_list, patient=attrgetter("borrower"))
    context = {
        "form": form,
        "query": data.get("q", ""),
        "filtered": any(data.get(key) for key in ("q", "status", "aid_type")),
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "page": page,
    }
    template = "devices/_results.html" if request.htmx else "devices/list.html"
    return render(request, template, context)


def _owners(user: Any) -> list[Organisation]:
    units = managing_units(user)
    if not units and is_unrestricted(user):
        units = list(Organisation.objects.filter(kind__in=actions.DEVICE_OWNERS))
    return units


@login_required
@permission_required(MANAGE, raise_exception=True)
def device_create(request: AuthedRequest) -> HttpResponse:
    form = DeviceForm(request.POST or None, units=_owners(request.user))
    status = 200
    existing = None
    if request.method == "POST":
        outcome = attempt(lambda: _register(form, request.user), form)
        if not isinstance(outcome, Refused):
            messages.success(request, _("%(device)s is registered.") % {"device": outcome})
            return redirect("device-detail", serial=outcome.serial)
        if outcome.status == 409:
            # Most often it is the same device, registered before: offer its page.
            existing = (
                Device.objects.restrict(request.user, MANAGE_DEVICES)
                .filter(serial=form.cleaned_data["serial"].strip())
                .first()
            )
        status = outcome.shown_on(form, "serial")
    context = {"form": form, "single_owner": form.sole_owner, "existing": existing}
    return render(request, "devices/form.html", context, status=status)


def _register(form: DeviceForm, actor: Any) -> Device:
    data = form.cleaned_data
    return actions.register_device(
        actor=actor,
        aid_type=data["aid_type"],
        serial=data["serial"],
        owner=data["owner"],
        location=data["location"],
    )


def _visible(request: AuthedRequest, serial: str) -> Device:
    """The device, if its unit is the user's, it is lent to a patient the user may see, or
    it is reserved for one (a granted requisition the user may see links to it): read only
    for all but its unit. Anyone else finds nothing."""
    user = request.user
    reserved = _reservations(user).values("device_id")
    devices = Device.objects.filter(
        Q(pk__in=Device.objects.restrict(user, VIEW).values("pk"))
        | Q(pk__in=reserved, status=DeviceStatus.RESERVED)
    )
    return scoped_or_404(devices.select_related("aid_type", "owner__parent"), serial=serial)


def _reservations(user: Any) -> QuerySet[Requisition]:
    """The granted requisitions the user may see that hold a device for their patient."""
    return Requisition.objects.restrict(user, VIEW).filter(
        status=RequisitionStatus.GRANTED, device__isnull=False
    )


def _reserved_for(user: Any, device: Device) -> Requisition | None:
    """The requisition the device is reserved for, if the user may see it."""
    if device.status != DeviceStatus.RESERVED:
        return None
    return _reservations(user).filter(device=device).select_related("patient").first()


def _managed(request: AuthedRequest, serial: str) -> Device:
    return scoped_or_404(
        Device.objects.restrict(request.user, MANAGE_DEVICES).select_related(
            "aid_type", "owner__parent"
        ),
        serial=serial,
    )


def _active_loan(device: Device) -> Loan | None:
    return device.loans.filter(returned_at__isnull=True).first()


def _borrower(user: Any, loan: Loan | None) -> Patient | None:
    """The patient of the loan, if the user may see them."""
    if loan is None:
        return None
    return Patient.objects.restrict(user, VIEW).filter(pk=loan.patient_id).first()


def _history(user: Any, device: Device) -> list[DeviceTransition]:
    changes = list(device.transitions.select_related("actor"))
    ids = {c.details.get("patient") for c in changes if c.details.get("patient")}
    visible = {p.pk: p for p in Patient.objects.restrict(user, VIEW).filter(pk__in=ids)}
    for change in changes:
        change.patient = visible.get(change.details.get("patient"))  # type: ignore[attr-defined]
    return changes


def _device_page(
    request: AuthedRequest,
    device: Device,
    *,
    failed: tuple[str, Any] | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    """The device page; `failed` is the form that came back with errors, by its name, and
    `conflict` what the device's current state says against it."""
    user = request.user
    manages = Device.objects.restrict(user, MANAGE_DEVICES).filter(pk=device.pk).exists()
    # Those who see the device only as reserved for their patient read it; failures are
    # reported and followed by those whose patient has it, or by its unit.
    may_report = manages or Device.objects.restrict(user, VIEW).filter(pk=device.pk).exists()
    loan = _active_loan(device)
    borrower, history = _borrower(user, loan), _history(user, device)
    reservation = _reserved_for(user, device)
    # The borrower, the patient it is reserved for and the earlier borrowers the history names.
    named = [
        borrower,
        reservation.patient if reservation else None,
        *(getattr(change, "patient", None) for change in history),
    ]
    read_list(request, named, patient=itself, purpose=ReadPurpose.DEVICE, what=device.serial)
    context: dict[str, Any] = {
        "device": device,
        "loan": loan,
        "borrower": borrower,
        "reservation": reservation,
        "history": history,
        "manages": manages,
        "may_report": may_report,
        "conflict": conflict,
        **_loan_set(loan),
    }
    if not manages:
        return render(request, "devices/detail.html", context, status=status)
    shown = {
        "lend_form": device.status in DeviceStatus.LENDABLE,
        "return_form": loan is not None,
        "handover_form": loan is not None,
        "lend_with_form": loan is not None
        and any(m.kind in (sets.SECOND_UNIT, sets.PART) for m in context["missing"]),
        "reprocess_form": device.status in REPROCESSABLE,
        "discard_form": DeviceStatus.may_move(device.status, DeviceStatus.DISCARDED),
    }
    forms: dict[str, Any] = {
        "lend_form": LendForm(
            patients=Patient.objects.restrict(user, VIEW), device=device, region=region_of(user)
        ),
        "return_form": ReturnForm(),
        "handover_form": HandoverForm(
            initial={
                "loan": loan.pk,
                "manual_handed_over": loan.manual_handed_over,
                "instruction_given": loan.instruction_given,
            }
        )
        if loan
        else None,
        "lend_with_form": LendWithForm(initial={"loan": context["main"].pk}) if loan else None,
        "reprocess_form": ReprocessForm(),
        "discard_form": DiscardForm(),
    }
    context["on_shelf"] = _on_shelf(user, device, context)
    if failed is not None:
        name, form = failed
        forms[name] = form
        if conflict and shown[name]:
            # The form is still there: the message goes where the user's eyes are.
            form.add_error(None, conflict)
            context["conflict"] = ""
    context.update(forms)
    # The manual its unit hands over: the one of the agreement the unit lends under.
    kept_for = agreements_of(device.owner)
    context["manual"] = actions.current_manual(device.aid_type, kept_for[0].id if kept_for else "")
    context.update(_lend_choices(forms["lend_form"]))
    context.update({name.replace("_form", "_shown"): on for name, on in shown.items()})
    return render(request, "devices/detail.html", context, status=status)


def _loan_set(loan: Loan | None) -> dict[str, Any]:
    """The set the loan belongs to: its loans (main first) and what it still lacks."""
    if loan is None:
        return {"main": None, "set_loans": [], "missing": [], "complete": False}
    main = sets.main_of(loan)
    loans = sets.loans_of_set(main)
    missing = sets.outstanding(main, loans)
    return {
        "main": main,
        "set_loans": loans if len(loans) > 1 else [],
        "missing": missing,
        "complete": sets.is_complete(missing),
        "open_return": ReturnRequest.objects.filter(loans=loan, status__in=OPEN_RETURNS).first(),
    }


SHELF_SHOWN = 6


def _on_shelf(user: Any, device: Device, context: dict[str, Any]) -> list[Device]:
    """Available devices of the unit that could go with this one: of its own type, of the
    therapies it is part of, or of what the current set lacks."""
    kinds = {device.aid_type.slug}
    for missing in context["missing"]:
        if missing.aid_type:
            kinds.add(missing.aid_type)
    for therapy in AidType.objects.exclude(parts=[]):
        if device.aid_type.slug in therapy.parts:
            kinds.update(therapy.parts)
    return list(
        Device.objects.restrict(user, MANAGE_DEVICES)
        .filter(owner=device.owner, status__in=DeviceStatus.LENDABLE, aid_type__slug__in=kinds)
        .exclude(pk=device.pk)
        .select_related("aid_type")
        .order_by("aid_type__slug", "serial")[:SHELF_SHOWN]
    )


def _lend_choices(form: LendForm) -> dict[str, Any]:
    """The patients to choose from in the lend form: those matching the search, and the one
    already chosen when the form comes back with an error elsewhere."""
    find = str(form["find"].value() or "")
    suggestions = form.suggest(find)
    chosen = form.cleaned_data.get("patient") if form.is_bound else None
    if chosen is not None and chosen not in suggestions:
        suggestions.insert(0, chosen)
    return {
        "suggestions": suggestions,
        "find": find,
        "chosen": chosen.pk if chosen is not None else None,
    }


@login_required
def device_detail(request: AuthedRequest, serial: str) -> HttpResponse:
    return _device_page(request, _visible(request, serial))


@login_required
def patient_suggestions(request: AuthedRequest, serial: str) -> HttpResponse:
    """The htmx answer to typing in the lend form's patient search."""
    device = _managed(request, serial)
    form = LendForm(
        patients=Patient.objects.restrict(request.user, VIEW), device=device, region=None
    )
    find = request.GET.get("find", "")
    suggestions = read_list(request, form.suggest(find), patient=itself)
    context = {"suggestions": suggestions, "find": find, "chosen": None}
    return render(request, "devices/_patient_choices.html", context)


def _failed(
    request: AuthedRequest, device: Device, name: str, form: Any, refused: Refused
) -> HttpResponse:
    """The device page again, with the form that failed and what was wrong with it: a
    conflict is the device changed under the user's feet (another clerk, an old page)."""
    device.refresh_from_db()
    return _device_page(
        request, device, failed=(name, form), conflict=refused.message, status=refused.status
    )


def _companions(request: AuthedRequest, serials: list[str], field: str) -> list[Device]:
    """The devices of the user's unit with these serial numbers; any other is bad input."""
    found, unknown = Device.objects.restrict(request.user, MANAGE_DEVICES).by_serials(serials)
    if unknown:
        raise InvalidInput(
            {
                field: _("No device of your unit has the serial number %(serials)s.")
                % {"serials": ", ".join(unknown)}
            }
        )
    return found


@login_required
@require_POST
def device_lend(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form = LendForm(
        request.POST,
        patients=Patient.objects.restrict(request.user, VIEW),
        device=device,
        region=region_of(request.user),
    )
    outcome = attempt(lambda: _lend(request, device, form.cleaned_data), form)
    if isinstance(outcome, Refused):
        return _failed(request, device, "lend_form", form, outcome)
    loan, companions = outcome
    lent = ", ".join([device.serial, *(c.serial for c in companions)])
    messages.success(
        request,
        _("%(serial)s is lent to %(patient)s.") % {"serial": lent, "patient": loan.patient.name},
    )
    return redirect("device-detail", serial=device.serial)


def _lend(
    request: AuthedRequest, device: Device, data: dict[str, Any]
) -> tuple[Loan, list[Device]]:
    companions = _companions(request, data["companions"], "companions")
    loan = actions.lend_device(
        device,
        data["patient"],
        actor=request.user,
        placement=data["placement"],
        institution=data["institution"],
        expected_end=data["expected_end"],
        manual_handed_over=data["manual_handed_over"],
        instruction_given=data["instruction_given"],
        delivery=data["delivery"],
        purpose=data["purpose"],
        therapy=data.get("therapy", ""),
        companions=companions,
    )
    return loan, companions


def _this_loan(device: Device, loan_id: int | None) -> Loan:
    """The loan the page showed, if it is still the device's active loan."""
    loan = device.loans.filter(pk=loan_id, returned_at__isnull=True).first() if loan_id else None
    if loan is None:
        raise Conflict(_("The page was out of date. Look again and repeat."))
    return loan


@login_required
@require_POST
def device_handover(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form = HandoverForm(request.POST)
    outcome = attempt(
        lambda: actions.hand_over(
            _this_loan(device, form.cleaned_data["loan"]),
            actor=request.user,
            manual_handed_over=form.cleaned_data["manual_handed_over"],
            instruction_given=form.cleaned_data["instruction_given"],
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _failed(request, device, "handover_form", form, outcome)
    messages.success(request, _("The handover of %(serial)s is saved.") % {"serial": serial})
    return redirect("device-detail", serial=device.serial)


@login_required
@require_POST
def device_lend_with(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form = LendWithForm(request.POST)
    outcome = attempt(lambda: _lend_with(request, device, form.cleaned_data), form)
    if isinstance(outcome, Refused):
        return _failed(request, device, "lend_with_form", form, outcome)
    messages.success(
        request,
        _("%(serial)s is lent with %(main)s.") % {"serial": outcome.serial, "main": serial},
    )
    return redirect("device-detail", serial=device.serial)


def _lend_with(request: AuthedRequest, device: Device, data: dict[str, Any]) -> Device:
    """Lend the device `data` names with the set of this device's loan; that device."""
    wanted = data["device"].strip()
    if not wanted:
        raise InvalidInput(
            {"device": _("Enter the serial number of the device to lend with the set.")}
        )
    other = _companions(request, [wanted], "device")[0]
    loan = _active_loan(device)
    main = sets.main_of(loan) if loan is not None else None
    if main is None or main.pk != data["loan"]:
        raise Conflict(_("The page was out of date. Look again and repeat."))
    actions.lend_with(
        main,
        other,
        actor=request.user,
        manual_handed_over=data["manual_handed_over"],
        instruction_given=data["instruction_given"],
    )
    return other


def _check_in(
    request: AuthedRequest, device: Device, *, shown: bool = True
) -> tuple[ReturnForm, Refused | None]:
    """Register the return of the loan the page showed."""
    form = ReturnForm(request.POST)

    def write() -> Loan:
        loan = device.loans.filter(pk=form.cleaned_data["loan"]).first()
        if loan is None:
            raise Conflict(_("The page was out of date. Look again and repeat."))
        return actions.return_loan(loan, actor=request.user)

    outcome = attempt(write, form, shown=shown)
    if isinstance(outcome, Refused):
        return form, outcome
    messages.success(
        request,
        _("%(serial)s is checked in. Reprocess it before the next loan.")
        % {"serial": device.serial},
    )
    return form, None


@login_required
@require_POST
def device_return(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form, refused = _check_in(request, device)
    if refused is not None:
        return _failed(request, device, "return_form", form, refused)
    return redirect("device-detail", serial=device.serial)


@login_required
@require_POST
def device_reprocess(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form = ReprocessForm(request.POST)
    outcome = attempt(
        lambda: actions.reprocess_device(device, actor=request.user, **form.cleaned_data), form
    )
    if isinstance(outcome, Refused):
        return _failed(request, device, "reprocess_form", form, outcome)
    device = outcome
    messages.success(
        request,
        _("%(serial)s is %(status)s.")
        % {"serial": device.serial, "status": device.get_status_display()},
    )
    return redirect("device-detail", serial=device.serial)


@login_required
@require_POST
def device_discard(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    form = DiscardForm(request.POST)
    outcome = attempt(
        lambda: actions.discard_device(
            device, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        form,
    )
    if isinstance(outcome, Refused):
        return _failed(request, device, "discard_form", form, outcome)
    messages.success(request, _("%(serial)s is discarded.") % {"serial": device.serial})
    return redirect("device-detail", serial=device.serial)


@login_required
def device_scan(request: AuthedRequest, serial: str) -> HttpResponse:
    """What a scanned label opens: the device at a glance, and for its unit check in and out."""
    device = _visible(request, serial)
    return _label_page(request, device)


def _label_page(
    request: AuthedRequest, device: Device, *, error: str = "", status: int = 200
) -> HttpResponse:
    loan = _active_loan(device)
    manages = Device.objects.restrict(request.user, MANAGE_DEVICES).filter(pk=device.pk).exists()
    borrower = _borrower(request.user, loan)
    if borrower is not None:
        read_one(request, borrower, ReadPurpose.DEVICE, what=device.serial)
    context = {
        "device": device,
        "loan": loan,
        "borrower": borrower,
        "manages": manages,
        "open_return": ReturnRequest.objects.filter(loans=loan, status__in=OPEN_RETURNS).first()
        if loan
        else None,
        "may_lend": device.status in DeviceStatus.LENDABLE,
        "may_reprocess": device.status in REPROCESSABLE,
        "error": error,
    }
    return render(request, "devices/label.html", context, status=status)


@login_required
@require_POST
def device_check_in(request: AuthedRequest, serial: str) -> HttpResponse:
    device = _managed(request, serial)
    _form, refused = _check_in(request, device, shown=False)
    if refused is not None:
        device.refresh_from_db()
        return _label_page(request, device, error=refused.message, status=refused.status)
    return redirect("device-scan", serial=device.serial)
