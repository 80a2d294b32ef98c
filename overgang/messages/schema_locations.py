"""Where the shipped schemas are, and the one way they are read: from this package's files
(or the xmlschema package's copy of W3C xmldsig), never from the network."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree
from xmlschema.locations import FALLBACK_LOCATIONS
from xmlschema.names import DSIG_NAMESPACE

ROOT = Path(__file__).resolve().parent / "schemas" / "plo"
COMMON = ROOT / "felleskomponenter"
XMLDSIG_URL = "http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd"
KITH_URL = "http://www.kith.no/xmlstds/kith.xsd"
# W3C xmldsig-core as the xmlschema package ships it (a file URI).
_DSIG = FALLBACK_LOCATIONS[DSIG_NAMESPACE]
XMLDSIG_LOCAL = _DSIG if isinstance(_DSIG, str) else _DSIG[0]


def local(uri: str) -> str:
    """Every location a schema names, as a file of this package (or the xmlschema's own
    copy of W3C xmldsig). Whatever else stays as it is, for the caller to refuse."""
    if uri == XMLDSIG_URL:
        return XMLDSIG_LOCAL
    if uri == KITH_URL:
        return (COMMON / "kith.xsd").as_uri()
    name = uri.rsplit("/", 1)[-1]
    if uri.startswith("file:") and (COMMON / name).is_file():
        return (COMMON / name).as_uri()
    return uri


def as_file(uri: str) -> Path | None:
    """The shipped file a location (URI or plain path) names, or None when there is none."""
    if "://" not in uri and not uri.startswith("file:"):
        uri = Path(uri).as_uri()
    mapped = urlparse(local(uri))
    if mapped.scheme != "file":
        return None
    path = Path(unquote(mapped.path))
    return path if path.is_file() else None


class SchemaLocationRefused(ValueError):
    """A schema names a location that is neither shipped here nor a stub: not fetched."""


class LocalResolver(etree.Resolver):
    """Serves schema imports from the shipped files and the in-memory `stubs` (keyed by the
    file name of the schemaLocation), and refuses everything else."""

    def __init__(self, stubs: dict[str, str] | None = None) -> None:
        super().__init__()
        self._stubs = stubs or {}

    # lxml-stubs give Resolver.resolve no context and lack resolve_filename.
    def resolve(self, system_url: str, public_id: str, context: object) -> object:  # type: ignore[override]
        path = as_file(system_url)
        if path is not None:
            return self.resolve_filename(str(path), context)  # type: ignore[attr-defined]
        stub = self._stubs.get(system_url.rsplit("/", 1)[-1])
        if stub is not None:
            return self.resolve_string(stub, context, base_url=system_url)
        raise SchemaLocationRefused(system_url)


def schema_parser(stubs: dict[str, str] | None = None) -> etree.XMLParser:
    """A parser for schema documents: no network, no entities, imports via `LocalResolver`."""
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, remove_comments=True
    )
    parser.resolvers.add(LocalResolver(stubs))
    return parser
