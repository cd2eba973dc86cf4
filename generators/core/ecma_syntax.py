"""ECMA-262 pattern syntax: a spec ``pattern`` read as ``new RegExp(p)`` reads it, written in the ``regex``
package's syntax.

Unicode mode first, else the web-compatible reading of Annex B. Everything ECMA-262 refuses is a ``PatternError``
that says where and why. Translating needs no regex engine (the ``regex`` package, 22 ms to import, is loaded
only to read a ``\\p{...}`` property name); ``ecma_regex`` compiles and runs the translations.
"""

from __future__ import annotations

import functools
import re

_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
# what the regex package's escape() escapes (its _METACHARS, and white space): the engine is imported only to
# compile, 22 ms that a translation alone (a sample built for a pattern) does without
_METACHARS = frozenset("#$&()*+-.?[\\]^{|}~")
_CONTROL = {"f": "\\f", "n": "\\n", "r": "\\r", "t": "\\t", "v": "\\x0b"}
_WHITE = "\\t\\n\\x0b\\f\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _WHITE}
_ATOM_ESCAPES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": "[A-Za-z0-9_]",
    "W": "[^A-Za-z0-9_]",
    "s": f"[{_WHITE}]",
    "S": f"[^{_WHITE}]",
}
_HEX = frozenset("0123456789abcdefABCDEF")
_DOT = "[^\\n\\r\\u2028\\u2029]"
_ASSERTIONS = {"|": "|", "^": "^", "$": "\\Z"}  # $ is the end of input, not before a final newline as in Python


class PatternError(ValueError):
    """The text is not an ECMA-262 regular expression; the message says where and why."""


@functools.lru_cache(maxsize=16384)
def translate(source: str) -> str:
    """``source`` in the ``regex`` package's syntax; ``PatternError`` when it is not ECMA-262 (the engine may
    still refuse a translation: ``compile_pattern`` says)."""
    try:
        return _Translator(source, unicode=True).run()
    except PatternError as unicode_error:
        try:  # Annex B: what browsers accept without the u flag (\_, a lone ] or {)
            return _Translator(source, unicode=False).run()
        except PatternError:
            raise unicode_error from None


def _escape(c: str) -> str:
    """``regex.escape(c)`` for one character."""
    return "\\" + c if c in _METACHARS or c.isspace() else c


class _Translator:
    """ECMA-262 pattern text to ``regex`` syntax; raises ``PatternError`` on anything ECMA-262 refuses."""

    def __init__(self, source: str, unicode: bool) -> None:
        self.src = source
        self.u = unicode
        self.i = 0
        self.out: list[str] = []
        self.groups = _count_groups(source)
        self.names: set[str] = set()
        self.closers: list[bool] = []  # per open group: may a quantifier follow its ')'

    def fail(self, why: str) -> PatternError:
        return PatternError(f"{why} at position {self.i}")

    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.src[j] if j < len(self.src) else ""

    def run(self) -> str:
        depth = 0
        quantifiable = False
        while self.i < len(self.src):
            c = self.src[self.i]
            if c == "\\":
                quantifiable = self.escape()
                continue
            if c == "[":
                self.char_class()
                quantifiable = True
                continue
            if c == "(":
                quantifiable = False
                depth += 1
                self.group_open()
                continue
            if c == ")":
                if depth == 0:
                    raise self.fail("unmatched ')'")
                depth -= 1
                self.out.append(")")
                self.i += 1
                quantifiable = self.closers.pop()
                continue
            if c in "*+?" or (c == "{" and self.quantifier_braces() is not None):
                if not quantifiable:
                    raise self.fail("nothing to repeat")
                self.quantifier()
                quantifiable = False
                continue
            if c in "]{}" and self.u:
                raise self.fail(f"lone '{c}'")
            self.i += 1
            quantifiable = c not in _ASSERTIONS
            self.out.append(_ASSERTIONS.get(c) or (_DOT if c == "." else _escape(c)))
        if depth:
            raise self.fail("missing ')'")
        return "".join(self.out)

    def group_open(self) -> None:
        rest = self.src[self.i + 1 :]
        if not rest.startswith("?"):
            self.out.append("(")
            self.i += 1
            self.closers.append(True)
            return
        for opener, emitted, quantifiable in (
            ("?:", "(?:", True),
            ("?=", "(?=", not self.u),
            ("?!", "(?!", not self.u),
            ("?<=", "(?<=", False),
            ("?<!", "(?<!", False),
        ):
            if rest.startswith(opener):
                self.out.append(emitted)
                self.i += 1 + len(opener)
                self.closers.append(quantifiable)
                return
        if rest.startswith("?<"):
            end = rest.find(">")
            name = rest[2:end] if end > 2 else ""
            if not name.isidentifier() and not name.replace("$", "_").isidentifier():
                raise self.fail("invalid group name")
            if name in self.names:
                raise self.fail(f"duplicate group name '{name}'")
            self.names.add(name)
            self.out.append(f"(?P<{_group(name)}>")
            self.i += 1 + end + 1
            self.closers.append(True)
            return
        raise self.fail("invalid group")

    def quantifier_braces(self) -> tuple[int, int] | None:
        """The span of a ``{n}``, ``{n,}`` or ``{n,m}`` quantifier at the cursor, else None."""
        j = self.i + 1
        src = self.src
        start = j
        while j < len(src) and src[j].isdigit():
            j += 1
        if j == start:
            return None
        if j < len(src) and src[j] == ",":
            j += 1
            while j < len(src) and src[j].isdigit():
                j += 1
        if j < len(src) and src[j] == "}":
            return self.i, j + 1
        return None

    def quantifier(self) -> None:
        c = self.src[self.i]
        if c == "{":
            span = self.quantifier_braces()
            assert span is not None
            text = self.src[span[0] : span[1]]
            low, _, high = text[1:-1].partition(",")
            if high and int(low) > int(high):
                raise self.fail("numbers out of order in {} quantifier")
            self.out.append(text)
            self.i = span[1]
        else:
            self.out.append(c)
            self.i += 1
        if self.peek() == "?":
            self.out.append("?")
            self.i += 1
        if self.peek() in ("*", "+", "?") or (self.peek() == "{" and self.quantifier_braces() is not None):
            raise self.fail("nothing to repeat")

    def escape(self) -> bool:
        """Translate the escape at the cursor; True when it is an atom a quantifier may follow."""
        self.i += 1
        c = self.peek()
        if not c:
            raise self.fail("\\ at end of pattern")
        self.i += 1
        if c in _ATOM_ESCAPES:
            self.out.append(_ATOM_ESCAPES[c])
            return True
        if c in "bB":
            self.out.append("\\" + c)
            return False
        if c.isdigit() and c != "0":
            return self.backreference(c)
        if c == "k" and (self.u or self.names or "(?<" in self.src):
            if self.peek() != "<" or ">" not in self.src[self.i :]:
                raise self.fail("invalid named reference")
            end = self.src.index(">", self.i)
            name = self.src[self.i + 1 : end]
            if name not in re.findall(r"\(\?<([^>=!][^>]*)>", self.src):
                raise self.fail(f"unknown group name '{name}'")
            self.out.append(f"(?P={_group(name)})")
            self.i = end + 1
            return True
        self.out.append(self.character_escape(c, in_class=False))
        return True

    def backreference(self, first: str) -> bool:
        j = self.i
        while j < len(self.src) and self.src[j].isdigit():
            j += 1
        number = int(first + self.src[self.i : j])
        if number <= self.groups:
            self.out.append(f"(?:\\{number})")
            self.i = j
            return True
        if self.u:
            raise self.fail(f"reference to group {number}, which does not exist")
        self.out.append(self._legacy_octal(first))
        return True

    def _legacy_octal(self, first: str) -> str:
        if first in "89":
            return first
        digits = first
        while len(digits) < 3 and self.peek() in set("01234567") and self.peek():
            if int(digits + self.peek(), 8) > 0o377:
                break
            digits += self.peek()
            self.i += 1
        return f"\\x{int(digits, 8):02x}"

    def character_escape(self, c: str, in_class: bool) -> str:
        """An escape that stands for one character (or a property class); the cursor is past ``c``."""
        if c in _CONTROL:
            return _CONTROL[c]
        if c == "0" and not self.peek().isdigit():
            return "\\x00"
        if c == "0":
            if self.u:
                raise self.fail("invalid decimal escape")
            return self._legacy_octal("0")
        if c == "c":
            letter = self.peek()
            if letter.isascii() and letter.isalpha():
                self.i += 1
                return f"\\x{ord(letter) % 32:02x}"
            if self.u:
                raise self.fail("invalid control escape")
            return "\\\\"  # Annex B: a backslash, then 'c' as itself
        if c == "x":
            digits = self.src[self.i : self.i + 2]
            if len(digits) == 2 and set(digits) <= _HEX:
                self.i += 2
                return f"\\x{digits}"
            if self.u:
                raise self.fail("invalid \\x escape")
            return "x"
        if c == "u":
            return self.unicode_escape()
        if c in "pP" and self.peek() == "{" and not self.u:
            raise self.fail(f"\\{c}{{...}} needs the Unicode reading")  # never read a mistyped property as text
        if c in "pP" and self.u:
            if self.peek() != "{" or "}" not in self.src[self.i :]:
                raise self.fail(f"invalid \\{c} escape")
            end = self.src.index("}", self.i)
            name = self.src[self.i + 1 : end]
            if not name or not all(ch.isalnum() or ch in "_=" for ch in name) or name.count("=") > 1:
                raise self.fail("invalid property name")
            import regex  # only a property escape needs the engine to read its name

            try:
                regex.compile(f"\\p{{{name}}}")
            except regex.error:
                raise self.fail(f"unknown Unicode property '{name}'") from None
            self.i = end + 1
            return f"\\{c}{{{name}}}"
        if c in _SYNTAX or (c == "-" and in_class):
            return _escape(c) if c != "/" else "/"
        if self.u:
            raise self.fail(f"invalid escape '\\{c}'")
        return _escape(c)  # Annex B identity escape: \_ is _, \A is A

    def unicode_escape(self) -> str:
        src = self.src
        digits = src[self.i : self.i + 4]
        if len(digits) == 4 and set(digits) <= _HEX:
            self.i += 4
            return f"\\u{digits}"
        if self.u and self.peek() == "{" and "}" in src[self.i :]:
            end = src.index("}", self.i)
            digits = src[self.i + 1 : end]
            if digits and set(digits) <= _HEX and int(digits, 16) <= 0x10FFFF:
                self.i = end + 1
                return f"\\U{int(digits, 16):08x}"
        if self.u:
            raise self.fail("invalid \\u escape")
        return "u"

    def char_class(self) -> None:
        src = self.src
        self.i += 1
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        if self.peek() == "]":  # [] matches nothing, [^] any character
            self.i += 1
            self.out.append("(?s:.)" if negated else "(?!)")
            return
        parts: list[str] = []
        previous_single: str | None = None  # the last atom, when it is one character (a range may start there)
        while True:
            if self.i >= len(src):
                raise self.fail("missing ']'")
            c = src[self.i]
            if c == "]":
                self.i += 1
                break
            if c == "-" and parts and previous_single is not None and self.peek(1) not in ("]", ""):
                self.i += 1
                end, single = self.class_atom()
                if single is None:
                    if self.u:
                        raise self.fail("invalid character class range")
                    parts.append("\\-" + end)
                else:
                    if ord(_char_of(previous_single)) > ord(_char_of(single)):
                        raise self.fail("range out of order in character class")
                    parts.append("-" + end)
                previous_single = None
                continue
            atom, single = self.class_atom()
            parts.append(atom)
            previous_single = single
        self.out.append(("[^" if negated else "[") + "".join(parts) + "]")

    def class_atom(self) -> tuple[str, str | None]:
        """One member of a class as ``regex`` text, and the character it stands for (None for a class escape)."""
        c = self.src[self.i]
        self.i += 1
        if c != "\\":
            return _escape(c) if not c.isalnum() else c, c
        e = self.peek()
        if not e:
            raise self.fail("\\ at end of pattern")
        self.i += 1
        if e in _CLASS_ESCAPES:
            return _CLASS_ESCAPES[e], None
        if e in "DWS":
            return "\\" + e, None
        if e == "b":
            return "\\x08", "\b"
        if e.isdigit() and e != "0":
            if self.u:
                raise self.fail("invalid class escape")
            text = self._legacy_octal(e)
            return text, _char_of(text)
        if e == "c" and not self.u and (self.peek().isdigit() or self.peek() == "_"):
            digit = self.peek()
            self.i += 1
            return f"\\x{ord(digit) % 32:02x}", chr(ord(digit) % 32)
        text = self.character_escape(e, in_class=True)
        if text.startswith(("\\p", "\\P")):
            return text, None
        return text, _char_of(text)


def _char_of(text: str) -> str:
    """The character a translated single-character atom stands for."""
    if len(text) == 1:
        return text
    if text.startswith(("\\x", "\\u", "\\U")) and len(text) > 2:
        return chr(int(text[2:], 16))
    named = {"\\f": "\f", "\\n": "\n", "\\r": "\r", "\\t": "\t"}
    if text in named:
        return named[text]
    return text[-1]


def _count_groups(source: str) -> int:
    """Capturing groups in ``source`` (a backreference beyond this count is not one)."""
    count = 0
    i = 0
    in_class = False
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(" and (
            not source.startswith("(?", i) or (source.startswith("(?<", i) and source[i + 3 : i + 4] not in ("=", "!"))
        ):
            count += 1
        i += 1
    return count


def _group(name: str) -> str:
    """A ``regex`` group name for an ECMA-262 one (``$`` is allowed there, not here)."""
    return name.replace("$", "_S_")
