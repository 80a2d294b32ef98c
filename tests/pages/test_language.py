import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "word"), [("nb", "Pasienter"), ("da", "Patienter"), ("en", "Patients")]
)
def test_choosing_a_language_changes_the_page(client, frogner_case_worker, language, word):
    client.force_login(frogner_case_worker)
    response = client.post("/i18n/setlang/", {"language": language, "next": "/patients/"})
    assert response.status_code == 302
    page = client.get("/patients/")
    assert f'<html lang="{language}">' in page.content.decode()
    assert f"<h1>{word}</h1>" in page.content.decode()


def test_norwegian_is_the_default(client, frogner_case_worker):
    client.force_login(frogner_case_worker)
    assert '<html lang="nb">' in client.get("/").content.decode()


def test_english_pages_show_dates_day_first(client, frogner_case_worker, frogner_patient):
    client.force_login(frogner_case_worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/patients/")
    assert "15.10.1986" in page.content.decode()
