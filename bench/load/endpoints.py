"""What is measured: the API's list routes, its single-object routes and two pages, each
with the bare view (bench/load/bare.py) it is held against, and the targets."""

from __future__ import annotations

from dataclasses import dataclass

# Who: a case worker of the allocation office of Oslo's district Frogner (a demo user, the
# narrowest scope, so the scope's filters have the most to do), and admin (sees everything:
# the same rows as the bare view's).
SCOPED_USER = "oslo-frogner"
ADMIN_USER = "admin"
USERS = (
    (SCOPED_USER, "district allocation office (Oslo, Frogner)"),
    (ADMIN_USER, "everything"),
)

CONNECTIONS = 16
PAGE_ROWS = 50

TARGET_LIST_RATIO = 0.60
TARGET_ONE_RATIO = 0.70
TARGET_PAGE_P95_MS = 100.0


@dataclass(frozen=True)
class ListRoute:
    name: str  # also the bare view's: /bench-bare/list/<name>
    api: str
    note: str = ""  # why it may answer other than PAGE_ROWS rows


@dataclass(frozen=True)
class OneRoute:
    name: str  # also the bare view's: /bench-bare/one/<name>/<key>
    api: str  # with {key}


# Every list takes a limit (docs/contracts/api.md, "Paging"): each line reads its first page.
FEWER = "fewer rows than a page in scope"
DEMO_ONLY = "the bench builds none, so only the demo's few rows"
LIST_ROUTES = (
    ListRoute("patients", f"/api/v1/patients?limit={PAGE_ROWS}"),
    ListRoute("stays", f"/api/v1/stays?limit={PAGE_ROWS}", FEWER),
    ListRoute("deadlines", f"/api/v1/deadlines?limit={PAGE_ROWS}", f"{FEWER} (the worklist)"),
    ListRoute("requisitions", f"/api/v1/requisitions?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute("returns", f"/api/v1/returns?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute("swaps", f"/api/v1/swaps?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute("disputes", f"/api/v1/disputes?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute("nav-applications", f"/api/v1/nav-applications?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute("consumables", f"/api/v1/consumables?limit={PAGE_ROWS}", f"{FEWER}: the catalogue"),
    ListRoute("aid-types", f"/api/v1/aid-types?limit={PAGE_ROWS}", f"{FEWER}: the catalogue"),
    ListRoute("staff-trainings", f"/api/v1/staff-trainings?limit={PAGE_ROWS}", DEMO_ONLY),
    ListRoute(
        "ventilation-agreements", f"/api/v1/ventilation-agreements?limit={PAGE_ROWS}", DEMO_ONLY
    ),
    ListRoute("organisations", f"/api/v1/organisations?limit={PAGE_ROWS}", FEWER),
)
# The API's other GET lists, and why they are not lines here.
LEFT_OUT = {
    "/api/v1/waiting-days": "a computation per municipality and month, not rows of a table",
    "/api/v1/consumables/due": "a computation over a unit's consumption plans",
    "/api/v1/consumables/stock": "an aids unit's stock: neither user manages a unit",
    "/api/v1/auth/tokens": "the caller's own tokens",
    "/api/v1/audit/reads": "one patient's read log, for a named patient",
    "/api/v1/stays/{id}/…, /loans/{id}/…, /aid-types/{slug}/manuals": "lists of one object",
}
ONE_ROUTES = (
    OneRoute("patient", "/api/v1/patients/{key}"),
    OneRoute("device", "/api/v1/devices/{key}"),
    OneRoute("stay", "/api/v1/stays/{key}"),
    OneRoute("requisition", "/api/v1/requisitions/{key}"),
)
PAGES = (
    ("worklist", "/worklist/"),
    ("patient list", "/patients/"),
)
KEYS_PER_ROUTE = 20  # objects a single-object line cycles through


def bare_list(name: str, rows: int) -> str:
    return f"/bench-bare/list/{name}?limit={rows}"


def bare_one(name: str, key: str) -> str:
    return f"/bench-bare/one/{name}/{key}"
