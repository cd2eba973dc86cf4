"""Deterministic YAML output that YAML 1.1 and YAML 1.2 readers both read back as the same data.

A string that a plain scalar would turn into something else is quoted: ``yes``/``on``/``y`` (booleans in
YAML 1.1), ``0o17`` and ``1e3`` (numbers in YAML 1.2), ``0777``, ``1.10``, ``1:20``, ``2024-01-01``,
``null``, ``~``, ``<<``, ``=``. Multi-line text is a literal block where YAML allows one. Author key order,
2-space indent, UTF-8 characters as they are, no line folding, trailing newline.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from generators.core.jsonout import BigInt, dump_json_bytes

_DUMPER_BASE: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR = "tag:yaml.org,2002:str"

# Plain scalars that some reader takes for another type than text: the union of the implicit types of
# YAML 1.1 (PyYAML, many CI tools) and of the YAML 1.2 core schema (Redocly, this tool's loader).
_NOT_TEXT = re.compile(
    r"""^(?:
      ~|null|Null|NULL|
      y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|
      [-+]?(?:0b[0-1_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*)|
      [-+]?(?:\.[0-9_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|
      [-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|
      [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|
      [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}
        (?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?|
      <<|=
    )$""",
    re.VERBOSE,
)
# A literal block cannot hold these (they would be escaped in a quoted scalar instead).
_NO_BLOCK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]|[ \t]\n|[ \t]$")


class _Dumper(_DUMPER_BASE):  # type: ignore[misc]
    """SafeDumper whose strings are quoted whenever a YAML 1.1 or 1.2 reader would take them for another type."""


def _text(dumper: Any, value: str) -> Any:
    if _NOT_TEXT.match(value):
        return dumper.represent_scalar(_STR, value, style="'")
    if "\n" in value and not _NO_BLOCK.search(value):
        return dumper.represent_scalar(_STR, value, style="|")
    return dumper.represent_scalar(_STR, value)


def _number(dumper: Any, value: float) -> Any:
    if not math.isfinite(value):
        raise ValueError("YAML output cannot hold inf or nan")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:  # 1e+20 reads as a string in YAML 1.1: write 1.0e+20
        text = f"{mantissa}.0e{exponent}"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(float, _number)
_Dumper.add_representer(BigInt, yaml.SafeDumper.represent_int)  # an integer beyond 64 bits, as the loaders mark it


def dump_yaml(document: Any) -> str:
    """``document`` (JSON-shaped data) as YAML text; the same data always gives the same text."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=2**31 - 1,
        indent=2,
    )


def dump_yaml_bytes(document: Any) -> bytes:
    """``dump_yaml(document)`` as UTF-8."""
    return dump_yaml(document).encode("utf-8")


def document_bytes(document: Any, fmt: str) -> bytes:
    """The file's bytes: YAML for ``yaml`` or ``yml``, else JSON (``dump_json_bytes``)."""
    return dump_yaml_bytes(document) if fmt in ("yaml", "yml") else dump_json_bytes(document)
