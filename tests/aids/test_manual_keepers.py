"""Each agreement's user manuals are kept by its own keepers (overgang.aids.manual_keepers):
the treatment-aids unit for treatment aids, the municipal depot for the others. Oslo's unit
cannot replace Aalborg's manual; everyone sees who replaced a manual, when and why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from overgang.aids import actions
from overgang.aids.models import AidType, UserManual
from overgang.organisations.models import Role
from tests import pdfs

pytestmark = pytest.mark.django_db

# agreement: (treatment-aids unit, municipal depot, municipality, hospital department)
AREAS = {
    "oslo": ("ous-bhm", "oslo-hjelpemiddellager", "oslo", "ous-lunge"),
    "unn": ("unn-bhm", "tromso-hjelpemiddellager", "tromso", "unn-lunge"),
    "hnt": ("stolav-bhm", "levanger-hjelpemiddellager", "levanger", "hnt-levanger-med"),
    "nordjylland": ("rn-depot", "aalborg-depot", "aalborg", "aauh-lunge"),
}
UNIT, DEPOT, MUNICIPALITY, DEPARTMENT = range(4)
# Where each role works in the tests, and which aid's manual it keeps (None: none).
ROLES = {
    Role.AIDS_STAFF: (UNIT, "cpap"),
    Role.ADMIN: (UNIT, "cpap"),
    Role.DEPOT_STAFF: (DEPOT, "wheelchair"),
    Role.CLINICIAN: (DEPARTMENT, None),
    Role.PSYCHOLOGIST: (DEPARTMENT, None),
    Role.DISCHARGE_COORDINATOR: (DEPARTMENT, None),
    Role.INTEGRATION: (DEPARTMENT, None),
    Role.CASE_WORKER: (MUNICIPALITY, None),
    Role.HOME_NURSE: (MUNICIPALITY, None),
    Role.NURSING_HOME_STAFF: (MUNICIPALITY, None),
    Role.NAV_ADVISER: (MUNICIPALITY, None),
    Role.NETWORK_GROUP: (MUNICIPALITY, None),
    Role.CONTACT_COMMITTEE: (DEPARTMENT, None),
    Role.AUDITOR: (MUNICIPALITY, None),
}

assert set(ROLES) == set(Role), "every role is tried"


@pytest.fixture
def keeper(make_user):
    """The person who keeps an agreement's manuals of treatment aids (or, with `side`, of
    the municipal aids)."""

    made = {}

    def make(agreement: str, role: Role = Role.AIDS_STAFF):
        where, _kept = ROLES[role]
        org = AREAS[agreement][where]
        if (org, role) not in made:
            made[org, role] = make_user(f"{role}-{org}", (org, role))
        return made[org, role]

    return make


def post_manual(api, slug, *, agreement="", reason="", content=None, title="Manual"):
    upload = SimpleUploadedFile("m.pdf", content or pdfs.plain(title), "application/pdf")
    body = {"title": title, "file": upload, "agreement": agreement, "reason": reason}
    return api.client.post(f"/api/v1/aid-types/{slug}/manuals", body, headers=api.headers)


@pytest.mark.parametrize("agreement", sorted(AREAS))
def test_who_may_upload_a_manual_in_each_area_by_role(api_as, keeper, agreement):
    """Every role of the area tries a treatment aid's and a technical aid's manual: only
    the unit's staff (and its admin) keep the first, only the depot's the second."""
    answers, expected = {}, {}
    for role, (where, kept) in sorted(ROLES.items()):
        api = api_as(keeper(agreement, role))
        for slug in ("cpap", "wheelchair"):
            answer = post_manual(api, slug, agreement=agreement, reason="Their edition")
            answers[role, slug] = answer.status_code
            expected[role, slug] = 201 if slug == kept else 403
            if answer.status_code == 201:
                assert answer.json()["keeper"] == AREAS[agreement][where]
    assert answers == expected
    kept_by = {(m.aid_type.slug, m.keeper.key) for m in UserManual.objects.all()}
    assert kept_by == {("cpap", AREAS[agreement][UNIT]), ("wheelchair", AREAS[agreement][DEPOT])}


@pytest.mark.parametrize("mine", sorted(AREAS))
def test_a_keeper_cannot_reach_another_agreements_manual(api_as, keeper, mine):
    api = api_as(keeper(mine))
    for other in sorted(set(AREAS) - {mine}):
        answer = post_manual(api, "cpap", agreement=other)
        assert answer.status_code == 404, other
        assert api.get("/aid-types/cpap/manuals", agreement=other).status_code == 404
    assert not UserManual.objects.exclude(agreement=mine).exists()


def test_the_depot_is_told_who_keeps_a_treatment_aids_manual(api_as, keeper):
    answer = post_manual(api_as(keeper("oslo", Role.DEPOT_STAFF)), "cpap", agreement="oslo")
    assert answer.status_code == 403
    assert "treatment-aids unit" in answer.json()["detail"]


def test_oslo_replacing_its_manual_leaves_every_other_agreements_as_it_was(api_as, keeper, system):
    cpap = AidType.objects.get(slug="cpap")
    common = actions.upload_manual(
        cpap, actor=system, title="Maker's", filename="c.pdf", content=pdfs.plain()
    )
    own = {}
    for agreement in ("oslo", "nordjylland"):
        answer = post_manual(
            api_as(keeper(agreement)), "cpap", reason="Our edition", title=f"{agreement} v1"
        )
        assert answer.status_code == 201, answer.content
        own[agreement] = answer.json()["id"]

    again = post_manual(api_as(keeper("oslo")), "cpap", reason="Corrected", title="oslo v2")

    assert again.status_code == 201
    assert actions.current_manual(cpap, "oslo").pk == again.json()["id"]
    assert actions.current_manual(cpap, "nordjylland").pk == own["nordjylland"]
    assert actions.current_manual(cpap, "unn") == common, "an agreement without its own"


def test_replacing_a_manual_needs_a_reason(api_as, keeper):
    api = api_as(keeper("unn"))
    assert post_manual(api, "cpap").status_code == 201, "the first one needs none"
    answer = post_manual(api, "cpap", title="Second")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "reason"]
    assert UserManual.objects.count() == 1


def test_everyone_under_the_agreement_sees_who_replaced_it_when_and_why(
    api_as, client, keeper, frogner_case_worker
):
    api = api_as(keeper("oslo"))
    post_manual(api, "cpap", title="AirSense 10, 2023")
    post_manual(api, "cpap", title="AirSense 10, 2025", reason="New mask fitting section")

    history = api_as(frogner_case_worker).get("/aid-types/cpap/manuals").json()
    assert [m["title"] for m in history] == ["AirSense 10, 2025", "AirSense 10, 2023"]
    assert history[0]["reason"] == "New mask fitting section"
    assert history[0]["uploaded_by"] == "aids-staff-ous-bhm"

    client.force_login(frogner_case_worker)
    page = client.get("/catalogue/cpap/", headers={"Accept-Language": "en"})
    text = page.content.decode()
    assert "New mask fitting section" in text and "Avdeling for behandlingshjelpemidler" in text
    assert 'id="upload-' not in text, "a case worker reads it and does not replace it"


def test_the_aalborg_page_shows_aalborgs_manual_and_not_oslos(
    client, keeper, aalborg_case_worker, api_as
):
    post_manual(api_as(keeper("oslo")), "cpap", title="Oslo edition")
    post_manual(api_as(keeper("nordjylland")), "cpap", title="Nordjyllands udgave")
    client.force_login(aalborg_case_worker)
    text = client.get("/catalogue/cpap/").content.decode()
    assert "Nordjyllands udgave" in text and "Oslo edition" not in text


def test_a_keeper_uploads_on_the_page_and_another_agreements_keeper_gets_404(client, keeper):
    oslo = keeper("oslo")
    client.force_login(oslo)
    page = client.get("/catalogue/cpap/")
    assert 'id="upload-oslo"' in page.content.decode()
    upload = SimpleUploadedFile("m.pdf", pdfs.plain(), "application/pdf")
    sent = {"title": "AirSense", "file": upload, "agreement": "oslo"}
    assert client.post("/catalogue/cpap/manuals/", sent).status_code == 302

    client.force_login(keeper("nordjylland"))
    upload = SimpleUploadedFile("m.pdf", pdfs.plain(), "application/pdf")
    sent = {"title": "Ikke jeres", "file": upload, "agreement": "oslo", "reason": "x"}
    assert client.post("/catalogue/cpap/manuals/", sent).status_code == 404
    assert list(UserManual.objects.values_list("title", flat=True)) == ["AirSense"]


def test_the_depot_is_refused_a_treatment_aids_manual_on_the_page(client, keeper):
    client.force_login(keeper("hnt", Role.DEPOT_STAFF))
    upload = SimpleUploadedFile("m.pdf", pdfs.plain(), "application/pdf")
    sent = {"title": "X", "file": upload, "agreement": "hnt"}
    assert client.post("/catalogue/cpap/manuals/", sent).status_code == 403
    assert not UserManual.objects.exists()


BAD_FILES = {
    "javascript": (pdfs.with_javascript, "JavaScript"),
    "hidden-javascript": (pdfs.with_hidden_javascript, "JavaScript"),
    "embedded-file": (pdfs.with_embedded_file, "embedded or attached files"),
    "launch-action": (pdfs.with_launch_action, "start programs"),
    "locked": (pdfs.locked, "password"),
    "only-named-pdf": (pdfs.only_named_pdf, "not a readable PDF"),
}


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_a_file_that_is_not_a_plain_readable_pdf_is_refused_naming_the_file(api_as, keeper, bad):
    make, words = BAD_FILES[bad]
    answer = post_manual(api_as(keeper("oslo")), "cpap", content=make())
    assert answer.status_code == 422
    problem = answer.json()["detail"][0]
    assert problem["loc"] == ["body", "file"] and words in problem["msg"]
    assert not UserManual.objects.exists()


def test_the_loan_takes_the_manual_of_the_patients_agreement(
    api_as, keeper, system, areas, frogner_patient, ous_technician
):
    cpap = AidType.objects.get(slug="cpap")
    actions.upload_manual(
        cpap, actor=system, title="Common", filename="c.pdf", content=pdfs.plain()
    )
    post_manual(api_as(ous_technician), "cpap", reason="Ours", title="Oslo")
    post_manual(api_as(keeper("nordjylland")), "cpap", reason="Vores", title="Nordjylland")
    device = actions.register_device(
        actor=system, aid_type="cpap", serial="CP-7", owner=areas["ous-bhm"]
    )
    loan = actions.lend_device(
        device, frogner_patient, actor=ous_technician, manual_handed_over=True
    )
    assert loan.manual.title == "Oslo"
