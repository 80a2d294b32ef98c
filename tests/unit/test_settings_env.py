import pytest
from django.core.exceptions import ImproperlyConfigured

from overgang.env import env_bool, env_int, env_list


def test_a_bad_boolean_stops_start_up_and_names_the_variable(monkeypatch):
    monkeypatch.setenv("OVERGANG_DEBUG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="OVERGANG_DEBUG='perhaps'"):
        env_bool("OVERGANG_DEBUG", False)


def test_booleans_numbers_and_lists_are_read(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("HOURS", "8")
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_bool("FLAG", False) is True
    assert env_int("HOURS", 12) == 8
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_int("MISSING", 12) == 12


def test_a_bad_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("OVERGANG_TOKEN_HOURS", "twelve")
    with pytest.raises(ImproperlyConfigured, match="OVERGANG_TOKEN_HOURS"):
        env_int("OVERGANG_TOKEN_HOURS", 12)
