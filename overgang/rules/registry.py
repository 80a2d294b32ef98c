"""Agreement files (one TOML file per agreement version) and the catchment they define (O1).

An agreement names the municipalities it covers and which hospital (trust or
region) serves residents of each, with exceptions by district: in Oslo the
districts Grorud, Stovner and Alna are served by Akershus universitetssykehus.
"""

from __future__ import annotations

import datetime
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from overgang.rules import law
from overgang.rules.checklists import (
    NOTHING_SAID,
    AgreementDischarge,
    Checklists,
    read_agreement_discharge,
)
from overgang.rules.failures import NO_PLAN, FailurePlan, read_failure_plan
from overgang.rules.law import with_law
from overgang.rules.leave import SILENT, LeaveRules, read_leave_rules
from overgang.rules.spec import DeadlineRule, Rule, SpecError, read_deadline, read_rule

AGREEMENT_DIR = Path(__file__).with_name("agreements")


class RulesError(ValueError):
    """Input the agreements cannot answer; the message names the field and the value."""

    field = ""
    # What is wrong, as a key a page says in its reader's language; `params` fill its words.
    reason = "unknown-value"

    def __init__(self, value: str, hint: str = "") -> None:
        self.value = value
        self.params: dict[str, str] = {"value": value}
        message = f"{self.field}: {self.describe(value)}"
        super().__init__(f"{message}; {hint}" if hint else message)

    def describe(self, value: str) -> str:
        return f"unknown value {value!r}"


class UnknownAgreement(RulesError):
    field = "agreement"
    reason = "unknown-agreement"

    def describe(self, value: str) -> str:
        return f"no agreement called {value!r}"


class NotInForce(RulesError):
    field = "date"
    reason = "not-in-force"

    def describe(self, value: str) -> str:
        return f"no version of the agreement {value!r} is in force then"


class UnknownMunicipality(RulesError):
    field = "municipality"
    reason = "unknown-municipality"

    def describe(self, value: str) -> str:
        return f"no agreement covers the municipality {value!r}"


class UnknownDistrict(RulesError):
    field = "district"
    reason = "unknown-district"

    def describe(self, value: str) -> str:
        return f"{value!r} is not a district of this municipality"


@dataclass(frozen=True)
class Hospital:
    key: str
    name: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Municipality:
    name: str
    number: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class CatchmentException:
    districts: frozenset[str]
    hospital: Hospital


@dataclass(frozen=True)
class ConsumablesNotice:
    """How long before a patient runs out of consumables the need is reported (000 5.0:
    "1-2 uker før man går tom"): from `earliest` days before, at the latest `latest` days."""

    earliest: int
    latest: int
    cites: tuple[str, ...] = ()


# Where an agreement names no window: the same fortnight, without a citation.
DEFAULT_CONSUMABLES_NOTICE = ConsumablesNotice(earliest=14, latest=7)


@dataclass(frozen=True)
class HomeVentilation:
    """The routine provides for a per-patient home-ventilation (LTMV) agreement (Oslo's
    000 10.0): the trust initiates it, the municipality is involved early, and the trust
    follows the patient up after discharge, `follow_up_days` after it."""

    rule: str  # the agreement's rule whose words are shown with the tasks
    cites: tuple[str, ...]
    follow_up_days: tuple[int, ...]


def _home_ventilation(raw: object, where: str) -> HomeVentilation | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: home_ventilation must be a table")
    days = raw.get("follow_up_days")
    if (
        not isinstance(days, list)
        or not days
        or not all(isinstance(d, int) and 0 < d <= 3650 for d in days)
        or sorted(set(days)) != days
    ):
        raise SpecError(
            f"{where}: home_ventilation.follow_up_days must be days after discharge, ascending"
        )
    if not isinstance(raw.get("rule"), str):
        raise SpecError(f"{where}: home_ventilation.rule names the agreement's rule on it")
    return HomeVentilation(
        rule=str(raw["rule"]),
        cites=_cite_list(raw.get("cites"), f"{where}: home_ventilation"),
        follow_up_days=tuple(days),
    )


MOVES = ("from-institution", "home-to-institution")
RETRAINERS = ("institution-left", "municipality")


@dataclass(frozen=True)
class SecondTraining:
    """Who trains the staff again when a patient with treatment aids moves (000 9.3): the
    institution the patient leaves, or the municipality when the patient moves from home
    into an institution."""

    move: str
    party: str
    trainer: str  # institution-left | municipality
    cites: tuple[str, ...]
    text: Mapping[str, str]


def _second_training(raw: dict[str, object], where: str) -> SecondTraining:
    move, trainer = raw.get("move"), raw.get("trainer")
    if move not in MOVES:
        raise SpecError(f"{where}: second_training.move must be one of {', '.join(MOVES)}")
    if trainer not in RETRAINERS:
        raise SpecError(f"{where}: second_training.trainer must be one of {', '.join(RETRAINERS)}")
    text = raw.get("text")
    if not isinstance(text, dict) or set(text) != {"nb", "da", "en"}:
        raise SpecError(f"{where}: second_training.text needs nb, da and en")
    cites = raw.get("cites")
    if not isinstance(cites, list) or not cites:
        raise SpecError(f"{where}: second_training needs its cites")
    return SecondTraining(
        move=str(move),
        party=str(raw.get("party", "municipality")),
        trainer=str(trainer),
        cites=tuple(str(c) for c in cites),
        text={k: str(v) for k, v in text.items()},
    )


TRAINING_TOPICS = ("patient", "staff")


@dataclass(frozen=True)
class TrainingNote:
    """What the agreement says about training (O10, N7): of the patient and relatives
    (`patient`), or of the municipality's staff (`staff`), cited, in nb, da and en."""

    topic: str
    cites: tuple[str, ...]
    text: Mapping[str, str]
    repeat: bool = False  # it asks that training be repeated when needed (000 9.1)


def _training_note(raw: dict[str, object], where: str) -> TrainingNote:
    topic = raw.get("topic")
    if topic not in TRAINING_TOPICS:
        raise SpecError(f"{where}: training.topic must be one of {', '.join(TRAINING_TOPICS)}")
    text = raw.get("text")
    if not isinstance(text, dict) or set(text) != {"nb", "da", "en"}:
        raise SpecError(f"{where}: training.text needs nb, da and en")
    cites = raw.get("cites")
    if not isinstance(cites, list) or not cites:
        raise SpecError(f"{where}: training needs its cites")
    repeat = raw.get("repeat", False)
    if not isinstance(repeat, bool):
        raise SpecError(f"{where}: training.repeat must be true or false")
    return TrainingNote(
        repeat=repeat,
        topic=str(topic),
        cites=tuple(str(c) for c in cites),
        text={k: str(v) for k, v in text.items()},
    )


DISPUTE_LEVELS = ("lowest", "contact-committee", "network-group")
DISPUTE_PARTIES = ("hospital", "municipality")


@dataclass(frozen=True)
class DisputeRoute:
    """How the parties settle a doubt about who pays or delivers (N13), as the agreement's
    `[dispute]` section says: the levels, lowest first, each with its citations, and what
    the party closest to the citizen is told (it delivers at once)."""

    levels: tuple[str, ...]  # lowest first
    cites: tuple[str, ...]
    level_cites: Mapping[str, tuple[str, ...]]
    closest: Mapping[str, Mapping[str, str]]  # party -> language -> text


def _cite_list(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) for c in raw):
        raise SpecError(f"{where} needs its cites")
    return tuple(raw)


def _texts(raw: object, where: str) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != {"nb", "da", "en"}:
        raise SpecError(f"{where}: text needs nb, da and en")
    return {k: str(v) for k, v in raw.items()}


def _dispute_route(raw: object, where: str) -> DisputeRoute | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: dispute must be a table")
    levels = raw.get("level")
    if not isinstance(levels, list) or not levels:
        raise SpecError(f"{where}: dispute needs its levels ([[dispute.level]]), lowest first")
    keys: list[str] = []
    level_cites: dict[str, tuple[str, ...]] = {}
    for level in levels:
        key = level.get("key") if isinstance(level, dict) else None
        if key not in DISPUTE_LEVELS or key in keys:
            raise SpecError(
                f"{where}: dispute.level.key {key!r} must be one of {', '.join(DISPUTE_LEVELS)},"
                " each once"
            )
        keys.append(key)
        level_cites[key] = _cite_list(level.get("cites"), f"{where}: dispute.level {key}")
    closest = raw.get("closest")
    if not isinstance(closest, dict) or set(closest) != set(DISPUTE_PARTIES):
        raise SpecError(f"{where}: dispute.closest needs {' and '.join(DISPUTE_PARTIES)}")
    return DisputeRoute(
        levels=tuple(keys),
        cites=_cite_list(raw.get("cites"), f"{where}: dispute"),
        level_cites=level_cites,
        closest={
            party: _texts(entry.get("text") if isinstance(entry, dict) else None, where)
            for party, entry in closest.items()
        },
    )


@dataclass(frozen=True)
class Purpose:
    """A purpose a need is asked for in the agreement's own terms (`[[purpose]]`): the
    engine's `need.purpose` key, the words the agreement uses, and where it says them."""

    key: str
    text: Mapping[str, str]
    cites: tuple[str, ...]


def _purposes(raw: object, where: str) -> tuple[Purpose, ...]:
    from overgang.rules.case import PURPOSES  # case reads this module: imported late

    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SpecError(f"{where}: purpose must be an array of tables ([[purpose]])")
    found: list[Purpose] = []
    for entry in raw:
        key = entry.get("key") if isinstance(entry, dict) else None
        if key not in PURPOSES or any(p.key == key for p in found):
            raise SpecError(
                f"{where}: purpose.key {key!r} must be one of {', '.join(PURPOSES)}, each once"
            )
        found.append(
            Purpose(
                key=key,
                text=_texts(entry.get("text"), f"{where}: purpose {key}"),
                cites=_cite_list(entry.get("cites"), f"{where}: purpose {key}"),
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class Agreement:
    id: str
    version: str
    title: str
    country: str
    time_zone: str
    seed: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    hospital: Hospital
    exceptions: tuple[CatchmentException, ...]
    municipalities: tuple[Municipality, ...]
    rules: tuple[Rule, ...] = ()
    deadline_rules: tuple[DeadlineRule, ...] = ()
    aids_units: tuple[str, ...] = ()  # units outside the trust that lend to its patients
    consumables_notice: ConsumablesNotice = DEFAULT_CONSUMABLES_NOTICE
    second_training: tuple[SecondTraining, ...] = ()
    training: tuple[TrainingNote, ...] = ()  # what it says of training; empty: nothing
    failure: FailurePlan = NO_PLAN  # what to do when a lent device fails
    dispute: DisputeRoute | None = None  # how disputes are settled (N13); None: not said
    # The purposes a need is asked for on a stay, in the agreement's terms; empty: the
    # agreement's rules do not turn on a need's purpose, and no one is asked.
    purposes: tuple[Purpose, ...] = ()
    # Points the code checks outside the rules, each with the sections of this routine
    # that say it; a point left out is one the routine is silent on (see POINTS).
    points: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # What this routine says of discharge ([discharge]); the country's law is added to it.
    discharge: AgreementDischarge = NOTHING_SAID
    # What this routine says of trial discharges and leave ([leave], N5); SILENT: nothing.
    leave: LeaveRules = SILENT
    # A per-patient home-ventilation agreement ([home_ventilation]); None: the routine says
    # nothing of it, and its patients are offered none (O11).
    home_ventilation: HomeVentilation | None = None

    @cached_property
    def checklists(self) -> Checklists:
        """The discharge-ready and departure-ready checklists of this agreement's stays: its
        own routine's conditions with its country's law (R3, R6, O9)."""
        section_9 = law.section_9(self.country)
        return Checklists(
            agreement=self.id,
            country=self.country,
            routine=self.discharge,
            law_items=section_9.items,
            deciders=section_9.deciders,
            law_cites=section_9.cites,
        )

    def in_force(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def municipality(self, name_or_number: str) -> Municipality | None:
        return self._municipality_index.get(normalise_municipality(name_or_number))

    @cached_property
    def _municipality_index(self) -> dict[str, Municipality]:
        index = {normalise_municipality(m.name): m for m in self.municipalities}
        index.update({m.number: m for m in self.municipalities})
        return index

    def reads(self, field: str) -> bool:
        """Does any of this agreement's rules turn on the case field (e.g. "need.purpose")?"""
        return any(field in rule.fields for rule in self.rules)

    def purpose(self, key: str) -> Purpose | None:
        return next((p for p in self.purposes if p.key == key), None)

    @property
    def asks_duration(self) -> bool:
        """Is a need on a stay asked how long it lasts (under or over two years, H4)? Where
        the rules turn on it, or where the agreement names no purposes to ask instead; an
        agreement that names its purposes and never reads the duration is not asked it."""
        return self.reads("need.duration_months") or not self.purposes

    def cites_for(self, point: str) -> tuple[str, ...]:
        """The sections of this routine that say `point`; empty where it is silent."""
        return dict(self.points).get(point, ())


# Bounded: names come from people and requests.
@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names typed by people."""
    decomposed = unicodedata.normalize("NFKC", text).casefold().strip()
    return " ".join(decomposed.split())


@lru_cache(maxsize=4096)
def normalise_municipality(text: str) -> str:
    """'Oslo kommune', 'OSLO', ' oslo ' and 'Aalborg Kommune' compare by their bare name."""
    folded = fold(text)
    for suffix in (" kommune",):
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)].strip()
    return folded


def _hospital(raw: dict[str, object], cites: list[str]) -> Hospital:
    return Hospital(key=str(raw["key"]), name=str(raw["name"]), cites=tuple(cites))


def _consumables_notice(raw: dict[str, object] | None, where: str) -> ConsumablesNotice:
    if raw is None:
        return DEFAULT_CONSUMABLES_NOTICE
    days = raw.get("notice_days")
    if not (isinstance(days, list) and len(days) == 2 and all(isinstance(d, int) for d in days)):
        raise SpecError(f"{where}: consumables.notice_days must be [latest, earliest] in days")
    latest, earliest = sorted(days)
    cites = raw.get("cites", [])
    return ConsumablesNotice(
        earliest=earliest, latest=latest, cites=tuple(cites) if isinstance(cites, list) else ()
    )


# The points an agreement file may cite in its [points] table.
POINTS = (
    "outpatient_referral",  # a specialist's outpatient requisition names the referring GP
    "swap_documentation",  # a swap report names the document showing who started treatment
    "nav_treatment_aids",  # NAV is not applied to for a treatment aid
)


def _points(raw: object, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise SpecError(f"{where}: points must be a table of citation lists")
    found = []
    for point, cites in sorted(raw.items()):
        if point not in POINTS:
            raise SpecError(f"{where}: unknown point {point!r}; known: {', '.join(POINTS)}")
        if not isinstance(cites, list) or not cites:
            raise SpecError(f"{where}: points.{point} needs at least one citation")
        found.append((str(point), tuple(str(c) for c in cites)))
    return tuple(found)


def _load(path: Path) -> Agreement:
    return load_text(path.read_text(encoding="utf-8"), path.name)


def load_text(text: str, where: str) -> Agreement:
    """One agreement version from its agreement-file TOML text; `where` names it in errors
    (the file's name, or an in-app version's id and label)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{where}: {error}") from None
    try:
        return _agreement(raw, where)
    except (KeyError, TypeError, AttributeError) as error:
        raise SpecError(f"{where}: missing or malformed {error}") from None


def _agreement(raw: dict[str, Any], where: str) -> Agreement:
    rule_ids = [r.get("id") for r in raw.get("rule", [])]
    if len(rule_ids) != len(set(rule_ids)):
        raise SpecError(f"{where}: rule ids must be unique")
    if not isinstance(raw.get("valid_from"), datetime.date) or isinstance(
        raw.get("valid_from"), datetime.datetime
    ):
        raise SpecError(f"{where}: valid_from must be a date (valid_from = 2026-01-01)")
    for key in ("id", "version", "title", "country", "time_zone", "seed"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise SpecError(f"{where}: {key} must be a text")
    # The routine's own deadlines, then the national law's for duties it leaves out.
    deadlines = with_law(
        str(raw["country"]), tuple(read_deadline(d, where) for d in raw.get("deadline", []))
    )
    # One id names one thing: the draft editor finds what it changes by id, and would
    # otherwise take the rule where a deadline was meant.
    own_ids = [d.get("id") for d in raw.get("deadline", [])]
    if len(own_ids) != len(set(own_ids)):
        raise SpecError(f"{where}: deadline ids must be unique")
    if shared := sorted({d.id for d in deadlines} & set(rule_ids)):
        raise SpecError(f"{where}: id {shared[0]!r} names both a rule and a deadline")
    catchment = raw["catchment"]
    cites = list(catchment.get("cites", []))
    return Agreement(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        country=raw["country"],
        time_zone=raw["time_zone"],
        seed=raw["seed"],
        valid_from=raw["valid_from"],
        valid_to=raw.get("valid_to"),
        hospital=_hospital(catchment["hospital"], cites),
        exceptions=tuple(
            CatchmentException(
                districts=frozenset(fold(d) for d in exception["districts"]),
                hospital=_hospital(exception["hospital"], list(exception.get("cites", cites))),
            )
            for exception in catchment.get("exception", [])
        ),
        municipalities=tuple(
            Municipality(
                name=m["name"], number=str(m["number"]), districts=tuple(m.get("districts", []))
            )
            for m in raw["municipality"]
        ),
        aids_units=tuple(catchment.get("aids_units", [])),
        consumables_notice=_consumables_notice(raw.get("consumables"), where),
        rules=tuple(read_rule(r, where) for r in raw.get("rule", [])),
        deadline_rules=deadlines,
        second_training=tuple(_second_training(t, where) for t in raw.get("second_training", [])),
        training=tuple(_training_note(t, where) for t in raw.get("training", [])),
        failure=read_failure_plan(raw.get("failure"), where),
        dispute=_dispute_route(raw.get("dispute"), where),
        purposes=_purposes(raw.get("purpose"), where),
        points=_points(raw.get("points"), where),
        discharge=_discharge(raw, where),
        leave=read_leave_rules(raw.get("leave"), where),
        home_ventilation=_home_ventilation(raw.get("home_ventilation"), where),
    )


def _discharge(raw: dict[str, object], where: str) -> AgreementDischarge:
    """The `[discharge]` table, its message order naming messages of the country's."""
    discharge = read_agreement_discharge(raw.get("discharge"), where)
    if discharge.message_order:
        # Here, not at the top: transitions reads rules.case, which reads this module.
        from overgang.rules.transitions import transitions

        known = transitions(str(raw["country"])).messages
        for order in discharge.message_order:
            unknown = [c for c in (order.message, *order.after) if c not in known]
            if unknown:
                raise SpecError(
                    f"{where} [discharge] message_order: unknown messages {', '.join(unknown)}"
                )
    return discharge


# Versions revised in the app (overgang.revisions) and approved there, as agreement-file
# text: they join the files in `all_agreements`. Set only by `publish_versions`.
_published: tuple[str, ...] = ()


def publish_versions(texts: tuple[str, ...]) -> None:
    """Make these in-app versions (agreement-file TOML texts) part of every answer, beside
    the files, replacing those published before; every cache derived from the agreements is
    emptied. A text that does not load raises SpecError and publishes nothing."""
    global _published
    for n, text in enumerate(texts):
        load_text(text, f"in-app version {n + 1}")
    _published = tuple(texts)
    _file_texts.cache_clear()
    # Here, not at the top: the clock reads this module.
    from overgang.rules.clock import country_time_zone

    country_time_zone.cache_clear()


def published_versions() -> tuple[str, ...]:
    """The in-app versions published now (see publish_versions)."""
    return _published


@cache
def _file_texts() -> dict[tuple[str, str], str]:
    texts = {}
    for path in sorted(AGREEMENT_DIR.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        agreement = load_text(text, path.name)
        texts[(agreement.id, agreement.version)] = text
    return texts


def version_text(agreement_id: str, version: str) -> str | None:
    """The agreement-file text of one version (a file's, or a published in-app one's);
    None when there is no such version."""
    for text in _published:
        raw = tomllib.loads(text)
        if (raw.get("id"), raw.get("version")) == (agreement_id, version):
            return text
    return _file_texts().get((agreement_id, version))


def all_agreements() -> tuple[Agreement, ...]:
    """Every agreement version on file and published in the app, ordered by id and then by
    date in force."""
    # Keyed by the published texts themselves: a thread that read the old texts and finishes
    # after `publish_versions` stores its answer under the old key, never the new one.
    return _agreements_with(_published)


@lru_cache(maxsize=4)
def _agreements_with(published: tuple[str, ...]) -> tuple[Agreement, ...]:
    agreements = [_load(path) for path in sorted(AGREEMENT_DIR.glob("*.toml"))]
    agreements += [load_text(text, f"in-app version {n + 1}") for n, text in enumerate(published)]
    return tuple(sorted(agreements, key=lambda a: (a.id, a.valid_from)))


def forget_loaded() -> None:
    """Read the agreement files again on the next question (tests that edit a copy)."""
    _agreements_with.cache_clear()
    _file_texts.cache_clear()


def agreement_by_id(agreement_id: str, *, on: datetime.date) -> Agreement:
    candidates = [a for a in all_agreements() if a.id == agreement_id]
    if not candidates:
        raise UnknownAgreement(agreement_id, f"known: {', '.join(_agreement_ids())}")
    in_force = [a for a in candidates if a.in_force(on)]
    if not in_force:
        raise NotInForce(agreement_id, f"the date was {on.isoformat()}")
    return in_force[-1]


def _agreement_ids() -> list[str]:
    return sorted({a.id for a in all_agreements()})


def agreement_for_municipality(name_or_number: str, *, on: datetime.date) -> Agreement:
    """The agreement in force on `on` that covers the municipality (by name or number)."""
    matches = [
        a for a in all_agreements() if a.in_force(on) and a.municipality(name_or_number) is not None
    ]
    if not matches:
        raise UnknownMunicipality(name_or_number)
    return matches[-1]


def responsible_hospital(
    municipality: str, district: str | None = None, *, on: datetime.date
) -> Hospital:
    """The hospital (trust or region) that serves a resident of this address (O1).

    The registered home address decides; a district outside the municipality is an error.
    """
    agreement = agreement_for_municipality(municipality, on=on)
    found = agreement.municipality(municipality)
    assert found is not None  # agreement_for_municipality only returns covering agreements
    if district:
        if fold(district) not in {fold(d) for d in found.districts}:
            raise UnknownDistrict(district)
        for exception in agreement.exceptions:
            if fold(district) in exception.districts:
                return exception.hospital
    return agreement.hospital


@dataclass(frozen=True)
class AidType:
    slug: str
    category: str
    names: dict[str, str]
    iso9999: str = ""
    life_sustaining: bool = False
    electrical_check: bool = False
    staff_unfamiliar: bool = False
    fitted: bool = False
    therapy: tuple[str, ...] = ()


@cache
def aid_types() -> dict[str, AidType]:
    """The aid types all agreements speak of (aids.toml)."""
    with Path(__file__).with_name("aids.toml").open("rb") as file:
        raw = tomllib.load(file)
    return {
        slug: AidType(
            slug=slug,
            category=entry["category"],
            names=dict(entry["name"]),
            iso9999=entry.get("iso9999", ""),
            life_sustaining=entry.get("life_sustaining", False),
            electrical_check=entry.get("electrical_check", False),
            staff_unfamiliar=entry.get("staff_unfamiliar", False),
            fitted=entry.get("fitted", False),
            therapy=tuple(entry.get("therapy", ())),
        )
        for slug, entry in raw.items()
    }


@dataclass(frozen=True)
class ConsumableType:
    slug: str
    names: dict[str, str]
    units: dict[str, str]
    linked_to: tuple[str, ...] = ()  # the aid types it is directly linked to
    pharmacy: bool = False  # may be handed out by a pharmacy on a decision letter

    def linked(self, aid_type: str) -> bool:
        return aid_type in self.linked_to


@cache
def consumable_types() -> dict[str, ConsumableType]:
    """The consumables and the aid types each is directly linked to (consumables.toml)."""
    with Path(__file__).with_name("consumables.toml").open("rb") as file:
        raw = tomllib.load(file)
    known = aid_types()
    for slug, entry in raw.items():
        unknown = [t for t in entry.get("for", ()) if t not in known]
        if unknown:
            raise SpecError(f"consumables.toml: {slug} is linked to unknown aid types {unknown}")
    return {
        slug: ConsumableType(
            slug=slug,
            names=dict(entry["name"]),
            units=dict(entry["unit"]),
            linked_to=tuple(entry.get("for", ())),
            pharmacy=entry.get("pharmacy", False),
        )
        for slug, entry in raw.items()
    }


def hospitals_served_by_unit(unit_key: str, *, on: datetime.date) -> frozenset[str]:
    """The hospitals (trusts, regions) whose patients a treatment-aids unit outside them
    lends to, by the agreements in force (e.g. St. Olavs' regional unit for HNT)."""
    return frozenset(
        key
        for agreement in all_agreements()
        if agreement.in_force(on) and unit_key in agreement.aids_units
        for key in (agreement.hospital.key, *(e.hospital.key for e in agreement.exceptions))
    )


def second_training_for(
    agreement_id: str, move: str, *, on: datetime.date
) -> SecondTraining | None:
    """Who trains staff again on the treatment aids when a patient makes this move, where the
    agreement says (000 9.3); None where it does not."""
    if move not in MOVES:
        raise ValueError(f"unknown move {move!r}; known: {', '.join(MOVES)}")
    agreement = agreement_by_id(agreement_id, on=on)
    return next((t for t in agreement.second_training if t.move == move), None)


def training_notes(agreement_id: str, topic: str, *, on: datetime.date) -> tuple[TrainingNote, ...]:
    """What the agreement says about training on `topic` (patient or staff); empty where it
    says nothing, so that no other agreement's words are shown."""
    if topic not in TRAINING_TOPICS:
        raise ValueError(f"unknown topic {topic!r}; known: {', '.join(TRAINING_TOPICS)}")
    return tuple(n for n in agreement_by_id(agreement_id, on=on).training if n.topic == topic)


def hospital_trains_staff(agreement: Agreement) -> tuple[str, ...]:
    """The sections where the agreement gives the training of the municipality's staff to
    the hospital (a rule with `staff_training = "hospital"`: 000 9.0/9.2, 001 Ansvar, 003
    3.2); empty where it does not (HNT's routine is silent on it)."""
    return tuple(
        dict.fromkeys(
            cite
            for rule in agreement.rules
            for duty, said in rule.duties.items()
            if duty == "staff_training" and said.party == "hospital"
            for cite in said.cites
        )
    )


def trains_staff_in(
    hospital_key: str, municipality: str, district: str | None = None, *, on: datetime.date
) -> bool:
    """Whether the hospital (trust or region, by key) trains the staff of a unit in this
    municipality (and district), by the agreement in force: the agreement gives it staff
    training, and the hospital serves the unit's area (O1). A unit of the municipality as a
    whole (not of a district) is trained by any hospital that serves part of it."""
    try:
        agreement = agreement_for_municipality(municipality, on=on)
    except UnknownMunicipality:
        return False
    if not hospital_trains_staff(agreement):
        return False
    if district:
        try:
            return responsible_hospital(municipality, district, on=on).key == hospital_key
        except UnknownDistrict:
            return False
    serving = {agreement.hospital.key, *(e.hospital.key for e in agreement.exceptions)}
    return hospital_key in serving
