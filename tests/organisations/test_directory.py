import pytest

pytestmark = pytest.mark.django_db


def test_the_directory_finds_a_unit_by_name_and_kind(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    page = client.get("/organisations/", {"q": "behandlingshjelpemidler", "kind": "aids_unit"})
    names = {o.name for o in page.context["page"].object_list}
    assert "Avdeling for behandlingshjelpemidler" in names
    assert all(o.kind == "aids_unit" for o in page.context["page"].object_list)


def test_a_municipality_is_found_by_its_number(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    page = client.get("/organisations/", {"q": "851"})
    assert [o.name for o in page.context["page"].object_list] == ["Aalborg Kommune"]


def test_oslo_shows_which_districts_akershus_serves(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    page = client.get("/organisations/oslo/")
    catchment = page.context["catchment"]
    assert catchment.hospital.key == "ous"
    assert {d for d, h in catchment.exceptions} == {"Grorud", "Stovner", "Alna"}
    assert "Bydel Frogner" in page.content.decode()


def test_a_district_shows_its_own_hospital(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    page = client.get("/organisations/oslo-stovner/")
    assert page.context["catchment"].hospital.key == "ahus"


def test_an_unknown_organisation_is_404(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    assert client.get("/organisations/no-such-place/").status_code == 404


def test_an_unknown_kind_is_a_form_error_not_a_crash(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    page = client.get("/organisations/", {"kind": "castle"})
    assert page.status_code == 200
    assert "kind" in page.context["form"].errors


def test_the_api_uses_the_same_directory_filter(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    found = client.get("/api/v1/organisations", {"q": "Frogner", "kind": "district"}).json()
    assert [o["key"] for o in found] == ["oslo-frogner"]
    assert found[0]["parent"] == "oslo"
    assert client.get("/api/v1/organisations/ous-bhm").json()["phone"]


def test_the_api_refuses_an_unknown_kind_naming_the_field(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    response = client.get("/api/v1/organisations", {"kind": "castle"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "kind"]
    assert client.get("/api/v1/organisations/nowhere").status_code == 404
