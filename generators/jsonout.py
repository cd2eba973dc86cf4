"""The one JSON serialisation every artefact uses: deterministic bytes."""

from __future__ import annotations

import json
from typing import Any


def dump_json(document: Any) -> str:
    """2-space indent, UTF-8 characters unescaped, author key order kept, trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
