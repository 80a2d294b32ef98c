"""N13: a dispute that is not settled below reaches the network group (Nordjylland's route,
003 8 and 5.1: lowest, contact committee, network group). Reaching the agreement's last level
puts a question in the group's queue, linked to the dispute; the parties may also put it to
the group themselves at that level. The question carries the dispute's subject, never its
patient: the group's members see no patient."""

from __future__ import annotations

import pytest

from overgang.network.models import Question, Source
from overgang.requisitions import actions as dispute_actions
from overgang.requisitions.models import Dispute, Level
from overgang.rules.disputes import route_for


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def dispute(demo, db) -> Dispute:
    return Dispute.objects.select_related("patient").get(agreement="nordjylland")


def test_the_route_of_nordjylland_ends_with_the_network_group():
    assert route_for("nordjylland").levels[-1] == Level.NETWORK_GROUP


def test_reaching_the_network_group_puts_the_dispute_in_its_queue(client_of, user, dispute):
    party = client_of("aalborg-case")
    party.post(f"/disputes/{dispute.pk}/escalate/", {"note": "Ikke enige i afdelingen."})
    assert not Question.objects.exists()  # the contact committee is not the group
    party.post(f"/disputes/{dispute.pk}/escalate/", {"note": "Ikke enige i kontaktudvalget."})
    dispute.refresh_from_db()
    assert dispute.level == Level.NETWORK_GROUP
    question = Question.objects.get()
    assert question.dispute == dispute and question.source == Source.DISPUTE
    assert question.agreement == "nordjylland" and question.asked_by == user("aalborg-case")
    patient = dispute.patient
    for text in (question.subject, question.text, str(question.case)):
        assert patient.name not in text and patient.national_id not in text
        assert dispute.description not in text
    # The group's member sees the question, not the patient, and no way to the dispute.
    page = body(client_of("rn-network").get(f"/network/questions/{question.pk}/"))
    assert question.subject in page
    assert patient.name not in page and patient.national_id not in page
    assert f"/disputes/{dispute.pk}/" not in page
    assert client_of("rn-network").get(f"/disputes/{dispute.pk}/").status_code == 404
    # The party who escalated follows it to the dispute.
    own = body(client_of("aalborg-case").get(f"/network/questions/{question.pk}/"))
    assert f"/disputes/{dispute.pk}/" in own
    # Another area's group sees none of it.
    assert client_of("oslo-network").get(f"/network/questions/{question.pk}/").status_code == 404
    # Put to the group a second time: refused, nothing new.
    again = party.post(f"/disputes/{dispute.pk}/network/", {"text": "Igen?"})
    assert again.status_code == 409
    assert Question.objects.count() == 1


def test_below_the_last_level_the_parties_escalate_level_by_level_first(client_of, dispute):
    response = client_of("aalborg-case").post(
        f"/disputes/{dispute.pk}/network/", {"text": "Direkte til netværksgruppen"}
    )
    assert response.status_code == 409
    assert "level by level" in body(response)
    assert not Question.objects.exists()


def test_at_the_last_level_a_party_puts_it_to_the_group_in_its_own_words(client_of, user, dispute):
    actor = user("aalborg-case")
    # Escalated by the dispute's own writer (as before the group's queue existed).
    dispute_actions.escalate(dispute, actor=actor, note="a")
    dispute_actions.escalate(dispute, actor=actor, note="b")
    page = body(client_of("aalborg-case").get(f"/disputes/{dispute.pk}/"))
    assert "Escalate to the network group" in page
    empty = client_of("aalborg-case").post(f"/disputes/{dispute.pk}/network/", {"text": " "})
    assert empty.status_code == 422
    assert 'id="id_text_error"' in body(empty)
    assert not Question.objects.exists()
    done = client_of("aalborg-case").post(
        f"/disputes/{dispute.pk}/network/", {"text": "Hvem betaler håndledsskinnen?"}
    )
    assert done.status_code == 302
    question = Question.objects.get()
    assert question.text == "Hvem betaler håndledsskinnen?" and question.dispute == dispute
    assert question.subject in body(client_of("rn-network").get("/network/questions/"))


def test_who_may_not_act_in_the_dispute_cannot_put_it_to_the_group(client_of, user, dispute):
    actor = user("aalborg-case")
    dispute_actions.escalate(dispute, actor=actor, note="a")
    dispute_actions.escalate(dispute, actor=actor, note="b")
    for username in ("rn-network", "oslo-frogner"):
        response = client_of(username).post(f"/disputes/{dispute.pk}/network/", {"text": "x"})
        assert response.status_code == 404
    assert not Question.objects.exists()


def test_the_answer_reaches_both_parties_who_follow_it_from_the_dispute(client_of, user, dispute):
    from overgang.stays.models import News, Notification

    party = client_of("aalborg-case")
    party.post(f"/disputes/{dispute.pk}/escalate/", {"note": "a"})
    party.post(f"/disputes/{dispute.pk}/escalate/", {"note": "b"})
    question = Question.objects.get()
    # The hospital's side follows it from the dispute page, though it did not ask.
    page = body(client_of("aauh-clinician").get(f"/disputes/{dispute.pk}/"))
    assert f"/network/questions/{question.pk}/" in page
    assert client_of("aauh-clinician").get(f"/network/questions/{question.pk}/").status_code == 200
    client_of("aalborg-network").post(
        f"/network/questions/{question.pk}/answer/", {"answer": "Regionen betaler skinnen."}
    )
    told = set(
        Notification.objects.filter(news=News.NETWORK_ANSWERED).values_list(
            "organisation_id", flat=True
        )
    )
    assert {dispute.hospital_id, dispute.municipality_id} <= told
    assert all(
        n.patient_id is None for n in Notification.objects.filter(news=News.NETWORK_ANSWERED)
    )
    assert "Regionen betaler skinnen." in body(
        client_of("aauh-clinician").get(f"/network/questions/{question.pk}/")
    )
