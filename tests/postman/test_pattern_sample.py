"""Samples of strings with a ``pattern`` match it (``generators/artefacts/pattern_sample.py``)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.artefacts.pattern_sample import MAX_SAMPLE, matches, pattern_sample
from generators.artefacts.samples import SampleBuilder
from generators.core.ecma_regex import search

# (pattern, the sample) as real descriptions write them
KNOWN = [
    (r"^[A-Z]{3}$", "AAA"),
    (r"^[A-Z]{3}-\d{2}$", "AAA-00"),
    (r"^cnt_[0-9A-HJKMNP-TV-Z]{26}$", "cnt_" + "A" * 26),
    (r"^[a-z]+:(read|write|use)$", "a:read"),
    (r"^\S+@\S+\.\S+$", "a@a.a"),
    (r"^(\+\d{1,3})?\s?\d{4,10}$", "+0 0000"),
    (r"^#?([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$", "#aaaaaa"),
    (r"^(?<year>\d{4})-\k<year>$", "0000-0000"),
    (r"^[\u4e00-\u9fff]+$", "\u4e00"),
    (r"^[^<>]*$", "a"),
    (r"^\d+(\.\d{1,2})?$", "0.0"),
    (r"^v\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", "v0.0.0-a"),
    # Unicode properties (Python's parser has no syntax for them): a character that has the property
    (r"^[\p{L}_][\p{L}\p{N}@$#_]+$", "aa"),
    (r"^\p{Lu}{2}$", "AA"),
    (r"^\P{N}$", "a"),
    (r"\\p{L}", "\\p{L}"),  # an escaped backslash, then text: no property
]


@pytest.mark.parametrize(("pattern", "sample"), KNOWN)
def test_a_sample_matches_its_pattern(pattern: str, sample: str) -> None:
    assert pattern_sample(pattern) == sample
    assert search(pattern, sample)


@pytest.mark.parametrize(
    ("pattern", "low", "high", "sample"),
    [
        (r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*$", 5, 8, "aa.aa.aa"),  # repeats grown until long enough
        (r"^.{3,}$", 5, None, "aaaaa"),
        (r"x*", None, 0, ""),  # each repeat at its least
        (r"^[A-Z]{3}$", 4, None, None),  # no string of the pattern is that long
    ],
)
def test_the_length_bounds_hold(pattern: str, low: int | None, high: int | None, sample: str | None) -> None:
    assert pattern_sample(pattern, low, high) == sample


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\p{Script=Greek}+$",  # no candidate character has the property
        r"^(?!abc)abc$",  # a lookahead the sample breaks
        r"a{100000}",  # would be too long
        "(" * 2000 + "a" + ")" * 2000,  # nested deeper than the parser goes
        r"[",  # not a pattern
        r"^(a|a)+$" + "b",  # the final match runs under its time budget
    ],
)
def test_no_sample_rather_than_a_wrong_or_costly_one(pattern: str) -> None:
    started = time.monotonic()
    found = pattern_sample(pattern)
    assert found is None or (len(found) <= MAX_SAMPLE and search(pattern, found))
    assert time.monotonic() - started < 10  # a generous bound: this is about never hanging, not speed


def test_a_string_schema_with_a_pattern_samples_a_match() -> None:
    builder = SampleBuilder({}, "request")
    assert builder.sample({"type": "string", "pattern": "^[A-Z]{3}$"}) == "AAA"
    # a format's sample that also matches is kept; one that does not gives way
    assert builder.sample({"type": "string", "format": "email", "pattern": "@"}) == "user@example.com"
    assert builder.sample({"type": "string", "format": "email", "pattern": "^[a-z]+$"}) == "a"
    # no sample found: the plain one stays (validate reports an invalid pattern)
    assert builder.sample({"type": "string", "pattern": r"^\p{Script=Greek}$"}) == "string"
    assert builder.sample({"type": "string", "pattern": "["}) == "string"


_ATOMS = st.sampled_from(["a", "b", "0", r"\.", "-", "[ab]", "[0-9]", r"\d", r"\s", r"\w", ".", "(?:a|b0)", "(a)"])
_QUANTIFIERS = st.sampled_from(["", "", "?", "*", "+", "{2}", "{1,3}", "*?"])
_PATTERNS = st.builds(
    lambda start, pieces, end: start + "".join(pieces) + end,
    st.sampled_from(["", "^"]),
    st.lists(st.builds(str.__add__, _ATOMS, _QUANTIFIERS), min_size=1, max_size=6),
    st.sampled_from(["", "$"]),
)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(pattern=_PATTERNS, text=st.text(alphabet="ab0.- \n", max_size=70))
def test_matching_a_sample_agrees_with_the_time_budgeted_engine(pattern: str, text: str) -> None:
    # Python's engine runs the patterns it can run fast; its answer is the regex engine's
    assert matches(pattern, text) == bool(search(pattern, text)), (pattern, text)


def test_a_pattern_with_many_choices_is_left_to_the_time_budgeted_engine() -> None:
    from generators.artefacts.pattern_sample import _plain

    assert _plain(r"^\d+\.\d+\.\d+$") is not None  # each repeat ends where the next character must come
    for slow in (r"^(a+)+$", r"^(a|a)+$", "a{0,30}" * 10 + "b", r"^[a-z]*[a-z]*[a-z]*[a-z]*!$", r"(a)\1"):
        assert _plain(slow) is None, slow
