"""HTTP methods and operation iteration: which keys of a Path Item are operations, in one place.

OpenAPI 3.0 and 3.1 name eight methods; a Path Item may hold any of them next to ``parameters``, ``servers``,
``summary``, ``description``, ``$ref`` and ``x-`` extensions. Every layer that walks operations (bundling,
linting, diffing, the Postman collection, the fast structural check) iterates them with this module, so they
agree on the methods and their order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from generators.core.pointer import follow_local_refs, fragment_target

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The methods OpenAPI 3.x allows as Path Item keys, in the order the specification lists them."""


def operations_of(item: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(method, operation)`` for each operation object of one Path Item, in ``HTTP_METHODS`` order."""
    for method in HTTP_METHODS:
        operation = item.get(method)
        if isinstance(operation, dict):
            yield method, operation


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
