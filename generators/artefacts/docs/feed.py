"""Artefact: ``changelog.xml``, an Atom feed (RFC 4287) of the released versions in the release notes.

One entry per section that names a version; ids are derived from the artefact name and the version, so they never
change between builds. The only dates are the ones the release notes give (``## 1.2.0 - 2026-05-01``); a release
without one is dated 1970-01-01, as is the feed when no release has a date, so a rebuild never changes the feed.
"""

from __future__ import annotations

import html
import re
import uuid
from typing import Any
from urllib.parse import quote

from generators.artefacts.docs import markdown
from generators.artefacts.docs.site import info_of, releases, text_of
from generators.artefacts.model import Artefact
from generators.artefacts.registry import kind
from generators.core.settings import Settings, artefact_name

UNDATED = "1970-01-01"
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def generate(spec: dict[str, Any], settings: Settings) -> Artefact:
    """The feed: newest release first as the notes list them."""
    name = artefact_name(settings, spec)
    title = text_of(info_of(spec).get("title")) or name
    page = quote(kind("changelog").file_name(name))
    self_href = quote(kind("changelog-feed").file_name(name))
    _, found = releases(settings.release_notes or "")
    released = [r for r in found if r.version]
    seen: set[str] = set()
    entries = []
    for release in released:
        assert release.version is not None
        if release.version in seen:
            continue
        seen.add(release.version)
        entries += [
            "  <entry>",
            f"    <title>{_text(f'{title} {release.version}')}</title>",
            f"    <id>{entry_id(name, release.version)}</id>",
            f"    <updated>{release.date or UNDATED}T00:00:00Z</updated>",
            f'    <link rel="alternate" type="text/html" href="{_text(page + "#" + release.anchor)}"/>',
            f'    <content type="html">{_text(markdown.render(release.notes))}</content>',
            "  </entry>",
        ]
    updated = max((r.date for r in released if r.date), default=UNDATED)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{_text(title + ' changelog')}</title>",
        f"  <id>{feed_id(name)}</id>",
        f"  <updated>{updated}T00:00:00Z</updated>",
        f"  <author><name>{_text(title)}</name></author>",
        f'  <link rel="alternate" type="text/html" href="{_text(page)}"/>',
        f'  <link rel="self" type="application/atom+xml" href="{_text(self_href)}"/>',
        *entries,
        "</feed>",
    ]
    return Artefact.text(kind("changelog-feed").file_name(name), "\n".join(lines) + "\n")


def feed_id(name: str) -> str:
    """The feed's permanent id: a name-based UUID URN of the artefact name."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"atlas-spec:{name}:changelog").urn


def entry_id(name: str, version: str) -> str:
    """A release's permanent id: a name-based UUID URN of the artefact name and the version."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"atlas-spec:{name}:changelog:{version}").urn


def _text(text: str) -> str:
    """Text or attribute value for XML (``html.escape`` writes only entities XML knows: ``&#x27;`` for ')."""
    return html.escape(_NOT_XML.sub("\ufffd", text))
