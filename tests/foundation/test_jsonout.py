"""The artefacts' JSON (orjson underneath) is byte for byte what the standard library writes."""

from __future__ import annotations

import json
import time
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generators.core.jsonout import dump_compact_ascii, dump_json, dump_json_bytes


def nested(levels: int) -> Any:
    value: Any = []
    for _ in range(levels - 1):
        value = [value]
    return value


SAMPLES: list[Any] = [
    {"small": [1e-5, -1e-7, 3.5e-300, 9.99e-5, 1e-4, 0.00012, 5e-324, {"x": 2e-9}], "z": 1e-6},
    [1e-05, "1e-05", "0.00001", {"0.00001": 1, "1e-7": 2.5e-7}],
    {"big": [10**30, -(2**63) - 1, 2**64 - 1, 2**64, 1e16, 1.5e300, -0.0]},
    {"text": '\x00\x1f\x7f\x80\u00e9\u2028\u2029\ufeff\U0001f600\U0010ffff</script>"\\&<>'},
    {"keys": {"é": 1, "\u2028": 2, "😀": 3, "": 4}},
    {1: "a", False: "b", None: "c", 1.5: "d"},
    nested(254),
    nested(300),  # deeper than orjson writes
    [{}, [], {"a": {}}, [[]]],
    1e-5,
    -2.5e-7,
    {"ids": ["6c81cd8e-b078", "1f62e-1f4a8", "a,1e-7,b", 'x":1e-7}', "[0.00001]"]},
]


def test_samples_match_the_standard_library() -> None:
    for sample in SAMPLES:
        expected = json.dumps(sample, indent=2, ensure_ascii=False) + "\n"
        assert dump_json_bytes(sample) == expected.encode("utf-8"), sample
        assert dump_json(sample) == expected
        assert dump_compact_ascii(sample) == json.dumps(sample, separators=(",", ":")), sample


def test_a_lone_surrogate_is_escaped_in_ascii_output() -> None:
    assert dump_compact_ascii({"s": "\ud800"}) == json.dumps({"s": "\ud800"}, separators=(",", ":"))


def test_many_float_lookalikes_on_one_line_cost_one_pass() -> None:
    # 400,000 "1e-5" in one string: each line holding such hints is searched once, not once per hint
    document = {"description": "1e-5 0.00001 " * 200_000, "n": 1e-5}
    started = time.process_time()
    assert dump_json_bytes(document) == (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()
    assert time.process_time() - started < 2.0  # a bound on a quadratic blow-up (minutes), not a target


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False)
    | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_matches_the_standard_library(value: Any) -> None:
    assert dump_json_bytes(value) == (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert dump_compact_ascii(value) == json.dumps(value, separators=(",", ":"))


def test_big_integers_from_the_loaders_need_no_search(monkeypatch: Any) -> None:
    """The loaders mark integers beyond 64 bits as they parse them: dumping never walks the document for them."""
    import generators.core.jsonout as jsonout
    from generators.core.yamlout import dump_yaml
    from generators.source.json_loader import load_json_text
    from generators.source.yaml_loader import load_yaml_text

    def no_walk(value: Any) -> Any:
        raise AssertionError("searched the whole document for big integers")

    monkeypatch.setattr(jsonout, "_big_integers_written", no_walk)
    big = 2**64 + 7
    loaded = [
        load_yaml_text(f"a: {big}\nb: [-{big}, 0x{big:x}, 0o{big:o}, 5]\n", "x.yaml"),
        load_json_text(f'{{"a": {big}, "b": [-{big}, {big}, {big}, 5]}}', "x.json"),
    ]
    for document in loaded:
        assert document == {"a": big, "b": [-big, big, big, 5]}
        assert dump_json_bytes(document) == (json.dumps(document, indent=2) + "\n").encode()
        assert dump_compact_ascii(document) == json.dumps(document, separators=(",", ":"))
        assert f"a: {big}\n" in dump_yaml(document)
