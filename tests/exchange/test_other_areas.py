"""An admission notice opens the stay in Oslo (a district's office receives it) and in Tromsø
as in Levanger: each under its own agreement, with its own deadlines."""

from __future__ import annotations

import pytest

from overgang.exchange.actions import receive
from overgang.stays.models import Deadline, Stay

ADMITTED = "Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml"


@pytest.mark.parametrize(
    ("sender", "receiver", "agreement", "municipality", "district", "department"),
    [
        (
            ("ous", "ous-lunge"),
            ("oslo", "oslo-frogner-bestiller"),
            "oslo",
            "oslo",
            "oslo-frogner",
            "ous-lunge",
        ),
        (("unn", "unn-lunge"), ("tromso", "tromso-tildeling"), "unn", "tromso", None, "unn-lunge"),
    ],
)
def test_an_admission_notice_opens_the_stay_under_its_own_agreement(
    addressed, system, sender, receiver, agreement, municipality, district, department
):
    result = receive(addressed(ADMITTED, sender=sender, receiver=receiver), actor=system)
    assert result.status == "accepted", result.errors
    assert result.stay is not None
    stay = Stay.objects.select_related("patient__district").get(pk=result.stay)
    assert stay.agreement == agreement
    assert stay.patient.municipality.key == municipality
    assert (stay.patient.district.key if stay.patient.district else None) == district
    assert stay.department is not None and stay.department.key == department
    # The deadlines the admission notice opens are those of the stay's own agreement.
    opened = set(Deadline.objects.filter(stay=stay).values_list("rule", flat=True))
    assert all(rule.startswith(f"{agreement}.") for rule in opened), opened
