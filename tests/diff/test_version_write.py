"""``version --write`` edits only the version, byte for byte, and never writes through a link.

Before this test: a U+2028 in info.title put the new version inside the description (exit 0), an anchored
version lost its anchor, a block-scalar version swallowed the next line, CRLF files came back LF, a symlinked
CHANGELOG.md got its target's text copied into it and a new CHANGELOG.md was created with mode 0600.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generators.cli import cli
from generators.core.diagnostics import AtlasError
from generators.diff.version import rewrite_version

GIT = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]

SPEC = """\
openapi: 3.1.0
info:
  title: "Tasks\u2028for\u0085teams \U0001f600"
  description: Manage tasks.
  version: &v 1.4.2
  x-release: *v
paths:
  /tasks:
    get:
      operationId: listTasks
      responses:
        "200": {description: OK}
"""


def test_separators_before_the_version_cannot_shift_the_edit() -> None:
    assert rewrite_version(SPEC, "1.4.3", "openapi.yaml") == SPEC.replace("&v 1.4.2", "&v 1.4.3")


def test_a_byte_order_mark_and_crlf_are_kept() -> None:
    text = "\ufeff" + SPEC.replace("\n", "\r\n")
    assert rewrite_version(text, "2.0.0", "openapi.yaml") == text.replace("&v 1.4.2", "&v 2.0.0")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("version: '1.4.2'", "version: '2.0.0'"),
        ('version: "1.4.2"', 'version: "2.0.0"'),
        ("version: !!str 1.4.2", "version: !!str 2.0.0"),
        ("version: &release\n    1.4.2", "version: &release\n    2.0.0"),
    ],
)
def test_quotes_anchors_and_tags_stay_as_written(written: str, expected: str) -> None:
    text = f"openapi: 3.1.0\ninfo:\n  title: T\n  {written}\npaths: {{}}\n"
    assert rewrite_version(text, "2.0.0", "openapi.yaml") == text.replace(written, expected)


def test_a_json_root_keeps_its_layout() -> None:
    text = '{\r\n  "openapi": "3.1.0",\r\n  "info": {"title": "a\u2028b", "version": "1.4.2"},\r\n  "paths": {}}\r\n'
    assert rewrite_version(text, "1.5.0", "openapi.json") == text.replace('"1.4.2"', '"1.5.0"')


@pytest.mark.parametrize("style", ["|-", ">"])
def test_a_block_scalar_version_is_refused_with_a_hint(style: str) -> None:
    text = f"openapi: 3.1.0\ninfo:\n  title: T\n  version: {style}\n    1.4.2\n  description: d\npaths: {{}}\n"
    with pytest.raises(AtlasError) as caught:
        rewrite_version(text, "2.0.0", "openapi.yaml")
    rendered = str(caught.value)
    assert "[version-block-scalar]" in rendered and "openapi.yaml:4:" in rendered and "on one line" in rendered


def test_an_aliased_version_is_refused() -> None:
    text = "openapi: 3.1.0\nx-v: &v 1.4.2\ninfo:\n  title: T\n  version: *v\npaths: {}\n"
    with pytest.raises(AtlasError) as caught:
        rewrite_version(text, "2.0.0", "openapi.yaml")
    assert "[version-alias]" in str(caught.value)


# ------------------------------------------------------------------------------------------ writing


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "pyproject.toml").write_text('[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n')
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "openapi.yaml").write_bytes(SPEC.replace("\n", "\r\n").encode("utf-8"))
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    # a documentation edit: a patch bump
    root = tmp_path / "spec" / "openapi.yaml"
    root.write_bytes(root.read_bytes().replace(b"Manage tasks.", b"Manage the tasks."))
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    yield tmp_path
    os.umask(old)


def write_version() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["version", "--base", "git:main", "--write"])
    return result.exit_code, result.output


def test_write_keeps_crlf_anchors_and_separators(project: Path) -> None:
    root = project / "spec" / "openapi.yaml"
    before = root.read_bytes()
    code, output = write_version()
    assert code == 0, output
    assert root.read_bytes() == before.replace(b"&v 1.4.2", b"&v 1.4.3")


def test_a_new_changelog_gets_the_umask_mode_and_an_old_one_keeps_crlf_and_mode(project: Path) -> None:
    code, output = write_version()
    assert code == 0, output
    changelog = project / "CHANGELOG.md"
    assert stat.S_IMODE(changelog.stat().st_mode) == 0o644
    changelog.write_bytes(b"# Changelog\r\n\r\n## 1.4.2\r\n\r\nOld notes.\r\n")
    changelog.chmod(0o664)
    root = project / "spec" / "openapi.yaml"
    root.write_bytes(root.read_bytes().replace(b"&v 1.4.3", b"&v 1.4.2"))
    code, output = write_version()
    assert code == 0, output
    text = changelog.read_bytes()
    assert re.match(rb"# Changelog\r\n\r\n## 1\.4\.3 - \d{4}-\d{2}-\d{2}\r\n", text) and text.endswith(
        b"## 1.4.2\r\n\r\nOld notes.\r\n"
    )
    assert b"\n" not in text.replace(b"\r\n", b"")
    assert stat.S_IMODE(changelog.stat().st_mode) == 0o664


def test_a_symlinked_changelog_is_refused_and_left_alone(project: Path) -> None:
    elsewhere = project.parent / f"{project.name}-notes.md"
    elsewhere.write_text("# Secret notes\n", encoding="utf-8")
    (project / "CHANGELOG.md").symlink_to(elsewhere)
    root = project / "spec" / "openapi.yaml"
    before = root.read_bytes()
    code, output = write_version()
    assert code == 2 and "[version-link]" in output and "replace the link" in output
    assert (project / "CHANGELOG.md").is_symlink()
    assert elsewhere.read_text(encoding="utf-8") == "# Secret notes\n"
    assert root.read_bytes() == before  # nothing written when one of the two files is refused


# ------------------------------------------------------------------------------------------ info behind a $ref

INFO_ROOT = """\
openapi: 3.1.0
info:
  $ref: {ref}
paths:
  /tasks:
    get:
      operationId: listTasks
      responses:
        "200": {{description: OK}}
"""


@pytest.mark.parametrize(
    ("ref", "holder", "text"),
    [
        ("./info.yaml", "info.yaml", "title: T\ndescription: Manage tasks.\nversion: 1.4.2  # released\n"),
        (
            "./shared/common.json#/x-info",
            "shared/common.json",
            '{"x-info": {"$ref": "#/x-other"},\n "x-other": {"title": "T", "description": "Manage tasks.",\n'
            '  "version": "1.4.2"}}\n',
        ),
    ],
    ids=["file", "pointer-then-local-ref"],
)
def test_a_version_behind_info_ref_is_written_where_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str, holder: str, text: str
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.atlas-spec]\nspec = "spec/openapi.yaml"\n')
    (tmp_path / "spec" / "shared").mkdir(parents=True)
    root = tmp_path / "spec" / "openapi.yaml"
    root.write_text(INFO_ROOT.format(ref=ref), encoding="utf-8")
    (tmp_path / "spec" / holder).write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*GIT, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    held = tmp_path / "spec" / holder
    held.write_text(text.replace("Manage tasks.", "Manage the tasks."), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = root.read_bytes()
    code, output = write_version()
    assert code == 0, output
    assert root.read_bytes() == before  # the root holds no version: left alone
    assert held.read_text(encoding="utf-8") == text.replace("Manage tasks.", "Manage the tasks.").replace(
        "1.4.2", "1.4.3"
    )
    code, output = write_version()  # a second run changes nothing
    assert code == 0 and "wrote" not in output, output


def test_a_missing_version_is_refused_at_the_info_key() -> None:
    text = "openapi: 3.1.0\ninfo:\n  title: T\npaths: {}\n"
    with pytest.raises(AtlasError) as caught:
        rewrite_version(text, "2.0.0", "openapi.yaml")
    assert "[version-missing]" in str(caught.value) and "openapi.yaml:2:1" in str(caught.value)


@pytest.mark.parametrize("kind", ["folder", "fifo", "latin-1"])
def test_a_changelog_that_cannot_be_read_is_an_input_error_with_a_hint(project: Path, kind: str) -> None:
    # before: "error: <path>: Is a directory", without a code or a hint
    notes = project / "NOTES.md"
    if kind == "folder":
        notes.mkdir()
    elif kind == "fifo":
        os.mkfifo(notes)
    else:
        notes.write_bytes(b"# Changelog\n\ncaf\xe9\n")
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write('[tool.atlas-spec.diff]\nchangelog = "NOTES.md"\n')
    root = project / "spec" / "openapi.yaml"
    before = root.read_bytes()
    code, output = write_version()
    assert code == 2 and "NOTES.md: error [version-read]" in output and "hint:" in output, output
    assert root.read_bytes() == before


@pytest.mark.parametrize("changelog", ["spec/openapi.yaml", "spec/../spec/openapi.yaml"])
def test_a_changelog_that_is_a_spec_source_is_refused(project: Path, changelog: str) -> None:
    # before: version --write wrote the bumped root, then replaced it with the release notes
    with (project / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(f'[tool.atlas-spec.diff]\nchangelog = "{changelog}"\n')
    root = project / "spec" / "openapi.yaml"
    before = root.read_bytes()
    code, output = write_version()
    assert code == 2 and "[version-changelog-is-source]" in output and "hint:" in output, output
    assert root.read_bytes() == before


@pytest.mark.parametrize("flag", [[], ["--check"]])
def test_versions_reach_the_terminal_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: list[str]) -> None:
    # before: a base info.version "1.0.0-<OSC title><CSI colour><RLO>" was printed raw by version and --check;
    # it is not semver (its pre-release part holds controls), so it is now refused, and escaped in the refusal
    hostile = "1.0.0-\x1b]0;PWN\x07\x1b[31mred\u202e"
    for name, version in (("base.json", hostile), ("openapi.json", "1.0.0-x")):
        document = {"openapi": "3.1.0", "info": {"title": "T", "version": version}, "paths": {}}
        (tmp_path / name).write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["version", "--spec", "openapi.json", "--base", "base.json", *flag])
    assert result.exit_code == 2 and "[version-format]" in result.output, result.output
    assert "\\x1b]0;PWN\\x07\\x1b[31mred\\u202e" in result.output
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", result.output), result.output


HOSTILE_VERSION = "9.0.0-<img src=x onerror=alert(1)>"


@pytest.mark.parametrize("flag", [["--write"], ["--check"]])
def test_a_version_outside_semver_grammar_is_refused_at_its_line(project: Path, flag: list[str]) -> None:
    # before: a hand-raised "9.0.0-<img src=x onerror=alert(1)>" passed the check and --write put it raw into
    # the heading of CHANGELOG.md
    root = project / "spec" / "openapi.yaml"
    root.write_bytes(root.read_bytes().replace(b"&v 1.4.2", f'&v "{HOSTILE_VERSION}"'.encode()))
    before = root.read_bytes()
    result = CliRunner().invoke(cli, ["version", "--base", "git:main", *flag])
    assert result.exit_code == 2, result.output
    assert "spec/openapi.yaml:5:15: error [version-format]" in result.output and "hint:" in result.output
    assert "Traceback" not in result.output
    assert root.read_bytes() == before and not (project / "CHANGELOG.md").exists()


@pytest.mark.parametrize("version", ["2.0.0-rc.1", "2.0.0-rc.1+build-5.x", "3.0.0+20260501", "'2.0'"])
def test_semver_pre_release_and_build_parts_are_written_as_they_are(project: Path, version: str) -> None:
    root = project / "spec" / "openapi.yaml"
    root.write_bytes(root.read_bytes().replace(b"&v 1.4.2", f"&v {version}".encode()))
    code, output = write_version()
    assert code == 0, output
    text = (project / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.escape(version.strip("'"))
    assert re.match(rf"# Changelog\n\n## {heading} - \d{{4}}-\d{{2}}-\d{{2}}\n", text), text
    code, output = write_version()  # the heading is found again: a second run changes nothing
    assert code == 0 and "wrote" not in output, output
