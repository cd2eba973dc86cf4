"""Output that fits a pull request: sources everywhere, bounded annotations and comments, escaped spec text."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generators.diff import diff_documents
from generators.diff.markdown import render_markdown
from generators.diff.render import FORMATS, MAX_ANNOTATIONS, render_github, render_text
from generators.diff.version import prepend_changelog
from tests.conftest import REPO, node_package_file
from tests.diff.builders import operation

TODAY = date(2025, 6, 1)
GITHUB = ("@octokit", "openapi", "generated", "api.github.com.json")
PREVIOUS = ("@octokit", "openapi-previous", "generated", "api.github.com.json")


def _cli(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run the diff; the CPU seconds it used (wall time on a shared 2-core machine measures the neighbours)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "generators", "diff", *args], cwd=REPO, capture_output=True, text=True, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return done, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@pytest.mark.external
@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["json", "github", "markdown"])
def test_octokit_22_to_23_fits_a_pull_request(fmt: str) -> None:
    previous, current = node_package_file(*PREVIOUS), node_package_file(*GITHUB)
    # as a workflow calls it: paths relative to the checkout
    done, seconds = _cli(str(previous.relative_to(REPO)), str(current.relative_to(REPO)), "--format", fmt)
    assert done.returncode == 1, done.stderr  # the gate fails: endpoints were removed
    assert "add to " in done.stderr and "  - rule: " in done.stderr
    if fmt == "json":
        changes = json.loads(done.stdout)["changes"]
        assert len(changes) > 3000 and all(c["source"] for c in changes)
    elif fmt == "github":
        lines = done.stdout.splitlines()
        assert len(lines) <= MAX_ANNOTATIONS and "not annotated" in lines[-1]
        sources = [line.split("title=")[0] for line in lines[:-1]]
        assert len(sources) == len(set(sources)), "one annotation per source line"
    else:
        assert len(done.stdout) < 65_000 and "<details>" in done.stdout and "are not shown here" in done.stdout
        assert f"{REPO}/" not in done.stdout.split("\n", 1)[0], "the title shows relative paths"
    assert seconds < 60, seconds  # a bound on a hang, not a target: bench/diff.py times it (about 1.1 s)


HOSTILE = "x\n::error::forged\x1b]8;;https://evil.example\x07 ![img](https://evil.example/p.png) `code` \u202e"


def _hostile_report() -> object:
    base = operation("/tasks")
    revision = operation("/tasks", summary=HOSTILE, **{"x-note": HOSTILE})
    revision["paths"]["/tasks"]["get"]["operationId"] = HOSTILE
    revision["paths"][f"/t{HOSTILE}"] = operation("/t")["paths"]["/t"]  # a path key is spec text too
    return diff_documents(base, revision, today=TODAY)


def test_text_report_cannot_forge_workflow_commands_or_terminal_sequences() -> None:
    text = render_text(_hostile_report())  # type: ignore[arg-type]
    assert all(not line.startswith("::") for line in text.splitlines())
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_markdown_report_and_changelog_neutralise_markdown() -> None:
    notes = render_markdown(_hostile_report(), title=False)  # type: ignore[arg-type]
    for text in (notes, prepend_changelog("", "2.0.0", notes)):
        assert "\x1b" not in text and "\n::error" not in text and "\u202e" not in text
        # outside code spans (where Markdown is literal) no image or link syntax survives
        prose = re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)
        assert "![img](" not in prose and "](https://evil" not in prose


def test_github_annotations_show_spec_controls_as_escapes() -> None:
    # an enum value or path key holding ESC, C1 or bidi controls reached the log raw (lint's annotations did not)
    base = operation("/tasks", summary=HOSTILE)
    base["paths"][f"/t{HOSTILE}\x9b"] = operation("/t")["paths"]["/t"]
    report = diff_documents(base, operation("/tasks"), today=TODAY)
    text = render_github(report)
    assert "[operation-removed]" in render_text(report)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", text), text
    assert all(line.startswith("::") for line in text.splitlines())
    assert "\\x1b]8;;https://evil.example\\x07" in text and "\\u202e" in text


def test_github_annotations_fold_beyond_the_cap() -> None:
    base = operation("/tasks")
    revision = operation("/tasks")
    for index in range(80):
        base["paths"][f"/p{index}"] = operation(f"/p{index}")["paths"][f"/p{index}"]
    report = diff_documents(base, revision, today=TODAY)
    changes = [
        c.__class__(**{**c.__dict__, "source": f"spec/openapi.yaml:{i + 1}:1"}) for i, c in enumerate(report.changes)
    ]
    report.changes = changes
    lines = render_github(report).splitlines()
    assert len(lines) == MAX_ANNOTATIONS
    assert "31 more change(s) on 31 more line(s) are not annotated" in lines[-1]


def test_annotations_are_one_per_source_line() -> None:
    base = operation("/tasks")
    for index in range(5):
        base["paths"][f"/p{index}"] = operation(f"/p{index}")["paths"][f"/p{index}"]
    report = diff_documents(base, operation("/tasks"), today=TODAY)
    report.changes = [c.__class__(**{**c.__dict__, "source": "spec/openapi.yaml:3:1"}) for c in report.changes]
    lines = render_github(report).splitlines()
    assert len(lines) == 2 and lines[0].startswith("::error file=spec/openapi.yaml,line=3,col=1,")
    assert lines[0].count("%0A") == 4  # five removals listed in one annotation


def test_markdown_cut_to_budget_says_what_was_cut() -> None:
    base = operation("/tasks")
    for index in range(300):
        base["paths"][f"/p{index}"] = operation(f"/p{index}")["paths"][f"/p{index}"]
    report = diff_documents(base, operation("/tasks"), today=TODAY)
    text = render_markdown(report, budget=5_000)
    assert len(text) < 5_000 and "more entries are not shown here" in text


def test_release_notes_are_whole_and_unfolded() -> None:
    base = operation("/tasks")
    for index in range(300):
        base["paths"][f"/p{index}"] = operation(f"/p{index}")["paths"][f"/p{index}"]
    report = diff_documents(base, operation("/tasks"), today=TODAY)
    notes = render_markdown(report, title=False, budget=None, fold=False)
    assert "<details>" not in notes and "not shown" not in notes
    assert notes.count("operation removed") == 300


def test_input_errors_come_out_in_the_chosen_format(tmp_path: Path) -> None:
    """A CI step reading the JSON, the annotations or the pull-request comment gets a document saying why the diff
    could not run, not an empty file; the words go to stderr as well."""
    from tests.support import cli

    base = tmp_path / "base.yaml"
    base.write_text("openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    runs = {fmt: cli("diff", str(base), str(broken), "--format", fmt, cwd=tmp_path) for fmt in FORMATS}
    assert {fmt: run.returncode for fmt, run in runs.items()} == dict.fromkeys(FORMATS, 2)
    assert all("yaml-syntax" in run.stderr and "Traceback" not in run.stderr for run in runs.values())
    data = json.loads(runs["json"].stdout)
    assert data["changes"] == [] and data["bump"] is None
    assert [(e["code"], e["source"]) for e in data["errors"]] == [("yaml-syntax", "broken.yaml:3:1")]
    assert re.fullmatch(
        r"::error file=broken\.yaml,line=3,col=1,title=api-diff%3A yaml-syntax::.+\n", runs["github"].stdout
    )
    assert "The diff could not run" in runs["markdown"].stdout and "`broken.yaml:3:1`" in runs["markdown"].stdout
    assert runs["text"].stdout == ""
    missing = cli("diff", str(base), str(tmp_path / "nope.yaml"), "--format", "json", cwd=tmp_path)
    assert missing.returncode == 2 and json.loads(missing.stdout)["errors"][0]["code"] == "diff-input"


def test_a_text_line_outside_any_operation_says_where_when_it_has_no_source_line() -> None:
    """BRP-API's diff between two git refs: 52 lines of 'info [other-change] example added: ...' named no schema
    (a git side has no source line); they now name the component, and a root-level change its JSON pointer."""
    base = operation("/tasks")
    base["components"] = {"schemas": {"Aanhef": {"type": "string"}}}
    base["x-tagGroups"] = [{"name": "All", "tags": ["a"]}]
    revision = json.loads(json.dumps(base))
    revision["components"]["schemas"]["Aanhef"]["example"] = "Hoogwelgeboren heer"
    revision["x-tagGroups"][0]["tags"].append("b")
    lines = render_text(diff_documents(base, revision, today=TODAY)).splitlines()
    assert 'info [other-change] #/components/schemas/Aanhef/example: example added: "Hoogwelgeboren heer"' in lines
    assert any(line.startswith("info [other-change] /x-tagGroups/0/tags/1: ") for line in lines), lines
