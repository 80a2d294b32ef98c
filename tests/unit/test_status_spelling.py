"""A status has one spelling: templates compare with the choices' members, never a string."""

import re
from pathlib import Path

import pytest
from django.template import engines
from django.test import RequestFactory

from overgang.web.context_processors import STATUS_CHOICES, statuses

TEMPLATES = Path(__file__).resolve().parents[2] / "overgang" / "web" / "templates"
STATUS_VALUES = {value for choices in STATUS_CHOICES for value in choices.values}
# `x.status == 'on-loan'`, `state != "done"`, `x.remedy_status == "open"` ...
RAW_COMPARISON = re.compile(r"""\b(\w*status|state|outcome)\s*(==|!=)\s*['"]([\w-]+)['"]""")
MEMBER = re.compile(r"\b([A-Z]\w*Status|Outcome)\.([A-Z_]+)\b")


def test_no_template_compares_a_status_with_a_string():
    raw = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in RAW_COMPARISON.finditer(path.read_text())
        if match.group(3) in STATUS_VALUES
    ]
    assert raw == []


def test_every_member_a_template_names_exists():
    exposed = statuses(RequestFactory().get("/"))
    named = {
        (match.group(1), match.group(2))
        for path in TEMPLATES.rglob("*.html")
        for match in MEMBER.finditer(path.read_text())
    }
    assert named, "the templates name status members"
    missing = [f"{cls}.{member}" for cls, member in named if not hasattr(exposed.get(cls), member)]
    assert missing == []


@pytest.mark.parametrize(
    ("source", "status", "shown"),
    [
        ("{% if s == DeviceStatus.ON_LOAN %}yes{% endif %}", "on-loan", "yes"),
        ("{% if s == DeviceStatus.ON_LOAN %}yes{% endif %}", "available", ""),
        ("{% if s in RequisitionStatus.TO_DECIDE %}yes{% endif %}", "assessing", "yes"),
        ("{% if s in RequisitionStatus.TO_DECIDE %}yes{% endif %}", "granted", ""),
        ("{% if s in StayStatus.WAITING %}yes{% endif %}", "departure-ready", "yes"),
    ],
)
def test_a_page_template_compares_the_stored_value_with_the_member(source, status, shown):
    template = engines["django"].from_string(source)
    assert template.render({"s": status}, request=RequestFactory().get("/")) == shown
