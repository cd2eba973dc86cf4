"""The limits every source file is held to, in one place: size, nesting, and the error for nesting too deep."""

from __future__ import annotations

from generators.core.diagnostics import AtlasError, Location
from generators.core.files import MAX_READ_BYTES

MAX_DEPTH = 256
MAX_FILE_BYTES = MAX_READ_BYTES  # the largest source file read (core/files.py says why)
# Python turns integers into decimal text (and back) up to 4,300 digits: a longer one, read from hex or from
# JSON, could never be written out, so the loaders refuse it where it stands.
MAX_INT_DIGITS = 4_300


def int_too_long(value: int) -> bool:
    """True when ``value`` may have more decimal digits than ``MAX_INT_DIGITS`` (judged without converting it:
    3.32 bits a digit, a little under log2(10), so anything let through can be written)."""
    return value.bit_length() > MAX_INT_DIGITS * 3.32


def too_deep(name: str, line: int = 0, col: int = 1) -> AtlasError:
    """The error for a document nested deeper than ``MAX_DEPTH``, at ``line`` (and ``col``) of ``name`` when known."""
    return AtlasError.at(
        "nesting-too-deep",
        f"nesting is deeper than {MAX_DEPTH} levels",
        Location(name, line, col if line else 0),
        "no OpenAPI document needs this; is the file generated wrongly?",
    )


# Schema Objects nested one inside another (through $refs: allOf of a schema whose allOf ...) beyond this are
# refused where the limit is passed: the structural check recurses once a level (the library several times).
MAX_SCHEMA_NESTING = 1_000
