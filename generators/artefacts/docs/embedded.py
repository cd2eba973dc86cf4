"""The spec as the docs page embeds it, written in fragments: one per path item, webhook and component.

The text is ``json.dumps(safe_links(copy), separators=(",", ":"))`` (ASCII) with ``<``, ``>`` and ``&``
escaped, for ``<script type="application/json">``. The compact text of an object is its members' texts joined,
so it is written fragment by fragment (``dump_compact_ascii`` each) and joined with the keys between them
(plain ASCII keys, which orjson writes as ``json.dumps`` does): the same bytes as one dump, and
- escaping the few non-ASCII characters of a big spec costs only in the fragments that hold them, not in the
  whole text (GitHub's 8 MB: 20 ms instead of 45 ms);
- a link field to drop is dropped in its own fragment, written again (no walk over the whole spec).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

import orjson

from generators.core.jsonout import dump_compact_ascii

Members = dict[Any, list[bytes]]  # the texts of top-level members by key, each in pieces

# How deep fragments are cut below these top-level members: one per path item, webhook, component.
_CUT = {"paths": 1, "webhooks": 1, "x-webhooks": 1, "components": 2}
# A link field's string, unless it certainly is a plain web or mail URL (urlsplit refuses brackets and some
# non-ASCII hosts, written ``\\u....`` here): only these need a closer look.
_LINK = re.compile(rb'"(?:url|termsOfService)":"(?!(?:https?://|mailto:)[^"\\\[\]]*")((?:[^"\\]|\\.)*)"')
_LINK_OWNERS = {"contact", "license", "externalDocs"}
# str.replace per character: an order of magnitude faster than str.translate on a 13 MB spec.
_ESCAPES = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def member_texts(document: dict[str, Any], members: Collection[str]) -> Members | None:
    """The texts of ``document``'s top-level ``members``, each in pieces (fragments and the keys between them);
    None when a key between fragments is one orjson writes unlike ``json.dumps`` (not a plain ASCII string)."""
    texts: Members = {}
    try:
        for key, value in document.items():
            if key in members and not _dropped(key, value, ""):
                pieces: list[bytes] = []
                _write(value, key, _CUT.get(key, 0), pieces)
                texts[key] = pieces
    except (orjson.JSONEncodeError, _Unusual):
        return None
    return texts


def fragment_text(node: Any, key: Any) -> bytes:
    """One fragment's text: ``node`` (the value of ``key``) with its unsafe link fields dropped, escaped."""
    text = dump_compact_ascii(node).encode("ascii")
    if has_unsafe_link(text):
        cleaned = clean_links(node, key)
        if cleaned is not node:
            text = dump_compact_ascii(cleaned).encode("ascii")
    return escape(text)


def assemble(document: dict[str, Any], texts: Members) -> list[bytes] | None:
    """The whole text in pieces to join, from the texts of every top-level member (``member_texts``); None when
    a top-level key is unusual (the caller then writes the whole at once, ``whole_text``)."""
    pieces = [b"{"]
    try:
        for key, value in document.items():
            if not _dropped(key, value, ""):
                pieces.append(_key(key) if len(pieces) == 1 else b"," + _key(key))
                pieces += texts[key]
    except (orjson.JSONEncodeError, _Unusual):
        return None
    pieces.append(b"}")
    return pieces


def whole_text(document: dict[str, Any]) -> bytes:
    """The same text written at once (the fallback of ``assemble``)."""
    return escape(dump_compact_ascii(safe_links(document)).encode("ascii"))


def escape(text: bytes) -> bytes:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes (nothing closes it)."""
    for char, escaped in _ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return text


def has_unsafe_link(text: bytes) -> bool:
    """True when compact JSON ``text`` may hold a link field ``safe_links`` drops (never False when it does)."""
    return any(not web_url(json.loads(b'"' + value + b'"')) for value in _LINK.findall(text))


def safe_links(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` for display, whose link fields Redoc renders as ``href`` hold only web or mail URLs.

    Redoc's ``sanitize`` cleans Markdown but puts ``info.contact.url``, ``license.url``, ``termsOfService`` and
    ``externalDocs.url`` into links as written; a ``javascript:`` URL there is dropped here (the CSP blocks it too).
    Only the objects on the way to a dropped link are copied: otherwise ``spec`` itself comes back.
    """
    cleaned: dict[str, Any] = clean_links(spec, "")
    return cleaned


def clean_links(node: Any, parent_key: Any) -> Any:
    """``node`` (the value of ``parent_key``) without its unsafe link fields; itself when it has none."""
    if isinstance(node, list):
        items = [clean_links(item, parent_key) for item in node]
        return node if all(new is old for new, old in zip(items, node, strict=True)) else items
    if not isinstance(node, dict):
        return node
    result = {}
    changed = False
    for key, value in node.items():
        if _dropped(key, value, parent_key):
            changed = True
            continue
        result[key] = new = clean_links(value, key)
        changed = changed or new is not value
    return result if changed else node


def web_url(url: str) -> bool:
    """True for a URL with no scheme, or a web or mail one."""
    try:
        return urlsplit(url).scheme.lower() in ("", "http", "https", "mailto")
    except ValueError:
        return False


def _dropped(key: Any, value: Any, parent_key: Any) -> bool:
    is_link = (key == "url" and parent_key in _LINK_OWNERS) or key == "termsOfService"
    return is_link and isinstance(value, str) and not web_url(value)


class _Unusual(Exception):
    """A key between fragments that ``json.dumps`` writes otherwise than orjson."""


def _write(node: Any, key: Any, depth: int, pieces: list[bytes]) -> None:
    """Append the text of ``node`` (the value of ``key``) to ``pieces``: fragments ``depth`` levels down."""
    if not depth or type(node) is not dict:
        pieces.append(fragment_text(node, key))
        return
    pieces.append(b"{")
    first = True
    for child, value in node.items():
        if not _dropped(child, value, key):
            pieces.append(_key(child) if first else b"," + _key(child))
            first = False
            _write(value, child, depth - 1, pieces)
    pieces.append(b"}")


def _key(key: Any) -> bytes:
    """``"key":`` as ``json.dumps`` writes it, for a plain ASCII string (else ``_Unusual``)."""
    if type(key) is not str:
        raise _Unusual
    name = orjson.dumps(key)
    if not name.isascii() or b"\x7f" in name:
        raise _Unusual
    return escape(name) + b":"
