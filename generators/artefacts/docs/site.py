"""What every page of the docs site shares: the link bar, the release notes' sections, the page CSP helpers.

The link bar is derived from the artefact registry: the reference page, the downloads and the site's other
pages (changelog and its feed), each as a relative URL, so the site works from any folder it is written to.
``available`` narrows the links to files that exist (``docs -o`` writes only part of the site).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from generators.artefacts.registry import ARTEFACTS, kind

_SECTION = re.compile(r"^##[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_VERSION = re.compile(r"\bv?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)")
_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Release:
    """One ``## ...`` section of the release notes."""

    heading: str
    version: str | None  # None for a section that names no version ("Unreleased")
    date: str | None  # YYYY-MM-DD when the heading carries a valid date
    notes: str

    @property
    def anchor(self) -> str:
        """The section's id on the changelog page (``v1.2.0``)."""
        text = f"v{self.version}" if self.version else self.heading
        return _ANCHOR_UNSAFE.sub("-", text).strip("-") or "section"


def releases(text: str) -> tuple[str, list[Release]]:
    """The preamble (without the ``# `` title) and the ``## `` sections of release notes, in written order."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fence = ""
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        opener = _FENCE.match(line)
        in_code = bool(fence or opener)
        if fence and line.strip().startswith(fence):
            fence = ""
        elif opener and not fence:
            fence = opener.group(1)
        heading = None if in_code else _SECTION.match(line)
        if heading:
            sections.append((heading.group(1), []))
        elif sections:
            sections[-1][1].append(line)
        elif not (line.startswith("# ") and not preamble):
            preamble.append(line)
    found = []
    for title, lines in sections:
        version = _VERSION.search(title)
        found.append(Release(title, version.group(1) if version else None, _date(title), "\n".join(lines).strip()))
    return "\n".join(preamble).strip(), found


def _date(heading: str) -> str | None:
    for match in _DATE.finditer(heading):
        try:
            return datetime.date.fromisoformat(match.group(1)).isoformat()
        except ValueError:
            continue
    return None


def links(name: str, current: str, available: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The link bar of the page ``current`` (a registry key): reference page, downloads, then the site's pages."""
    found = []
    entries = [kind("docs"), *(k for k in ARTEFACTS if k.download), *(k for k in ARTEFACTS if k.page)]
    for entry in entries:
        file_name = entry.file_name(name)
        if entry.key == current or (available is not None and file_name not in available):
            continue
        found.append(
            {
                "label": entry.label,
                "file": file_name,
                "href": quote(file_name),
                "download": entry.download,
                "media_type": entry.media_type,
            }
        )
    return found


def sha256_source(text: str) -> str:
    """The CSP source expression allowing exactly this inline script or style element."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def text_of(value: object) -> str:
    """A string field of the spec, stripped; anything else is empty."""
    return value.strip() if isinstance(value, str) else ""


def info_of(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec's ``info`` object (empty when it has none)."""
    info = spec.get("info")
    return info if isinstance(info, dict) else {}
