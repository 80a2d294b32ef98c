"""The design documents live in the repository and keep up with it.

A reader of the repository alone must be able to follow every reference: each requirement
ID has its line in docs/requirements.md, every file the documents name exists, and nothing
points at design files outside the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])

# Written out here, not read from the code: the routines' requirement IDs, per letter.
REQUIREMENT_IDS = [
    f"{letter}{number}"
    for letter, last in (("O", 11), ("U", 8), ("H", 7), ("N", 13), ("R", 11))
    for number in range(1, last + 1)
]


def _rows(text: str) -> dict[str, int]:
    """How many table rows of the requirements page start with each ID."""
    counts: dict[str, int] = {}
    for match in re.finditer(r"^\| ([OUHNR]\d+) \|", text, flags=re.MULTILINE):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return counts


def test_every_requirement_id_has_exactly_one_line():
    rows = _rows((ROOT / "docs" / "requirements.md").read_text(encoding="utf-8"))
    assert {name: rows.get(name, 0) for name in REQUIREMENT_IDS} == dict.fromkeys(
        REQUIREMENT_IDS, 1
    )
    assert set(rows) == set(REQUIREMENT_IDS), "a line for an ID no routine has"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_a_document_names_exists(document):
    named = set(re.findall(r"`((?:overgang|tests|docs)/[\w/.-]+\.\w+)`", document.read_text()))
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_between_documents_resolves(document):
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", document.read_text())
    missing = sorted(link for link in links if not (document.parent / link).exists())
    assert missing == []


def test_nothing_points_at_design_files_outside_the_repository():
    outside = re.compile(r"shared/(DESIGN|contracts|STYLE)|\bDESIGN\.md")
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("overgang", "tests", "docs", "bench")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".md", ".toml", ".html", ".txt"}
        and path != Path(__file__).resolve()
        and outside.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    offenders += ["README.md"] if outside.search((ROOT / "README.md").read_text()) else []
    assert offenders == []


def test_the_running_product_reads_nothing_outside_its_package():
    # Test fixtures may read ../shared/standards; the product itself ships what it needs.
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "overgang").rglob("*")
        if path.suffix in {".py", ".toml", ".html"}
        and re.search(r"\.\./shared|/work/shared", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
