"""The app serves its static files itself (whitenoise): with their caching, never no-store,
and without listing every file again for each test client."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.test import Client

from overgang.serving import static


def test_a_static_file_is_served_by_the_app_with_its_caching(client: Client):
    response = client.get("/static/overgang/app.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).strip()  # type: ignore[attr-defined]
    assert "no-store" not in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]


def test_the_files_are_listed_once_per_process(monkeypatch, settings):
    settings.STATIC_URL = "/assets-listed-once/"  # a configuration no other test listed
    listed = []
    real = finders.get_finders

    def counting():
        listed.append(1)
        return real()

    monkeypatch.setattr(finders, "get_finders", counting)
    first = static.StaticFilesMiddleware(lambda request: None)
    second = static.StaticFilesMiddleware(lambda request: None)
    assert len(listed) == 1
    assert "/assets-listed-once/overgang/app.css" in second.files
    assert second.files.keys() == first.files.keys()
