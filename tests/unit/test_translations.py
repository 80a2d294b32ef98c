"""Every visible string has a Norwegian and a Danish text, and the compiled catalogues match."""

import ast
import gettext
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "overgang" / "locale"


def entries(po: Path) -> list[dict[str, object]]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n], flags."""
    found: list[dict[str, object]] = []
    current: dict[str, object] = {}
    key = ""
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                found.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = str(current[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return [e for e in found if e.get("msgid")]


@pytest.mark.parametrize("language", ["nb", "da"])
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [
        e["msgid"]
        for e in entries(po)
        if not (e.get("msgstr") or (e.get("msgstr[0]") and e.get("msgstr[1]")))
    ]
    fuzzy = [e["msgid"] for e in entries(po) if "fuzzy" in str(e.get("flags", ""))]
    assert missing == []
    assert fuzzy == []


@pytest.mark.parametrize("language", ["nb", "da"])
def test_the_compiled_catalogue_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    for entry in entries(folder / "django.po"):
        if "msgstr" in entry and "msgctxt" not in entry:
            assert catalogue.gettext(str(entry["msgid"])) == entry["msgstr"], (
                "run make messages (compilemessages) after editing the .po file"
            )
