"""Health personnel log in through their organisation's identity provider; their memberships
come from the provider's claims (HER-id in Norway, SOR-id in Denmark)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from overgang.organisations.models import ExternalIdentity, Membership, Role
from tests.sso.conftest import log_in_at

pytestmark = pytest.mark.django_db


def memberships(user: User) -> set[tuple[str, str]]:
    return {(m.organisation.key, m.role) for m in Membership.objects.filter(user=user)}


def test_frogner_home_nurse_logs_in_through_helseid_with_her_id_and_mapped_role(
    providers, helseid, client
):
    helseid.knows(
        "kari",
        given_name="Kari",
        family_name="Nordmann",
        email="kari@frogner.example",
        her_id="9900044",
        roles=["hjemmesykepleier"],
    )
    _, answer = log_in_at(client, "helseid", "kari")
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    user = User.objects.get(external_identities__provider="helseid")
    assert (user.first_name, user.last_name) == ("Kari", "Nordmann")
    assert memberships(user) == {("oslo-frogner-hjemmesykepleie", Role.HOME_NURSE)}
    start = client.get("/")
    assert start.status_code == 200
    assert start.wsgi_request.user == user
    # The user exists for the provider only: no password opens it here.
    assert not user.has_usable_password()


def test_aalborg_case_worker_logs_in_through_region_nordjylland_with_sor_id(
    providers, nordjylland, client
):
    nordjylland.knows("mette", given_name="Mette", sor_id="990000000000017", role="case-worker")
    _, answer = log_in_at(client, "rn", "mette")
    assert answer.status_code == 302
    user = ExternalIdentity.objects.get(provider="rn", subject="rn-mette").user
    assert memberships(user) == {("aalborg-visitation", Role.CASE_WORKER)}


def test_next_login_finds_the_user_by_subject_and_follows_the_changed_claims(
    providers, helseid, client, make_user, areas, system
):
    helseid.knows("ola", email="ola@example.org", her_id="9900042", roles="saksbehandler")
    log_in_at(client, "helseid", "ola")
    ola = User.objects.get(external_identities__subject="helseid-ola")
    # A membership an administrator gave outside the provider's organisations stays.
    from overgang.organisations.actions import add_membership

    add_membership(ola, areas["nav-hms-oslo"], Role.NAV_ADVISER, actor=system)
    client.logout()

    # Ola moves to Stovner; someone else now has his old e-mail address.
    helseid.knows("ola", email="ola@stovner.example", her_id="9900064", roles=["saksbehandler"])
    helseid.knows("per", email="ola@example.org", her_id="9900042", roles=["saksbehandler"])
    log_in_at(client, "helseid", "ola")
    ola.refresh_from_db()
    assert ola.email == "ola@stovner.example"
    assert memberships(ola) == {
        ("oslo-stovner", Role.CASE_WORKER),
        ("nav-hms-oslo", Role.NAV_ADVISER),
    }
    client.logout()
    log_in_at(client, "helseid", "per")
    per = User.objects.get(external_identities__subject="helseid-per")
    assert per != ola
    assert memberships(per) == {("oslo-frogner", Role.CASE_WORKER)}


def test_the_login_goes_back_to_the_page_asked_for_but_never_to_another_site(
    providers, helseid, client
):
    helseid.knows("siri", her_id="9900044", roles=["hjemmesykepleier"])
    _, answer = log_in_at(client, "helseid", "siri", next_url="/patients/")
    assert answer["Location"] == "/patients/"
    client.logout()
    _, answer = log_in_at(client, "helseid", "siri", next_url="https://evil.example/")
    assert answer["Location"] == "/"


def test_an_unknown_provider_is_not_found(providers, client):
    assert client.get("/sso/nobody/login/").status_code == 404
    assert client.get("/sso/nobody/callback/?code=x&state=y").status_code == 404
