"""The Content-Security-Policy refuses inline script and inline style: a template that has
some would lose that behaviour or look in the browser. So none has any."""

from __future__ import annotations

import re
from pathlib import Path

import overgang

TEMPLATES = sorted(Path(overgang.__file__).parent.rglob("templates/**/*.html"))

INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE),
    "an event handler attribute": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "an hx-on handler (htmx evaluates it)": re.compile(r"\s(data-)?hx-on", re.IGNORECASE),
    "a trigger filter (htmx evaluates it)": re.compile(r"hx-trigger=\"[^\"]*\[", re.IGNORECASE),
    "a style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "a <style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def test_no_template_has_inline_script_handlers_or_styles():
    assert len(TEMPLATES) > 50, "the templates were not found"
    found = [
        f"{path.relative_to(Path(overgang.__file__).parent)}: {what}"
        for path in TEMPLATES
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []
