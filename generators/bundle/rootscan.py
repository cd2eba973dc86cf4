"""A big JSON root's text, scanned on the second core while this process parses it.

Two checks read a JSON root's text rather than its parse: whether orjson's parse is exact (``json_loader``'s
raw facts: escaped colons, the count of colons) and which refs the root holds (the bundler's test for a
self-contained root). On GitHub's 13 MB description they take about 25 ms, ``orjson.loads`` about 45 ms, so
for a root of MIN_FORKED bytes or more a forked child scans the text meanwhile. The child is only a helper:
when none can be started, or it dies, this process scans the text itself (the same functions, same answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from generators.source.json_loader import RawFacts, raw_facts

if TYPE_CHECKING:
    from generators.core.forking import Forked

Scans = tuple[RawFacts, set[bytes] | None]

MIN_FORKED = 2 << 20  # below 2 MiB the scans take less than a few milliseconds: not worth a fork

# string bodies as `[^"\\]*(?:\\.[^"\\]*)*` (unrolled): twice as fast in `re` as `(?:[^"\\]|\\.)*` on 13 MB
_JSON_REF = re.compile(rb'"\$ref"\s*:\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
_JSON_MAPPING = re.compile(rb'"mapping"\s*:\s*\{([^{}]*)\}')
_JSON_STRING_VALUE = re.compile(rb':\s*"([^"\\]*(?:\\.[^"\\]*)*)"')
# an escaped '$' or lowercase letter (\u0024, \u0061-\u007a): any of ``$ref`` or ``mapping`` may be written so
_ESCAPED_KEY_LETTER = re.compile(rb"\\u00(?:24|[67][0-9a-fA-F])")


def ref_strings(text: bytes) -> set[bytes] | None:
    """Every ``$ref`` value of JSON text, and each discriminator mapping value that may name a file or a
    pointer (holding ``/``, ``.`` or ``#``), as written (escapes not decoded); None when a key may spell
    ``$ref`` or ``mapping`` with escapes (``"\\u0024ref"``), which only the parse can tell."""
    if _ESCAPED_KEY_LETTER.search(text):
        return None
    found = set(_JSON_REF.findall(text))
    for mapping in _mappings(text):
        found.update(v for v in _JSON_STRING_VALUE.findall(mapping) if b"/" in v or b"." in v or b"#" in v)
    return found


def _mappings(text: bytes) -> Iterator[bytes]:
    """The bodies of ``"mapping": {...}`` objects (discriminators) in JSON text: the key found with
    ``bytes.find``, the regex tried only there (GitHub's 13 MB: 9 ms as one regex scan, 5 ms so)."""
    at = text.find(b'"mapping"')
    while at >= 0:
        found = _JSON_MAPPING.match(text, at)
        if found:
            yield found.group(1)
        at = text.find(b'"mapping"', at + 9)


def _scan(text: bytes) -> Scans:
    return raw_facts(text), ref_strings(text)


def _start(text: bytes) -> Forked[Scans] | None:
    from generators.core import forking  # with pickle, 2.7 ms of imports a small root does without

    return forking.start(lambda: _scan(text))


class RootScan:
    """The scans of one root's text: started on construction, each answer taken once it is asked for."""

    def __init__(self, text: bytes) -> None:
        self.text = text
        self._worker = _start(text) if len(text) >= MIN_FORKED else None
        self._facts: RawFacts | None = None
        self._refs: set[bytes] | None = None
        self._refs_known = False

    def facts(self) -> RawFacts:
        """``json_loader.raw_facts`` of the text."""
        self.collect()
        if self._facts is None:
            self._facts = raw_facts(self.text)
        return self._facts

    def refs(self) -> set[bytes] | None:
        """``ref_strings`` of the text."""
        self.collect()
        if not self._refs_known:
            self._refs, self._refs_known = ref_strings(self.text), True
        return self._refs

    def collect(self) -> None:
        """Wait for the child's answers (if one was started and is not done with yet)."""
        if self._worker is None:
            return
        worker, self._worker = self._worker, None
        found = worker.result()
        worker.close()
        if found is not None:
            (self._facts, self._refs), self._refs_known = found, True
