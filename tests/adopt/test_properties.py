"""Properties of split's file names and of the YAML writer, over generated input."""

from __future__ import annotations

import re
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.bundle.split import file_stem, path_stem, split_document
from generators.core.jsonout import dump_json_bytes
from generators.core.yamlout import dump_yaml
from generators.source.yaml_loader import load_yaml_text

SAFE = re.compile(r"[A-Za-z0-9._{}@-]+")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_every_name_becomes_a_safe_short_file_stem(name: str) -> None:
    for stem in (file_stem(name), path_stem(name)):
        assert SAFE.fullmatch(stem) and not stem.startswith(".") and len(stem) <= 80
        assert stem.split(".")[0].lower() not in RESERVED


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="aAbB./\x00é~%", max_size=6), max_size=40, unique=True))
def test_split_file_names_in_one_folder_never_collide_without_case(names: list[str]) -> None:
    document = {
        "openapi": "3.1.0",
        "paths": {"/" + name: {"get": {"responses": {}}} for name in names},
        "components": {"schemas": {name: {"type": "object"} for name in names}},
    }
    files = split_document(document, dump_json_bytes, ".json").files
    for folder in ("paths/", "components/schemas/"):
        taken = [path.removeprefix(folder) for path in files if path.startswith(folder)]
        assert len(taken) == len(names)
        assert len({t.lower() for t in taken}) == len(taken) and all("/" not in t for t in taken)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_yaml_output_reads_back_the_same_in_yaml_1_1_and_1_2(document: Any) -> None:
    text = dump_yaml({"root": document})
    assert load_yaml_text(text, "g.yaml") == {"root": document}
    assert yaml.safe_load(text) == {"root": document}
