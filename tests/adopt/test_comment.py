"""The pull-request comment body: the marker, the report, and never more than GitHub accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators.diff import run_diff
from generators.diff.comment import LIMIT, MARKER, NOTE, comment_body
from generators.diff.render import render_report
from tests.conftest import REPO, node_package_file
from tests.support import make_tree


def test_a_short_report_is_the_whole_body_under_the_marker() -> None:
    assert comment_body("## API changes\n\nNo changes.\n") == MARKER + "\n## API changes\n\nNo changes.\n"


def test_a_long_report_is_cut_at_a_line_with_blocks_closed_and_a_note() -> None:
    report = (
        "## API changes\n\n<details><summary>Breaking</summary>\n\n```text\n"
        + "x" * 50
        + "\n" * 1
        + ("- a line of the report that goes on\n" * 4000)
    )
    body = comment_body(report, limit=10_000)
    assert len(body) <= 10_000 and body.startswith(MARKER + "\n") and body.endswith(NOTE)
    before_note = body[: -len(NOTE)]
    assert before_note.endswith("```\n</details>\n")
    kept = before_note[len(MARKER) + 1 : -len("```\n</details>\n")]
    assert report.startswith(kept) and kept.endswith("\n")  # cut at a line end


def test_nested_details_are_all_closed() -> None:
    report = "<details>\n<details>\n" + "line\n" * 5000
    body = comment_body(report, limit=2_000)
    assert body.count("<details>") == body.count("</details>") == 2 and len(body) <= 2_000


@pytest.mark.slow
def test_the_octokit_22_to_23_comment_fits_with_its_marker(tmp_path: Path) -> None:
    base = node_package_file("@octokit", "openapi-previous", "generated", "api.github.com.json")
    revision = node_package_file("@octokit", "openapi", "generated", "api.github.com.json")
    from generators.core.settings import load_settings

    report, _, _ = run_diff(str(base), str(revision), load_settings(tmp_path))
    markdown = render_report(report, "markdown")
    body = comment_body(markdown)
    assert MARKER in body and len(body) < LIMIT <= 65_000
    print(f"report {len(markdown)} characters, comment {len(body)}, cut: {NOTE in body}")


def test_the_module_prints_the_body_for_the_action(tmp_path: Path) -> None:
    report = make_tree(tmp_path, {"report.md": "## API changes\n"})
    result = subprocess.run(
        [sys.executable, "-m", "generators.diff.comment", str(report)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == MARKER + "\n## API changes\n"
    missing = subprocess.run(
        [sys.executable, "-m", "generators.diff.comment", str(tmp_path / "nope.md")],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
