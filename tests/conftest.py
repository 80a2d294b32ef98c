"""Shared fixtures: the organisations of the four areas and named people who work there.

People in fixtures are named by what they are to the patient: a case worker of the
patient's district, a colleague in another district, an outsider who must see nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from overgang.aids import actions as aid_actions
from overgang.aids.actions import sync_catalogue
from overgang.audit.history import system_actor
from overgang.organisations.actions import add_membership, create_user, load_organisations
from overgang.organisations.models import Organisation, Role
from overgang.organisations.tokens import issue_token
from overgang.patients import actions as patient_actions
from overgang.patients.models import Patient

# Fictitious people with valid check digits.
FROGNER_FNR = "15108695088"  # the example of python-stdnum's documentation
STOVNER_FNR = "01017012343"
TROMSO_FNR = "03035512410"
AALBORG_CPR = "0101701239"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the organisations once for all tests that roll back."""
    with django_db_blocker.unblock():
        load_organisations(actor=system_actor())
        sync_catalogue()


@pytest.fixture(autouse=True)
def english():
    """Messages outside a request are in English here; pages follow the request's language."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def outbox_of_the_test(settings, tmp_path):
    """Standard messages a test sends go to a folder of its own, never to var/."""
    settings.OUTBOX_DIR = str(tmp_path / "outbox")
    settings.OUTBOX_URL = ""


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def areas(db) -> dict[str, Organisation]:
    # Transactional tests (the browser) empty the tables afterwards: load again if so.
    if not Organisation.objects.exists():
        load_organisations(actor=system_actor())
        sync_catalogue()
    return {org.key: org for org in Organisation.objects.all()}


@pytest.fixture
def system(db) -> User:
    return system_actor()


@pytest.fixture
def make_user(areas, system) -> Callable[..., User]:
    def make(username: str, *memberships: tuple[str, Role], password: str = "demo") -> User:
        user = create_user(actor=system, username=username, password=password)
        for key, role in memberships:
            add_membership(user, areas[key], role, actor=system)
        return user

    return make


@pytest.fixture
def frogner_case_worker(make_user) -> User:
    return make_user("oslo-frogner", ("oslo-frogner-bestiller", Role.CASE_WORKER))


@pytest.fixture
def stovner_case_worker(make_user) -> User:
    return make_user("oslo-stovner", ("oslo-stovner-bestiller", Role.CASE_WORKER))


@pytest.fixture
def tromso_case_worker(make_user) -> User:
    return make_user("tromso-case", ("tromso-tildeling", Role.CASE_WORKER))


@pytest.fixture
def ous_clinician(make_user) -> User:
    return make_user("ous-clinician", ("ous-lunge", Role.CLINICIAN))


@pytest.fixture
def ous_technician(make_user) -> User:
    """Works at OUS Avdeling for behandlingshjelpemidler: lends and reprocesses devices."""
    return make_user("ous-bhm", ("ous-bhm", Role.AIDS_STAFF))


@pytest.fixture
def aalborg_case_worker(make_user) -> User:
    return make_user("aalborg-case", ("aalborg-visitation", Role.CASE_WORKER))


@pytest.fixture
def auditor(make_user) -> User:
    return make_user("auditor", ("oslo", Role.AUDITOR))


@pytest.fixture
def network_member(make_user) -> User:
    """Sits in the network group: sees agreements, never patients."""
    return make_user("network", ("oslo", Role.NETWORK_GROUP))


@pytest.fixture
def frogner_patient(system, areas) -> Patient:
    return patient_actions.create_patient(
        actor=system,
        national_id_number=FROGNER_FNR,
        name="Kari Nordmann",
        municipality="Oslo",
        district="Frogner",
        address="Skovveien 12",
    )


@pytest.fixture
def stovner_patient(system, areas) -> Patient:
    return patient_actions.create_patient(
        actor=system,
        national_id_number=STOVNER_FNR,
        name="Ola Stovnersen",
        municipality="Oslo",
        district="Stovner",
        address="Stovnerveien 3",
    )


@pytest.fixture
def tromso_patient(system, areas) -> Patient:
    return patient_actions.create_patient(
        actor=system,
        national_id_number=TROMSO_FNR,
        name="Nils Nordlys",
        municipality="Tromsø",
        address="Storgata 1",
    )


@pytest.fixture
def aalborg_patient(system, areas) -> Patient:
    return patient_actions.create_patient(
        actor=system,
        national_id_number=AALBORG_CPR,
        name="Jens Jensen",
        municipality="Aalborg",
        address="Vestergade 1",
    )


@pytest.fixture
def checked_homes(system, frogner_patient, stovner_patient):
    """The hospital has checked the electrical installation in both patients' bedrooms (O4)."""
    for patient in (frogner_patient, stovner_patient):
        aid_actions.record_electrical_check(patient, actor=system, rooms="bedroom", result="passed")


_MANUAL_BYTES: dict[str, bytes] = {}


@pytest.fixture
def manuals(system, areas):
    """Every aid type has its user manual in the catalogue (U7)."""
    from overgang.aids.models import AidType
    from overgang.demo.manuals import demo_manual

    found = {}
    for kind in AidType.objects.all():
        if kind.slug not in _MANUAL_BYTES:
            _MANUAL_BYTES[kind.slug] = demo_manual(kind)
        found[kind.slug] = aid_actions.upload_manual(
            kind,
            actor=system,
            title=f"{kind.name_en}, demo manual",
            filename=f"{kind.slug}.pdf",
            content=_MANUAL_BYTES[kind.slug],
        )
    return found


@pytest.fixture
def ventilator(system, areas, checked_homes):
    return aid_actions.register_device(
        actor=system, aid_type="home-ventilator", serial="HV-0001", owner=areas["ous-bhm"]
    )


class Api:
    """A JSON client that speaks as one user, with a bearer token."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        # Messages follow Accept-Language (default Norwegian); these tests read English.
        self.headers = {"Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body: dict | None = None):
        return self.client.put(
            f"/api/v1{path}", body or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(client):
    def make(user=None) -> Api:
        return Api(client, issue_token(user).token if user is not None else None)

    return make


@pytest.fixture(autouse=True)
def agreement_files_alone():
    """Each test starts from the agreement files alone: versions a test approved in the
    app (published to this process's registry) do not answer the next test."""
    yield
    from overgang.revisions.published import forget
    from overgang.rules.registry import published_versions

    if published_versions():
        forget()
