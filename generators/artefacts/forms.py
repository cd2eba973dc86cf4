"""Form bodies as OpenAPI describes them: the fields of an ``application/x-www-form-urlencoded`` or
``multipart/form-data`` sample, for the Postman requests and the docs page's code samples alike.

- urlencoded: each property is serialised like a query parameter, by its Encoding Object's ``style`` and
  ``explode`` (``form`` and exploded by default: an array repeats its key, an object's members become fields);
- multipart: a property holding a file (``format: binary`` or ``base64``, or 3.1's ``contentMediaType`` /
  ``contentEncoding``) is a file part, typed by its ``contentMediaType`` or ``application/octet-stream``; an
  object (or an array of objects) is one JSON part (its default Content-Type, OpenAPI 3.0.3 4.7.14.4); an
  array of plain values is one part per item; the Encoding Object's ``contentType`` names a part's type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generators.artefacts.operation_facts import resolve as resolve_chain
from generators.artefacts.params import param_text, query_pairs
from generators.artefacts.samples import SampleBuilder

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_FILE_FORMATS = ("binary", "base64")


@dataclass(frozen=True)
class FormField:
    """One field as sent: a file part has no sample text (the user picks the file)."""

    key: str
    value: str
    file: bool = False
    content_type: str | None = None  # a multipart part's own type, when not plain text


def is_form(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() in FORM_TYPES


def form_fields(
    media_type: str, media: dict[str, Any], value: dict[str, Any], samples: SampleBuilder
) -> list[FormField]:
    """The fields of the form sample ``value`` of ``media`` (a Media Type Object of a form type), its property
    schemas found as ``samples`` (the builder of ``value``) found them."""

    def resolve(node: Any) -> Any:
        return resolve_chain(samples.document, node)

    properties = samples.properties_of(media.get("schema"))
    raw_encoding = media.get("encoding")
    encoding: dict[str, Any] = raw_encoding if isinstance(raw_encoding, dict) else {}
    multipart = media_type.split(";")[0].strip().lower() == "multipart/form-data"
    fields: list[FormField] = []
    for name, member in value.items():
        key = str(name)
        found = encoding.get(key)
        enc: dict[str, Any] = found if isinstance(found, dict) else {}
        if not multipart:
            style = enc.get("style", "form")
            param = {"name": key, "style": style, "explode": enc.get("explode", style == "form")}
            fields += [FormField(k, v) for k, v in query_pairs(param, member)]
            continue
        part_type = enc.get("contentType") if isinstance(enc.get("contentType"), str) else None
        prop = resolve(properties.get(key))
        if _holds_file(prop, resolve):
            # a part's default type (OpenAPI 3.0.3 4.7.14.4); a file part without one crashes some parsers
            fields.append(FormField(key, "", True, part_type or _file_type(prop, resolve)))
        elif isinstance(member, dict) or (isinstance(member, list) and any(isinstance(m, dict) for m in member)):
            fields.append(FormField(key, param_text(member), False, part_type or "application/json"))
        elif isinstance(member, list):
            fields += [FormField(key, param_text(item), False, part_type) for item in member]
        else:
            fields.append(FormField(key, param_text(member), False, part_type))
    return fields


def _holds_file(prop: Any, resolve: Callable[[Any], Any]) -> bool:
    """A file's contents: a binary or base64 string, or (3.1) a string with a media type or encoding; an array
    of such is a file part too (one file picked)."""
    if not isinstance(prop, dict):
        return False
    if prop.get("type") == "array" or "items" in prop:
        prop = resolve(prop.get("items"))
        if not isinstance(prop, dict):
            return False
    kinds = prop.get("type")
    stringy = kinds == "string" or (isinstance(kinds, list) and "string" in kinds) or kinds is None
    return stringy and (prop.get("format") in _FILE_FORMATS or "contentMediaType" in prop or "contentEncoding" in prop)


def _file_type(prop: dict[str, Any], resolve: Callable[[Any], Any]) -> str:
    """3.1's ``contentMediaType`` of the file (or of an array's items), else ``application/octet-stream``."""
    items = resolve(prop.get("items")) if "items" in prop else None
    for node in (prop, items):
        if isinstance(node, dict) and isinstance(node.get("contentMediaType"), str):
            return str(node["contentMediaType"])
    return "application/octet-stream"
