"""What every page and API answer tells the browser: keep no copy, run only our own files,
switch off the camera and the rest. Static files are the exception that keeps its caching."""

from __future__ import annotations

import urllib.request

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        found[name] = values
    return found


def test_a_page_of_patients_is_not_kept_and_runs_only_our_own_files(
    client, frogner_case_worker, frogner_patient
):
    client.force_login(frogner_case_worker)
    response = client.get(f"/patients/{frogner_patient.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_policy_allows_no_inline_script_no_eval_and_no_inline_style(client):
    policy = directives(client.get("/login/")["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in str(policy)
    assert "'unsafe-eval'" not in str(policy)


def test_an_api_answer_is_not_kept(api_as, frogner_case_worker, frogner_patient):
    response = api_as(frogner_case_worker).get(f"/patients/{frogner_patient.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_a_refused_api_call_is_not_kept_either(api_as):
    response = api_as().get("/patients/1")
    assert response.status_code == 401
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_static_file_keeps_its_caching_while_the_page_beside_it_does_not(
    live_server, frogner_case_worker, client
):
    """The same logged-in browser: the page says no-store, the stylesheet does not."""
    assert finders.find("overgang/app.css")
    client.force_login(frogner_case_worker)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def fetch(path: str) -> dict[str, str]:
        request = urllib.request.Request(live_server.url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200
            return dict(answer.headers)

    page = fetch("/worklist/")
    stylesheet = fetch(static("overgang/app.css"))
    assert "no-store" in page["Cache-Control"]
    assert "no-store" not in stylesheet.get("Cache-Control", "")
    assert "Last-Modified" in stylesheet
