"""The API under load, beside the ceiling of a bare Django view: `python -m bench.load`.

On the PostgreSQL bench database (the patients of bench/search.py, the devices and loans
of bench/aids, the stays and deadlines of bench/stays; built when missing, reused when
there), the app is served as in production, by gunicorn with
overgang/serving/gunicorn_config.py, and 16 client threads, each with its own kept-alive
connection, send requests as fast as they are answered. Side by side, in the same run:

- each list route of the JSON API (its first page of 50 rows, or the fewer rows in scope)
  against a bare Django view of the same table: the same fields of as many rows, in the
  same order, by `.values()` and JsonResponse, with no authentication, no scope, no read
  log, no schema (still through the project's middleware). Its ratio API req/s ÷ bare
  req/s: target ≥ 0.60;
- single-object GETs (a patient, a device, a stay, a requisition) against a bare view of
  the same object: target ≥ 0.70;
- the pages /worklist/ and /patients/, logged in with a session: target p95 ≤ 100 ms.

Each line is measured for a scoped user (oslo-frogner, a case worker of the allocation
office of the Oslo district Frogner) and for admin (who sees everything). The API keeps
its scope checks and read log on: they are what the product is. The bare views exist only
in the bench (bench/load/bare.py, served through bench/load/settings.py and urls.py).

The client threads share the machine's cores with the server; both sides of a ratio pay
that alike, and are measured back to back (API, bare, bare, API: half the requests each
time), so the ratio holds where the absolute figures would not.

Results go to bench/results/load.json.

    python -m bench.load                       the shared bench database, as make bench
    python -m bench.load --patients 20000      a smaller database (with OVERGANG_BENCH_DB)
    python -m bench.load --check               exit 2 when a line misses its target
    python -m bench.load --profile '/api/v1/patients?limit=50'
                                               where one route's time goes (cProfile)

The parts: build (the data), bare (the bare views), urls and settings (how the server
finds them), endpoints (what is measured), server (gunicorn), generator (the client
threads), measure (the lines), report (the table and load.json), profile, __main__.
"""
