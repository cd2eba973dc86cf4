"""The page's ``paths``: each path item copied with its code samples and written, by two processes that meet.

Copying a path item (``enrich``: code samples, facts lines) and writing its text (``embedded``) is the biggest
share of a page's work, and how big depends on the spec: GitHub's paths take about as long as the rest of the
page, DocuSign's (large request bodies in every sample) five times longer. So no fixed share fits every spec:
this process writes the rest of the page first and then the path items from the first on, while a forked
worker writes them from the last and streams them in batches; the two meet wherever the work balances, and the
worker is stopped. A worker that cannot start or dies only leaves more path items to this process: the text is
the same bytes either way (``_write`` with one fragment per path item, as ``embedded.member_texts`` writes it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from generators.artefacts.docs.embedded import Unusual, dropped, fragment_text, key_text
from generators.artefacts.docs.enrich import PathItemCopier
from generators.core import forking

BATCH = 1 << 16  # bytes of text per message from the worker
POLL = 8  # path items written here between two looks at what the worker sent

# A path item's text, '"key":{...}' (b"" when its key is a link field dropped, None when it cannot be written
# in pieces: the page then writes the whole spec at once)
Text = bytes | None


class PathsText:
    """The ``paths`` member's text of the page's copy of ``spec``, the worker started on construction."""

    def __init__(self, spec: dict[str, Any], name: str) -> None:
        paths = spec.get("paths")
        self.paths: dict[str, Any] = paths if type(paths) is dict else {}
        self.keys = list(self.paths)
        self.spec, self.name = spec, name
        # drained on a thread: GitHub's path items are 5 MB of text, the pipe holds 1 MB, and this process is
        # busy with the rest of the page for 80 ms before it looks (the worker stalled for most of them)
        self.worker = forking.stream(self._from_the_end, drain=True) if self.keys else None

    def text(self) -> bytes | None:
        """``{...}``, the paths' text; None when a key cannot be written in pieces."""
        done: dict[int, Text] = {}
        first_sent = len(self.keys)  # the worker sends every index from the last down to this one
        write: Callable[[str], Text] | None = None
        here = 0
        while here < first_sent:
            if self.worker is not None and here % POLL == 0:
                for batch in self.worker.poll():
                    for index, text in batch:
                        done[index] = text
                        first_sent = min(first_sent, index)
                if here >= first_sent:
                    break
            write = write or _writer(self.spec, self.name)
            done[here] = write(self.keys[here])
            here += 1
        self.close()
        texts = [done[index] for index in range(len(self.keys))]
        if any(text is None for text in texts):
            return None
        return b"{" + b",".join(text for text in texts if text) + b"}"

    def close(self) -> None:
        """Stop the worker (what it still writes is written here already), release its pipe and reap it."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None

    def _from_the_end(self, send: Callable[[list[tuple[int, Text]]], None]) -> None:
        write = _writer(self.spec, self.name)
        batch: list[tuple[int, Text]] = []
        size = 0
        for index in range(len(self.keys) - 1, -1, -1):
            text = write(self.keys[index])
            batch.append((index, text))
            size += len(text or b"") + 16
            if size >= BATCH:
                send(batch)
                batch, size = [], 0
        if batch:
            send(batch)


def _writer(spec: dict[str, Any], name: str) -> Callable[[str], Text]:
    copier = PathItemCopier(spec, name)
    paths: dict[str, Any] = spec["paths"]

    def write(key: str) -> Text:
        copy = copier.copy(key, paths[key])
        if dropped(key, copy, "paths"):
            return b""
        try:
            return key_text(key) + fragment_text(copy, key)
        except (orjson.JSONEncodeError, Unusual):
            return None

    return write
