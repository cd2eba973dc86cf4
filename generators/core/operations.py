"""HTTP methods and operation iteration: which keys of a Path Item are operations, in one place.

OpenAPI 3.0 and 3.1 name eight methods; a Path Item may hold any of them next to ``parameters``, ``servers``,
``summary``, ``description``, ``$ref`` and ``x-`` extensions. OpenAPI 3.2 adds ``query`` and
``additionalOperations``: a map of operations keyed by any other method, written as the request sends it
(``COPY``, ``PURGE``). Every layer that walks operations (bundling, linting, diffing, the Postman collection,
the docs) iterates them with this module, so they agree on the methods, their order and where each is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from generators.core.pointer import follow_local_refs, fragment_target

METHODS_3_1 = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The methods OpenAPI 3.0 and 3.1 allow as Path Item keys, in the order the specification lists them."""
HTTP_METHODS = (*METHODS_3_1, "query")
"""Every Path Item key that holds an operation (OpenAPI 3.2 added ``query``), in the specification's order."""
ADDITIONAL_OPERATIONS = "additionalOperations"
_FIXED = frozenset(HTTP_METHODS)
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")  # RFC 9110's method: a token (the 3.2 schema's pattern)


def operations_of(item: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(method, operation)`` for each operation object of one Path Item: the ``HTTP_METHODS`` fields in that
    order, then each of ``additionalOperations`` (OpenAPI 3.2) in written order, named by its key.

    Left out, as not operations a request can reach: a key that is not an HTTP method token (``validate``
    reports it), and one naming a fixed field's method in any case (``GET``, ``get``, ``Query``): the
    specification forbids those entries, and the name would be the field's. So a name in ``HTTP_METHODS``
    always means the field; ``method_segments`` tells where each is written. A token may still hold ``'``,
    ``$``, ``|`` or a backtick: whatever writes a method into code quotes it as any other spec text.
    """
    for method in HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            yield method, operation
    additional = item.get(ADDITIONAL_OPERATIONS)
    if isinstance(additional, dict):
        for method, operation in additional.items():
            if isinstance(operation, dict) and additional_method(method):
                yield method, operation


def additional_method(key: object) -> bool:
    """True when ``key`` of ``additionalOperations`` names an operation ``operations_of`` yields (see there)."""
    return isinstance(key, str) and _TOKEN.fullmatch(key) is not None and key.lower() not in _FIXED


def method_segments(method: str) -> tuple[str, ...]:
    """Where the operation ``operations_of`` names ``method`` is written in its Path Item: ``("get",)``, or
    ``("additionalOperations", "COPY")``."""
    return (method,) if method in _FIXED else (ADDITIONAL_OPERATIONS, method)


def operation_at(item: Mapping[str, Any], method: str) -> Any:
    """The operation ``operations_of`` names ``method`` in the Path Item ``item``; None when it has none."""
    node: Any = item
    for segment in method_segments(method):
        node = node.get(segment) if isinstance(node, dict) else None
    return node


def put_operation(item: dict[str, Any], method: str, operation: Any) -> None:
    """Set the operation ``operations_of`` names ``method`` in ``item``, a copy of a Path Item: a field, or a
    member of a new copy of its ``additionalOperations`` (the map it shares with the original stays as it was)."""
    if method in _FIXED:
        item[method] = operation
        return
    additional = item.get(ADDITIONAL_OPERATIONS)
    item[ADDITIONAL_OPERATIONS] = {**(additional if isinstance(additional, dict) else {}), method: operation}


def http_method(method: str) -> str:
    """``method`` as a request sends it: a field's name upper-cased, an additional operation's key as written."""
    return method.upper() if method in _FIXED else method


def path_items(
    items: Any, resolve: Callable[[Any], Any] = lambda node: node, skip_extensions: bool = True
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(key, path item)`` for each member of a ``paths`` or ``webhooks`` object that is (or resolves to) one."""
    if not isinstance(items, dict):
        return
    for key, raw in items.items():
        if skip_extensions and str(key).startswith("x-"):
            continue
        item = resolve(raw)
        if isinstance(item, dict):
            yield str(key), item


def local_ref_resolver(document: Any) -> Callable[[Any], Any]:
    """A ``resolve`` for ``path_items`` and ``iter_operations``: a Path Item written as a local ``$ref`` (OpenAPI
    3.1's ``$ref: '#/components/pathItems/Pets'``, which bundling keeps) reads as the item it names, through a
    chain of such refs; one that leads nowhere, or round in a loop, reads as itself (an item with no operation).
    """

    def resolve(node: Any) -> Any:
        return follow_local_refs(node, lambda ref: fragment_target(document, ref))[0]

    return resolve


def document_operations(
    document: Mapping[str, Any], section: str = "paths"
) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``iter_operations`` of ``document``'s ``paths`` (or ``webhooks``), Path Items written as local refs followed."""
    return iter_operations(document.get(section), local_ref_resolver(document))


def iter_operations(
    items: Any, resolve: Callable[[Any], Any] = lambda node: node
) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``(key, method, operation, path item)`` for every operation of a ``paths`` or ``webhooks`` object."""
    for key, item in path_items(items, resolve):
        for method, operation in operations_of(item):
            yield key, method, operation, item
