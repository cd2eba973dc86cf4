"""``jsonvalues.unique`` answers exactly as jsonschema's ``uniqueItems`` does (its quirks included), faster."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import _utils

from generators.core.jsonvalues import unique

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, 2, 0.0, 1.0, 2.5, float("nan"), 2**70]),
    st.sampled_from(["", "a", "1"]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2)
    ),
    max_leaves=6,
)


@settings(max_examples=3000, derandomize=True)
@given(st.lists(_VALUES, max_size=6))
def test_unique_is_jsonschemas_answer(items: list[Any]) -> None:
    assert unique(items) == bool(_utils.uniq(items))


def test_the_neighbour_quirk_is_kept() -> None:
    # jsonschema sorts [1] and [true] as equal but compares them as different: the second [1] goes unseen
    assert unique([[1], [True], [1]]) is True
    assert unique([{"$ref": "#/a"}, {"$ref": "#/b"}, {"$ref": "#/a"}]) is False
    assert unique([True, 1, 1.5]) is True
    assert unique([1, 1.0]) is False
