"""What a save changed, shown first: the operations an edit touched, as a small spec the open page renders at once.

Redoc renders a big description slowly (DigitalOcean's 1,899 operations: 7.7 s in headless chromium, as long
in place as on a fresh load) but a few operations in tens of milliseconds. So after a one-file edit of a big
spec the preview serves, beside the new spec, the part of it that changed (``/v1/preview/focus.json``): the
operations whose text differs from the last build's, or whose path item's shared keys do, or which reach a
changed component through their ``$ref``s, or whose tag's text changed; with the components they reach, the
security schemes (without their texts), the tags they use and the document's title and version (the
introduction is not what changed, and markdown is the slowest part of Redoc to render). When only the
introduction changed (``info``), it is shown alone. The page renders that first, then the whole reference,
which replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generators.bundle.place import component_ref
from generators.bundle.refs import local_refs
from generators.core.operations import (
    ADDITIONAL_OPERATIONS,
    HTTP_METHODS,
    document_operations,
    http_method,
    local_ref_resolver,
    operation_at,
    put_operation,
)
from generators.core.shape import as_dict, strings

FOCUS_PATH = "/v1/preview/focus.json"
MIN_OPERATIONS = 200  # below this the whole reference renders about as fast as a part of it
MAX_SHOWN = 5  # operations rendered first (each costs Redoc tens of ms); the page says how many more changed
_TOP_KEYS = ("openapi", "info", "jsonSchemaDialect", "servers", "security", "externalDocs")
_COMPONENTS = "#/components/"
_TAG = "tag:"  # a changed tag among the changed refs: no $ref starts so

Operation = tuple[str, str, str]  # ("paths" or "webhooks", path or name, method)
Walk = Callable[[Any], set[str]]


def operations(document: dict[str, Any]) -> dict[Operation, Any]:
    """Every operation of ``document`` (paths and webhooks) in document order."""
    return {
        (section, path, method): operation
        for section in ("paths", "webhooks")
        for path, method, operation, _ in document_operations(document, section)
    }


class RefCache:
    """The refs under each operation and component, kept between builds: the bundle's memo hands unchanged parts
    over as the same objects, so only what an edit touched is walked again (DigitalOcean: 40 -> 2 ms)."""

    def __init__(self) -> None:
        self.known: dict[int, tuple[Any, set[str]]] = {}
        self.used: dict[int, tuple[Any, set[str]]] = {}

    def refs(self, node: Any) -> set[str]:
        """``_refs(node)``, walked once per object (the object is held, so its id stays its own)."""
        found = self.known.get(id(node))
        if found is None or found[0] is not node:
            found = (node, _refs(node))
        self.used[id(node)] = found
        return found[1]

    def forget_unused(self) -> None:
        """Keep only what the last build used (the memory of one document's refs, never more)."""
        self.known, self.used = self.used, {}


def changed_operations(
    before: dict[str, Any],
    after: dict[str, Any],
    cache: RefCache | None = None,
    ops: dict[Operation, Any] | None = None,
) -> list[Operation]:
    """The operations of ``after`` that read differently than in ``before`` (new ones included): those edited
    themselves first, then those that reach a changed component, each in document order. ``ops``:
    ``operations(after)``, when the caller has it already."""
    walk = cache.refs if cache is not None else _refs
    reached = _changed_components(before, after)
    if reached:
        reached = _reaching(after, reached, walk)
    reached |= {_TAG + name for name in _changed_tags(before, after)}
    edited: list[Operation] = []
    reaching: list[Operation] = []
    for key, operation in (operations(after) if ops is None else ops).items():
        how = _differs(before, after, key, operation, reached, walk)
        if how:
            (edited if how == "edited" else reaching).append(key)
    if cache is not None:
        cache.forget_unused()
    return [*edited, *reaching]  # the operations edited themselves first, then those reaching an edit


def _differs(
    before: dict[str, Any], after: dict[str, Any], key: Operation, operation: Any, reached: set[str], walk: Walk
) -> str:
    """How ``operation`` (at ``key`` of ``after``) reads differently than in ``before``: "edited", "reaching"
    (a component it refers to changed) or "" (it does not)."""
    section, path, method = key
    old_item = _item(before, section, path)
    item = _item(after, section, path)
    old = old_item.get(method) if isinstance(old_item, dict) else None
    if old is not operation and old != operation:
        return "edited"  # its own text (or it is new)
    if old_item is not item and _shared(old_item) != _shared(item):
        return "edited"  # the parameters, servers or text its path item gives every operation
    if reached and (walk(operation) | _refs(_shared(item)) | {_TAG + tag for tag in _tags(operation)}) & reached:
        return "reaching"  # a component it refers to, or one of its tags (their text heads its section)
    return ""


def _item(document: dict[str, Any], section: str, path: str) -> Any:
    """The Path Item at ``section``/``path`` of ``document``, a local ``$ref`` followed (None when absent)."""
    return local_ref_resolver(document)(_get(document, section, path))


def _changed_tags(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The names of the tags whose entry in ``tags`` was added, removed or changed."""

    def by_name(document: dict[str, Any]) -> dict[str, Any]:
        tags = document.get("tags")
        return (
            {t["name"]: t for t in tags if isinstance(t, dict) and isinstance(t.get("name"), str)}
            if isinstance(tags, list)
            else {}
        )

    old, new = by_name(before), by_name(after)
    return {name for name in {*old, *new} if old.get(name) != new.get(name)}


def focus_document(
    document: dict[str, Any], changed: list[Operation], introduction: bool = False
) -> dict[str, Any] | None:
    """The page's first view: ``changed`` (at most ``MAX_SHOWN``) with what they need, or with ``introduction``
    (it changed) and no operation changed, the introduction alone; None when there is nothing to show or it
    cannot stand alone (a ``$ref`` to anything but a component)."""
    shown = changed[:MAX_SHOWN]
    if not shown and not introduction:
        return None
    spec: dict[str, Any] = {key: document[key] for key in _TOP_KEYS if key in document}
    if shown and isinstance(spec.get("info"), dict):  # not what changed, and the slowest part to render
        spec["info"] = {key: spec["info"][key] for key in ("title", "version") if key in spec["info"]}
    spec["paths"] = {}
    for section, path, method in shown:
        item = _item(document, section, path)  # written as a $ref: shown in place
        target = spec.setdefault(section, {}).setdefault(path, _shared(item))
        put_operation(target, method, operation_at(item, method))
    tags = {
        tag for section, path, method in shown for tag in _tags(operation_at(_item(document, section, path), method))
    }
    if isinstance(document.get("tags"), list):
        spec["tags"] = [t for t in document["tags"] if isinstance(t, dict) and _named(t.get("name"), tags)]
    if isinstance(document.get("x-tagGroups"), list):
        spec["x-tagGroups"] = [
            {**group, "tags": [t for t in group["tags"] if _named(t, tags)]}
            for group in document["x-tagGroups"]
            if isinstance(group, dict)
            and isinstance(group.get("tags"), list)
            and any(_named(t, tags) for t in group["tags"])
        ]
    components = _components_reached(document, [spec.get("paths"), spec.get("webhooks")])
    if components is None:
        return None
    schemes = _get(document, "components", "securitySchemes")
    if isinstance(schemes, dict) and shown:  # named by the operations' security; their texts belong to the intro
        components["securitySchemes"] = {
            name: {k: v for k, v in scheme.items() if k != "description"} if isinstance(scheme, dict) else scheme
            for name, scheme in schemes.items()
        }
    elif isinstance(schemes, dict):
        components["securitySchemes"] = schemes
    if components:
        spec["components"] = components
    return {
        "spec": spec,
        "changed": [[http_method(method), path] for _, path, method in shown],
        "more": len(changed) - len(shown),
    }


def _changed_components(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The ref strings of the components added, removed or changed."""
    found: set[str] = set()
    old_all, new_all = before.get("components"), after.get("components")
    old_all = old_all if isinstance(old_all, dict) else {}
    new_all = new_all if isinstance(new_all, dict) else {}
    for kind in {*old_all, *new_all}:
        old, new = old_all.get(kind), new_all.get(kind)
        if old is new:
            continue
        old = old if isinstance(old, dict) else {}
        new = new if isinstance(new, dict) else {}
        for name in {*old, *new}:
            if old.get(name) is not new.get(name) and old.get(name) != new.get(name):
                found.add(component_ref(kind, name))
    return found


def _reaching(document: dict[str, Any], changed: set[str], walk: Walk) -> set[str]:
    """``changed`` and every component that reaches one of them through its refs."""
    graph = {
        component_ref(kind, name): walk(value)
        for kind, members in as_dict(_get(document, "components")).items()
        if isinstance(members, dict)
        for name, value in members.items()
    }
    reached = set(changed)
    grew = True
    while grew:
        grew = False
        for ref, refs in graph.items():
            if ref not in reached and refs & reached:
                reached.add(ref)
                grew = True
    return reached


def _components_reached(document: dict[str, Any], roots: list[Any]) -> dict[str, Any] | None:
    """The components ``roots`` reach (by kind and name, in document order); None for a ref elsewhere."""
    all_components = as_dict(_get(document, "components"))
    by_ref = {
        component_ref(kind, name): (kind, name)
        for kind, members in all_components.items()
        if isinstance(members, dict)
        for name in members
    }
    seen: set[str] = set()
    todo = set().union(*(_refs(root) for root in roots))
    while todo:
        ref = todo.pop()
        if ref in seen:
            continue
        if ref not in by_ref:
            return None
        seen.add(ref)
        kind, name = by_ref[ref]
        todo |= _refs(all_components[kind][name]) - seen
    picked: dict[str, Any] = {}
    for ref, (kind, name) in by_ref.items():
        if ref in seen:
            picked.setdefault(kind, {})[name] = all_components[kind][name]
    return picked


def _refs(node: Any) -> set[str]:
    """Every local ``$ref`` under ``node``, discriminator mapping values included (they are refs too)."""
    return set(local_refs(node, mappings=True))


def _shared(item: Any) -> dict[str, Any]:
    """A path item without its operations: what every operation of it shares (parameters, servers, text)."""
    if not isinstance(item, dict):
        return {}
    return {k: v for k, v in item.items() if k not in HTTP_METHODS and k != ADDITIONAL_OPERATIONS}


def _tags(operation: Any) -> list[str]:
    return strings(operation.get("tags")) if isinstance(operation, dict) else []


def _named(name: Any, tags: set[str]) -> bool:
    """Whether ``name`` is one of ``tags`` (a name that is not a string, in a malformed save, is none)."""
    return isinstance(name, str) and name in tags


def _get(document: dict[str, Any], *keys: str) -> Any:
    node: Any = document
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node
