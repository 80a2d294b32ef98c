"""A stay admitted 25 hours ago at Sykehuset Levanger, so that its 24-hour duties are due
already, in the database of DATABASE_URL: run as `python -m tests.serving.overdue` against a
database a served Overgang uses, whose worker then tells the duties' holders."""

from __future__ import annotations

import datetime
import os

import django

HOLDER_EMAIL = "levanger-med@example.no"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings")
    django.setup()
    from django.utils import timezone

    from overgang.aids.actions import sync_catalogue
    from overgang.audit.history import system_actor
    from overgang.organisations.actions import add_membership, create_user, load_organisations
    from overgang.organisations.models import Organisation, Role
    from overgang.patients.actions import create_patient
    from overgang.stays import actions

    system = system_actor()
    load_organisations(actor=system)
    sync_catalogue()
    ward = Organisation.objects.get(key="hnt-levanger-med")
    physician = create_user(
        actor=system, username="hnt-clinician", password="demo-demo-1", email=HOLDER_EMAIL
    )
    add_membership(physician, ward, Role.CLINICIAN, actor=system)
    patient = create_patient(
        actor=system,
        national_id_number="12035610039",  # fictitious, valid check digits
        name="Lars Levangsen",
        municipality="Levanger",
        address="Kirkegata 5",
    )
    actions.admit(
        patient,
        actor=physician,
        unit=ward,
        admission="emergency",
        admitted_at=timezone.now() - datetime.timedelta(hours=25),
    )


if __name__ == "__main__":
    main()
