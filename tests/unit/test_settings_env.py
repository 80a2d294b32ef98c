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


def test_trusted_proxies_are_addresses_or_networks_and_a_bad_one_names_itself(monkeypatch):
    from overgang.env import env_networks

    monkeypatch.setenv("OVERGANG_TRUSTED_PROXIES", "10.0.0.5, 10.1.0.0/16")
    assert [str(n) for n in env_networks("OVERGANG_TRUSTED_PROXIES")] == [
        "10.0.0.5/32",
        "10.1.0.0/16",
    ]
    monkeypatch.setenv("OVERGANG_TRUSTED_PROXIES", "10.0.0.5, proxy.example")
    with pytest.raises(ImproperlyConfigured, match=r"OVERGANG_TRUSTED_PROXIES: 'proxy\.example'"):
        env_networks("OVERGANG_TRUSTED_PROXIES")


def test_networks_have_a_default_only_while_unset(monkeypatch):
    from overgang.env import env_networks

    monkeypatch.delenv("OVERGANG_METRICS_NETWORKS", raising=False)
    default = ["127.0.0.0/8", "::1"]
    assert [str(n) for n in env_networks("OVERGANG_METRICS_NETWORKS", default)] == [
        "127.0.0.0/8",
        "::1/128",
    ]
    monkeypatch.setenv("OVERGANG_METRICS_NETWORKS", "")
    assert env_networks("OVERGANG_METRICS_NETWORKS", default) == []
