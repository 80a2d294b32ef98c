"""User manuals (U7): a manual follows every aid; a loan records which one went with it."""

import pytest

from overgang.aids import actions
from overgang.aids.models import AidType, Loan, UserManual
from overgang.audit.models import ChangeRecord
from overgang.errors import Conflict, InvalidInput
from tests import pdfs

pytestmark = pytest.mark.django_db

PDF = pdfs.plain("A tiny manual")


@pytest.fixture
def cpap_type(areas):
    return AidType.objects.get(slug="cpap")


@pytest.fixture
def cpap(system, areas):
    return actions.register_device(
        actor=system, aid_type="cpap", serial="CP-1", owner=areas["ous-bhm"]
    )


def test_a_manual_cannot_be_handed_over_when_the_catalogue_has_none(
    cpap, frogner_patient, ous_technician
):
    with pytest.raises(InvalidInput) as raised:
        actions.lend_device(cpap, frogner_patient, actor=ous_technician, manual_handed_over=True)
    assert "CPAP" in raised.value.errors["manual_handed_over"]
    cpap.refresh_from_db()
    assert cpap.status == "available" and not Loan.objects.exists()


def test_the_loan_keeps_the_manual_that_went_with_it_when_a_newer_one_is_uploaded(
    cpap, cpap_type, frogner_patient, ous_technician
):
    first = actions.upload_manual(
        cpap_type, actor=ous_technician, title="AirSense 10, v1", filename="a.pdf", content=PDF
    )
    loan = actions.lend_device(cpap, frogner_patient, actor=ous_technician, manual_handed_over=True)
    newer = actions.upload_manual(
        cpap_type,
        actor=ous_technician,
        title="AirSense 10, v2",
        filename="b.pdf",
        content=PDF,
        reason="The maker's second edition",
    )
    loan.refresh_from_db()
    assert loan.manual == first
    assert actions.current_manual(cpap_type, "oslo") == newer
    assert UserManual.objects.filter(aid_type=cpap_type).count() == 2


@pytest.mark.parametrize(
    ("title", "content", "field"),
    [
        ("", PDF, "title"),
        ("Manual", b"", "file"),
        ("Manual", b"MZ\x90\x00 not a pdf", "file"),
        ("Manual", PDF + b"x" * (20 * 1024 * 1024), "file"),
    ],
    ids=["no-title", "no-file", "not-a-pdf", "too-large"],
)
def test_a_bad_upload_names_the_field_and_stores_nothing(
    cpap_type, ous_technician, title, content, field
):
    with pytest.raises(InvalidInput) as raised:
        actions.upload_manual(
            cpap_type, actor=ous_technician, title=title, filename="m.pdf", content=content
        )
    assert field in raised.value.errors
    assert not UserManual.objects.exists()


def test_an_upload_is_in_the_change_history(cpap_type, ous_technician):
    manual = actions.upload_manual(
        cpap_type, actor=ous_technician, title="AirSense 10", filename="a.pdf", content=PDF
    )
    change = ChangeRecord.objects.get(model="aids.usermanual", object_id=str(manual.pk))
    assert change.actor == ous_technician and change.changes["title"] == [None, "AirSense 10"]


def test_handing_over_later_records_the_manual_and_can_be_corrected(
    cpap, cpap_type, frogner_patient, ous_technician
):
    manual = actions.upload_manual(
        cpap_type, actor=ous_technician, title="AirSense 10", filename="a.pdf", content=PDF
    )
    loan = actions.lend_device(cpap, frogner_patient, actor=ous_technician)
    actions.hand_over(loan, actor=ous_technician, manual_handed_over=True, instruction_given=True)
    loan.refresh_from_db()
    assert (loan.manual, loan.manual_handed_over, loan.instruction_given) == (manual, True, True)
    actions.hand_over(loan, actor=ous_technician, manual_handed_over=False)
    loan.refresh_from_db()
    assert (loan.manual, loan.manual_handed_over, loan.instruction_given) == (None, False, True)
    changes = ChangeRecord.objects.filter(model="aids.loan", object_id=str(loan.pk))
    assert changes.count() == 2


def test_a_returned_loan_takes_no_handover(cpap, cpap_type, frogner_patient, ous_technician):
    actions.upload_manual(
        cpap_type, actor=ous_technician, title="AirSense 10", filename="a.pdf", content=PDF
    )
    loan = actions.lend_device(cpap, frogner_patient, actor=ous_technician)
    actions.return_loan(loan, actor=ous_technician)
    with pytest.raises(Conflict):
        actions.hand_over(loan, actor=ous_technician, manual_handed_over=True)
    loan.refresh_from_db()
    assert not loan.manual_handed_over
