"""A training's written procedures (O10, 000 9.1): added as a PDF or printed from steps,
and printed again from the stay's page. Reading one is a read of the patient's record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from overgang.audit.history import log_read
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays import actions
from overgang.stays.actions.training import PROCEDURE_MAX_BYTES
from overgang.stays.models import ProcedureDocument, Training
from overgang.stays.procedure_pdf import procedure_response
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.stays.training_forms import ProcedureForm
from overgang.web.stays.views import _detail, _stay


def _training(request: AuthedRequest, pk: int, training_pk: int, action: str) -> Training:
    stay = _stay(request, pk, action)
    return scoped_or_404(Training.objects.filter(stay=stay).select_related("stay"), pk=training_pk)


@login_required
@require_POST
def procedure_add(request: AuthedRequest, pk: int, training_pk: int) -> HttpResponse:
    training = _training(request, pk, training_pk, CHANGE)
    form = ProcedureForm(request.POST, request.FILES, training_pk=training.pk)
    form.auto_id = f"id_procedure_{training.pk}_%s"

    def write() -> ProcedureDocument:
        upload = form.cleaned_data.get("file")
        return actions.attach_procedure(
            training,
            actor=request.user,
            title=form.cleaned_data.get("title", ""),
            content=upload.read(PROCEDURE_MAX_BYTES + 1) if upload else b"",
            steps=(form.cleaned_data.get("steps") or "").splitlines(),
        )

    done = attempt(write, form)
    if isinstance(done, Refused):
        return _detail(
            request,
            training.stay,
            bound=("procedure", form),
            error=done.message,
            status=done.status,
        )
    messages.success(
        request, _("The written procedure “%(title)s” is attached.") % {"title": done.title}
    )
    return redirect("stay-detail", pk=pk)


@login_required
def procedure_file(
    request: AuthedRequest, pk: int, training_pk: int, document_pk: int
) -> HttpResponse:
    training = _training(request, pk, training_pk, VIEW)
    document = scoped_or_404(ProcedureDocument.objects.filter(training=training), pk=document_pk)
    # The procedure names the patient: a read of the record.
    log_read(training.stay.patient, user=request.user, purpose=ReadPurpose.NEEDS)
    return procedure_response(document)
