"""Read one YAML or JSON source file into plain data, refusing what JSON cannot hold or YAML would misread.

JSON is parsed by ``generators.source.json_loader`` (orjson where that is exact); YAML by
``generators.source.yaml_loader`` (imported on the first YAML file), with the 1.2
core schema as Redocly's parser does: ``yes``/``on`` stay strings, dates stay strings exactly as written,
keys are always strings (``200:`` is ``"200"``). Positions are not recorded here: ``generators.source.locate``
finds them lazily, only when a finding needs one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generators.core.diagnostics import AtlasError, Location
from generators.core.files import NotRegularFile, TooLarge, read_file
from generators.source.json_loader import (
    NOT_PLAIN,
    DuplicateKey,
    RawFacts,
    duplicate_key_error,
    load_json_text,
    load_plain_json,
)
from generators.source.limits import MAX_FILE_BYTES

_BOM = "\ufeff"
_DATA_SUFFIXES = (".json", ".yaml", ".yml")


def load_file(path: Path) -> Any:
    """Parse ``path`` (YAML or JSON) into dicts, lists and scalars, or raise AtlasError naming file:line."""
    return load_bytes(read_source(path), str(path))


def load_referenced(raw: bytes, name: str) -> Any:
    """Parse a file a ``$ref`` names: YAML or JSON by its extension; any other file (a code sample, a Markdown
    description) is its text, line ends as ``\\n``, as Redocly reads it (parsed as YAML, it would be folded)."""
    if name.lower().endswith(_DATA_SUFFIXES):
        return load_bytes(raw, name)
    return decode(raw, name).replace("\r\n", "\n")


def read_source(path: str | Path) -> bytes:
    """The bytes of a source file (``core.files.read_file``); what is not a regular file or is too large to be a
    spec is refused, as an input error at the file."""
    try:
        return read_file(path, MAX_FILE_BYTES)
    except IsADirectoryError:
        raise _folder(path) from None
    except NotRegularFile:  # a FIFO or device would block or never end
        raise AtlasError.at("not-a-file", "is not a regular file", Location(str(path))) from None
    except TooLarge as exc:
        raise AtlasError.at(
            "file-too-large",
            f"file is {exc.size / 2**20:.0f} MiB; atlas-spec reads at most {MAX_FILE_BYTES // 2**20} MiB per file",
            Location(str(path)),
            "split the description into modular files joined by $ref",
        ) from None
    except OSError as exc:
        raise AtlasError.at("file-read", f"cannot read file: {exc.strerror}", Location(str(path))) from None


def _folder(path: str | Path) -> AtlasError:
    return AtlasError.at("ref-directory", "is a folder, not a file", Location(str(path)))


def load_bytes(raw: bytes, name: str, facts: Callable[[], RawFacts] | None = None) -> Any:
    """Parse the bytes of a source file called ``name``; ``facts`` as ``load_plain_json`` takes them."""
    is_yaml = name.endswith((".yaml", ".yml"))
    if not is_yaml:
        data = load_plain_json(raw, facts)
        if data is not NOT_PLAIN:
            _check_info_version(data, raw, name)
            return data
    text = decode(raw, name)
    if not text.strip():
        raise AtlasError.at("empty-file", "file is empty", Location(name, 1, 1), "a $ref target must hold a document")
    stripped = text.lstrip()
    try:
        data = load_json_text(text, name) if stripped[:1] in "{[" and not is_yaml else None
    except DuplicateKey as duplicate:
        raise duplicate_key_error(text, name, duplicate.key) from None
    if data is None:
        from generators.source.yaml_loader import load_yaml_text  # imported on the first YAML file only

        data = load_yaml_text(text, name)
    _check_info_version(data, text, name)
    return data


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text without a BOM; NUL bytes and invalid UTF-8 are refused with their line."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _line_col(raw, nul)
        raise AtlasError.at(
            "nul-byte",
            "file contains a NUL byte",
            Location(name, line, col),
            "source files must be UTF-8 text; is this a binary or UTF-16 file?",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise AtlasError.at(
            "invalid-utf8",
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
            Location(name, line, col),
            "save the file as UTF-8",
        ) from None
    return text[1:] if text.startswith(_BOM) else text


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _check_info_version(data: Any, text: str | bytes, name: str) -> None:
    """``info.version: 1.10`` would silently become 1.1: refuse any non-string version of a root document."""
    if not isinstance(data, dict) or "openapi" not in data:
        return
    info = data.get("info")
    if not isinstance(info, dict) or "version" not in info or isinstance(info["version"], str):
        return
    from generators.source.yaml_loader import written_version

    written, where = written_version(decode(text, name) if isinstance(text, bytes) else text, name)
    raise AtlasError.at(
        "info-version-not-string",
        f"info.version is the number {written}, not a string",
        where,
        f"quote it (version: '{written}'): unquoted, {written} is read as the number {info['version']!r}"
        if written != repr(info["version"])
        else f"quote it (version: '{written}')",
    )
