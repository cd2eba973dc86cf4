"""Server lists (document, path item or operation level): matched by URL, variables compared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from generators.core.shape import as_dict, as_list
from generators.diff.model import Finding


def _finding(rule: str, path: tuple[str, ...], **args: Any) -> Finding:
    return Finding(rule, path, tuple(sorted((k, str(v)) for k, v in args.items())))


def compare_servers(b: list[Any], r: list[Any], path: tuple[str, ...]) -> Iterator[Finding]:
    """A changed URL breaks, an extra server is an addition, a missing one a removal."""
    b_urls = [s["url"] for s in b if _server(s)]
    r_urls = [s["url"] for s in r if _server(s)]
    kept = [u for u in b_urls if u in r_urls]
    gone = [u for u in b_urls if u not in r_urls]
    new = [u for u in r_urls if u not in b_urls]
    for old, fresh in zip(gone, new, strict=False):
        yield _finding("server-url-changed", path, old=old, new=fresh)
    for old in gone[len(new) :]:
        yield _finding("server-removed", path, old=old)
    for fresh in new[len(gone) :]:
        yield _finding("server-added", path, new=fresh)
    by_url_b = {s["url"]: s for s in b if _server(s)}
    by_url_r = {s["url"]: (i, s) for i, s in enumerate(r) if _server(s)}
    for url in kept:
        index, server = by_url_r[url]
        yield from _variables(
            as_dict(by_url_b[url].get("variables")), as_dict(server.get("variables")), (*path, str(index), "variables")
        )


def _server(server: Any) -> bool:
    """A server the comparison can match: an object with a string URL."""
    return isinstance(server, dict) and isinstance(server.get("url"), str)


def _variables(b: dict[str, Any], r: dict[str, Any], path: tuple[str, ...]) -> Iterator[Finding]:
    for name in sorted(set(b) & set(r)):
        bv, rv = as_dict(b[name]), as_dict(r[name])
        where = (*path, name)
        if bv.get("default") != rv.get("default"):
            yield _finding(
                "server-variable-default-changed", where, name=name, old=bv.get("default"), new=rv.get("default")
            )
        be, re_ = set(map(str, as_list(bv.get("enum")))), set(map(str, as_list(rv.get("enum"))))
        for value in sorted(be - re_):
            yield _finding("server-variable-enum-value-removed", where, name=name, value=value)
        for value in sorted(re_ - be):
            yield _finding("server-variable-enum-value-added", where, name=name, value=value)
