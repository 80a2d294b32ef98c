"""The engine's words for the values a case may hold, in nb, da and en: what the case
catalogue (N1) builds its titles from where the agreement gives no words of its own."""

from __future__ import annotations

from collections.abc import Mapping

from overgang.rules.spec import MINUTES_SLACK, due_minutes

CATEGORY_NAMES = {
    "en": {
        "treatment-aid": "Treatment aids",
        "technical-aid": "Technical aids",
        "shared-equipment": "Equipment for several patients or acute care",
        "training-gear": "Small training equipment",
    },
    "nb": {
        "treatment-aid": "Behandlingshjelpemidler",
        "technical-aid": "Tekniske hjelpemidler",
        "shared-equipment": "Utstyr til flere pasienter eller akuttbruk",
        "training-gear": "Mindre treningsutstyr",
    },
    "da": {
        "treatment-aid": "Behandlingsredskaber",
        "technical-aid": "Hjælpemidler",
        "shared-equipment": "Udstyr til flere patienter eller akut brug",
        "training-gear": "Mindre træningsudstyr",
    },
}

# The name of each field a situation is told by, and the words for its values. A value
# not listed here is shown as it is written.
FIELD_NAMES = {
    "en": {
        "need.purpose": "purpose",
        "patient.residence": "lives",
        "need.phase": "phase",
        "need.started_by": "treatment started by",
        "patient.terminal": "terminal phase",
        "need.duration_months": "expected duration",
        "need.needed_for_journey_home": "needed for the journey home",
        "need.uses_institution_equipment": "uses the institution's equipment",
        "need.treatment_started_in_specialist_care": "treatment started in specialist care",
        "need.lymphoedema": "lymphoedema",
        "lender": "lent by",
        "consumable.linked": "consumables",
        "aid.fitted": "fitted to the patient",
        "aid.staff_unfamiliar": "unfamiliar to municipal staff",
        "aid.life_sustaining": "life-sustaining",
        "aid.electrical_check": "needs an electrical check",
        "aid.therapy": "a therapy",
    },
    "nb": {
        "need.purpose": "formål",
        "patient.residence": "bor",
        "need.phase": "fase",
        "need.started_by": "behandling startet av",
        "patient.terminal": "terminal fase",
        "need.duration_months": "forventet varighet",
        "need.needed_for_journey_home": "trengs for hjemreisen",
        "need.uses_institution_equipment": "bruker institusjonens utstyr",
        "need.treatment_started_in_specialist_care": (
            "behandling startet i spesialisthelsetjenesten"
        ),
        "need.lymphoedema": "lymfødem",
        "lender": "utlånt av",
        "consumable.linked": "forbruksmateriell",
        "aid.fitted": "tilpasset pasienten",
        "aid.staff_unfamiliar": "ukjent for kommunalt personale",
        "aid.life_sustaining": "livsopprettholdende",
        "aid.electrical_check": "krever el-kontroll",
        "aid.therapy": "en behandlingsform",
    },
    "da": {
        "need.purpose": "formål",
        "patient.residence": "bor",
        "need.phase": "fase",
        "need.started_by": "behandling startet af",
        "patient.terminal": "terminal fase",
        "need.duration_months": "forventet varighed",
        "need.needed_for_journey_home": "nødvendig for hjemrejsen",
        "need.uses_institution_equipment": "bruger institutionens udstyr",
        "need.treatment_started_in_specialist_care": "behandling startet i sygehusvæsenet",
        "need.lymphoedema": "lymfødem",
        "lender": "udlånt af",
        "consumable.linked": "forbrugsartikler",
        "aid.fitted": "tilpasset borgeren",
        "aid.staff_unfamiliar": "ukendt for kommunalt personale",
        "aid.life_sustaining": "livsopretholdende",
        "aid.electrical_check": "kræver el-eftersyn",
        "aid.therapy": "en behandlingsform",
    },
}

VALUE_NAMES = {
    "en": {
        "need.purpose": {
            "treatment": "treatment",
            "rehabilitation": "rehabilitation after discharge",
            "specialised-rehabilitation": "specialised outpatient rehabilitation",
            "lasting-function-loss": "lasting loss of function",
            "temporary": "temporary need",
            "activity-outside-home": "activity outside the home",
            "spare": "spare aid",
            "multi-patient": "equipment for several patients",
            "acute": "acute equipment",
        },
        "patient.residence": {"home": "at home", "institution": "in an institution"},
        "need.phase": {
            "inpatient": "inpatient",
            "outpatient": "outpatient",
            "palliative": "palliative care",
            "after-discharge": "after discharge",
            "before-pre-examination": "before the pre-examination",
            "after-pre-examination": "after the pre-examination",
        },
        "need.started_by": {
            "specialist": "the specialist health service",
            "nursing-home-doctor": "a nursing-home doctor",
            "supervising-doctor": "a supervising doctor",
            "emergency-doctor": "an emergency doctor",
            "gp": "a GP",
        },
        "need.lymphoedema": {"primary": "primary", "secondary": "secondary"},
        "lender": {"hospital": "the hospital", "private-hospital": "a private hospital"},
        "consumable.linked": {
            True: "directly linked to the aid",
            False: "not directly linked to the aid",
        },
    },
    "nb": {
        "need.purpose": {
            "treatment": "behandling",
            "rehabilitation": "rehabilitering etter utskrivning",
            "specialised-rehabilitation": "spesialisert poliklinisk rehabilitering",
            "lasting-function-loss": "varig funksjonstap",
            "temporary": "midlertidig behov",
            "activity-outside-home": "aktivitet utenfor hjemmet",
            "spare": "reservehjelpemiddel",
            "multi-patient": "utstyr til flere pasienter",
            "acute": "akuttutstyr",
        },
        "patient.residence": {"home": "hjemme", "institution": "på institusjon"},
        "need.phase": {
            "inpatient": "innlagt",
            "outpatient": "poliklinisk",
            "palliative": "palliativ",
            "after-discharge": "etter utskrivning",
            "before-pre-examination": "før forundersøkelsen",
            "after-pre-examination": "etter forundersøkelsen",
        },
        "need.started_by": {
            "specialist": "spesialisthelsetjenesten",
            "nursing-home-doctor": "sykehjemslege",
            "supervising-doctor": "tilsynslege",
            "emergency-doctor": "legevaktslege",
            "gp": "fastlege",
        },
        "need.lymphoedema": {"primary": "primært", "secondary": "sekundært"},
        "lender": {"hospital": "sykehuset", "private-hospital": "et privatsykehus"},
        "consumable.linked": {
            True: "direkte knyttet til hjelpemiddelet",
            False: "ikke direkte knyttet til hjelpemiddelet",
        },
    },
    "da": {
        "need.purpose": {
            "treatment": "behandling",
            "rehabilitation": "genoptræning efter udskrivelse",
            "specialised-rehabilitation": "specialiseret ambulant genoptræning",
            "lasting-function-loss": "varigt nedsat funktionsevne",
            "temporary": "midlertidigt behov",
            "activity-outside-home": "aktivitet uden for hjemmet",
            "spare": "ekstra hjælpemiddel",
            "multi-patient": "udstyr til flere patienter",
            "acute": "akut udstyr",
        },
        "patient.residence": {"home": "hjemme", "institution": "på institution"},
        "need.phase": {
            "inpatient": "indlagt",
            "outpatient": "ambulant",
            "palliative": "palliativ",
            "after-discharge": "efter udskrivelse",
            "before-pre-examination": "før forundersøgelsen",
            "after-pre-examination": "efter forundersøgelsen",
        },
        "need.started_by": {
            "specialist": "sygehusvæsenet",
            "nursing-home-doctor": "plejehjemslæge",
            "supervising-doctor": "tilsynslæge",
            "emergency-doctor": "vagtlæge",
            "gp": "egen læge",
        },
        "need.lymphoedema": {"primary": "primært", "secondary": "sekundært"},
        "lender": {"hospital": "hospitalet", "private-hospital": "et privathospital"},
        "consumable.linked": {
            True: "direkte knyttet til hjælpemidlet",
            False: "ikke direkte knyttet til hjælpemidlet",
        },
    },
}

# Small words the titles are joined with.
GLUE = {
    "en": {
        "yes": "yes",
        "no": "no",
        "not-given": "not given",
        "none-asked": "none asked about",
        "or": "or",
        "not": "anything but",
        "any": "any situation",
        "all": "all",
        "months-under": "under {hi} months",
        "months-from": "{lo} months or more",
        "months-between": "{lo} to under {hi} months",
        "months-exactly": "{lo} months",
        "undecided": "the agreement does not decide",
    },
    "nb": {
        "yes": "ja",
        "no": "nei",
        "not-given": "ikke oppgitt",
        "none-asked": "ikke spurt om",
        "or": "eller",
        "not": "alt unntatt",
        "any": "alle situasjoner",
        "all": "alle",
        "months-under": "under {hi} måneder",
        "months-from": "{lo} måneder eller mer",
        "months-between": "{lo} til under {hi} måneder",
        "months-exactly": "{lo} måneder",
        "undecided": "avtalen avgjør ikke",
    },
    "da": {
        "yes": "ja",
        "no": "nej",
        "not-given": "ikke oplyst",
        "none-asked": "ikke spurgt om",
        "or": "eller",
        "not": "alt undtagen",
        "any": "alle situationer",
        "all": "alle",
        "months-under": "under {hi} måneder",
        "months-from": "{lo} måneder eller mere",
        "months-between": "{lo} til under {hi} måneder",
        "months-exactly": "{lo} måneder",
        "undecided": "aftalen afgør ikke",
    },
}

# The words for a deadline's `due` (spec.DUE_KINDS), as the draft editor and its diff show
# it: "{n}" is the number the kind takes; "one" is the form for 1 where it differs.
DUE_WORDS = {
    "en": {
        "none": "no set time",
        "at-once": "at once",
        "after": "{n} hours after the event",
        "after-one": "1 hour after the event",
        "after-span": "{n} after the event",
        "hour": "1 hour",
        "hours": "{n} hours",
        "minute": "1 minute",
        "minutes": "{n} minutes",
        "end-of-day": "by the end of the day {n} days after the event",
        "end-of-day-one": "by the end of the day after the event",
        "end-of-day-zero": "by the end of the event's day",
        "noon-last-working-day-before": "by 12:00 on the working day before",
        "working-day-on-or-before": "on the last working day on or before, same time",
    },
    "nb": {
        "none": "uten fast tid",
        "at-once": "straks",
        "after": "{n} timer etter hendelsen",
        "after-one": "1 time etter hendelsen",
        "after-span": "{n} etter hendelsen",
        "hour": "1 time",
        "hours": "{n} timer",
        "minute": "1 minutt",
        "minutes": "{n} minutter",
        "end-of-day": "innen utgangen av dagen {n} dager etter hendelsen",
        "end-of-day-one": "innen utgangen av dagen etter hendelsen",
        "end-of-day-zero": "innen utgangen av samme dag",
        "noon-last-working-day-before": "senest kl. 12 hverdagen før",
        "working-day-on-or-before": "siste hverdag på eller før, samme klokkeslett",
    },
    "da": {
        "none": "uden fast tid",
        "at-once": "straks",
        "after": "{n} timer efter hændelsen",
        "after-one": "1 time efter hændelsen",
        "after-span": "{n} efter hændelsen",
        "hour": "1 time",
        "hours": "{n} timer",
        "minute": "1 minut",
        "minutes": "{n} minutter",
        "end-of-day": "inden udgangen af dagen {n} dage efter hændelsen",
        "end-of-day-one": "inden udgangen af dagen efter hændelsen",
        "end-of-day-zero": "inden udgangen af samme dag",
        "noon-last-working-day-before": "senest kl. 12 hverdagen før",
        "working-day-on-or-before": "sidste hverdag på eller før, samme klokkeslæt",
    },
}

# The name of each kind alone, for the editor's choice of kind.
DUE_KIND_NAMES = {
    "en": {
        "none": "No set time",
        "at-once": "At once",
        "after": "A number of hours after the event",
        "end-of-day": "By the end of a day: the event's day or days after",
        "noon-last-working-day-before": "By 12:00 on the working day before",
        "working-day-on-or-before": "On the last working day on or before, same time",
    },
    "nb": {
        "none": "Uten fast tid",
        "at-once": "Straks",
        "after": "Et antall timer etter hendelsen",
        "end-of-day": "Innen utgangen av en dag: hendelsens dag eller dager etter",
        "noon-last-working-day-before": "Senest kl. 12 hverdagen før",
        "working-day-on-or-before": "Siste hverdag på eller før, samme klokkeslett",
    },
    "da": {
        "none": "Uden fast tid",
        "at-once": "Straks",
        "after": "Et antal timer efter hændelsen",
        "end-of-day": "Inden udgangen af en dag: hændelsens dag eller dage efter",
        "noon-last-working-day-before": "Senest kl. 12 hverdagen før",
        "working-day-on-or-before": "Sidste hverdag på eller før, samme klokkeslæt",
    },
}


def _span(hours: float, words: Mapping[str, str], language: str) -> str:
    """Hours and minutes, exact to the minute a due is given in: "1 time 30 minutter",
    "45 minutter" (a nurse reads that more easily than 1,5 or 0,75 hours). Hours not to the
    whole minute (which due_problem refuses) are said as they are, never rounded."""
    if abs(hours * 60 - due_minutes(hours)) > MINUTES_SLACK or due_minutes(hours) < 1:
        number = repr(float(hours))
        return words["hours"].format(n=number if language == "en" else number.replace(".", ","))
    whole, minutes = divmod(due_minutes(hours), 60)
    parts = []
    if whole:
        parts.append(words["hour"] if whole == 1 else words["hours"].format(n=whole))
    if minutes:
        parts.append(words["minute"] if minutes == 1 else words["minutes"].format(n=minutes))
    return " ".join(parts)


def due_words(kind: str, hours: float, days: int, language: str) -> str:
    """A deadline's due in words: "4 timer etter hendelsen", "straks"."""
    words = DUE_WORDS[language]
    if kind == "after":
        if hours == 1:
            return words["after-one"]
        if float(hours).is_integer():
            return words["after"].format(n=int(hours))
        return words["after-span"].format(n=_span(hours, words, language))
    if kind == "end-of-day":
        if days in (0, 1):
            return words["end-of-day-zero" if days == 0 else "end-of-day-one"]
        return words["end-of-day"].format(n=days)
    return words.get(kind, kind)
