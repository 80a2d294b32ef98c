"""Answers the API builds in its schema's shape itself, without ninja validating them.

Ninja validates what a view returns against the operation's response schema and dumps it
again: for a page of fifty patients that took longer than reading and logging them. A view
whose rows come straight from typed columns, already under the schema's field names and in
its order, can return `answer(data)` instead; ninja passes an HttpResponse through. The
declared schema still documents the operation (OpenAPI), and the tests of each such view
hold its answer equal to what the schema's validation makes of the same data.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from ninja.renderers import JSONRenderer

_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def answer(data: Any, status: int = 200) -> HttpResponse:
    """`data` as ninja renders a validated answer: its JSON encoder, its content type."""
    content = json.dumps(data, cls=_RENDERER.encoder_class, **_RENDERER.json_dumps_params)
    return HttpResponse(content, status=status, content_type=_CONTENT_TYPE)
