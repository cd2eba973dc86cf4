"""The json format writes exactly what ``json.dumps(rows, indent=2, ensure_ascii=False)`` writes."""

from __future__ import annotations

import json

import pytest

from generators.lint.output import json_rows

ROWS: list[list[dict[str, object]]] = [
    [],
    [{"code": "a", "line": 3, "column": None, "ratio": 0.5, "ok": True}],
    [
        {"message": 'quote " backslash \\ tab \t newline \n bell \x07', "file": "ünïcödé/ファイル.yaml"},
        {"message": "emoji \U0001f600 and a lone surrogate \ud800", "line": -1, "big": 2**70},
    ],
    [{}],  # an empty object
    [{"nested": {"a": [1, 2]}, "list": []}],  # not flat: json's own path
]


@pytest.mark.parametrize("rows", ROWS)
def test_json_rows_matches_json_dumps(rows: list[dict[str, object]]) -> None:
    assert json_rows(rows) == json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
