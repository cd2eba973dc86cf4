"""YAML sources: libyaml composing with the YAML 1.2 core schema, strict conversion to plain data.

Imported only when a YAML file is read (PyYAML and its resolvers cost 15 ms at start-up that a JSON
spec does not need); ``generators.source.loader`` decides which parser a file takes.
"""

from __future__ import annotations

import math
import re
from typing import Any, ClassVar

import yaml

from generators.core.diagnostics import AtlasError, Location
from generators.core.jsonout import big_int
from generators.source.editorlines import UNICODE_BREAKS, EditorLines, to_editor_lines
from generators.source.limits import MAX_DEPTH, MAX_INT_DIGITS, int_too_long, too_deep

MAX_EXPANDED_NODES = 5_000_000
_YAML_LOADER_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_ANCHOR_RE = re.compile(r"(?:^|[\s\[{,:?-])&[^\s\[\]{},]")
# a line starting with this many indentation characters: the first line, or one after a newline (searched from the
# newline, which the regex engine finds like a literal: 4x faster over DigitalOcean's 2,849 files than ``^``)
_DEEP_FIRST = re.compile(rf"[ \-?]{{{MAX_DEPTH // 2 - 2}}}")
_DEEP_LINE = re.compile(rf"\n[ \-?]{{{MAX_DEPTH // 2 - 2}}}")
# libyaml breaks lines at these too: a file may hold no "\n" at all (searched only when one is there: slower)
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
_DEEP_LINE_OTHER_BREAK = re.compile(rf"[\r\x85\u2028\u2029][ \-?]{{{MAX_DEPTH // 2 - 2}}}")


class _CoreLoader(_YAML_LOADER_BASE):  # type: ignore[misc]
    """libyaml-backed loader with the YAML 1.2 core schema and strict, JSON-compatible construction."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}


_SCALAR_CHECKS = (
    ("tag:yaml.org,2002:bool", _BOOL_RE),
    ("tag:yaml.org,2002:null", _NULL_RE),
    ("tag:yaml.org,2002:int", _INT_RE),
    ("tag:yaml.org,2002:float", _FLOAT_RE),
    ("tag:yaml.org,2002:merge", re.compile(r"^<<$")),
)
_MAYBE_TYPED = frozenset("tTfF~nN-+0123456789.<")


def _fast_resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
    """The 1.2 core schema's tag for a node; most scalars are text and are told so by their first character."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            if value == "":
                return "tag:yaml.org,2002:null"
            if value[0] in _MAYBE_TYPED:
                for tag, regexp in _SCALAR_CHECKS:
                    if regexp.match(value):
                        return tag
        return "tag:yaml.org,2002:str"
    if kind is yaml.SequenceNode:
        return "tag:yaml.org,2002:seq"
    return "tag:yaml.org,2002:map"


def _resolver(tag: str, regexp: re.Pattern[str], first: str) -> None:
    _CoreLoader.add_implicit_resolver(tag, regexp, list(first))


_resolver("tag:yaml.org,2002:bool", _BOOL_RE, "tTfF")
_resolver("tag:yaml.org,2002:null", _NULL_RE, "~nN")
_CoreLoader.yaml_implicit_resolvers.setdefault("", []).append(("tag:yaml.org,2002:null", _NULL_RE))
_resolver("tag:yaml.org,2002:int", _INT_RE, "-+0123456789")
_resolver("tag:yaml.org,2002:float", _FLOAT_RE, "-+0123456789.")
_resolver("tag:yaml.org,2002:merge", re.compile(r"^<<$"), "<")
_CoreLoader.resolve = _fast_resolve


def _mark(node: yaml.Node, name: str) -> Location:
    return Location(name, node.start_mark.line + 1, node.start_mark.column + 1)


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_NON_FINITE = {".inf": "inf", ".Inf": "inf", ".INF": "inf", ".nan": "nan", ".NaN": "nan", ".NAN": "nan"}


class _Converter:
    """Composed YAML nodes -> plain data, directly (PyYAML's generic constructor is several times slower)."""

    def __init__(self, name: str, shared: bool) -> None:
        self.name = name
        self.memo: dict[int, Any] | None = {} if shared else None  # aliases share nodes: share results too

    def convert(self, node: yaml.Node) -> Any:
        memo = self.memo
        if memo is not None and id(node) in memo:
            return memo[id(node)]
        if isinstance(node, yaml.ScalarNode):
            result = self.scalar(node)
        elif isinstance(node, yaml.MappingNode):
            result = self.mapping(node)
        else:
            self.check_tag(node, "tag:yaml.org,2002:seq")
            result = [self.convert(child) for child in node.value]
        if memo is not None:
            memo[id(node)] = result
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return str(node.value).lower() == "true"
        if tag == _INT:
            return self.integer(node)
        if tag == _FLOAT:
            return self.floating(node)
        return self.unknown_tag(node)

    def integer(self, node: yaml.ScalarNode) -> int:
        text = str(node.value)
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits[0] == "0" and digits.isdigit():
            raise AtlasError.at(
                "yaml-ambiguous-number",
                f"'{text}' has a leading zero: YAML 1.1 reads it as octal, YAML 1.2 as decimal",
                _mark(node, self.name),
                f"quote it ('{text}') if it is text, or write it without the zero",
            )
        if digits.startswith(("0o", "0x")):
            value = int(text.replace(digits[:2], "", 1), 8 if digits[1] == "o" else 16)
            too_long = int_too_long(value)
        else:
            too_long = len(digits) > MAX_INT_DIGITS
            value = 0 if too_long else int(text)
        if too_long:
            raise AtlasError.at(
                "yaml-number-too-long",
                f"'{text[:20]}...' has more than {MAX_INT_DIGITS:,} digits",
                _mark(node, self.name),
                f"quote it: integers of more than {MAX_INT_DIGITS:,} digits cannot be written back",
            )
        return big_int(value)

    def floating(self, node: yaml.ScalarNode) -> float:
        text = str(node.value)
        value = float(_NON_FINITE.get(text.lstrip("+-"), text.lstrip("+-")))
        if math.isinf(value) or math.isnan(value):
            raise AtlasError.at(
                "yaml-non-finite",
                f"'{text}' is not a finite number and JSON cannot hold it",
                _mark(node, self.name),
                f"quote it ('{text}') if it is meant as text",
            )
        return -value if text.startswith("-") else value

    def key(self, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise AtlasError.at(
                "yaml-complex-key",
                "a mapping key must be a plain string",
                _mark(node, self.name),
                "JSON objects only have string keys",
            )
        tag = node.tag
        if tag in (_STR, _INT):
            return str(node.value)
        if tag == _NULL:
            return "null"
        if tag == _BOOL:
            return str(node.value).lower()
        if tag == _FLOAT:
            self.floating(node)
            return str(node.value)
        return str(self.unknown_tag(node))

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        self.check_tag(node, "tag:yaml.org,2002:map")
        result: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        merged: list[dict[str, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self.merge_sources(value_node))
                continue
            key = self.key(key_node)
            if key in seen:
                first = _mark(seen[key], self.name)
                raise AtlasError.at(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first.line})",
                    _mark(key_node, self.name),
                    "remove or rename one of them; JSON keeps only one",
                )
            seen[key] = key_node
            result[key] = self.convert(value_node)
        for source in merged:
            for key, value in source.items():
                result.setdefault(key, value)
        return result

    def merge_sources(self, node: yaml.Node) -> list[dict[str, Any]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        sources = []
        for item in nodes:
            value = self.convert(item)
            if not isinstance(value, dict):
                raise AtlasError.at("yaml-merge", "'<<' merges only mappings", _mark(item, self.name))
            sources.append(value)
        return sources

    def check_tag(self, node: yaml.Node, expected: str) -> None:
        if node.tag != expected:
            self.unknown_tag(node)

    def unknown_tag(self, node: yaml.Node) -> Any:
        raise AtlasError.at(
            "yaml-tag",
            f"tag '{node.tag}' is not allowed",
            _mark(node, self.name),
            "OpenAPI sources are plain data: remove the tag (only !!str, !!int, !!float, !!bool, !!null, !!map, !!seq)",
        )


def compose_yaml(text: str, name: str) -> yaml.Node | None:
    """The YAML node tree (with positions) of a single-document file; depth is checked first."""
    check_depth(text, name)
    loader = _CoreLoader(text)
    loader.source_name = name
    try:
        node: yaml.Node | None = loader.get_single_node()
        if node is not None and UNICODE_BREAKS.search(text):
            to_editor_lines(node, EditorLines(text))
        return node
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, name, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, name, text) from None
    except yaml.YAMLError as exc:
        raise AtlasError.at("yaml-syntax", str(exc), Location(name)) from None
    finally:
        loader.dispose()


def load_yaml_text(text: str, name: str) -> Any:
    """Parse YAML text with the 1.2 core schema; refuses several documents, alias bombs and deep nesting."""
    try:
        node = compose_yaml(text, name)
        if node is None:
            raise AtlasError.at("empty-file", "file holds no document", Location(name, 1, 1))
        shared = "&" in text and bool(_ANCHOR_RE.search(text))
        if shared:
            _check_aliases(node, name)
        return _Converter(name, shared).convert(node)
    except RecursionError:
        raise too_deep(name) from None


def _yaml_error(exc: yaml.MarkedYAMLError, name: str, text: str = "") -> AtlasError:
    mark = exc.problem_mark or exc.context_mark
    if mark is not None and UNICODE_BREAKS.search(text):
        mark = EditorLines(text).fixed(mark)
    where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in str(exc):
        return AtlasError.at(
            "yaml-multiple-documents",
            "file holds more than one YAML document",
            where,
            "keep one document per file (remove the '---' separator)",
        )
    # libyaml's message does not show the character: look at it (a tab where indentation is read)
    at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
    hint = "indent with spaces, not tabs" if at_tab or "\t" in problem or "tab" in problem else None
    context = f"{exc.context}: " if exc.context else ""
    return AtlasError.at("yaml-syntax", f"{context}{problem}", where, hint)


def check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml's recursive composer sees it.

    A cheap bound comes first: block nesting needs indentation, flow nesting needs brackets. Only
    when that bound is too high does an exact (slower) pass over the parser's events run.
    """
    brackets = text.count("[") + text.count("{")
    if brackets < MAX_DEPTH // 2 and not _DEEP_FIRST.match(text) and not _deep_line(text):
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_YAML_LOADER_BASE):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise too_deep(name, event.start_mark.line + 1 if event.start_mark else 0)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        raise _yaml_error(exc, name, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, name, text) from None


def _deep_line(text: str) -> bool:
    """Whether a line of ``text`` starts with enough indentation to nest too deeply."""
    if _DEEP_LINE.search(text):
        return True
    return any(b in text for b in _OTHER_BREAKS) and bool(_DEEP_LINE_OTHER_BREAK.search(text))


def _reader_error(exc: yaml.reader.ReaderError, name: str, text: str) -> AtlasError:
    """A character YAML does not allow (a C0/C1 control character), at its line and column."""
    position = max(0, min(int(exc.position), len(text)))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(int(exc.character))
    return AtlasError.at(
        "yaml-control-character",
        f"YAML does not allow the control character U+{ord(character):04X}",
        Location(name, line, col),
        f"remove it, or write it as an escape (\\u{ord(character):04x}) in a double-quoted string",
    )


def _check_aliases(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs and recursive aliases by counting the nodes the document expands to."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                raise AtlasError.at(
                    "yaml-alias-bomb",
                    f"aliases expand this document to more than {MAX_EXPANDED_NODES:,} nodes",
                    _mark(node, name),
                    "an alias bomb ('billion laughs')? write the data out, or use $ref",
                )
            continue
        if key in sizes:
            continue
        if key in active:
            raise AtlasError.at(
                "yaml-recursive-alias",
                "an alias refers to a node that contains it",
                _mark(node, name),
                "recursive data cannot become JSON; use a $ref to a schema instead",
            )
        active.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def written_version(text: str, name: str) -> tuple[str, Location]:
    """The version exactly as written and where (JSON text is YAML too, so one composer serves both)."""
    try:
        tree = compose_yaml(text, name)
    except AtlasError:
        return "?", Location(name)
    for part in ("info", "version"):
        found = None
        if isinstance(tree, yaml.MappingNode):
            found = next((v for k, v in tree.value if getattr(k, "value", None) == part), None)
        if found is None:
            return "?", Location(name)
        tree = found
    if tree is None:
        return "?", Location(name)
    return str(tree.value), _mark(tree, name)


def child_at(node: yaml.Node, segment: str) -> tuple[yaml.Mark, yaml.Node] | None:
    """The key mark and value node of ``segment`` (a mapping key or a sequence index) under ``node``."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and _key_matches(key, segment):
                return key.start_mark, value
        for key, value in node.value:  # '<<' merges: look inside the merged mappings
            if key.tag == "tag:yaml.org,2002:merge":
                for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                    found = child_at(source, segment)
                    if found:
                        return found
        return None
    if isinstance(node, yaml.SequenceNode) and segment.isdigit() and int(segment) < len(node.value):
        child = node.value[int(segment)]
        return child.start_mark, child
    return None


def _key_matches(key: yaml.ScalarNode, segment: str) -> bool:
    text = str(key.value)
    if text == segment:
        return True
    if key.tag == "tag:yaml.org,2002:null":
        return segment == "null"
    return key.tag == "tag:yaml.org,2002:bool" and text.lower() == segment
