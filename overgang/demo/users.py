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
    # A ward physician at UNN Tromsø, who admits the Tromsø patient and records the needs.
    DemoUser("unn-clinician", "Ulrik", "Ulvang", (("unn-lunge", Role.CLINICIAN),)),
    DemoUser("hnt-clinician", "Henrik", "Levang", (("hnt-levanger-med", Role.CLINICIAN),)),
    DemoUser("levanger-case", "Lene", "Levangsen", (("levanger-tildeling", Role.CASE_WORKER),)),
    # The regional treatment-aids unit at St. Olavs, which lends for HNT (routine 002 point 4).
    DemoUser("stolav-bhm", "Siri", "Solsiden", (("stolav-bhm", Role.AIDS_STAFF),)),
    DemoUser("aauh-clinician", "Anders", "Aalund", (("aauh-lunge", Role.CLINICIAN),)),
    DemoUser("aalborg-case", "Birgitte", "Visitator", (("aalborg-visitation", Role.CASE_WORKER),)),
    # Region Nordjylland's aids depot, which lends the region's treatment aids (003).
    DemoUser("rn-depot", "Rasmus", "Depotsen", (("rn-depot", Role.AIDS_STAFF),)),
    # A member of the network group for aids and treatment aids (003 5.1, N10): reads the
    # catalogue and the agreements, sees no patient.
    DemoUser("rn-network", "Nanna", "Netværk", (("rn", Role.NETWORK_GROUP),)),
    # The other side of the Nordjylland group: Aalborg kommune's member. A change one member
    # proposes, the other approves (four eyes, N10).
    DemoUser("aalborg-network", "Karsten", "Kommunesen", (("aalborg", Role.NETWORK_GROUP),)),
    # A member of the local contact committee at the hospital (003 5.1, 6): follows the
    # shared capacity of the region's and the municipalities' depots and the indicators,
    # passes general matters to the network group, sees no patient.
    DemoUser("rn-contact", "Karen", "Kontaktsen", (("aauh", Role.CONTACT_COMMITTEE),)),
    # The hospital and a municipality in each Norwegian area's group (000 11, 001, 002).
    DemoUser("ous-network", "Oda", "Samhandlingsen", (("ous", Role.NETWORK_GROUP),)),
    DemoUser("oslo-network", "Per", "Partnersen", (("oslo", Role.NETWORK_GROUP),)),
    DemoUser("unn-network", "Unni", "Utvalgsen", (("unn", Role.NETWORK_GROUP),)),
    DemoUser("tromso-network", "Trond", "Tverrfaglig", (("tromso", Role.NETWORK_GROUP),)),
    DemoUser("hnt-network", "Hege", "Helsefellesskap", (("hnt", Role.NETWORK_GROUP),)),
    DemoUser("levanger-network", "Lars", "Likeverd", (("levanger", Role.NETWORK_GROUP),)),
    DemoUser("auditor", "Rita", "Revisor", (("oslo", Role.AUDITOR), ("ous", Role.AUDITOR))),
    # Levanger municipality's integration engine: posts the messages its record system
    # receives, and works the inbox of rejected ones (docs/messages.md).
    DemoUser("levanger-integration", "Ivar", "Integrasjon", (("levanger", Role.INTEGRATION),)),
)
