"""Every indicator in one place: its key, its title and definition in nb, da and en, and
what each agreement says of it (its citations). An agreement whose text does not name an
indicator has none here: the definition is then Overgang's own, and the page says so
instead of borrowing another region's words.

Where the texts name indicators:
- Region Nordjylland (seed 003) section 7, "Organisatoriske og faglige indikatorer", worked
  out by the network group (section 5.1): "Varsler vi til tiden, herunder audits på, om
  hjælpemidlerne leveres til tiden (Sammenfald mellem udskrivningsdag og leveringsdag på
  udvalgte patienttyper)", and the survey's points "levering af hjælpemidler, instruktion i
  brug af hjælpemidler".
- UNN (seed 001) "Kvalitetsmål": staff, patient and relatives "har fått opplæring i bruk av
  hjelpemidlet", "Brukermanual følger hjelpemidlet"; "Evaluering": "Partene må etablere
  internkontrollrutiner som ivaretar formålet med prosedyren" (U8).
The patient-pathway survey's three questions (overgang/survey) are indicators too: cited
for Nordjylland (003 7, "Undersøgelser af det sammenhængende patientforløb … levering af
hjælpemidler, instruktion i brug af hjælpemidler og hjælpemidlernes funktionsdygtighed"),
Overgang's own elsewhere.
Oslo (000) and HNT (002) name no indicator: every definition there is Overgang's own."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SHARE = "share"  # numerator / denominator, shown as a percentage
DAYS = "days"  # numerator (days) / denominator (cases), shown as days on average


@dataclass(frozen=True)
class Definition:
    key: str
    unit: str
    title: Mapping[str, str]
    text: Mapping[str, str]
    # agreement id -> the passages of its text that ask for this figure
    cites: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # whether the page's aid-group filter narrows it
    by_aid: bool = False
    # what the numerator and the denominator count, in words: language -> (numerator, denominator)
    counts: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def cites_for(self, agreement_id: str) -> tuple[str, ...]:
        return tuple(self.cites.get(agreement_id, ()))

    def counted(self, language: str) -> tuple[str, str]:
        """What the numerator and the denominator count, in `language`."""
        return self.counts.get(language) or self.counts["en"]

    def said(self, language: str) -> tuple[str, str]:
        """Title and definition in `language` (English when it has none)."""
        return (
            self.title.get(language) or self.title["en"],
            self.text.get(language) or self.text["en"],
        )


def _survey(key: str, said: dict[str, str], title: dict[str, str]) -> Definition:
    """A question of the patient-pathway survey: yes of yes or no, by the discharge's month.
    Nordjylland's 003 section 7 asks for such surveys, with points on the delivery of aids,
    the instruction in their use and whether they work; elsewhere the figure is Overgang's
    own."""
    return Definition(
        key=key,
        counts={
            "nb": ("Ja", "Svar (ja eller nei)"),
            "da": ("Ja", "Svar (ja eller nej)"),
            "en": ("Yes", "Answers (yes or no)"),
        },
        unit=SHARE,
        title=title,
        text={
            "nb": f"Teller: svar på pasientforløpsundersøkelsen som sier ja til «{said['nb']}». "
            "Nevner: svar som sier ja eller nei («vet ikke» telles ikke). Måned: "
            "utskrivningen fra oppholdet svaret gjelder.",
            "da": f"Tæller: svar på patientforløbsundersøgelsen, der siger ja til "
            f"«{said['da']}». Nævner: svar, der siger ja eller nej («ved ikke» tælles ikke). "
            "Måned: udskrivningen fra den indlæggelse, svaret gælder.",
            "en": f"Numerator: answers to the patient-pathway survey that say yes to "
            f"“{said['en']}”. Denominator: answers that say yes or no (“don't know” is not "
            "counted). Month: the discharge from the stay the answer is about.",
        },
        cites={"nordjylland": ("003 7",)},
    )


SURVEY_DEFINITIONS: tuple[Definition, ...] = (
    _survey(
        "survey-delivered-on-time",
        {
            "nb": "Hjelpemidlet kom i tide",
            "da": "Hjælpemidlet kom til tiden",
            "en": "The aid was delivered on time",
        },
        {
            "nb": "Spørreundersøkelse: levert i tide",
            "da": "Spørgeskema: leveret til tiden",
            "en": "Survey: delivered on time",
        },
    ),
    _survey(
        "survey-instruction-given",
        {
            "nb": "Jeg fikk vist hvordan det brukes",
            "da": "Jeg fik vist, hvordan det bruges",
            "en": "I was shown how to use it",
        },
        {
            "nb": "Spørreundersøkelse: opplæring gitt",
            "da": "Spørgeskema: instruktion givet",
            "en": "Survey: instruction given",
        },
    ),
    _survey(
        "survey-aid-works",
        {"nb": "Det virker", "da": "Det virker", "en": "It works"},
        {
            "nb": "Spørreundersøkelse: hjelpemidlet virker",
            "da": "Spørgeskema: hjælpemidlet virker",
            "en": "Survey: the aid works",
        },
    ),
)


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        key="notices-on-time",
        counts={
            "nb": ("I tide", "Frister"),
            "da": ("Til tiden", "Frister"),
            "en": ("On time", "Deadlines"),
        },
        unit=SHARE,
        title={
            "nb": "Varsler og frister holdt",
            "da": "Varsler og frister overholdt",
            "en": "Notices and deadlines on time",
        },
        text={
            "nb": "Teller: frister som ble utført senest på fristtidspunktet. Nevner: frister "
            "med et tidspunkt som er utført eller har passert (ikke «straks»-frister). "
            "Måned: fristens tidspunkt. Også delt på hver fristtype.",
            "da": "Tæller: frister der blev udført senest på fristtidspunktet. Nævner: "
            "frister med et tidspunkt, som er udført eller overskredet (ikke "
            "«straks»-frister). Måned: fristens tidspunkt. Også opdelt på hver fristtype.",
            "en": "Numerator: deadlines done on or before their due time. Denominator: "
            "deadlines with a due time that are done or past due (not those due at once). "
            "Month: the due time. Also split by kind of duty.",
        },
        cites={"nordjylland": ("003 7",)},
    ),
    Definition(
        key="aids-delivered-on-discharge-day",
        counts={
            "nb": ("Samme dag", "Hjelpemidler"),
            "da": ("Samme dag", "Hjælpemidler"),
            "en": ("Same day", "Aids"),
        },
        unit=SHARE,
        by_aid=True,
        title={
            "nb": "Hjelpemidler levert på utskrivningsdagen",
            "da": "Hjælpemidler leveret på udskrivningsdagen",
            "en": "Aids delivered on the day of discharge",
        },
        text={
            "nb": "Teller: hjelpemiddelbehov der utlånet startet samme dato som pasienten "
            "dro (avtalens tidssone). Nevner: hjelpemiddelbehov med utlån på avsluttede "
            "opphold. Måned: utskrivningen. Kan avgrenses til en hjelpemiddelgruppe.",
            "da": "Tæller: hjælpemiddelbehov hvor udlånet startede samme dato som patienten "
            "blev udskrevet (aftalens tidszone). Nævner: hjælpemiddelbehov med udlån på "
            "afsluttede indlæggelser. Måned: udskrivningen. Kan afgrænses til en "
            "hjælpemiddelgruppe.",
            "en": "Numerator: aid needs whose loan started on the date the patient left "
            "(in the agreement's time zone). Denominator: aid needs met by a loan on ended "
            "stays. Month: the discharge. Can be narrowed to one aid group.",
        },
        cites={"nordjylland": ("003 7",)},
    ),
    Definition(
        key="trained-before-discharge",
        counts={
            "nb": ("Opplært før", "Hjelpemidler"),
            "da": ("Instrueret før", "Hjælpemidler"),
            "en": ("Trained before", "Aids"),
        },
        unit=SHARE,
        by_aid=True,
        title={
            "nb": "Opplæring gitt før utskrivning",
            "da": "Instruktion givet før udskrivning",
            "en": "Trained before discharge",
        },
        text={
            "nb": "Teller: hjelpemiddelbehov der en opplæring i samme hjelpemiddel er "
            "registrert på oppholdet senest da pasienten dro. Nevner: hjelpemiddelbehov "
            "(ikke avbrutte) på avsluttede opphold. Måned: utskrivningen.",
            "da": "Tæller: hjælpemiddelbehov hvor en instruktion i samme hjælpemiddel er "
            "registreret på indlæggelsen senest ved udskrivningen. Nævner: "
            "hjælpemiddelbehov (ikke annullerede) på afsluttede indlæggelser. Måned: "
            "udskrivningen.",
            "en": "Numerator: aid needs with a training on the same aid recorded on the stay "
            "no later than the patient left. Denominator: aid needs (not cancelled) on "
            "ended stays. Month: the discharge.",
        },
        cites={"unn": ("001 Kvalitetsmål", "001 Evaluering"), "nordjylland": ("003 7",)},
    ),
    Definition(
        key="manual-handed-over",
        counts={
            "nb": ("Med manual", "Utlån"),
            "da": ("Med brugsanvisning", "Udlån"),
            "en": ("With manual", "Loans"),
        },
        unit=SHARE,
        by_aid=True,
        title={
            "nb": "Brukermanual levert med hjelpemidlet",
            "da": "Brugsanvisning udleveret med hjælpemidlet",
            "en": "User manual handed over",
        },
        text={
            "nb": "Teller: utlån der brukermanualen er registrert som overlevert. Nevner: "
            "utlån for hjelpemiddelbehov på opphold. Måned: utlånets start.",
            "da": "Tæller: udlån hvor brugsanvisningen er registreret som udleveret. "
            "Nævner: udlån for hjælpemiddelbehov på indlæggelser. Måned: udlånets start.",
            "en": "Numerator: loans with the user manual recorded as handed over. "
            "Denominator: loans made for aid needs of stays. Month: the start of the loan.",
        },
        cites={"unn": ("001 Kvalitetsmål", "001 Evaluering")},
    ),
    Definition(
        key="waiting-days",
        counts={
            "nb": ("Liggedøgn", "Opphold"),
            "da": ("Ventedage", "Indlæggelser"),
            "en": ("Waiting days", "Stays"),
        },
        unit=DAYS,
        title={
            "nb": "Liggedøgn som utskrivningsklar",
            "da": "Ventedage som færdigbehandlet",
            "en": "Waiting days",
        },
        text={
            "nb": "Teller: døgn fra varselet om utskrivningsklar pasient (dag 0; dagen etter "
            "ved varsel utenfor avtalens varslingsvindu) til dagen kommunen kan ta imot "
            "pasienten eller pasienten dro. Nevner: varslede opphold som er avsluttet. "
            "Verdi: døgn per opphold. Måned: utskrivningen. Bare der loven teller "
            "liggedøgn (Norge).",
            "da": "Tæller: døgn fra varslet om færdigbehandlet patient (dag 0; dagen efter "
            "ved varsel uden for aftalens varslingsvindue) til dagen kommunen kan modtage "
            "patienten eller patienten blev udskrevet. Nævner: varslede indlæggelser, "
            "som er afsluttet. Værdi: døgn pr. indlæggelse. Måned: udskrivningen. Kun hvor "
            "loven tæller ventedage (Norge).",
            "en": "Numerator: days from the discharge-ready notice (day 0; the day after for "
            "a notice outside the agreement's notice window) to the day the municipality "
            "can receive the patient or the patient left. Denominator: notified stays that "
            "ended. Value: days per stay. Month: the discharge. Only where the law counts "
            "waiting days (Norway).",
        },
    ),
    Definition(
        key="reprocessing-turnaround",
        counts={"nb": ("Døgn", "Runder"), "da": ("Døgn", "Runder"), "en": ("Days", "Rounds")},
        unit=DAYS,
        by_aid=True,
        title={
            "nb": "Tid fra retur til klar for utlån",
            "da": "Tid fra returnering til klar til udlån",
            "en": "Reprocessing turnaround",
        },
        text={
            "nb": "Teller: døgn fra et utstyr ble registrert returnert til det igjen ble "
            "ledig. Nevner: slike runder for utstyr lånt ut til pasienter på opphold. "
            "Verdi: døgn i snitt. Måned: da utstyret ble ledig.",
            "da": "Tæller: døgn fra et udstyr blev registreret returneret til det igen var "
            "ledigt. Nævner: sådanne runder for udstyr udlånt til patienter på "
            "indlæggelser. Værdi: døgn i gennemsnit. Måned: da udstyret blev ledigt.",
            "en": "Numerator: days from a device being recorded as returned to it being "
            "available again. Denominator: such rounds, for devices lent to patients of "
            "stays. Value: days on average. Month: when it became available.",
        },
    ),
    Definition(
        key="overdue-loans",
        counts={"nb": ("For sent", "Utlån"), "da": ("For sent", "Udlån"), "en": ("Late", "Loans")},
        unit=SHARE,
        by_aid=True,
        title={
            "nb": "Utlån ikke levert tilbake i tide",
            "da": "Udlån ikke afleveret til tiden",
            "en": "Overdue loans",
        },
        text={
            "nb": "Teller: utlån som ikke var levert tilbake ved forventet slutt. Nevner: "
            "utlån for hjelpemiddelbehov på opphold med forventet slutt før i dag. Måned: "
            "forventet slutt. Lavere er bedre.",
            "da": "Tæller: udlån der ikke var afleveret ved forventet slut. Nævner: udlån "
            "for hjælpemiddelbehov på indlæggelser med forventet slut før i dag. Måned: "
            "forventet slut. Lavere er bedre.",
            "en": "Numerator: loans not returned by their expected end. Denominator: loans "
            "made for aid needs of stays whose expected end is before today. Month: the "
            "expected end. Lower is better.",
        },
    ),
    *SURVEY_DEFINITIONS,
)

BY_KEY: Mapping[str, Definition] = {d.key: d for d in DEFINITIONS}
