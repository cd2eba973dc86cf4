"""The page's own copy of the spec: what Redoc shows beyond the description as written.

Each operation gets code samples (``x-codeSamples``: curl, JavaScript, Python; samples the author wrote keep their
place and ours fill the languages they lack) and, when the spec says anything about them, a first line with its
scopes, rate class and idempotency. A root ``x-problem-types`` list becomes an "Error catalogue" section of
``info.description``. Only the objects that change are copied: the bundled spec itself stays as written.
All spec text that lands in the Markdown goes through ``core.escape``.
"""

from __future__ import annotations

import re
from typing import Any

from generators.artefacts.docs.code_samples import CodeSamples, token_variable
from generators.artefacts.operation_facts import OperationFacts, operation_facts
from generators.core.escape import for_markdown, markdown_code
from generators.core.operations import local_ref_resolver, operations_of, put_operation

_SAME_LANGUAGE = {"curl": "shell", "bash": "shell", "sh": "shell", "js": "javascript", "node": "javascript"}
_MAX_PROBLEM_TYPES = 1_000
_CODE_SPAN = re.compile(r"(`[^`]+`)")


def page_copy(spec: dict[str, Any], name: str) -> dict[str, Any]:
    """``spec`` with code samples and facts lines on every operation and the error catalogue in the description."""
    copy = dict(spec)
    paths = spec.get("paths")
    if isinstance(paths, dict):
        samples = CodeSamples(spec, token_variable(name))
        resolve = local_ref_resolver(spec)  # an item written as a $ref is shown, with its samples, in place
        copy["paths"] = {key: _path_item(spec, samples, key, resolve(item)) for key, item in paths.items()}
    catalogue = error_catalogue(spec.get("x-problem-types"))
    info = spec.get("info")
    if catalogue and isinstance(info, dict):
        description = info.get("description")
        text = description.rstrip() + "\n\n" if isinstance(description, str) and description.strip() else ""
        copy["info"] = {**info, "description": text + catalogue}
    return copy


def _path_item(spec: dict[str, Any], samples: CodeSamples, path: str, item: Any) -> Any:
    if not isinstance(item, dict) or str(path).startswith("x-"):
        return item
    copy = dict(item)
    for method, op in operations_of(item):
        facts = operation_facts(spec, method, op, item)
        new = dict(op)
        new.pop("x-code-samples", None)
        new["x-codeSamples"] = _merged(_written_samples(op), samples.for_operation(path, op, facts))
        line = facts_line(facts)
        if line:
            description = op.get("description")
            new["description"] = line + ("\n\n" + description if isinstance(description, str) else "")
        put_operation(copy, method, new)
    return copy


def _written_samples(op: dict[str, Any]) -> list[Any]:
    for key in ("x-codeSamples", "x-code-samples"):
        if isinstance(op.get(key), list):
            return list(op[key])
    return []


def _merged(written: list[Any], ours: list[dict[str, str]]) -> list[Any]:
    if not written:
        return ours
    languages = {_language(s.get("lang")) for s in written if isinstance(s, dict)}
    return written + [s for s in ours if _language(s["lang"]) not in languages]


def _language(lang: Any) -> str:
    text = str(lang).strip().lower()
    return _SAME_LANGUAGE.get(text, text)


def facts_line(facts: OperationFacts) -> str:
    """``**Scopes:** ... · **Rate class:** ... · **Idempotent:** ...``, or "" when the spec says nothing of them."""
    if facts.scopes is None and facts.rate_class is None and facts.idempotency_key is None:
        return ""
    parts = []
    if facts.scopes is not None:
        parts.append("**Scopes:** " + (", ".join(markdown_code(s) for s in facts.scopes) or "none"))
    if facts.rate_class is not None:
        parts.append("**Rate class:** " + markdown_code(facts.rate_class))
    if facts.idempotency_key is not None:
        parts.append("**Idempotent:** with an " + markdown_code(facts.idempotency_key) + " header")
    else:
        parts.append("**Idempotent:** " + ("yes" if facts.idempotent else "no"))
    return " · ".join(parts)


def error_catalogue(problem_types: Any) -> str:
    """The Markdown "Error catalogue" section for a root ``x-problem-types`` list ("" when there is none)."""
    if not isinstance(problem_types, list):
        return ""
    rows = []
    for entry in problem_types[:_MAX_PROBLEM_TYPES]:
        if not isinstance(entry, dict):
            continue
        cells = [
            _cell(entry.get("status")),
            _cell(entry.get("title")),
            _code_cell(_flat(entry.get("type"))) if _flat(entry.get("type")) else "",
            _cell(entry.get("when")),
            _cell(entry.get("action")),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    if not rows:
        return ""
    head = ["## Error catalogue", "", "| Status | Title | Type | When | What to do |", "|---|---|---|---|---|"]
    return "\n".join(head + rows) + "\n"


def _flat(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split())


def _cell(value: Any) -> str:
    """Table cell text: escaped, except that its code spans stay code spans (they cannot carry markup)."""
    parts = _CODE_SPAN.split(_flat(value))
    return "".join(_code_cell(p[1:-1]) if i % 2 else for_markdown(p) for i, p in enumerate(parts))


def _code_cell(text: str) -> str:
    return markdown_code(text).replace("|", "\\|")  # a pipe would end the table cell, even in a code span
