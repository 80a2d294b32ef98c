"""Printed documents: the loan slip (N8), device labels (O8) and the decision letter for
consumables from a pharmacy (O6). Plain functions from model objects to PDF bytes; the
pages in overgang/web decide who may print what."""

from overgang.aids.documents.decisions import NotADecision, decision_letter
from overgang.aids.documents.labels import LAYOUTS, Layout, device_label_url, device_labels
from overgang.aids.documents.pdf import LANGUAGES, Language, default_language, local_zone
from overgang.aids.documents.slips import loan_slip

__all__ = [
    "LANGUAGES",
    "LAYOUTS",
    "Language",
    "Layout",
    "NotADecision",
    "decision_letter",
    "default_language",
    "device_label_url",
    "device_labels",
    "loan_slip",
    "local_zone",
]
