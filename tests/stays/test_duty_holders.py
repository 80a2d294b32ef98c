"""Who holds a duty on a stay follows the register as it is now: the process remembers the
register, and forgets it the moment an organisation changes."""

import io

import pytest

from overgang.organisations.actions import import_organisations
from overgang.organisations.models import Organisation
from overgang.stays.access import holder_for

pytestmark = pytest.mark.django_db

HEADER = "key,name,kind,country,parent,number,her_id,sor_id,address,phone,email\n"


@pytest.mark.parametrize(
    ("stay", "municipality"),
    [("tromso_stay", "tromso"), ("levanger_stay", "levanger"), ("aalborg_stay", "aalborg")],
)
def test_a_new_allocation_office_holds_the_municipality_s_duties_at_once(
    request, system, areas, stay, municipality
):
    stay = request.getfixturevalue(stay)
    before = holder_for(stay, "municipality")  # the register is remembered now
    # First by name among the municipality's offices: the one that holds its duties.
    import_organisations(
        io.StringIO(
            HEADER + f"{municipality}-a-office,A office,allocation_office,"
            f"{areas[municipality].country},{municipality},,,,,,\n"
        ),
        actor=system,
    )
    office = Organisation.objects.get(key=f"{municipality}-a-office")
    assert before != office
    assert holder_for(stay, "municipality") == office


def test_a_district_s_office_holds_the_duties_of_its_residents(oslo_stay, areas):
    # Frogner's ordering office, not Oslo's: the patient lives in Bydel Frogner.
    assert holder_for(oslo_stay, "municipality") == areas["oslo-frogner-bestiller"]
