"""`bundle --format yaml`: deterministic YAML that YAML 1.1 and 1.2 readers read back as the same data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generators.core.yamlout import dump_yaml
from generators.source.yaml_loader import load_yaml_text
from tests.support import cli, make_tree

# Strings a plain scalar would turn into another type in YAML 1.1 or 1.2, and text YAML finds awkward.
TRICKY = [
    "yes", "y", "N", "on", "Off", "0o17", "1e3", "1.10", "0777", "0x1F", "+1", "-.5", "1_000", "0b101", "1:20",
    "190:20:30.15", ".inf", ".NaN", "2024-01-01", "2024-01-01 10:00:00Z", "null", "~", "", "<<", "=",
    " lead", "trail ", "#c", "- x", "a: b", "{x}", "[x]", "'q", '"d', "@x", "`x", "%x", "!x", "&x", "*x", "|x",
    ">x", "?", "? x", "x #y", "é ünicode", "nul\x00", "tab\there", "a\nb\n", "a \nb", "\ttab\nx", "\n lead",
    "ends\n\n\n", "no end\nx", "line\u2028sep", "\ufeffbom", "1.0", "TRUE",
]  # fmt: skip


def test_every_tricky_string_reads_back_as_the_same_string_in_yaml_1_1_and_1_2() -> None:
    document = {"strings": TRICKY, "keys": {s: s for s in TRICKY if s}, "200": {"yes": True}}
    text = dump_yaml(document)
    assert load_yaml_text(text, "out.yaml") == document  # the 1.2 core schema (this tool, Redocly)
    assert yaml.safe_load(text) == document  # PyYAML's 1.1 resolver
    assert dump_yaml(json.loads(json.dumps(document))) == text  # deterministic


def test_numbers_and_literals_keep_their_type() -> None:
    document = {"n": [0, -1, 2**60, 1.5, 1e20, -0.0, 3.0, True, False, None]}
    text = dump_yaml(document)
    assert "1.0e+20" in text  # 1e+20 would be a string to a YAML 1.1 reader
    assert load_yaml_text(text, "out.yaml") == document
    assert yaml.safe_load(text) == document
    with pytest.raises(ValueError):
        dump_yaml({"x": float("nan")})


def test_multiline_text_is_a_literal_block() -> None:
    text = dump_yaml({"description": "First line.\n\nSecond line.\n"})
    assert text == "description: |\n  First line.\n\n  Second line.\n"


def test_bundle_format_yaml_round_trips(tmp_path: Path) -> None:
    make_tree(
        tmp_path,
        {
            "spec/openapi.yaml": """\
                openapi: 3.1.0
                info: {title: T, version: '1.10'}
                paths:
                  /x:
                    get:
                      description: "on"
                      responses:
                        '200': {$ref: './ok.yaml'}
                """,
            "spec/ok.yaml": "description: 'yes'\n",
        },
    )
    as_json = cli("bundle", cwd=tmp_path)
    as_yaml = cli("bundle", "--format", "yaml", cwd=tmp_path)
    assert as_yaml.returncode == 0, as_yaml.stderr
    assert load_yaml_text(as_yaml.stdout, "b.yaml") == json.loads(as_json.stdout)
    assert "version: '1.10'" in as_yaml.stdout and "description: 'on'" in as_yaml.stdout
    written = cli("bundle", "-o", "out/api.yml", cwd=tmp_path)  # the suffix picks YAML
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "out" / "api.yml").read_text(encoding="utf-8") == as_yaml.stdout
