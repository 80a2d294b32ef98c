"""The catalogue: aid types, consumables and user manuals, on the pages and over the API."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from overgang.aids.models import UserManual
from tests import pdfs

pytestmark = pytest.mark.django_db

PDF = pdfs.plain("The CPAP manual")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def test_the_catalogue_lists_types_by_category_with_flags_and_consumables(
    as_user, frogner_case_worker
):
    page = as_user(frogner_case_worker).get("/catalogue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Home ventilator" in text and "04 03 12" in text and "life-sustaining" in text
    assert "CPAP mask" in text and "no aid: the municipality's" in text
    labels = [label for label, _kinds in page.context["groups"]]
    assert labels[:2] == ["Treatment aid", "Technical aid"]


def test_a_type_page_shows_what_to_know_and_who_may_upload(as_user, frogner_case_worker):
    page = as_user(frogner_case_worker).get("/catalogue/home-ventilator/")
    text = page.content.decode()
    assert "lent in two units" in text and "There is no user manual yet" in text
    assert 'id="upload-' not in text, "a case worker does not upload manuals"


def test_a_therapy_page_names_its_parts(as_user, frogner_case_worker):
    text = as_user(frogner_case_worker).get("/catalogue/long-term-oxygen/").content.decode()
    assert "Oxygen concentrator" in text and "Portable oxygen cylinder" in text


def test_the_unit_uploads_a_manual_and_everyone_can_open_it(
    as_user, ous_technician, frogner_case_worker
):
    client = as_user(ous_technician)
    upload = SimpleUploadedFile("airsense.pdf", PDF, content_type="application/pdf")
    saved = client.post("/catalogue/cpap/manuals/", {"title": "AirSense 10", "file": upload})
    assert saved.status_code == 302
    manual = UserManual.objects.get()
    assert (manual.title, manual.filename, manual.size) == ("AirSense 10", "airsense.pdf", len(PDF))
    opened = as_user(frogner_case_worker).get("/catalogue/cpap/manual/")
    assert opened.status_code == 200 and opened["Content-Type"] == "application/pdf"
    assert opened.content == PDF
    assert as_user(frogner_case_worker).get(f"/catalogue/manuals/{manual.pk}/").content == PDF


def test_a_bad_upload_is_a_form_error_and_stores_nothing(as_user, ous_technician):
    client = as_user(ous_technician)
    upload = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    page = client.post("/catalogue/cpap/manuals/", {"title": "", "file": upload})
    assert page.status_code == 422
    assert set(page.context["form"].errors) == {"title", "file"}
    assert not UserManual.objects.exists()


def test_only_device_staff_upload_and_unknown_types_are_404(as_user, frogner_case_worker):
    client = as_user(frogner_case_worker)
    upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
    assert client.post("/catalogue/cpap/manuals/", {"title": "X", "file": upload}).status_code == (
        403
    )
    assert client.get("/catalogue/jetpack/").status_code == 404
    assert client.get("/catalogue/cpap/manual/").status_code == 404, "no manual yet"
    assert client.get("/catalogue/manuals/999/").status_code == 404
    assert not UserManual.objects.exists()


def test_the_catalogue_api_gives_flags_consumables_and_the_manual(
    api_as, ous_technician, frogner_case_worker
):
    technician = api_as(ous_technician)
    upload = SimpleUploadedFile("airsense.pdf", PDF, content_type="application/pdf")
    created = technician.client.post(
        "/api/v1/aid-types/cpap/manuals",
        {"title": "AirSense 10", "file": upload},
        headers=technician.headers,
    )
    assert created.status_code == 201 and created.json()["size"] == len(PDF)
    reader = api_as(frogner_case_worker)
    cpap = reader.get("/aid-types/cpap").json()
    assert cpap["consumables"] == ["cpap-filter", "cpap-mask", "cpap-tube"]
    assert cpap["manual"]["title"] == "AirSense 10" and cpap["life_sustaining"] is False
    types = {t["slug"]: t for t in reader.get("/aid-types").json()}
    assert (
        types["home-ventilator"]["life_sustaining"] and types["home-ventilator"]["manual"] is None
    )
    assert types["long-term-oxygen"]["parts"] == ["oxygen-concentrator", "portable-oxygen-cylinder"]
    assert reader.get("/aid-types/cpap/manual").content == PDF
    assert reader.get("/aid-types/jetpack").status_code == 404
    assert reader.get("/aid-types/home-ventilator/manual").status_code == 404
    supplies = {c["slug"]: c for c in reader.get("/consumables").json()}
    assert supplies["dressings"]["linked_to"] == [] and supplies["feeding-set"]["pharmacy"]


def test_a_manual_upload_over_the_api_by_a_case_worker_is_403_and_bad_files_are_422(
    api_as, ous_technician, frogner_case_worker
):
    reader = api_as(frogner_case_worker)
    upload = SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf")
    refused = reader.client.post(
        "/api/v1/aid-types/cpap/manuals", {"title": "X", "file": upload}, headers=reader.headers
    )
    assert refused.status_code == 403
    technician = api_as(ous_technician)
    upload = SimpleUploadedFile("m.txt", b"plain text", content_type="text/plain")
    bad = technician.client.post(
        "/api/v1/aid-types/cpap/manuals", {"title": "X", "file": upload}, headers=technician.headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "file"]
    assert not UserManual.objects.exists()
