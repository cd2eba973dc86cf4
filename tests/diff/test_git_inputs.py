"""``diff git:REF``: a tree holding links that leave it, errors named ``git:REF:PATH``, archives streamed.

Before this test: any symlink leaving the tree gave "internal error: AbsoluteLinkError", an error in the git
side named the temporary copy (/tmp/atlas-diff-xxxx/spec/openapi.yaml), and the archive was held in memory
whole (a 150 MB file beside the spec: MemoryError under a 250 MB address-space limit).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.robustness.cliutil import assert_no_crash
from tests.support import cli

GIT = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
SPEC = 'openapi: 3.1.0\ninfo:\n  title: T\n  version: "1.0"\npaths: {}\n'


def project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text('[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n', encoding="utf-8")
    (tmp_path / "spec").mkdir()
    for name, text in files.items():
        (tmp_path / "spec" / name).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    return tmp_path


def commit(root: Path) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "c"], cwd=root, check=True)


def test_links_leaving_the_tree_are_left_out(tmp_path: Path) -> None:
    root = project(tmp_path, {"openapi.yaml": SPEC})
    (root / "spec" / "absolute").symlink_to("/etc/passwd")
    (root / "spec" / "upward").symlink_to("../../outside")
    commit(root)
    result = cli("diff", "git:main", cwd=root)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr


def test_a_ref_through_a_leaving_link_is_an_error_at_its_line(tmp_path: Path) -> None:
    text = SPEC.replace("paths: {}\n", "paths: {}\ncomponents:\n  schemas:\n    S: {$ref: './leak.yaml'}\n")
    root = project(tmp_path, {"openapi.yaml": text})
    (root / "spec" / "leak.yaml").symlink_to("/etc/hostname")
    commit(root)
    result = cli("diff", "git:main", cwd=root)
    assert_no_crash(result)
    assert result.returncode == 2
    assert "git:main:spec/openapi.yaml:8:" in result.stderr, result.stderr
    assert "atlas-diff-" not in result.stderr


def test_an_error_in_the_git_side_names_git_ref_path(tmp_path: Path) -> None:
    root = project(tmp_path, {"openapi.yaml": SPEC.replace("paths: {}\n", "paths: {\n")})
    commit(root)
    (root / "spec" / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    result = cli("diff", "git:main", cwd=root)
    assert_no_crash(result)
    assert result.returncode == 2
    assert result.stderr.startswith("git:main:spec/openapi.yaml:6:1: error [yaml-syntax]"), result.stderr
    assert "atlas-diff-" not in result.stderr


def test_the_archive_is_streamed_not_held_in_memory(tmp_path: Path) -> None:
    root = project(tmp_path, {"openapi.yaml": SPEC})
    with open(root / "spec" / "video.bin", "wb") as big:
        big.truncate(150 * 1024 * 1024)  # beside the spec, so archived with it
    commit(root)
    result = cli("diff", "git:main", cwd=root, memory_mb=250)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr


def test_a_missing_object_is_reported_in_gits_words(tmp_path: Path) -> None:
    """A clone that lacks a blob (lob/lob-openapi in a snapshot without its 4 MB docs/index.html): git archive
    stops half-way; the error names the object and file instead of "unreadable archive: unexpected end of data"."""
    text = SPEC.replace("paths: {}\n", "paths: {}\ncomponents:\n  schemas:\n    S: {$ref: './big.yaml'}\n")
    root = project(tmp_path, {"openapi.yaml": text, "big.yaml": "type: string\n" + "#" * 100_000})
    commit(root)
    _drop_blob(root, "spec/big.yaml")
    result = cli("diff", "git:main", cwd=root)
    assert_no_crash(result)
    assert result.returncode == 2
    assert "invalid object" in result.stderr and "spec/big.yaml" in result.stderr, result.stderr


def test_files_the_spec_does_not_reach_are_not_read(tmp_path: Path) -> None:
    """Only the files the root reaches come out of git: a spec at the repository's top level unpacked the whole
    repository (here a file beside it whose blob is missing made the diff fail)."""
    (tmp_path / "openapi.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "unrelated.bin").write_text("x" * 100_000, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    commit(tmp_path)
    _drop_blob(tmp_path, "unrelated.bin")
    result = cli("diff", "git:main:openapi.yaml", "openapi.yaml", cwd=tmp_path)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr


def _drop_blob(root: Path, path: str) -> None:
    blob = subprocess.run(["git", "rev-parse", f"HEAD:{path}"], cwd=root, capture_output=True, text=True, check=True)
    (root / ".git" / "objects" / blob.stdout[:2] / blob.stdout.strip()[2:]).unlink()
