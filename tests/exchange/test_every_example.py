"""Every PLO and Dialogmelding example of the standards, received in a realistic order for one
Levanger patient, each with its effect on the stay asserted."""

from __future__ import annotations

from overgang.exchange.actions import receive
from overgang.stays.models import Deadline, Message, Stay
from overgang.stays.states import StayStatus


def test_every_plo_example_in_a_realistic_order(addressed, system):
    def arrives(name: str, *, from_hospital: bool = True, days_ago: int = 1) -> int:
        body = addressed(name, from_hospital=from_hospital, days_ago=days_ago)
        result = receive(body, actor=system, source=name)
        assert result.status == "accepted", (name, result.errors)
        assert result.stay is not None
        return result.stay

    def message(type_: str, variant: str = "") -> Message:
        return Message.objects.get(stay_id=stay_id, type=type_, variant=variant)

    def done(duty: str) -> bool:
        return Deadline.objects.get(stay_id=stay_id, duty=duty).done_at is not None

    stay_id = arrives("Pasientlogistikk_Innlagt_pasient_v1-6_Ny.xml", days_ago=3)
    assert Stay.objects.get(pk=stay_id).status == StayStatus.ADMITTED
    assert not done("admission-report")

    arrives("Innleggelsesrapport_v1-6_Ny.xml", from_hospital=False, days_ago=3)
    assert done("admission-report")
    arrives("Innleggelsesrapport_v1-6_Endring.xml", from_hospital=False, days_ago=2)
    assert message("INNLEGGELSESRAPPORT", "endring").cancelled_at is None
    arrives("Innleggelsesrapport_v1-6_Kansellering.xml", from_hospital=False, days_ago=2)
    cancelled = Message.objects.filter(stay_id=stay_id, type="INNLEGGELSESRAPPORT")
    assert cancelled.exclude(cancelled_at=None).count() == 1

    arrives("Helseopplysninger_Varsel_om_innlagt_pasient_v1-6_Ny.xml", days_ago=2)
    assert done("hospital-admission-information")
    arrives("Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring1.xml", days_ago=2)
    assert done("functional-needs-description")
    arrives("Helseopplysninger_Oppdaterte_opplysninger_v1-6_Endring2.xml", days_ago=1)
    assert message("HELSEOPPL_SOKNAD", "oppdatert").amended_at is not None

    # Documents without a duty of the agreement: kept on the stay, and undone by their cancel.
    for kind, new, cancel in (
        (
            "MEDISINSKE_OPPLYSNINGER",
            "Medisinske_opplysninger_v1-6_Ny.xml",
            "Medisinske_opplysninger_v1-6_Kansellering.xml",
        ),
        (
            "HELSEOPPLYSNINGER_LEGE",
            "Helseopplysninger_til_lege_v1-6_Ny.xml",
            "Helseopplysninger_til_lege_v1-6_Kansellering.xml",
        ),
        (
            "ORIENTERING_TJENESTETILBUD",
            "Orientering_om_tjenestetilbud_v1-6_Ny.xml",
            "Orientering_om_tjenestetilbud_v1-6_Kansellering.xml",
        ),
    ):
        arrives(new, from_hospital=False)
        assert message(kind).cancelled_at is None
        arrives(cancel, from_hospital=False)
        assert message(kind).cancelled_at is not None

    for name, kind in (
        ("Dialogmelding_foresporsel_PLO_v1-0.xml", "DIALOG_FORESPORSEL"),
        ("Dialogmelding_svar_foresporsel_PLO_v1-0.xml", "DIALOG_SVAR"),
        ("Dialogmelding_avvik_v1-0.xml", "DIALOG_AVVIK"),
    ):
        arrives(name)
        assert message(kind).sender == "hospital"

    arrives("Pasientlogistikk_Avmelding_av_utskrivningsklar_pasient_v1-6_Ny.xml")
    assert message("LOG_AVMELDING").stay.status == StayStatus.ADMITTED

    arrives("Utskrivningsrapport_v1-6_Ny.xml")
    arrives("Utskrivningsrapport_v1-6_Endring.xml", days_ago=0)
    assert message("UTSKRIVNINGSRAPPORT").amended_at is not None
    arrives("Utskrivningsrapport_v1-6_Kansellering.xml", days_ago=0)
    assert message("UTSKRIVNINGSRAPPORT").cancelled_at is not None

    arrives("Pasientlogistikk_Orientering_om_dodsfall_v1-6_Ny.xml", days_ago=0)
    assert Stay.objects.get(pk=stay_id).status == StayStatus.DIED
    assert done("death-notice")
    arrives("Pasientlogistikk_Orientering_om_dodsfall_v1-6_Kansellering.xml", days_ago=0)
    assert message("LOG_DOD").cancelled_at is not None
    assert not done("death-notice"), "the cancelled notice no longer fulfils the duty"
