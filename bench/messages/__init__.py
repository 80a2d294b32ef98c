"""Receiving and composing standard messages, on PostgreSQL: `make bench`.

Builds once (or reuses) a PostgreSQL database with the demo only, and receives into a
fresh copy of it on each run (CREATE DATABASE … TEMPLATE), so every run starts alike.
The messages are those of the start of a stay between the demo's HNT Levanger (its
medical department) and Levanger municipality, for fictitious patients with valid check
digits, composed with overgang.messages before the clock starts: LOG_INNLAGT from the
hospital, INNLEGGELSESRAPPORT from the municipality, HELSEOPPL_SOKNAD (varsel) from the
hospital; every fourth patient is instead a Danish one at Aalborg, admitted and
discharged by MedCom HospitalNotifications from Aalborg University Hospital. Then:

- over HTTP, POST /api/v1/messages by Levanger's integration engine (bearer token), one
  request after another, against the app served as bench/search.py serves it; the
  messages are those addressed to Levanger (LOG_INNLAGT, HELSEOPPL_SOKNAD).
  Target p95 ≤ 100 ms;
- in one process, overgang.exchange.actions.receive(raw, actor=system_actor()) on the
  stream of `--patients` patients' messages, validation included. Target ≥ 100 messages/s;
- in one process, compose(Outgoing) over the PLO codes of a stay, and
  overgang.exchange.documents.document_for on the messages received on stays.
  Target ≥ 200 messages/s.

Results go to bench/results/messages.json.

    python -m bench.messages                      reuse the demo database when it is there
    python -m bench.messages --rebuild-messages   build the demo database afresh

The parts: common (settings and targets), stream (the messages), inside (what runs in
the app's own process), report (the table and the results file), and __main__ (the
database, the HTTP part and the command line).
"""
