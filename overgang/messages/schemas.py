"""The XML schemas that ship in this package, compiled once each, never fetched."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xmlschema
from xmlschema.locations import FALLBACK_LOCATIONS
from xmlschema.names import DSIG_NAMESPACE

ROOT = Path(__file__).resolve().parent / "schemas" / "plo"
COMMON = ROOT / "felleskomponenter"
MSGHEAD_NS = "http://www.kith.no/xmlstds/msghead/2006-05-24"
MSGHEAD_XSD = COMMON / "MsgHead-v1_2.xsd"
XMLDSIG_URL = "http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd"
KITH_URL = "http://www.kith.no/xmlstds/kith.xsd"
# W3C xmldsig-core as the xmlschema package ships it (a file URI).
_DSIG = FALLBACK_LOCATIONS[DSIG_NAMESPACE]
XMLDSIG_LOCAL = _DSIG if isinstance(_DSIG, str) else _DSIG[0]


@dataclass(frozen=True)
class DocumentKind:
    """What an embedded document's namespace says it is."""

    standard: str  # "plo" or "dialogmelding"
    name: str  # the schema's name, e.g. "Pasientlogistikk"
    version: str  # "v1.5", "v1.6", "v2.0", "v1.0", "v1.1"
    xsd: Path


def _kind(standard: str, name: str, version: str, path: str) -> DocumentKind:
    return DocumentKind(standard, name, version, ROOT / path)


_KO = "http://www.kith.no/xmlstds/po/"
_EH = "http://ehelse.no/xmlstds/po/"

# Namespace of the document in RefDoc/Content -> its schema.
DOCUMENTS: dict[str, DocumentKind] = {
    f"{_KO}Konsultasjon/2009-06-30": _kind(
        "plo", "HelseopplysningerTilLege", "v1.5", "plo/v1.5/HelseopplysningerTilLege-v1.5.xsd"
    ),
    f"{_KO}HelseopplysningerVedSoknad/2009-06-30": _kind(
        "plo", "HelseopplysningerVedSoknad", "v1.5", "plo/v1.5/HelseopplysningerVedSoknad-v1.5.xsd"
    ),
    f"{_KO}Innleggelsesrapport/2009-06-30": _kind(
        "plo", "Innleggelsesrapport", "v1.5", "plo/v1.5/Innleggelsesrapport-v1.5.xsd"
    ),
    f"{_KO}OverforingMedisinskeOpplysninger/2009-06-30": _kind(
        "plo", "MedisinskeOpplysninger", "v1.5", "plo/v1.5/MedisinskeOpplysninger-v1.5.xsd"
    ),
    f"{_KO}MeldingFravar/2009-06-30": _kind(
        "plo", "MeldingFravar", "v1.5", "plo/v1.5/MeldingFravar-v1.5.xsd"
    ),
    f"{_KO}OrienteringOmTjenestetilbud/2009-06-30": _kind(
        "plo",
        "OrienteringOmTjenestetilbud",
        "v1.5",
        "plo/v1.5/OrienteringOmTjenestetilbud-v1.5.xsd",
    ),
    f"{_KO}Pasientlogistikk/2009-06-30": _kind(
        "plo", "Pasientlogistikk", "v1.5", "plo/v1.5/Pasientlogistikk-v1.5.xsd"
    ),
    f"{_KO}TverrfagligEpikrise/2009-06-30": _kind(
        "plo", "TverrfagligEpikrise", "v1.5", "plo/v1.5/TverrfagligEpikrise-v1.5.xsd"
    ),
    f"{_KO}HelseopplysningerVedSoknad/2012-04-01": _kind(
        "plo", "Helseopplysninger", "v1.6", "plo/v1.6/Helseopplysninger-v1.6.xsd"
    ),
    f"{_KO}HelseopplysningerTilLege/2012-04-01": _kind(
        "plo", "HelseopplysningerTilLege", "v1.6", "plo/v1.6/HelseopplysningerTilLege-v1.6.xsd"
    ),
    f"{_KO}Innleggelsesrapport/2012-04-01": _kind(
        "plo", "Innleggelsesrapport", "v1.6", "plo/v1.6/Innleggelsesrapport-v1.6.xsd"
    ),
    f"{_KO}MedisinskeOpplysninger/2012-04-01": _kind(
        "plo", "MedisinskeOpplysninger", "v1.6", "plo/v1.6/MedisinskeOpplysninger-v1.6.xsd"
    ),
    f"{_KO}OrienteringOmTjenestetilbud/2012-04-01": _kind(
        "plo",
        "OrienteringOmTjenestetilbud",
        "v1.6",
        "plo/v1.6/OrienteringOmTjenestetilbud-v1.6.xsd",
    ),
    f"{_KO}Pasientlogistikk/2012-04-01": _kind(
        "plo", "Pasientlogistikk", "v1.6", "plo/v1.6/Pasientlogistikk-v1.6.xsd"
    ),
    f"{_KO}TverrfagligEpikrise/2012-04-01": _kind(
        "plo", "TverrfagligEpikrise", "v1.6", "plo/v1.6/TverrfagligEpikrise-v1.6.xsd"
    ),
    f"{_EH}HelseopplysningerSaksbehandling/2016-05-30": _kind(
        "plo",
        "HelseopplysningerSaksbehandling",
        "v2.0",
        "plo/v2.0/HelseopplysningerSaksbehandling-v2.0.xsd",
    ),
    f"{_EH}Pasientlogistikk/2016-05-30": _kind(
        "plo", "Pasientlogistikk", "v2.0", "plo/v2.0/Pasientlogistikk-v2.0.xsd"
    ),
    f"{_EH}Sammenfatning/2016-05-30": _kind(
        "plo", "Sammenfatning", "v2.0", "plo/v2.0/Sammenfatning-v2.0.xsd"
    ),
    "http://www.kith.no/xmlstds/dialog/2006-10-11": _kind(
        "dialogmelding", "Dialogmelding", "v1.0", "dialogmelding/2006-10-11/dialogmelding.xsd"
    ),
    "http://www.kith.no/xmlstds/dialog/2013-01-23": _kind(
        "dialogmelding", "Dialogmelding", "v1.1", "dialogmelding/2013-01-23/dialogmelding-v1.1.xsd"
    ),
}


def _local(uri: str) -> str:
    """Every location a schema names, as a file of this package (or the xmlschema's own
    copy of W3C xmldsig). Whatever else stays as it is and `allow="local"` refuses it."""
    if uri == XMLDSIG_URL:
        return XMLDSIG_LOCAL
    if uri == KITH_URL:
        return (COMMON / "kith.xsd").as_uri()
    name = uri.rsplit("/", 1)[-1]
    if uri.startswith("file:") and (COMMON / name).is_file():
        return (COMMON / name).as_uri()
    return uri


@cache
def envelope_with(namespace: str) -> xmlschema.XMLSchema10:
    """MsgHead together with the schema of the document it carries, compiled once.

    Built leniently ("lax") because the archive lacks the EPJ component schemas the PLO
    schemas import (see schemas/plo/README.md); everything else is checked strictly."""
    kind = DOCUMENTS[namespace]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the EPJ imports that are not there
        return xmlschema.XMLSchema10(
            [str(MSGHEAD_XSD), str(kind.xsd)],
            uri_mapper=_local,
            allow="local",
            use_fallback=False,
            validation="lax",
        )


APPREC_NS = "http://www.kith.no/xmlstds/apprec/2012-02-15"
APPREC_XSD = ROOT / "applikasjonskvittering" / "AppRec-v1.1.xsd"


@cache
def apprec() -> xmlschema.XMLSchema10:
    """AppRec v1.1, compiled once, strictly (it imports only kith.xsd, which ships here)."""
    return xmlschema.XMLSchema10(
        str(APPREC_XSD), uri_mapper=_local, allow="local", use_fallback=False
    )
