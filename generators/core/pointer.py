"""JSON pointers (RFC 6901) and their URI-fragment form (RFC 3986 percent-encoding): the one implementation.

Bundling, linting, validating and diffing all name places in a document by pointer; escaping ``~`` and ``/``
the same way everywhere keeps a finding's pointer equal to the one a config exception or baseline names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import unquote

Segments = tuple[str, ...]


def escape_token(token: str | int) -> str:
    """A key (or list index) as one reference token: ``~`` -> ``~0``, ``/`` -> ``~1``."""
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def unescape_token(token: str) -> str:
    """One reference token as the plain key it names."""
    if "~" in token:
        return token.replace("~1", "/").replace("~0", "~")
    return token


def pointer_join(base: str, *tokens: str | int) -> str:
    """``base`` with ``tokens`` appended, each escaped."""
    for token in tokens:
        base = f"{base}/{escape_token(token)}"
    return base


def to_pointer(segments: Iterable[str | int]) -> str:
    """Segments -> pointer string (``""`` for the whole document)."""
    return "".join("/" + escape_token(s) for s in segments)


def pointer_parts(pointer: str) -> Iterator[str]:
    """The unescaped tokens of ``pointer`` (a leading ``#`` is ignored)."""
    if not pointer:
        return
    for token in pointer.lstrip("#").split("/")[1:]:
        yield unescape_token(token)


def pointer_segments(pointer: str) -> Segments:
    """The unescaped tokens of ``pointer`` as a tuple; ``""`` and ``"#"`` are the whole document."""
    if not pointer or pointer == "#":
        return ()
    text = pointer[1:] if pointer.startswith("#") else pointer
    if "~" not in text:  # most pointers need no unescaping (thousands of lint findings are placed)
        return tuple(text.split("/")[1:])
    return tuple(unescape_token(s) for s in text.split("/")[1:])


def parse_fragment(fragment: str) -> Segments:
    """A URI fragment (percent-encoded pointer, without ``#``) -> decoded segments; ValueError if not a pointer."""
    pointer = unquote(fragment)
    if pointer in ("", "/"):
        return () if pointer == "" else ("",)
    if not pointer.startswith("/"):
        raise ValueError(f"'#{fragment}' is not a JSON pointer (it must start with '/')")
    return tuple(unescape_token(s) for s in pointer[1:].split("/"))


def node_at(document: Any, segments: Iterable[str]) -> Any:
    """The node at ``segments`` of ``document``, or None when the path does not exist."""
    node = document
    for segment in segments:
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    return node


def follow_local_refs(node: Any, target: Callable[[str], Any], limit: int | None = None) -> tuple[Any, str | None]:
    """Follow a chain of local refs (``{$ref: '#/...'}``, each naming the next) from ``node``: the first node on
    it that is not one, and the last ref followed (None when ``node`` is not a local ref).

    ``target`` gives the node a ref names, None when it names nothing. The chain ends early, at the last node
    reached, where a ref leads nowhere, comes round again, or after ``limit`` steps. Every layer that reads a
    bundled document follows refs with this; ``bundle/aliases`` settles whole chains at once for the library.
    """
    last: str | None = None
    seen: set[str] = set()  # (most nodes are no ref: the loop is never entered)
    while isinstance(node, dict) and isinstance(ref := node.get("$ref"), str) and ref.startswith("#"):
        if ref in seen or len(seen) == limit:
            break
        seen.add(ref)
        following = target(ref)
        if following is None:
            break
        last, node = ref, following
    return node, last


def fragment_target(document: Any, ref: str) -> Any:
    """The node of ``document`` a local ref (``#`` and a percent-encoded pointer) names; None when none."""
    try:
        return node_at(document, parse_fragment(ref[1:]))
    except ValueError:  # not a JSON pointer
        return None
