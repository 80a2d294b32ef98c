"""The local contact committee at the hospitals (003 5.1 and 6, N11): its member follows the
shared capacity and the indicators of the agreement their organisation works under,
read-only; sees no patient and none of the network group's tools; and, like anyone who works
under the agreement, may put a general matter to the network group. Tried as the demo's
`rn-contact` (Aalborg Universitetshospital)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from overgang.network import actions
from overgang.network.models import Chair, Meeting, Question, Status
from overgang.organisations.models import Role
from overgang.organisations.network import capacity_agreements, network_agreements
from overgang.organisations.permissions import ACTION_ROLES, FOLLOW_CAPACITY, NETWORK, VIEW
from overgang.stays.models import Stay

CONTACT = "rn-contact"


def body(response) -> str:
    return response.content.decode()


def test_the_role_follows_capacity_only():
    assert Role.CONTACT_COMMITTEE in ACTION_ROLES[FOLLOW_CAPACITY]
    assert Role.NETWORK_GROUP in ACTION_ROLES[FOLLOW_CAPACITY]
    held = {action for action, roles in ACTION_ROLES.items() if Role.CONTACT_COMMITTEE in roles}
    assert held == {FOLLOW_CAPACITY}, "no patient, none of the group's tools"
    assert Role.CONTACT_COMMITTEE not in ACTION_ROLES[NETWORK]
    assert Role.CONTACT_COMMITTEE not in ACTION_ROLES[VIEW]


def test_the_member_follows_their_own_agreement_and_sits_in_no_group(user):
    contact = user(CONTACT)
    assert set(capacity_agreements(contact)) == {"nordjylland"}
    assert network_agreements(contact) == {}
    assert set(capacity_agreements(user("rn-network"))) == {"nordjylland"}
    for other in ("aalborg-case", "rn-depot", "auditor"):
        assert capacity_agreements(user(other)) == {}


def test_the_member_sees_every_depot_of_the_agreement_and_not_another_agreement(client_of, user):
    client = client_of(CONTACT)
    page = client.get("/capacity/")
    assert page.status_code == 200
    assert page.context["agreement"].id == "nordjylland"
    text = body(page)
    assert "Regionalt Hjælpemiddeldepot" in text, "the region's depot"
    assert "Shared capacity" in text
    # The same page for the group's own member: the same units.
    member_rows = client_of("rn-network").get("/capacity/").context["rows"]
    assert [r[0].owner for r in page.context["rows"]] == [r[0].owner for r in member_rows]
    for other in ("oslo", "hnt", "unn", "atlantis"):
        assert client.get("/capacity/", {"agreement": other}).status_code == 404


def test_the_member_exports_the_capacity(client_of):
    export = client_of(CONTACT).get("/capacity/", {"format": "csv"})
    assert export.status_code == 200
    assert "Regionalt Hjælpemiddeldepot" in export.content.decode("utf-8-sig")


def test_a_bad_capacity_filter_names_its_field_for_the_member(client_of):
    refused = client_of(CONTACT).get("/capacity/", {"aid_type": "no-such-aid"})
    assert refused.status_code == 422
    assert 'id="id_aid_type_error"' in body(refused)


def test_the_member_sees_the_whole_agreements_indicators_and_not_another(client_of):
    client = client_of(CONTACT)
    page = client.get("/indicators/")
    assert page.status_code == 200
    assert page.context["agreement"].id == "nordjylland"
    assert client.get("/indicators/", {"agreement": "oslo"}).status_code == 404
    assert client.get("/api/v1/indicators", {"agreement": "oslo"}).status_code == 404


def test_the_member_sees_the_figures_of_every_stay_of_the_agreement(user):
    from overgang.indicators.scope import stays_seen

    seen = stays_seen(user(CONTACT), "nordjylland")
    assert seen is not None
    everyone = Stay.objects.filter(agreement="nordjylland")
    assert everyone.exists()
    assert Stay.objects.filter(seen).count() == everyone.count()
    assert stays_seen(user(CONTACT), "oslo") is None


def test_the_member_sees_no_patient(client_of):
    client = client_of(CONTACT)
    stay = Stay.objects.filter(agreement="nordjylland").first()
    assert stay is not None
    assert client.get("/patients/").status_code == 403
    assert client.get("/stays/").status_code == 403
    assert client.get(f"/stays/{stay.pk}/").status_code == 404
    assert client.get(f"/patients/{stay.patient_id}/").status_code == 404
    assert client.get(f"/api/v1/patients/{stay.patient_id}").status_code in (401, 403, 404)
    # Nor in the capacity overview: counts only.
    text = body(client.get("/capacity/"))
    assert stay.patient.name not in text and stay.patient.national_id not in text


def test_the_group_tools_are_not_there_for_the_member(client_of, user):
    client = client_of(CONTACT)
    for url in (
        "/network/",
        "/network/meetings/",
        "/network/meetings/new/",
        "/network/questions/",
        "/agreements/revisions/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/agreements/revisions/new/nordjylland/").status_code == 404
    assert (
        client.post("/network/chairs/nordjylland/", {"member": user(CONTACT).pk, "chair": "1"})
    ).status_code == 404
    assert not Chair.objects.exists()


def test_the_member_may_not_open_a_meeting_nor_write_a_decision(client_of, user):
    import datetime
    from zoneinfo import ZoneInfo

    meeting = actions.save_meeting(
        None,
        actor=user("rn-network"),
        agreement="nordjylland",
        starts_at=datetime.datetime(2027, 3, 2, 10, tzinfo=ZoneInfo("Europe/Copenhagen")),
        place="Aalborg",
        agenda="Kapacitet",
    )
    client = client_of(CONTACT)
    assert client.get(f"/network/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/network/meetings/{meeting.pk}/edit/").status_code == 404
    refused = client.post(f"/network/meetings/{meeting.pk}/decisions/", {"text": "x"})
    assert refused.status_code == 404
    assert not meeting.decisions.exists()
    planned = client.post(
        "/network/meetings/new/",
        {"agreement": "nordjylland", "date": "2027-04-01", "time": "10:00", "place": "x"},
    )
    assert planned.status_code == 404
    assert Meeting.objects.count() == 1


def test_the_member_puts_a_general_matter_to_the_group_and_may_not_answer_it(client_of, user):
    client = client_of(CONTACT)
    capacity = body(client.get("/capacity/"))
    assert 'href="/network/questions/new/?agreement=nordjylland"' in capacity
    assert "Ask the network group" in capacity
    # The group's own members are not offered to ask themselves.
    assert "/network/questions/new/" not in body(client_of("rn-network").get("/capacity/"))
    asked = client.post(
        "/network/questions/new/",
        {"agreement": "nordjylland", "subject": "Kørestole i vinterferien", "text": "Depoterne?"},
    )
    assert asked.status_code == 302
    question = Question.objects.get()
    assert question.asked_by == user(CONTACT)
    assert question.asked_for is not None and question.asked_for.key == "aauh"
    assert "Kørestole i vinterferien" in body(client_of("rn-network").get("/network/questions/"))
    assert "Kørestole i vinterferien" in body(client.get("/network/questions/mine/"))
    refused = client.post(f"/network/questions/{question.pk}/answer/", {"answer": "Ja."})
    assert refused.status_code == 404
    question.refresh_from_db()
    assert question.status == Status.OPEN


def test_the_member_may_not_ask_about_another_agreement(client_of):
    refused = client_of(CONTACT).post(
        "/network/questions/new/",
        {"agreement": "oslo", "subject": "Hvem betaler?", "text": "Avtalen sier ikke."},
    )
    assert refused.status_code == 422
    assert 'id="id_agreement_error"' in body(refused)
    assert not Question.objects.exists()


def test_the_menu_offers_capacity_and_indicators_and_nothing_of_the_group(client_of):
    start = body(client_of(CONTACT).get("/"))
    assert 'href="/capacity/"' in start
    assert 'href="/indicators/"' in start
    for absent in ('href="/network/"', 'href="/agreements/revisions/"', 'href="/patients/"'):
        assert absent not in start, absent
    # The start page's card for those who see no patient leads there too.
    card = start.split('id="agreements"', 1)[1].split("</section>", 1)[0]
    assert 'href="/capacity/"' in card and 'href="/indicators/"' in card
    assert 'href="/capacity/"' in body(client_of("rn-network").get("/"))
    assert 'href="/capacity/"' not in body(client_of("aalborg-case").get("/"))


@pytest.mark.parametrize("username", ["aalborg-case", "rn-depot"])
def test_others_still_do_not_follow_capacity(client_of, username):
    assert client_of(username).get("/capacity/").status_code == 404


def test_the_role_can_be_given_in_the_admin(client_of):
    admin = client_of("admin")
    page = body(admin.get("/admin/organisations/membership/add/"))
    assert 'value="contact-committee"' in page
    assert User.objects.filter(username=CONTACT, memberships__role="contact-committee").exists()


def test_the_menus_question_costs_no_query_beyond_the_memberships_read(
    user, rf, django_assert_num_queries
):
    """The menu asks whether the user follows capacity only when it is drawn, from the
    memberships the network group's question has already read."""
    from overgang.web.context_processors import capacity, network_group

    for username in (CONTACT, "aalborg-case"):
        request = rf.get("/")
        request.user = user(username)
        sits: Any = network_group(request)["in_network_group"]
        assert sits() is False
        follows: Any = capacity(request)["follows_capacity"]
        with django_assert_num_queries(0):
            assert follows() is (username == CONTACT)
