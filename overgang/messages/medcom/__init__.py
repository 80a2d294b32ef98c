"""MedCom FHIR messages (Denmark): the HospitalNotification (sygehusadvis) received
(`check_medcom`) and sent (`hospital_notification`), and the Acknowledgement that answers each
received one (`acknowledgement`). Pure Python on fhir.resources' R4B models."""

from overgang.messages.medcom.acknowledge import acknowledgement
from overgang.messages.medcom.compose import Notification, hospital_notification
from overgang.messages.medcom.receive import check_medcom

__all__ = ["Notification", "acknowledgement", "check_medcom", "hospital_notification"]
