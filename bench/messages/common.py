"""What the parts of the messages benchmark share: its settings and targets."""

from __future__ import annotations

from bench.search import PG_BENCH_DB, RESULTS_DIR

RESULTS = RESULTS_DIR / "messages.json"

# The demo and nothing else, built once; each run receives into a fresh copy of it, so that
# every run starts from the same database (what a run receives stays in its copy).
BASE_DB = f"{PG_BENCH_DB}_messages_base"
RUN_DB = f"{PG_BENCH_DB}_messages"

# Levanger municipality's integration engine, which posts to the API.
INTEGRATION_USER = "bench-levanger-engine"
INTEGRATION_KEY = "levanger"

HOSPITAL_KEYS = ("hnt", "hnt-levanger-med")  # HNT Levanger, its medical department
MUNICIPALITY_KEYS = ("levanger",)
DANISH_HOSPITAL_KEY = "aauh"
DANISH_MUNICIPALITY_KEY = "aalborg"
# Every DANISH_EVERY-th patient is a Danish one at Aalborg, with MedCom notifications.
DANISH_EVERY = 4
# A Levanger patient's messages, in the order they arrive: the hospital's notice of the
# admission, the municipality's admission report, the hospital's health information.
PLO_STAY = ("LOG_INNLAGT", "INNLEGGELSESRAPPORT", "HELSEOPPL_SOKNAD:varsel")
# Of those, what an integration engine of Levanger hands over (it receives for Levanger).
TO_MUNICIPALITY = ("LOG_INNLAGT", "HELSEOPPL_SOKNAD:varsel")
DANISH_STAY = ("admit-inpatient", "discharge-inpatient-home")
# What composing is timed on: every PLO code a stay's messages use.
COMPOSE_MIX = (
    "LOG_INNLAGT",
    "INNLEGGELSESRAPPORT",
    "HELSEOPPL_SOKNAD:varsel",
    "HELSEOPPL_SOKNAD:oppdatert",
    "LOG_UTSKRIVNINGSKLAR",
    "TILBAKEMELDING_UTSKRIVNINGSKLAR",
    "UTSKRIVNINGSRAPPORT",
    "LOG_UTSKREVET",
)
TARGET_RECEIVED_PER_S = 100.0
TARGET_API_P95_MS = 100.0
TARGET_COMPOSED_PER_S = 200.0
TARGET_DATABASE = "postgresql"
API_SERVER = "Django's threaded WSGI server with TCP_NODELAY, one process (bench/search.py)"
