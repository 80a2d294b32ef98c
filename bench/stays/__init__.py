"""Stays, worklists and the notification sweep at scale, on PostgreSQL: `make bench`.

Builds (or reuses) in the PostgreSQL bench database of bench/search.py 100,000 open
stays, one for each of 100,000 patients, at a department of the patient's responsible
hospital trust (or Danish region), each with its admission event and ten open deadlines:
1,000,000 in all, half held by the department and half by the allocation office of the
patient's district or municipality, due from three days ago to seven days ahead, with the
pending notices that overgang.stays.actions.deadlines.first_notice gives them. The rows are
written by INSERT … SELECT in one transaction, not through overgang.stays.actions. Then:

- the worklist over real HTTP, one client, one request after another, against the app
  served as bench/search.py serves it: the page /worklist/ (its first 25 rows) and
  GET /api/v1/deadlines (bearer token) for an Oslo district's allocation office, the
  allocation office with the most deadlines (Aalborg's), Levanger's allocation office,
  two hospital departments and the municipality of Oslo as a whole (whose worklist
  covers every district and office in it), and the start page (its counts) for Oslo and
  the Oslo district; target p95 ≤ 50 ms. The worklist's
  queries are run under EXPLAIN ANALYZE for each of these users and the plans kept with
  the results, and each request is made once more in the app's own process (Django's test
  client) to tell how much of its time its queries take;
- the sweep, overgang.stays.notify.sweep(now): a catch-up sweep (nothing swept since the
  build: every overdue deadline and every one due within the warning is told at once),
  then steady sweeps one minute and thirty minutes later, with the notifications each
  writes; and batches of overgang.stays.notify.send_emails() to Django's in-memory
  e-mail backend. Target: one sweep over 1,000,000 open deadlines ≤ 5 s. Before each
  round the notifications are deleted and the notice times restored (then VACUUM), so
  every round starts from the build's state; the medians of the rounds are reported.

A build whose clock is more than six hours old is built again, so that "three days ago to
seven days ahead" stays true of the worklists read over HTTP.

Results go to bench/results/stays.json.

    python -m bench.stays                   reuse the build when it is there
    python -m bench.stays --rebuild-stays   build the stays and deadlines afresh

The parts: common (settings and the SQL helpers), inside (what runs in the app's own
process: users, the agreements' deadline rules, plans, sweeps, e-mails), build (the
stays and deadlines, the clock, the reset between sweeps), reads (the worklist over
HTTP), sweep (the sweep rounds), report (the table and bench/results/stays.json), and
__main__ (the command line).
"""
