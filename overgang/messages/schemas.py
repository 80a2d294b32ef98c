"""The XML schemas that ship in this package, compiled once each, never fetched.

libxml2 (lxml) compiles and checks them: AppRec as it is, MsgHead with a carried document
together with stand-ins for the EPJ schemas the archive lacks (schema_stubs). A document
whose schema libxml2 still could not compile would be checked by the xmlschema package
instead, built leniently ("lax") as before; none of the shipped ones needs it."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xmlschema
from lxml import etree

from overgang.messages.schema_locations import (
    COMMON,
    KITH_URL,
    ROOT,
    XMLDSIG_LOCAL,
    XMLDSIG_URL,
    SchemaLocationRefused,
    local,
    schema_parser,
)
from overgang.messages.schema_stubs import XS, UnsupportedStub, missing_components
from overgang.messages.schema_validators import (
    LxmlValidator,
    SchemaError,
    Validator,
    XmlschemaValidator,
)

__all__ = [
    "APPREC_NS",
    "DOCUMENTS",
    "KITH_URL",
    "MSGHEAD_NS",
    "XMLDSIG_LOCAL",
    "XMLDSIG_URL",
    "DocumentKind",
    "SchemaError",
    "Validator",
    "apprec",
    "envelope_with",
]

MSGHEAD_NS = "http://www.kith.no/xmlstds/msghead/2006-05-24"
MSGHEAD_XSD = COMMON / "MsgHead-v1_2.xsd"
_CONTENT = f"{{{MSGHEAD_NS}}}Content"


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


@cache
def envelope_with(namespace: str) -> Validator:
    """MsgHead together with the schema of the document it carries, compiled once.

    The EPJ components the PLO schemas import are stand-ins (schema_stubs): elements from
    them (Cave, journal notes, Legemiddelinfo) are not checked against their own schema;
    everything else is checked strictly."""
    kind = DOCUMENTS[namespace]
    try:
        stubs = missing_components()
        wrapper = (
            f'<xs:schema xmlns:xs="{XS}">'
            f'<xs:import namespace="{MSGHEAD_NS}" schemaLocation="{MSGHEAD_XSD.as_uri()}"/>'
            f'<xs:import namespace="{namespace}" schemaLocation="{kind.xsd.as_uri()}"/>'
            "</xs:schema>"
        )
        document = etree.fromstring(
            wrapper, schema_parser(stubs.by_location), base_url=(ROOT / "envelope.xsd").as_uri()
        )
        schema = etree.XMLSchema(document)
    except (etree.XMLSchemaParseError, SchemaLocationRefused, UnsupportedStub):
        return XmlschemaValidator(_lax_envelope(kind.xsd))
    # MsgHead's Content takes any element, strictly: one from a stubbed namespace would
    # pass libxml2 but has no declaration, so it is refused as xmlschema refuses it.
    return LxmlValidator(schema, strict_children=(_CONTENT, stubs.namespaces))


def _lax_envelope(document_xsd: Path) -> xmlschema.XMLSchema10:
    """The xmlschema build of MsgHead and a document, lenient for missing imports."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the EPJ imports that are not there
        return xmlschema.XMLSchema10(
            [str(MSGHEAD_XSD), str(document_xsd)],
            uri_mapper=local,
            allow="local",
            use_fallback=False,
            validation="lax",
        )


APPREC_NS = "http://www.kith.no/xmlstds/apprec/2012-02-15"
APPREC_XSD = ROOT / "applikasjonskvittering" / "AppRec-v1.1.xsd"


@cache
def apprec() -> Validator:
    """AppRec v1.1, compiled once, strictly (it imports only kith.xsd, which ships here)."""
    document = etree.parse(str(APPREC_XSD), schema_parser())
    return LxmlValidator(etree.XMLSchema(document))
