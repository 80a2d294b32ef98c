"""`overgang integration`: an engine's account for one organisation, a long-lived token that
posts messages, and revoking it at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from overgang.organisations.models import ApiToken
from tests.exchange.test_receive import ADMITTED


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("integration", *args, stdout=out)
    return out.getvalue().strip()


def post(client, token: str, body: bytes):
    return client.generic(
        "POST",
        "/api/v1/messages",
        body,
        content_type="application/xml",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_an_account_with_a_year_long_token_posts_until_it_is_revoked(areas, client, addressed):
    assert "Levanger kommune" in command("create", "levanger-dips", "--organisation", "levanger")
    account = User.objects.get(username="levanger-dips")
    assert not account.has_usable_password()
    token = command("token", "levanger-dips", "--days", "365")
    expires = ApiToken.objects.get(user=account).expires_at
    assert (expires - ApiToken.objects.get(user=account).created_at).days >= 364
    assert post(client, token, addressed(ADMITTED)).status_code == 201

    assert command("revoke", "levanger-dips") == "1 token(s) revoked"
    assert post(client, token, addressed(ADMITTED)).status_code == 401


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("create", "x", "--organisation", "nowhere"), "--organisation"),
        (("token", "nobody"), "username"),
        (("token", "levanger-dips", "--days", "1000"), "--days"),
    ],
)
def test_bad_input_names_the_argument_and_changes_nothing(areas, capsys, args, named):
    command("create", "levanger-dips", "--organisation", "levanger")
    with pytest.raises(SystemExit) as exit_:
        command(*args)
    assert exit_.value.code == 2
    assert named in capsys.readouterr().err
    assert not ApiToken.objects.exists()


def test_a_person_gets_no_long_lived_token(areas, frogner_case_worker, capsys):
    with pytest.raises(SystemExit):
        command("token", frogner_case_worker.username)
    assert "no integration account" in capsys.readouterr().err
