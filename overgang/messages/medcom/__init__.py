"""MedCom FHIR messages (Denmark): the HospitalNotification (sygehusadvis) received and sent,
and the Acknowledgement that answers each one. Pure Python on fhir.resources' R4B models."""

from overgang.messages.medcom.receive import check_medcom

__all__ = ["check_medcom"]
