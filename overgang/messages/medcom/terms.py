"""The MedCom codes and identifier systems a HospitalNotification and its Acknowledgement use.

From the MedCom FHIR IGs (http://medcomfhir.dk/ig/hospitalnotification,
http://medcomfhir.dk/ig/acknowledgement, http://medcomfhir.dk/ig/terminology).
"""

from __future__ import annotations

from overgang.messages.incoming import Status

CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"

TERMINOLOGY = "http://medcomfhir.dk/ig/terminology/CodeSystem"
EVENT_SYSTEM = f"{TERMINOLOGY}/medcom-messaging-eventCodes"
ACTIVITY_SYSTEM = f"{TERMINOLOGY}/medcom-messaging-activityCodes"
DESTINATION_USE_SYSTEM = f"{TERMINOLOGY}/medcom-messaging-destinationUse"
DESTINATION_USE_URL = (
    "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension"
)
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

NOTIFICATION_EVENT = "hospital-notification-message"
ACKNOWLEDGEMENT_EVENT = "acknowledgement-message"
ACKNOWLEDGEMENT_ACTIVITY = "acknowledgement"

NOTIFICATION_PROFILE = (
    "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/"
    "medcom-hospitalNotification-message"
)
ACKNOWLEDGEMENT_PROFILE = (
    "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-acknowledgement-message"
)

# Where a SOR-id's organisation is reached: MedCom's examples give SOR's own page as the
# endpoint; an organisation without a SOR-id gets MedCom's "unknown" endpoint.
SOR_ENDPOINT = "https://sor2.sum.dsdn.dk/#id={}"
UNKNOWN_ENDPOINT = "http://medcomfhir.dk/unknown"

# The activities of ValueSet medcom-hospitalNotification-messageActivities, without their
# revise-/cancel- prefix, and the message's code in overgang/rules/transitions.toml.
# A revise-* or cancel-* amends a message of the same kind, so it keeps that code.
CODES = {
    "admit-inpatient": "SYGEHUSADVIS_INDLAGT",
    "admit-emergency": "SYGEHUSADVIS_INDLAGT",
    "start-leave-inpatient": "SYGEHUSADVIS_ORLOV_START",
    "end-leave-inpatient": "SYGEHUSADVIS_ORLOV_SLUT",
    "discharge-inpatient-home": "SYGEHUSADVIS_UDSKREVET",
    "discharge-emergency-home": "SYGEHUSADVIS_UDSKREVET",
}

_PREFIXES = {"revise-": Status.CHANGE, "cancel-": Status.CANCEL}

ACTIVITIES = frozenset(
    [*CODES, *(prefix + base for prefix in _PREFIXES for base in CODES)],
)


def split_activity(activity: str) -> tuple[Status, str]:
    """`revise-admit-inpatient` -> (CHANGE, `admit-inpatient`); a plain one is NEW."""
    for prefix, status in _PREFIXES.items():
        if activity.startswith(prefix):
            return status, activity.removeprefix(prefix)
    return Status.NEW, activity
