"""The header's search (/search/): patients by name in either order, accents folded, by
date of birth and national ID; devices by serial; requisitions and stays by number; only
within the user's area, every patient shown logged as read, and odd input told plainly."""

from __future__ import annotations

import datetime
import random

import pytest

from overgang import clock
from overgang.aids import actions as aid_actions
from overgang.audit.models import PatientRead
from overgang.demo.people import danish_id, norwegian_id
from overgang.organisations.models import Role
from overgang.patients import actions
from overgang.patients.models import Patient
from overgang.stays import actions as stay_actions

pytestmark = pytest.mark.django_db

SUGGEST = {"HX-Request": "true", "HX-Target": "header-suggestions"}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


@pytest.fixture
def people(system, areas):
    """Patients whose names have æ, ø and å, in Frogner (Oslo) and in Aalborg."""
    rng = random.Random(19)

    def register(name: str, municipality: str, district: str = "") -> Patient:
        number = danish_id(rng) if municipality == "Aalborg" else norwegian_id(rng)
        created = actions.create_patient(
            actor=system,
            national_id_number=number,
            name=name,
            municipality=municipality,
            district=district,
            address="Gata 1",
        )
        return Patient.objects.get(pk=created.pk)

    return {
        "sindre": register("Sindre Andreassen", "Oslo", "Frogner"),
        "oystein": register("Øystein Jørgensen", "Oslo", "Frogner"),
        "ase": register("Åse Kjær", "Oslo", "Frogner"),
        "aalborg": register("Søren Kjær", "Aalborg"),
    }


def shown(page) -> list[str]:
    found = page.context["found"]
    return [p.name for p in found.patients.hits] if found else []


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("Andreassen, Sindre", "Sindre Andreassen"),
        ("Andreassen Sindre", "Sindre Andreassen"),
        ("Sindre Andreassen", "Sindre Andreassen"),
        ("andreassen, sin", "Sindre Andreassen"),
        ("oystein", "Øystein Jørgensen"),
        ("Jorgensen", "Øystein Jørgensen"),
        ("Joergensen, Oy", "Øystein Jørgensen"),
        ("Kjaer", "Åse Kjær"),
        ("Aase", "Åse Kjær"),
        ("ÅSE KJÆR", "Åse Kjær"),
    ],
)
def test_names_are_found_in_either_order_and_any_spelling(
    as_user, frogner_case_worker, people, typed, who
):
    page = as_user(frogner_case_worker).get("/search/", {"q": typed})
    assert page.status_code == 200
    assert shown(page) == [who]


def test_birth_dates_in_the_ways_people_write_them_and_the_start_of_a_national_id(
    as_user, frogner_case_worker, people
):
    sindre = people["sindre"]
    born = sindre.birth_date
    client = as_user(frogner_case_worker)
    for typed in (
        f"{born:%d.%m.%Y}",
        f"{born.day}.{born.month}.{born.year}",
        born.isoformat(),
        sindre.national_id[:6],
        sindre.national_id,
        f"{sindre.national_id[:6]} {sindre.national_id[6:]}",
    ):
        assert sindre.name in shown(client.get("/search/", {"q": typed})), typed


def test_the_patient_list_finds_the_name_as_it_shows_it(as_user, frogner_case_worker, people):
    page = as_user(frogner_case_worker).get("/patients/", {"q": "Andreassen, Sindre"})
    assert page.context["page"].paginator.count == 1
    assert "Andreassen, Sindre" in page.content.decode()


def test_every_patient_shown_is_logged_once(as_user, frogner_case_worker, people):
    page = as_user(frogner_case_worker).get("/search/", {"q": "Kjaer"})
    assert shown(page) == ["Åse Kjær"]
    reads = PatientRead.objects.filter(user=frogner_case_worker)
    assert list(reads.values_list("patient__name", flat=True)) == ["Åse Kjær"]
    assert reads.get().what == "/search/?q=Kjaer"


def test_suggestions_while_typing_are_a_fragment_and_are_logged(
    as_user, frogner_case_worker, people
):
    page = as_user(frogner_case_worker).get("/search/", {"q": "oy"}, headers=SUGGEST)
    text = page.content.decode()
    assert page.status_code == 200
    assert "<html" not in text
    assert f'href="/patients/{people["oystein"].pk}/"' in text
    assert "Jørgensen, Øystein" in text
    assert 'href="/search/?q=oy"' in text, "a link to all results"
    assert PatientRead.objects.filter(user=frogner_case_worker).count() == 1


def test_an_oslo_case_worker_never_finds_an_aalborg_patient_device_or_stay(
    as_user, frogner_case_worker, aalborg_case_worker, people, system, areas
):
    aalborg = people["aalborg"]
    device = aid_actions.register_device(
        actor=system, aid_type="wheelchair", serial="AAL 77/B", owner=areas["rn-depot"]
    )
    aid_actions.lend_device(device, aalborg, actor=system)
    oslo = as_user(frogner_case_worker)
    for typed in ("Søren", "Kjær, Søren", aalborg.national_id, aalborg.national_id[:6], "AAL 77"):
        page = oslo.get("/search/", {"q": typed})
        assert page.status_code == 200
        assert page.context["found"].count == 0, typed
        assert f"/patients/{aalborg.pk}/" not in page.content.decode()
        assert "Søren Kjær" not in page.content.decode()
        assert "Nothing in your area matches" in page.content.decode()
    assert not PatientRead.objects.filter(user=frogner_case_worker).exists()

    # Aalborg's own finds them: the device by its serial with the slash, and who has it.
    aalborg_page = as_user(aalborg_case_worker).get("/search/", {"q": "aal 77/b"})
    text = aalborg_page.content.decode()
    assert 'href="/devices/AAL%252077%252FB/"' in text or 'href="/devices/AAL%2077%252FB/"' in text
    assert "lent to Søren Kjær" in text
    assert list(
        PatientRead.objects.filter(user=aalborg_case_worker).values_list("patient", flat=True)
    ) == [aalborg.pk]


def test_requisitions_and_stays_by_number_only_within_scope(
    as_user, frogner_case_worker, make_user, people, areas
):

    physician = make_user("ous-doctor", ("ous-lunge", Role.CLINICIAN))
    stay = stay_actions.admit(
        people["sindre"],
        actor=physician,
        unit=areas["ous-lunge"],
        admission="emergency",
        admitted_at=clock.now() - datetime.timedelta(hours=2),
    )
    page = as_user(frogner_case_worker).get("/search/", {"q": str(stay.pk)})
    assert [s.pk for s in page.context["found"].stays.hits] == [stay.pk]
    text = page.content.decode()
    assert f'href="/stays/{stay.pk}/"' in text and "Sindre Andreassen" in text
    assert PatientRead.objects.filter(user=frogner_case_worker, patient=people["sindre"]).exists()

    tromso = make_user("tromso-x", ("tromso-tildeling", Role.CASE_WORKER))
    elsewhere = as_user(tromso).get("/search/", {"q": str(stay.pk)})
    assert elsewhere.context["found"].count == 0
    assert f'href="/stays/{stay.pk}/"' not in elsewhere.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type a name, a date of birth"),
        ("   ", "Type a name, a date of birth"),
        ("31.02.1955", "There is no such date"),
        ("%_\\", "Type letters or digits"),
        ("x" * 101, "at most 100 characters"),
    ],
)
def test_what_cannot_be_searched_is_a_form_error_naming_the_field(
    as_user, frogner_case_worker, people, typed, message
):
    page = as_user(frogner_case_worker).get("/search/", {"q": typed})
    assert page.status_code == 422
    text = page.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text and 'id="id_q_error"' in text
    assert not PatientRead.objects.exists()


def test_a_huge_number_or_wildcards_are_harmless(as_user, frogner_case_worker, people):
    client = as_user(frogner_case_worker)
    huge = client.get("/search/", {"q": "1" * 22})
    assert huge.status_code == 200
    assert "A national identity number has 11 digits" in huge.content.decode()
    assert huge.context["found"].count == 0
    # Wildcards of SQL are no wildcards here: punctuation, left out of the name searched for.
    assert client.get("/search/", {"q": "%"}).status_code == 422
    assert client.get("/search/", {"q": "_"}).status_code == 422
    assert shown(client.get("/search/", {"q": "K_"})) == ["Åse Kjær"]
    assert shown(client.get("/search/", {"q": "%jær"})) == []
    # A problem while typing is said in the suggestions (htmx swaps only 2xx answers).
    typing = client.get("/search/", {"q": "31.02.1955"}, headers=SUGGEST)
    assert typing.status_code == 200
    assert "There is no such date" in typing.content.decode()
    assert client.get("/search/", {"q": ""}, headers=SUGGEST).content.strip() == b""


def test_the_box_is_in_the_header_for_those_who_see_patients(
    as_user, client, frogner_case_worker, network_member
):
    text = as_user(frogner_case_worker).get("/").content.decode()
    assert 'role="search"' in text and 'for="header-q"' in text
    assert 'hx-trigger="input changed delay:300ms, search"' in text
    client.logout()
    network = as_user(network_member)
    assert 'id="header-q"' not in network.get("/").content.decode()
    assert network.get("/search/", {"q": "Kari"}).status_code == 403
    client.logout()
    assert client.get("/search/", {"q": "Kari"}).status_code == 302


def test_a_requisition_by_its_number_shows_and_logs_its_patient_only_within_scope(
    as_user, client, make_user, tromso_case_worker, frogner_case_worker, tromso_patient, areas
):
    physician = make_user("unn-doc", ("unn-lunge", Role.CLINICIAN))
    sent = as_user(physician).post(
        f"/patients/{tromso_patient.pk}/requisitions/new/",
        {
            "aid_type": "oxygen-concentrator",
            "route": "outpatient",
            "requester_name": "Ingrid Lege",
            "requester_role": "specialist-physician",
            "department": areas["unn-lunge"].pk,
            "justification": "KOLS IV, hypoksemi i hvile.",
            "referred_by": "Fastlege Per Hansen",
        },
    )
    assert sent.status_code == 302
    number = int(sent["Location"].rstrip("/").rsplit("/", 1)[1])
    client.logout()
    page = as_user(tromso_case_worker).get("/search/", {"q": f"#{number}"})
    text = page.content.decode()
    assert f'href="/requisitions/{number}/"' in text and "Nils Nordlys" in text
    assert PatientRead.objects.filter(user=tromso_case_worker, patient=tromso_patient).count() == 1

    client.logout()
    oslo = as_user(frogner_case_worker).get("/search/", {"q": str(number)})
    assert f'href="/requisitions/{number}/"' not in oslo.content.decode()
    assert not PatientRead.objects.filter(user=frogner_case_worker).exists()
