"""Devices and loans at scale over HTTP, on PostgreSQL: `make bench`.

Builds (or reuses) in the PostgreSQL bench database of bench/search.py one million
devices ('B-0000001' …) spread over every treatment-aids unit and municipal aid
depot, and two million loans (about two per device: returned ones in the past, and
one active loan for each device on loan), in a few INSERT … SELECT statements.
Then, against the app served as bench/search.py serves it:

- device lookups, GET /api/v1/devices/{serial}, as the aids staff of OUS (`ous-bhm`,
  its own devices) and as `admin` (any device);
- the depot overview, /depot/ and /depot/overview.csv, as `ous-bhm`;
  one client, one request after another; target p95 ≤ 50 ms. The depot overview's
  queries are run under EXPLAIN ANALYZE and the plans kept with the results;
- lending, POST /api/v1/loans, from 1, 4 and 8 client threads at once, against the
  server as one process and pre-forked into several; target ≥ 200 loans/s. Fresh
  CPAP devices ('T-…') are registered for it and removed afterwards, with their
  loans, so the build stays at exactly 1,000,000 devices and 2,000,000 loans.

Results go to bench/results/aids.json.

    python -m bench.aids                  reuse the build when it is there
    python -m bench.aids --rebuild-aids   build the devices and loans afresh

The parts: common (settings and the SQL helpers they all use), build (the devices and
loans), reads (device lookups, the depot overview and its plans), server and lending
(the pre-forked server, lending throughput, the race and the checks after it), report
(the table and bench/results/aids.json), and __main__ (the command line).
"""
