"""Source positions of JSON pointers: exact line and column, at a cost linear in the file, not in the findings."""

from __future__ import annotations

import json
import time
from pathlib import Path

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
    timings = {}
    for size_factor in (1, 2):
        members = 8_000 * size_factor
        path = tmp_path / f"api{size_factor}.json"
        path.write_text(one_line_spec(members, 1_000), encoding="utf-8")  # 8 MB, then 16 MB, one line
        late = [("paths", f"/p{i}", "get", "operationId") for i in range(members - findings, members)]
        index_only = seconds_to_locate(path, late[:1])
        all_findings = seconds_to_locate(path, late)
        # the findings add little to indexing the file once: each costs a constant (about 0.1 ms) where before
        # each searched back through the whole line (3,000 x ~8 MB: seconds); generous for a loaded machine
        assert all_findings < 4 * index_only + 0.75, (size_factor, index_only, all_findings)
        timings[size_factor] = all_findings
    # doubling the file with the findings fixed at most about doubles the time (a generous margin for noise)
    assert timings[2] < 3 * timings[1] + 0.2, timings
