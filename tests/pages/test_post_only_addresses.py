"""After a form came back with an error, the address bar shows the action's address. A GET
there (a reload, a language switch, a new tab) brings the user to the page the action
belongs to, never to a blank 405."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from overgang.aids import actions

pytestmark = pytest.mark.django_db


@pytest.fixture
def technician(client, ous_technician):
    client.force_login(ous_technician)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_reloading_a_device_action_after_an_error_shows_the_device_page(technician, ventilator):
    failed = technician.post("/devices/HV-0001/discard/", {"reason": " "})
    assert failed.status_code == 422
    reloaded = technician.get("/devices/HV-0001/discard/", follow=True)
    assert reloaded.status_code == 200
    assert reloaded.redirect_chain == [("/devices/HV-0001/", 302)]
    assert reloaded.context["device"] == ventilator


def test_switching_the_language_on_an_action_address_lands_on_its_page(technician, ventilator):
    switched = technician.post(
        "/i18n/setlang/", {"language": "nb", "next": "/devices/HV-0001/lend/"}, follow=True
    )
    assert switched.status_code == 200
    assert switched.redirect_chain[-1] == ("/devices/HV-0001/", 302)
    assert switched.context["device"] == ventilator
    assert '<html lang="nb">' in switched.content.decode()


def test_a_serial_with_a_slash_is_kept_on_the_way_back(technician, system, areas):
    device = actions.register_device(
        actor=system, aid_type="cpap", serial="NEW-OXY 77/A", owner=areas["ous-bhm"]
    )
    page = technician.get("/devices/NEW-OXY%2077%252FA/reprocess/", follow=True)
    assert page.redirect_chain == [("/devices/NEW-OXY%2077%252FA/", 302)]
    assert page.context["device"] == device


def test_other_actions_lead_to_their_pages(technician, frogner_patient):
    patient = f"/patients/{frogner_patient.pk}/"
    assert technician.get(f"{patient}relatives/").url == patient
    assert technician.get("/requisitions/7/decide/").url == "/requisitions/7/"
    assert technician.get("/logout/").url == "/"
    assert technician.get("/loans/4/consumables/9/end/").url == "/loans/4/consumables/"
    # The address above is itself an action (a stay's step "needs"): the next GET climbs on.
    chain = technician.get("/stays/5/needs/3/cancel/", follow=True).redirect_chain
    assert chain == [("/stays/5/needs/", 302), ("/stays/5/", 302)]


def test_the_api_still_tells_a_program_the_method_is_not_allowed(api_as, ous_technician):
    assert api_as(ous_technician).get("/devices/HV-0001/reprocess").status_code == 405


SAMPLES = {"int": "1", "serial": "HV-0001", "path": "HV-0001", "slug": "x", "str": "x"}


def _page_routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(("api/", "admin/", "i18n/")):
                yield from _page_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_no_page_address_answers_a_get_with_a_bare_405(client, ous_technician, ventilator):
    client.force_login(ous_technician)
    client.raise_request_exception = False
    refused = []
    for route in _page_routes(get_resolver().url_patterns):
        path = "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], route)
        if client.get(path).status_code == 405:
            refused.append(path)
    assert refused == []
