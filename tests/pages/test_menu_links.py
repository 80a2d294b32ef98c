"""The header's links are reversed once per process (web/templatetags/menu_links.py): the
same as `{% url %}` gives, under whatever script prefix the deployment has."""

import pytest
from django.template import Context, Template
from django.urls import get_script_prefix, set_script_prefix

NAMES = ["start", "patient-list", "worklist", "paused-logins", "set_language", "logout"]


def render(source: str) -> str:
    return Template("{% load menu_links %}" + source).render(Context())


@pytest.fixture
def prefix():
    before = get_script_prefix()
    yield set_script_prefix
    set_script_prefix(before)


@pytest.mark.parametrize("name", NAMES)
def test_as_url_gives(name: str, prefix):
    for script_prefix in ("/", "/overgang/", "/", "/overgang/"):
        prefix(script_prefix)
        assert render(f"{{% menu_url '{name}' %}}") == render(f"{{% url '{name}' %}}")
    assert render(f"{{% menu_url '{name}' %}}").startswith("/overgang/")
