"""Guessing passwords is slowed down: an account is paused after a few wrong passwords, an
address (a whole ward behind one NAT) only after many, and neither is fooled by a header the
client writes itself. A pause answers 429 with Retry-After, and an administrator lifts it."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from overgang.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db

WARD = "192.0.2.10"  # a hospital's NAT address: many nurses sign in from it
HOME = "198.51.100.7"


def attempts():
    """The login throttle's counted failures (imported here: the tests run on a tree
    without the throttle too, to show that they fail there)."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects


def token(client: Client, username: str, password: str, **headers: str):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        headers={"Accept-Language": "en", **headers},
    )


def page_login(client: Client, username: str, password: str):
    return client.post("/login/", {"username": username, "password": password})


@pytest.fixture
def nurses(make_user):
    return [make_user(name, ("oslo-frogner-bestiller", "case-worker")) for name in ("ann", "bo")]


def test_the_sixth_try_after_five_wrong_passwords_is_429_even_with_the_right_one(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    answers = [token(ward, "ann", "wrong").status_code for _ in range(5)]
    assert answers == [401, 401, 401, 401, 429]
    paused = token(ward, "ann", "demo")
    assert paused.status_code == 429
    assert 14 * 60 < int(paused["Retry-After"]) <= 15 * 60
    assert "paused" in paused.json()["detail"]
    assert token(ward, "ann", "wrong").status_code == 429


def test_a_paused_account_pauses_only_itself_on_a_shared_address(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(6):
        token(ward, "ann", "wrong")
    assert token(ward, "ann", "demo").status_code == 429
    assert token(ward, "bo", "demo").status_code == 200


def test_a_paused_account_is_paused_from_every_address(nurses):
    for _ in range(5):
        token(Client(REMOTE_ADDR=WARD), "ann", "wrong")
    assert token(Client(REMOTE_ADDR=HOME), "ann", "demo").status_code == 429


def test_after_the_cool_off_the_right_password_works_again(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(5):
        token(ward, "ann", "wrong")
    assert token(ward, "ann", "demo").status_code == 429
    attempts().update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=16)
    )
    assert token(ward, "ann", "demo").status_code == 200


def test_the_right_password_forgets_the_account_s_own_typos(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(4):
        token(ward, "ann", "wrong")
    assert token(ward, "ann", "demo").status_code == 200
    # Counting starts over: four more typos are answered as such, the fifth pauses.
    assert [token(ward, "ann", "wrong").status_code for _ in range(5)] == [401] * 4 + [429]


def test_the_login_page_answers_429_in_the_user_s_language(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    ward.cookies["django_language"] = "nb"
    for _ in range(5):
        page_login(ward, "ann", "wrong")
    paused = page_login(ward, "ann", "demo")
    assert paused.status_code == 429
    assert int(paused["Retry-After"]) > 0
    assert "For mange feil passord for denne kontoen" in paused.content.decode()
    assert "_auth_user_id" not in ward.session

    ward.cookies["django_language"] = "da"
    assert "For mange forkerte adgangskoder" in page_login(ward, "ann", "demo").content.decode()


@override_settings(LOGIN_ADDRESS_LIMIT=12)
def test_an_address_is_paused_only_at_its_own_much_higher_limit(make_user):
    accounts = [
        make_user(f"nurse-{n}", ("oslo-frogner-bestiller", "case-worker")) for n in range(5)
    ]
    ward = Client(REMOTE_ADDR=WARD)
    # Three nurses mistype three times each: no account is paused, nor yet the ward.
    for account in accounts[:3]:
        assert [token(ward, account.username, "x").status_code for _ in range(3)] == [401] * 3
    # The twelfth wrong password from the ward pauses it.
    assert [token(ward, "nurse-3", "x").status_code for _ in range(3)] == [401, 401, 429]
    paused = token(ward, "nurse-4", "demo")
    assert paused.status_code == 429
    assert "network" in paused.json()["detail"]
    assert token(Client(REMOTE_ADDR=HOME), "nurse-4", "demo").status_code == 200


@override_settings(LOGIN_ADDRESS_LIMIT=12)
def test_trying_a_paused_account_again_and_again_does_not_pause_its_colleagues(nurses):
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(30):
        token(ward, "ann", "wrong")
    assert token(ward, "ann", "demo").status_code == 429
    assert token(ward, "bo", "demo").status_code == 200


@override_settings(LOGIN_ADDRESS_LIMIT=12)
def test_a_forwarded_for_header_written_by_the_client_is_not_believed(make_user):
    for n in range(4):
        make_user(f"nurse-{n}", ("oslo-frogner-bestiller", "case-worker"))
    attacker = Client(REMOTE_ADDR=HOME)
    for n in range(12):
        token(attacker, f"nurse-{n % 4}", "x", **{"X-Forwarded-For": f"203.0.113.{n}"})
    spoofed = token(attacker, "nurse-0", "demo", **{"X-Forwarded-For": "203.0.113.99"})
    assert spoofed.status_code == 429


@override_settings(LOGIN_ADDRESS_LIMIT=12)
def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(settings, make_user):
    from overgang.env import env_networks

    for n in range(4):
        make_user(f"nurse-{n}", ("oslo-frogner-bestiller", "case-worker"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OVERGANG_TRUSTED_PROXIES", "10.0.0.0/24")
        settings.TRUSTED_PROXIES = env_networks("OVERGANG_TRUSTED_PROXIES")
    proxy = Client(REMOTE_ADDR="10.0.0.2")
    guesser = {"X-Forwarded-For": f"1.1.1.1, {HOME}"}  # what the client wrote, then the proxy
    for n in range(12):
        token(proxy, f"nurse-{n % 4}", "x", **guesser)
    assert token(proxy, "nurse-0", "demo", **guesser).status_code == 429
    nurse = {"X-Forwarded-For": WARD}
    assert token(proxy, "nurse-0", "demo", **nurse).status_code == 200


def test_an_administrator_sees_the_pause_and_lifts_it(nurses, client):
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(5):
        token(ward, "ann", "wrong")
    admin = User.objects.create_superuser("root", password="x")
    client.force_login(admin)
    listing = client.get("/admin/axes/accessattempt/?q=ann")
    assert listing.status_code == 200
    assert WARD in listing.content.decode()
    ids = list(attempts().filter(username="ann").values_list("pk", flat=True))
    lifted = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert lifted.status_code == 302
    assert token(ward, "ann", "demo").status_code == 200
    assert ChangeRecord.objects.filter(model="axes.accessattempt", action="deleted").exists()


# -- the page of paused logins ---------------------------------------------------------------


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="x")


def pause_ann():
    ward = Client(REMOTE_ADDR=WARD)
    for _ in range(5):
        token(ward, "ann", "wrong")
    return ward


def test_the_page_shows_a_paused_account_and_lifting_it_lets_it_in_at_once(nurses, client, root):
    ward = pause_ann()
    client.force_login(root)
    client.cookies["django_language"] = "en"
    page = client.get("/logins/paused/").content.decode()
    assert "account ann" in page
    lifted = client.post("/logins/paused/lift/", {"kind": "account", "who": "ann"})
    assert lifted.status_code == 302
    assert "No account or address is paused now." in client.get("/logins/paused/").content.decode()
    assert token(ward, "ann", "demo").status_code == 200
    record = ChangeRecord.objects.get(model="axes.accessattempt", action="deleted")
    assert record.actor == root
    assert record.changes["username"] == ["ann", None]


def test_lifting_what_is_not_paused_is_404_and_changes_nothing(nurses, client, root):
    pause_ann()
    client.force_login(root)
    assert client.post("/logins/paused/lift/", {"kind": "account", "who": "bo"}).status_code == 404
    assert attempts().filter(username="ann").exists()


def test_a_lift_without_saying_what_is_a_form_error_naming_the_field(nurses, client, root):
    pause_ann()
    client.force_login(root)
    client.cookies["django_language"] = "en"
    answer = client.post("/logins/paused/lift/", {"kind": "everything", "who": "ann"})
    assert answer.status_code == 422
    assert "What is paused" in answer.content.decode()
    assert attempts().filter(username="ann").exists()


def test_only_an_administrator_sees_or_lifts_pauses(nurses, client, make_user):
    pause_ann()
    client.force_login(make_user("carl", ("oslo-frogner-bestiller", "case-worker")))
    assert client.get("/logins/paused/").status_code == 403
    assert client.post("/logins/paused/lift/", {"kind": "account", "who": "ann"}).status_code == 403
    assert attempts().filter(username="ann").exists()


def test_a_login_without_a_client_address_is_still_counted(nurses):
    nowhere = Client(REMOTE_ADDR="")
    assert [token(nowhere, "ann", "x").status_code for _ in range(5)] == [401] * 4 + [429]
