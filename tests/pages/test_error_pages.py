"""When a page fails, the user sees Overgang's own page in their language, with the menu to
carry on from, not a bare line of English."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pages.failing_urls")]


@pytest.fixture
def technician_client(client, ous_technician, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(ous_technician)
    return client


@pytest.mark.parametrize("where", ["code", "database", "template"])
def test_a_failing_page_answers_the_branded_page_with_the_menu(technician_client, where):
    technician_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = technician_client.get(f"/fails/{where}/")
    assert page.status_code == 500
    html = page.content.decode()
    assert "Something went wrong" in html
    assert 'class="brand"' in html
    assert 'href="/devices/"' in html, "the menu, to carry on from"
    assert "Server Error" not in html
    assert "a bug" not in html and "connection" not in html, "nothing of the error itself"


@pytest.mark.parametrize(("language", "title"), [("nb", "Noe gikk galt"), ("da", "Noget gik galt")])
def test_the_error_page_speaks_the_users_language(technician_client, language, title):
    technician_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = technician_client.get("/fails/code/").content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{language}">' in html


def test_the_error_page_is_drawn_even_when_the_database_cannot_give_the_menu(
    technician_client, monkeypatch
):
    def no_database(*args, **kwargs):
        raise DatabaseError("the connection is lost")

    monkeypatch.setattr(User, "has_perm", no_database)
    technician_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    page = technician_client.get("/fails/database/")
    assert page.status_code == 500
    html = page.content.decode()
    assert "<h1>Noe gikk galt</h1>" in html
    assert 'class="brand"' in html
    assert 'href="/devices/"' not in html, "the menu needs the database; the page does not"
