"""Structural errors in our words, each at the node it is about (an unknown key at the key itself).

jsonschema words an error from the schema's point of view, at the object that holds the problem: "Unevaluated
properties are not allowed ('summery' was unexpected)" at the line of ``get:``. People need the key they wrote,
the kind of object it sits in and what was probably meant: "unknown field 'summery' in an Operation; did you mean
'summary'?" at ``summery:``. ``explain`` turns one library error into such findings; an error it has no words
for keeps the library's message.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

import generators.core.ecma_regex as ecma_regex

Path = tuple[str, ...]

_JSON_TYPES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
# JSON Schema's own type names (a `type:` keyword in a Schema Object)
SCHEMA_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")
_ROOT = "the root"
_OBJECT = ("Info", "Contact", "License", "Tag", "Server")  # "an Info Object"; also the plural ones ("Paths Object")
_STATUS_HINT = "use a status code such as '200', a range such as '2XX', or 'default'"


@dataclass(frozen=True)
class Explained:
    """One finding: what to say, what to suggest, and the path of the node to place it at."""

    message: str
    path: Path
    hint: str | None = None


def object_names(schema: Mapping[str, Any]) -> dict[int, str]:
    """The OpenAPI schema's definitions by identity: ``id(definition)`` -> a name for people ("an Operation")."""
    definitions = schema.get("$defs") or schema.get("definitions") or {}
    names = {id(node): _article(_title(name)) for name, node in definitions.items() if isinstance(node, dict)}
    names[id(schema)] = _ROOT
    return names


def explain(error: ValidationError, path: Path, names: Mapping[int, str]) -> list[Explained]:
    """``error`` (found at ``path``) as findings for people; the library's message when we have no better words."""
    where = names.get(id(error.schema), "this object" if path else _ROOT)
    validator = error.validator
    if validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
        found = list(_unknown_keys(error, path, where))
        if found:
            return found
    if validator == "required" and isinstance(error.validator_value, list):
        missing = _quoted(error.message)
        if missing:
            place = f"{'at' if where == _ROOT else 'in'} {where}"
            return [Explained(f"missing required field '{missing}' {place}", path, f"add '{missing}'")]
    if validator == "type":
        return [Explained(_wrong_type(error, path), path, _required_hint(path))]
    if validator == "minItems" and error.instance == []:
        return [_empty_list(path)]
    if validator == "enum":
        return list(_not_one_of(error, path))
    if validator == "format" and error.validator_value == "regex":
        return [Explained(_bad_regex(error.instance, path), path, "fix the pattern (ECMA-262 regular expression)")]
    undefined = undefined_required(error.message)
    if undefined:
        listed = ", ".join(_quote(name) for name in undefined)
        message = f"'required' names properties that neither this schema nor its allOf members define: {listed}"
        hint = "define each under 'properties' (here or in an allOf member), or take it out of 'required'"
        return [Explained(message, (*path, "required"), hint)]
    return [Explained(error.message, path, _hint(error))]


def undefined_required(message: str) -> list[str] | None:
    """The names in openapi-spec-validator's "Required list has not defined properties: [...]" (``patches`` puts
    them in the order ``required`` lists them), None for any other message."""
    head, _, listed = message.partition(": ")
    if head != "Required list has not defined properties" or not listed.startswith("["):
        return None
    try:
        names = ast.literal_eval(listed)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return names if isinstance(names, list) and all(isinstance(n, str) for n in names) and names else None


def _unknown_keys(error: ValidationError, path: Path, where: str) -> Iterator[Explained]:
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    known: dict[str, Any] = _dict(schema.get("properties"))
    patterns: dict[str, Any] = _dict(schema.get("patternProperties"))
    instance: dict[str, Any] = _dict(error.instance)
    for key in instance:
        if key in known or str(key).startswith("x-") or repr(key) not in error.message:
            continue
        if any(_matches(pattern, str(key)) for pattern in patterns):
            continue
        at = (*path, str(key))
        if "^\\/" in patterns or "^/" in patterns:  # the Paths Object: its keys are path templates
            yield Explained(f"path '{key}' does not start with '/'", at, f"write it as '/{str(key).lstrip('/')}'")
            continue
        if any("[1-5]" in pattern for pattern in patterns):  # the Responses Object: its keys are status codes
            yield Explained(f"invalid response status '{key}'", at, _STATUS_HINT)
            continue
        message = f"unknown field '{key}' {'at' if where == _ROOT else 'in'} {where}"
        suggestion = difflib.get_close_matches(str(key), [str(k) for k in known], n=1)
        if suggestion:
            message += f"; did you mean '{suggestion[0]}'?"
        yield Explained(message, at, "remove it, or prefix a vendor extension with 'x-'")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _matches(pattern: str, key: str) -> bool:
    try:
        return re.search(pattern, key) is not None
    except re.error:
        return False


def _wrong_type(error: ValidationError, path: Path) -> str:
    expected = error.validator_value
    kinds = expected if isinstance(expected, list) else [expected]
    wanted = " or ".join(_JSON_TYPES.get(str(k), str(k)) for k in kinds)
    return f"{_field(path)} must be {wanted}, not {_describe(error.instance)}"


def _required_hint(path: Path) -> str | None:
    """A schema's ``required: true``: the keyword lists an object's required property names instead."""
    if len(path) < 3 or path[-1] != "required" or path[-3] != "properties":
        return None
    name = path[-2]
    return f"to require property '{name}', list it in the parent schema's 'required' list (required: [{name}])"


def _empty_list(path: Path) -> Explained:
    # minItems 1 on an empty list: draft 4's `required` (OpenAPI 3.0), `enum`, `allOf`, a server variable's enum
    if path and path[-1] == "required":
        message = "'required' is an empty list, which OpenAPI 3.0 does not allow"
        return Explained(message, path, "remove it (no property is required), or list the required property names")
    return Explained(f"{_field(path)} is an empty list; it needs at least one item", path, "remove it, or add an item")


def _not_one_of(error: ValidationError, path: Path) -> Iterator[Explained]:
    choices = error.validator_value
    allowed = [v for v in choices if isinstance(v, str)] if isinstance(choices, list) else []
    field = path[-1] if path else ""
    if field == "type" and isinstance(error.instance, list):  # `type: [string, nul]`: name the wrong member
        wrong = [(i, v) for i, v in enumerate(error.instance) if v not in SCHEMA_TYPES]
        for index, value in wrong or [(0, error.instance)]:
            yield Explained(_invalid(value, SCHEMA_TYPES, field), (*path, str(index)) if wrong else path)
        return
    if field == "type" or allowed:
        yield Explained(_invalid(error.instance, allowed, field), path, _choices(allowed))
        return
    yield Explained(error.message, path)


def _invalid(value: Any, choices: list[str] | tuple[str, ...], field: str) -> str:
    if field == "type":
        message = f"invalid type {_quote(value)}"
    else:
        message = f"invalid value {_quote(value)}" + (f" for '{field}'" if field and not field.isdigit() else "")
    close = difflib.get_close_matches(value, choices, n=1) if isinstance(value, str) else []
    return message + (f"; did you mean '{close[0]}'?" if close else "")


def _choices(allowed: list[str]) -> str | None:
    return f"use one of: {', '.join(allowed)}" if allowed else None


def _bad_regex(pattern: Any, path: Path) -> str:
    # the reason the verdict's own reader gives (ECMA-262, not Python's re, which words other complaints)
    why = ecma_regex.pattern_error(pattern) if isinstance(pattern, str) else None
    return f"{_field(path)} is not a valid regular expression" + (f": {why}" if why else "")


def _field(path: Path) -> str:
    for segment in reversed(path):
        if not segment.isdigit():
            return f"'{segment}'"
    return "the value"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string '{_cut(value)}'" if value else "an empty string"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _quote(value: Any) -> str:
    return f"'{_cut(value)}'" if isinstance(value, str) else _describe(value)


def _cut(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def _quoted(message: str) -> str | None:
    match = re.match(r"^'((?:[^'\\]|\\.)*)' is a required property$", message)
    return match.group(1) if match else None


def _title(name: str) -> str:
    # "path-item" -> "Path Item", "PathItem" -> "Path Item", "info" -> "Info Object"
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name.replace("-", " ")).split()
    title = " ".join(w[:1].upper() + w[1:] for w in words)
    return title + " Object" if len(words) == 1 and (title in _OBJECT or title.endswith("s")) else title


def _article(title: str) -> str:
    return ("an " if title[:1] in "AEIOU" else "a ") + title


def _hint(error: ValidationError) -> str | None:
    if error.validator == "required":
        return "add the missing field"
    return None
