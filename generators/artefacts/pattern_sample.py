"""A short string a spec ``pattern`` matches, for sample values (``^[A-Z]{3}-\\d{2}$`` -> ``AAA-00``).

A sample body whose ``code`` breaks its ``pattern`` is refused by any server that validates requests (a Prism
mock among them). The pattern is read as ECMA-262 (``core.ecma_regex`` translates it), its translation parsed with
Python's own regex parser, and a string built from the tree: literals as written; a class's first member among
letters, digits and common punctuation; an alternation's first branch; each repeat its least count, but at least
one where one is allowed; a back-reference as its group's text. The string is kept only when the pattern, run
under its time budget, matches it and it fits the length bounds; otherwise (a lookaround it does not satisfy, a
Unicode property Python cannot parse, a class of exotic characters) there is no sample and the caller keeps its
plain one.
"""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

from generators.core.ecma_regex import PatternError, compile_pattern, translate

# Python's regex parser (``re._parser``, with its opcodes): no stubs declare these modules
sre: Any = importlib.import_module("re._constants")
sre_parse: Any = importlib.import_module("re._parser")
_ESCAPE = re.compile(r"\\([pP])\{[^}]*\}|\\.", re.DOTALL)
_PROPERTY_CANDIDATES = "aA0 -_.:/@!\u00e9\u4e00\u0660\u0301\u2028\u00a0\u2160"
# Python's engine runs a pattern (no time budget there) only when it has no nested repeat and at most
# _MAX_CHOICES places to choose (see _tame), on a text of at most _SHORT_TEXT characters (any text when it has
# none): at worst 65 x 65 ways at each of 65 starts, ~300,000 steps (milliseconds)
_SHORT_TEXT = 64
_MAX_CHOICES = 2
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
MAX_SAMPLE = 256  # a longer sample is no use in a request body; and a hostile {1000000} builds nothing
_PREFERRED = "aA0b1 -_.:/@"  # tried first in a class: samples read like text, not control characters
_CATEGORY = {
    sre.CATEGORY_DIGIT: "0",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_WORD: "a",
    sre.CATEGORY_NOT_WORD: "-",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "a",
    sre.CATEGORY_LINEBREAK: "\n",
    sre.CATEGORY_NOT_LINEBREAK: "a",
}


class _TooLong(Exception):
    pass


def pattern_sample(pattern: str, min_length: int | None = None, max_length: int | None = None) -> str | None:
    """A string ``pattern`` matches, within the length bounds; None when none is found (see above)."""
    low = min_length if isinstance(min_length, int) else 0
    high = max_length if isinstance(max_length, int) else MAX_SAMPLE
    # each repeat once, then each its least, then each more often until the sample is long enough
    for per_repeat in (1, 0, *range(2, min(low, MAX_SAMPLE) + 1)):
        text = _built(pattern, per_repeat)
        if text is None:
            return None
        if low <= len(text) <= high and matches(pattern, text, judged=True):
            return text
        if per_repeat > 1 and len(text) > high:
            break  # growing only makes it longer
    return None


@functools.lru_cache(maxsize=4096)
def _built(pattern: str, per_repeat: int) -> str | None:
    try:
        tree = sre_parse.parse(_without_properties(translate(pattern)))
        return _Builder(per_repeat).sequence(tree)
    except (PatternError, re.error, RecursionError, OverflowError, ValueError, _TooLong):
        return None


def _without_properties(translated: str) -> str:
    """``translated`` with each Unicode property escape (``\\p{L}``, ``\\P{N}``: syntax Python's parser lacks) as
    one character that has the property (or lacks it): a letter for ``\\p{L}``, a digit for ``\\p{N}``."""
    return _ESCAPE.sub(_property_member, translated) if "\\p{" in translated or "\\P{" in translated else translated


def _property_member(escape: re.Match[str]) -> str:
    if escape.group(1) is None:
        return escape.group(0)  # any other escape, kept as written (``\\\\p{L}`` is a backslash, then text)
    import regex  # the engine knows the properties

    test = regex.compile(escape.group(0))
    for char in _PROPERTY_CANDIDATES:
        if test.fullmatch(char):
            return re.escape(char)
    raise ValueError(f"no sample character for {escape.group(0)}")


def matches(pattern: str, text: str, judged: bool = False) -> bool:
    """Whether ``pattern`` (ECMA-262) finds a match in ``text``: by Python's own engine when that is safe
    (``_tame``, ``_SHORT_TEXT``), else by the regex engine under its time budget (22 ms to import). An invalid
    pattern, or a search that ran out of time, matches, unless ``judged`` (a sample is being judged: then
    neither does)."""
    plain = _plain(pattern)
    if plain is not None and (len(text) <= _SHORT_TEXT or not plain[1]):
        return plain[0].search(text) is not None
    try:
        spec_pattern = compile_pattern(pattern)
    except PatternError:
        return not judged
    found = spec_pattern.search(text)
    return found and not (judged and spec_pattern.gave_up)


@functools.lru_cache(maxsize=4096)
def _plain(pattern: str) -> tuple[re.Pattern[str], int] | None:
    """``pattern`` compiled by Python's engine, with its count of choices, when that is safe (see ``matches``)."""
    try:
        translated = translate(pattern)
        if "\\p{" in translated or "\\P{" in translated:
            return None  # Python has no Unicode properties
        choices = [0]
        if not _tame(list(sre_parse.parse(translated)), False, choices):
            return None
        return re.compile(translated), choices[0]
    except (PatternError, re.error, RecursionError, OverflowError, ValueError):
        return None


def _tame(items: list[tuple[Any, Any]], under_repeat: bool, choices: list[int]) -> bool:
    """No nested repeat, no alternative, back-reference or lookaround under a repeat, and at most
    ``_MAX_CHOICES`` places where the engine must choose (an alternative; a repeat of variable count, unless the
    next item, or the end, tells where it stops: ``\\d+\\.``): the shapes that make a backtracking engine slow."""
    for index, (op, value) in enumerate(items):
        if op in _REPEATS:
            low, high, sub = value
            if high > 1 and under_repeat:
                return False
            if low != high and not _stops(list(sub), items[index + 1] if index + 1 < len(items) else None):
                choices[0] += 1
            if not _tame(list(sub), under_repeat or high > 1, choices):  # an optional part (?) repeats nothing
                return False
        elif op is sre.BRANCH:
            choices[0] += 1
            if under_repeat or not all(_tame(list(branch), False, choices) for branch in value[1]):
                return False
        elif op is sre.SUBPATTERN:
            if not _tame(list(value[3]), under_repeat, choices):
                return False
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if under_repeat or not _tame(list(value[1]), True, choices):
                return False
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS, sre.ATOMIC_GROUP):
            return False
        if choices[0] > _MAX_CHOICES:
            return False
    return True


def _stops(body: list[tuple[Any, Any]], after: tuple[Any, Any] | None) -> bool:
    """A repeat of ``body`` followed by ``after`` has one way to end: its body is one character of a set that the
    end of the text or the next character (one that must come) cannot share."""
    own = _char_set(body)
    if own is None or after is None:
        return False
    op, value = after
    if op is sre.AT:
        return bool(value is sre.AT_END_STRING)
    if op in _REPEATS and value[0] >= 1:
        op, value = (list(value[2]) or [(None, None)])[0] if len(value[2]) == 1 else (None, None)
    nxt = _char_set([(op, value)])
    return nxt is not None and not any(a <= d and c <= b for a, b in own for c, d in nxt)


def _char_set(body: list[tuple[Any, Any]]) -> list[tuple[int, int]] | None:
    """The code point ranges of a single literal or plain class (no negation, no category), else None."""
    if len(body) != 1:
        return None
    op, value = body[0]
    if op is sre.LITERAL:
        return [(value, value)]
    if op is not sre.IN:
        return None
    ranges = []
    for member, argument in value:
        if member is sre.LITERAL:
            ranges.append((argument, argument))
        elif member is sre.RANGE:
            ranges.append(argument)
        else:
            return None
    return ranges


class _Builder:
    def __init__(self, per_repeat: int) -> None:
        self.per_repeat = per_repeat  # how often each repeat runs, within its bounds (0: its least)
        self.groups: dict[int, str] = {}
        self.size = 0

    def sequence(self, items: Any) -> str:
        return "".join(self.item(op, value) for op, value in items)

    def item(self, op: Any, value: Any) -> str:
        text = self._item(op, value)
        self.size += len(text)
        if self.size > MAX_SAMPLE:
            raise _TooLong
        return text

    def _item(self, op: Any, value: Any) -> str:
        if op is sre.LITERAL:
            return chr(value)
        if op is sre.NOT_LITERAL:
            return next(c for c in _PREFERRED if ord(c) != value)
        if op is sre.ANY:
            return "a"
        if op is sre.IN:
            return _member(value)
        if op is sre.CATEGORY:
            return _CATEGORY.get(value, "a")
        if op is sre.BRANCH:
            return self.sequence(value[1][0])
        if op is sre.SUBPATTERN:
            group, _, _, items = value
            text = self.sequence(items)
            if group is not None:
                self.groups[group] = text
            return text
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, items = value
            count = max(low, min(high, self.per_repeat))
            if count > MAX_SAMPLE:
                raise _TooLong
            return "".join(self.sequence(items) for _ in range(count))
        if op is sre.GROUPREF:
            return self.groups.get(value, "")
        if op is sre.ATOMIC_GROUP:
            return self.sequence(value)
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            return ""  # anchors and lookarounds add nothing (the final match says whether they hold)
        raise ValueError(f"no sample for {op}")


def _member(items: list[tuple[Any, Any]]) -> str:
    """A character of the class ``items``: a preferred one when the class has it, else its first member."""
    negated = bool(items) and items[0][0] is sre.NEGATE
    members = items[1:] if negated else items
    for char in _PREFERRED:
        if _in_class(members, char) != negated:
            return char
    if negated:
        raise ValueError("no preferred character outside the class")
    op, value = members[0]
    if op is sre.LITERAL:
        return chr(value)
    if op is sre.RANGE:
        return chr(value[0])
    return _CATEGORY.get(value, "a")


def _in_class(items: list[tuple[Any, Any]], char: str) -> bool:
    code = ord(char)
    for op, value in items:
        if op is sre.LITERAL and value == code:
            return True
        if op is sre.RANGE and value[0] <= code <= value[1]:
            return True
        if op is sre.CATEGORY and _CATEGORY.get(value) == char:
            return True
    return False
