"""GET /stays/{id} reads a stay in a fixed number of queries, however many aids the patient
has on loan: the checklist once read each set and the patient's address for each."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from overgang.aids import actions as aids
from overgang.aids.models import AidType, Device, Loan
from overgang.stays.checklist import discharge_blockers
from overgang.stays.models import Stay

pytestmark = pytest.mark.django_db


def _read(api, stay):
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(f"/stays/{stay.pk}")
    assert answer.status_code == 200
    return answer.json(), len(queries.captured_queries)


def test_the_stay_is_read_in_as_many_queries_with_three_aids_lent_as_with_one(
    api_as, ous_clinician, oslo_stay, frogner_patient, ventilator, system, areas
):
    api = api_as(ous_clinician)
    aids.lend_device(ventilator, frogner_patient, actor=system)
    _read(api, oslo_stay)  # the token's first use records it and reads the memberships once
    one, with_one = _read(api, oslo_stay)
    for serial in ("HV-0002", "HV-0003"):
        device = aids.register_device(
            actor=system, aid_type="home-ventilator", serial=serial, owner=areas["ous-bhm"]
        )
        aids.lend_device(device, frogner_patient, actor=system)
    three, with_three = _read(api, oslo_stay)

    # Each ventilator, lent alone, asks for its second unit and its manual (O5, U7).
    blockers = " ".join(three["discharge_ready_blockers"])
    assert all(serial in blockers for serial in ("HV-0001", "HV-0002", "HV-0003"))
    assert "HV-0002" not in " ".join(one["discharge_ready_blockers"])
    assert with_three == with_one
    # Read in the stay's row (on PostgreSQL), the loans make the blockers the checklist
    # makes of them read apart.
    apart = [str(b) for b in discharge_blockers(Stay.objects.get(pk=oslo_stay.pk))]
    assert three["discharge_ready_blockers"] == apart


# The types whose JSON value (PostgreSQL's TO_JSONB) is already what the driver would give,
# or that common._from_json turns back. A column of any other type on a loan, its device or
# their types would come back as its JSON text in the checklist: convert it there first.
_JSON_READ_TYPES = {
    *("AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField"),
    *("PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField"),
    *("ForeignKey", "OneToOneField", "BooleanField", "CharField", "SlugField", "TextField"),
    *("EmailField", "URLField", "JSONField", "DateField", "DateTimeField", "DecimalField"),
    "UUIDField",
}


def test_the_loans_read_in_a_stays_row_have_only_columns_json_gives_back():
    for model in (Loan, Device, AidType):
        types = {field.get_internal_type() for field in model._meta.concrete_fields}
        assert types <= _JSON_READ_TYPES, (model.__name__, types - _JSON_READ_TYPES)
