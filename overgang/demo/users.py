"""The demo users of docs/contracts/api.md (password `demo`), and where they work."""

from __future__ import annotations

from dataclasses import dataclass

from overgang.organisations.models import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, Role], ...]  # (organisation key, role)
    superuser: bool = False


DEMO_PASSWORD = "demo"

DEMO_USERS = (
    DemoUser("admin", "Ada", "Admin", (), superuser=True),
    DemoUser("ous-bhm", "Tone", "Teknikersen", (("ous-bhm", Role.AIDS_STAFF),)),
    DemoUser("ous-clinician", "Lise", "Lungelege", (("ous-lunge", Role.CLINICIAN),)),
    DemoUser(
        "oslo-frogner", "Frida", "Frognersen", (("oslo-frogner-bestiller", Role.CASE_WORKER),)
    ),
    DemoUser("oslo-stovner", "Sami", "Stovnersen", (("oslo-stovner-bestiller", Role.CASE_WORKER),)),
    DemoUser("unn-bhm", "Nils", "Nordlys", (("unn-bhm", Role.AIDS_STAFF),)),
    DemoUser("tromso-case", "Tove", "Tromsdal", (("tromso-tildeling", Role.CASE_WORKER),)),
    DemoUser("hnt-clinician", "Henrik", "Levang", (("hnt-levanger-med", Role.CLINICIAN),)),
    DemoUser("levanger-case", "Lene", "Levangsen", (("levanger-tildeling", Role.CASE_WORKER),)),
    DemoUser("aauh-clinician", "Anders", "Aalund", (("aauh-lunge", Role.CLINICIAN),)),
    DemoUser("aalborg-case", "Birgitte", "Visitator", (("aalborg-visitation", Role.CASE_WORKER),)),
    DemoUser("auditor", "Rita", "Revisor", (("oslo", Role.AUDITOR), ("ous", Role.AUDITOR))),
)
