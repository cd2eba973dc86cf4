"""Source positions of JSON pointers: exact line and column, at a cost linear in the file, not in the findings."""

from __future__ import annotations

import json
import time
from pathlib import Path

import orjson
import pytest

import generators.source.jsonpos as jsonpos
from generators.core.diagnostics import Location
from generators.source.locate import SourceLocator


def expected_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of ``offset`` counted the slow, obvious way."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def test_positions_are_exact_on_long_lines_and_across_blocks(tmp_path: Path) -> None:
    # a line longer than the indexing blocks, keys after it, and lines ending in CRLF
    long = "x" * 20_000
    text = (
        '{"info": {"title": "' + long + '", "version": "1"},\r\n'
        '  "paths": {"/a": {"get": {"summary": "' + long + '", "operationId": "a"}}},\r\n'
        '  "tail": [1, {"deep": "é' + long + '", "k": true}]}\r\n'
    )
    path = tmp_path / "api.json"
    path.write_bytes(text.encode("utf-8"))
    plain = text.replace("\r\n", "\n")
    locator = SourceLocator()
    for segments, needle in [
        (("info", "version"), '"version"'),
        (("paths", "/a", "get", "operationId"), '"operationId"'),
        (("tail", "1", "k"), '"k"'),
        (("tail", "0"), "1, {"),
        (("paths", "/a", "get", "missing"), '"get"'),  # the deepest existing ancestor
    ]:
        found = locator.locate(path, segments)
        assert (found.line, found.col) == expected_position(plain, plain.index(needle)), segments


def one_line_spec(members: int, padding: int) -> str:
    """A one-line JSON description with ``members`` paths, each carrying ``padding`` characters of text."""
    paths = {f"/p{i}": {"get": {"description": "d" * padding, "operationId": f"op{i}"}} for i in range(members)}
    return json.dumps({"openapi": "3.0.3", "paths": paths}, separators=(",", ":"))


def seconds_to_locate(path: Path, pointers: list[tuple[str, ...]]) -> float:
    locator = SourceLocator()
    started = time.process_time()
    for segments in pointers:
        locator.locate(path, segments)
    return time.process_time() - started


def test_locating_findings_in_a_one_line_file_is_linear(tmp_path: Path) -> None:
    """N findings in a one-line file of size S cost O(S + N log S), never O(N * S).

    Searching back from each finding to the start of its line (the 45 MB one-line Microsoft Graph beta took
    69 s for 28,000 findings) made thousands of findings cost thousands of file scans.
    """
    findings = 3_000
    cases = {}
    for size_factor in (1, 2):
        members = 8_000 * size_factor
        path = tmp_path / f"api{size_factor}.json"
        path.write_text(one_line_spec(members, 1_000), encoding="utf-8")  # 8 MB, then 16 MB, one line
        cases[size_factor] = (
            path,
            [("paths", f"/p{i}", "get", "operationId") for i in range(members - findings, members)],
        )
    failures = []
    for _ in range(3):  # a busy machine can slow one measurement; a quadratic locator fails every attempt
        timings = {}
        for size_factor, (path, late) in cases.items():
            index_only = seconds_to_locate(path, late[:1])
            timings[size_factor] = seconds_to_locate(path, late)
            # the findings add little to indexing the file once: each costs a constant (about 0.1 ms) where
            # before each searched back through the whole line (3,000 x ~8 MB: seconds)
            if timings[size_factor] >= 4 * index_only + 0.75:
                failures.append(("findings", size_factor, index_only, timings[size_factor]))
                break
        else:
            # doubling the file with the findings fixed at most about doubles the time
            if timings[2] < 3 * timings[1] + 0.2:
                return
            failures.append(("doubling", timings))
    raise AssertionError(failures)


def comb(depth: int, width: int) -> dict[str, object]:
    """A path ``depth`` levels deep, each level carrying ``width`` strings beside the way down."""
    node: dict[str, object] = {"leaf": 0}
    for level in range(depth):
        node = {"pad": ["x" * 200] * width, "next": node, "example": level}
    return {"openapi": "3.0.3", "paths": {"/a": {"get": {"x-deep": node}}}}


def counting_skips(monkeypatch: pytest.MonkeyPatch, containers_only: bool = False) -> list[int]:
    """A one-item list counting the characters the locator skips over with the decoder from now on (only
    in objects and arrays, with ``containers_only``)."""
    skipped = [0]
    real = jsonpos._SKIPPER

    class Counting:
        def raw_decode(self, text: str, start: int) -> tuple[object, int]:
            value, end = real.raw_decode(text, start)
            if not containers_only or text[start] in "{[":
                skipped[0] += end - start
            return value, end

    monkeypatch.setattr(jsonpos, "_SKIPPER", Counting())
    return skipped


def characters_skipped(path: Path, pointers: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> int:
    skipped = counting_skips(monkeypatch)
    locator = SourceLocator()
    for segments in pointers:
        locator.locate(path, segments)
    monkeypatch.undo()
    return skipped[0]


def test_findings_deep_down_cost_no_more_than_shallow_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A finding at every level of a deep path: the text below each level was skipped once per level above it
    (loket.nl, findings 15 to 22 levels down: size x depth); now the work stays within a few file lengths."""
    ratios = {}
    for depth in (10, 160):
        path = tmp_path / f"deep{depth}.json"
        text = json.dumps(comb(depth, 6_400 // depth), separators=(",", ":"))  # 1.3 MB at either depth
        path.write_text(text, encoding="utf-8")
        pointers = [["paths", "/a", "get", "x-deep", *["next"] * level, "example"] for level in range(depth)]
        ratios[depth] = characters_skipped(path, pointers, monkeypatch) / len(text)
    assert ratios[160] < 4, ratios  # was 82 file lengths (and 7.5 at depth 10)
    assert ratios[160] < 1.5 * ratios[10] + 0.5, ratios


def test_indexing_whole_or_level_by_level_finds_the_same_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = {"a": [1, {"b": "é\\"}, [], {}], "c": {"d": {"e": [True, None, -1.5e3]}}, "f": comb(3, 2)}
    text = json.dumps(document, indent=1).replace("\n", "\r\n").replace(": ", " :\t ")  # CRLF, spaced colons
    path = tmp_path / "api.json"
    path.write_bytes(text.encode("utf-8"))
    places = {}
    for mode, (budget, small) in {"level by level": (10**9, 0), "whole": (-1, 0)}.items():
        monkeypatch.setattr(jsonpos, "_BUDGET", budget)
        monkeypatch.setattr(jsonpos, "_SMALL", small)
        locator = SourceLocator()
        places[mode] = [locator.locate(path, segments) for segments in _pointers(document)]
    assert places["whole"] == places["level by level"]
    assert len({(p.line, p.col) for p in places["whole"]}) > 20


def _pointers(node: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, child in children:
        found += _pointers(child, (*prefix, str(key)))
    return found


def test_prepared_or_one_by_one_the_places_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"a": [1, {"b": "é\\"}, [], {}], "c": {"d": {"e": [True, None, -1.5e3]}}, "f": comb(3, 2)}
    text = json.dumps(document, indent=1).replace("\n", "\r\n").replace(": ", " :\t ")  # CRLF, spaced colons
    path = tmp_path / "api.json"
    path.write_bytes(text.encode("utf-8"))
    pointers = _pointers(document)
    pointers += [(*p, "missing", "deeper") for p in pointers[::3]] + [("a", "7"), ("c", "d", "e", "1", "x")]
    monkeypatch.setattr(jsonpos, "_BUDGET", 10**9)
    monkeypatch.setattr(jsonpos, "_SMALL", 0)
    expected = [SourceLocator().locate(path, segments) for segments in pointers]
    for first in (pointers, pointers[::2], pointers[5:9], []):  # all prepared; some; a few, then the rest lazily
        locator = SourceLocator()
        locator.prepare(path, first)
        found = [locator.locate(path, segments) for segments in pointers[: len(pointers) // 2]]
        locator.prepare(path, pointers[len(pointers) // 2 :])  # a second batch over a partly indexed file
        found += [locator.locate(path, segments) for segments in pointers[len(pointers) // 2 :]]
        assert found == expected


def test_prepared_findings_read_the_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prepared together, findings at every level of a deep path skip each character at most once (one by one,
    each level's text is skipped again for each level above it, up to the budget of a few file lengths)."""
    path = tmp_path / "deep.json"
    text = json.dumps(comb(160, 40), separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    pointers = [("paths", "/a", "get", "x-deep", *["next"] * level, "example") for level in range(160)]
    skipped = counting_skips(monkeypatch)
    locator = SourceLocator()
    locator.prepare(path, pointers)
    places = [locator.locate(path, segments) for segments in pointers]
    assert skipped[0] <= len(text)
    assert len({p.line for p in places}) == 1 and len({p.col for p in places}) == 160


def test_keys_and_columns_beyond_ascii_are_characters(tmp_path: Path) -> None:
    """The index reads bytes: keys written in UTF-8 or escaped, and columns after wide characters, are exact."""
    wide = "é中😀" * 700  # 2-, 3- and 4-byte characters: lines and keys straddle the indexing blocks
    document = {
        "ключ": {"中文": [wide, {"emoji😀": 1, "k": wide}], "plain": 2},
        "escaped\u00e9": {"x": wide, "y": "after"},
        wide[:50]: {"z": 3},
    }
    text = json.dumps(document, ensure_ascii=False, indent=None)  # one line
    text = text.replace('"escapedé"', '"escaped\\u00e9"')  # this key written as an escape
    path = tmp_path / "api.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a byte order mark
    needles = [
        (("ключ", "中文", "1", "emoji😀"), '"emoji😀"'),
        (("ключ", "中文", "1", "k"), '"k"'),
        (("ключ", "plain"), '"plain"'),
        (("escapedé", "y"), '"y"'),
        ((wide[:50], "z"), '"z"'),
    ]
    for prepared in (False, True):
        locator = SourceLocator()
        if prepared:
            locator.prepare(path, [segments for segments, _ in needles])
        for segments, needle in needles:
            found = locator.locate(path, segments)
            assert (found.line, found.col) == expected_position(text, text.index(needle)), segments
    pretty = json.dumps(document, ensure_ascii=False, indent=2)
    path.write_text(pretty, encoding="utf-8")
    found = SourceLocator().locate(path, ("ключ", "中文", "1", "k"))
    assert (found.line, found.col) == expected_position(pretty, pretty.index('"k"'))


def test_a_file_that_is_not_utf8_is_located_by_its_name_only(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_bytes(b'{"a": {"b": "\xff"}}')
    with pytest.raises(UnicodeDecodeError):
        jsonpos.JsonPositions(path)
    found = SourceLocator().locate(path, ("a", "b"))
    assert found == Location(str(path))


# ---------------------------------------------------------------- with the loader's parse at hand


def layouts(document: object) -> dict[str, str]:
    """The same document written as orjson writes it (indented, compact) and in layouts it does not write."""
    return {
        "orjson indented": orjson.dumps(document, option=orjson.OPT_INDENT_2).decode("utf-8"),
        "orjson compact": orjson.dumps(document).decode("utf-8"),
        "indent 1, CRLF": json.dumps(document, indent=1, ensure_ascii=False).replace("\n", "\r\n"),
        "indent 4": json.dumps(document, indent=4, ensure_ascii=False),
        "spaced compact": json.dumps(document, ensure_ascii=False),
        "ASCII escapes, indent 2": json.dumps(document, indent=2),
    }


def wide_document() -> dict[str, object]:
    return {
        "openapi": "3.1.0",
        "ключ": {"中文": ["é😀" * 300, {"emoji😀": 1, "k": [1.5, -2e-7, 1e21, None, True]}], "plain": 2},
        "paths": {f"/p{i}": {"get": {"x-deep": comb(4, 3), "e": [[], {}, [[{}]]]}} for i in range(40)},
        "tail": [1, {"deep": "x" * 5_000, "k": 'a\\b"c\u2028\x1f'}],
    }


@pytest.mark.parametrize("layout", list(layouts({})))
def test_with_the_parse_at_hand_the_places_are_the_same(tmp_path: Path, layout: str) -> None:
    """The parse speeds up skipping; it never changes a place: prepared or one by one, in any layout."""
    document = wide_document()
    path = tmp_path / "api.json"
    raw = layouts(document)[layout].encode("utf-8")
    path.write_bytes(raw)
    pointers = _pointers(document)
    pointers += [(*p, "missing") for p in pointers[::7]]
    expected = [SourceLocator().locate(path, segments) for segments in pointers]
    for prepared in (False, True):
        locator = SourceLocator()
        locator.remember(path, raw, json.loads(raw))
        if prepared:
            locator.prepare(path, pointers[::2])
        assert [locator.locate(path, segments) for segments in pointers] == expected, (layout, prepared)


def test_a_parse_that_differs_from_the_text_is_not_trusted(tmp_path: Path) -> None:
    """A parse changed since it was read (or of another text) is noticed where it differs: the text decides."""
    document = wide_document()
    raw = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    path = tmp_path / "api.json"
    path.write_bytes(raw)
    changed = json.loads(raw)
    changed["paths"]["/p3"]["get"]["e"].append("longer now")  # a skipped container grows...
    del changed["paths"]["/p7"]["get"]["x-deep"]  # ...another shrinks...
    changed["ключ"]["中文"][1]["k"][0] = 2.5  # ...and one keeps its length but not its text
    pointers = [p for p in _pointers(document) if p[:1] in (("paths",), ("ключ",), ("tail",))]
    expected = [SourceLocator().locate(path, segments) for segments in pointers]
    for prepared in (False, True):
        locator = SourceLocator()
        locator.remember(path, raw, changed)
        if prepared:
            locator.prepare(path, pointers)
        assert [locator.locate(path, segments) for segments in pointers] == expected


def test_a_file_in_orjsons_layout_is_skipped_without_the_decoder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the parse at hand, the decoder (which builds every value it skips) skips no container of a file
    laid out as orjson writes it; without it, it skips most of the file."""
    document = wide_document()
    for option in (orjson.OPT_INDENT_2, 0):
        raw = orjson.dumps(document, option=option)
        path = tmp_path / "api.json"
        path.write_bytes(raw)
        pointers = [("paths", f"/p{i}", "get", "e", "2") for i in range(0, 40, 3)] + [("tail", "1", "k")]
        for parse, most in ((None, True), (json.loads(raw), False)):
            skipped = counting_skips(monkeypatch, containers_only=True)
            locator = SourceLocator()
            if parse is not None:
                locator.remember(path, raw, parse)
            locator.prepare(path, pointers)
            for segments in pointers:
                locator.locate(path, segments)
            monkeypatch.undo()
            assert (skipped[0] > len(raw) / 2) if most else (skipped[0] == 0), (option, skipped[0], len(raw))


def test_bundling_a_json_root_hands_its_parse_to_the_locator(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generators.bundle.bundler import bundle_spec

    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **wide_document()}
    raw = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    root = tmp_path / "api.json"
    root.write_bytes(raw)
    bundled = bundle_spec(root)
    skipped = counting_skips(monkeypatch, containers_only=True)
    found = bundled.locate("/tail/1/k")
    text = raw.decode("utf-8")
    assert found is not None and (found.line, found.col) == expected_position(text, text.index('"k": "a'))
    assert skipped[0] == 0
