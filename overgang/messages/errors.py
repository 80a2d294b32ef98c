"""The AppRec error codes a rejected message is answered with, all in one place.

Kodeverk 2.16.578.1.12.4.1.1.8221 "Feilmeldinger for applikasjonskvittering - Generelle".
"""

from enum import StrEnum

APPREC_ERROR_OID = "2.16.578.1.12.4.1.1.8221"


class AppRecError(StrEnum):
    NOT_XML = "T01"  # Ikke XML / ikke 'well formed' / uleselig
    SCHEMA = "T02"  # XML validerer ikke
    UNSUPPORTED = "T10"  # Støtter ikke meldingsformatet (type or version)
    OTHER_FORMAT = "T99"  # Annen feil på format (too large)
    # What the content says, once the message is read:
    BAD_MESSAGE_ID = "E10"  # Ugyldig meldingsidentifikator (an id reused with other content)
    UNKNOWN_RECEIVER = "E21"  # Mottaker finnes ikke (no receiver in the register)
    NO_PATIENT_ID = "E30"  # Pasientens fødselsnummer mangler
    BAD_PATIENT_ID = "E31"  # Pasientens fødselsnummer er feil
    UNKNOWN_PATIENT = "E35"  # Pasienten finnes ikke i mottakersystemet (nothing to amend)
    OTHER = "X99"  # Annen feil (no agreement covers the patient; the stay refuses it)

    @property
    def display_name(self) -> str:
        """The code's DN text in kodeverk 8221 (what an AppRec's Error/@DN carries)."""
        return _DISPLAY_NAMES[self]


_DISPLAY_NAMES = {
    AppRecError.NOT_XML: "Ikke XML / ikke 'well formed' / uleselig",
    AppRecError.SCHEMA: "XML validerer ikke",
    AppRecError.UNSUPPORTED: "Støtter ikke meldingsformatet",
    AppRecError.OTHER_FORMAT: "Annen feil på format",
    AppRecError.BAD_MESSAGE_ID: "Ugyldig meldingsidentifikator",
    AppRecError.UNKNOWN_RECEIVER: "Mottaker finnes ikke",
    AppRecError.NO_PATIENT_ID: "Pasientens fødselsnummer mangler",
    AppRecError.BAD_PATIENT_ID: "Pasientens fødselsnummer er feil",
    AppRecError.UNKNOWN_PATIENT: "Pasienten finnes ikke i mottakersystemet",
    AppRecError.OTHER: "Annen feil",
}
