"""The survey's pages: on a stay, the link made for the patient; and the page the link opens,
which needs no login and shows nothing about the patient."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_protect

from overgang import clock
from overgang.audit.channel import channel
from overgang.audit.history import log_read, system_actor
from overgang.audit.models import ReadPurpose
from overgang.organisations.permissions import CHANGE, VIEW
from overgang.stays.models import Stay
from overgang.stays.states import StayStatus
from overgang.survey import actions
from overgang.survey.models import Invitation
from overgang.web.common.views import AuthedRequest, Refused, attempt, scoped_or_404
from overgang.web.survey.forms import AnswerForm
from overgang.web.survey.qr import qr_svg

# The language of the page the patient opens: the stay's country's.
_LANGUAGE = {"NO": "nb", "DK": "da"}


def _stay(request: AuthedRequest, pk: int, action: str) -> Stay:
    return scoped_or_404(
        Stay.objects.restrict(request.user, action).select_related("patient", "hospital"), pk=pk
    )


@login_required
def stay_survey(request: AuthedRequest, pk: int) -> HttpResponse:
    """The stay's survey: whether a link was made and answered, the answers, and making a
    new link (shown once, to print for the patient)."""
    stay = _stay(request, pk, CHANGE if request.method == "POST" else VIEW)
    log_read(stay.patient, user=request.user, purpose=ReadPurpose.STAY, what="survey")
    context: dict[str, object] = {"stay": stay, "patient": stay.patient}
    status = 200
    if request.method == "POST":
        made = attempt(lambda: actions.invite(stay, actor=request.user), shown=False)
        if isinstance(made, Refused):
            context["refused"] = made.message
            status = made.status
        else:
            _, token = made
            link = request.build_absolute_uri(reverse("survey-answer", args=[token]))
            context |= {"link": link, "qr": qr_svg(link)}
    invitations = list(
        Invitation.objects.filter(stay=stay).select_related("created_by", "answer")[:20]
    )
    may_change = Stay.objects.restrict(request.user, CHANGE).filter(pk=stay.pk).exists()
    context |= {
        "now": clock.now(),
        "invitations": invitations,
        "answered": next((i for i in invitations if i.answered_at), None),
        "may_invite": may_change and stay.status == StayStatus.DISCHARGED,
    }
    response = render(request, "survey/stay.html", context, status=status)
    add_never_cache_headers(response)  # the link is shown once; no copy in a cache
    return response


@csrf_protect
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The three questions, on the link the patient got. No login; nothing on the page names
    the patient, and a link that is used, replaced or expired says only that."""
    # A used or expired link still speaks the stay's language when it says so.
    known = actions.invitation_of(token)
    language = _LANGUAGE.get(known.stay.country, "nb") if known else None
    if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        language = None  # the reader chose a language in the header: theirs, then
    invitation = actions.open_invitation(token) if known else None
    with translation.override(language or translation.get_language()):
        if invitation is None:
            response = render(request, "survey/closed.html", status=404)
        elif request.method == "POST":
            form = AnswerForm(request.POST)
            done = attempt(lambda: _answer(token, form), form)
            if isinstance(done, Refused):
                context = {"form": form, "hospital": invitation.stay.hospital, "refused": done}
                response = render(request, "survey/answer.html", context, status=done.status)
            else:
                response = render(request, "survey/thanks.html")
        else:
            context = {"form": AnswerForm(), "hospital": invitation.stay.hospital}
            response = render(request, "survey/answer.html", context)
    add_never_cache_headers(response)
    # The token never leaves for another site in a Referer; within the site the browser must
    # still say where the form came from ("no-referrer" makes it send Origin: null, which
    # the CSRF check rightly refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


def _answer(token: str, form: AnswerForm) -> object:
    with channel("survey:answer"):
        return actions.answer(token, form.cleaned_data, actor=system_actor())
