"""Writers never follow a link or replace a device: a committed ``build/`` is untrusted, ``-o`` may name anything.

Before this test, ``build`` opened a link left in the out folder and overwrote its target with artefact text
(a dangling absolute link got its target created), and ``-o`` renamed a regular file over ``/dev/null`` or a
named pipe, and over the spec's own source.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from generators.artefacts.model import Artefact
from generators.core.diagnostics import AtlasError
from generators.writer import write_artefacts, write_file_atomic
from tests.support import reading_fifo

from .cliutil import HEAD, OK_PATHS, assert_no_crash, assert_refused, cli, make_tree

VICTIM = "#!/bin/sh\necho harmless\n"


def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.sh"
    path.write_text(VICTIM, encoding="utf-8")
    return path


def spec(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "spec", {"openapi.yaml": HEAD + OK_PATHS, "other.yaml": "type: string\n"})


# ------------------------------------------------------------------------------------------- out folder


def test_build_replaces_a_link_in_the_out_folder_and_leaves_its_target_alone(tmp_path: Path) -> None:
    spec(tmp_path)
    first = cli("build", "--spec", "spec/openapi.yaml", "--out", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    artefact = next((tmp_path / "out").glob("*.openapi.json"))
    artefact.unlink()
    artefact.symlink_to("../victim.sh")
    target = victim(tmp_path)
    result = cli("build", "--spec", "spec/openapi.yaml", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == VICTIM
    assert not artefact.is_symlink() and json.loads(artefact.read_text(encoding="utf-8"))["openapi"] == "3.1.0"


def _device_or_fifo(path: Path) -> Path:
    """A private copy of /dev/null (needs root or CAP_MKNOD), else a named pipe: never the real /dev/null."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        os.mkfifo(path)
    return path


def test_build_out_onto_a_device_or_pipe_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    # before: the staging folder was swapped in over it (as root, `build --out /dev/null` made /dev/null a
    # folder of artefacts); over a pipe the clean-up then waited forever opening it
    spec(tmp_path)
    node = _device_or_fifo(tmp_path / "null")
    kind = stat.S_IFMT(node.lstat().st_mode)
    for fmt in ("text", "json", "sarif"):
        result = cli("build", "--spec", "spec/openapi.yaml", "--out", "null", "--format", fmt, cwd=tmp_path, timeout=60)
        assert_no_crash(result)
        assert result.returncode == 2 and "out-not-a-folder" in result.stdout, result.stdout + result.stderr
        if fmt != "text":
            json.loads(result.stdout)  # still a document of its format
        assert stat.S_IFMT(node.lstat().st_mode) == kind
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null", "spec"]  # no staging folder left beside it


@pytest.mark.parametrize("out", ["a-file", "/proc/self"])
def test_write_artefacts_into_a_file_or_a_system_folder_is_refused(tmp_path: Path, out: str) -> None:
    (tmp_path / "a-file").write_text("keep\n", encoding="utf-8")
    with pytest.raises(AtlasError) as caught:
        write_artefacts(tmp_path / out, [Artefact("a.json", b"{}")])
    assert caught.value.diagnostics[0].code == "out-not-a-folder"
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "keep\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_dangling_absolute_link_never_gets_its_target_created(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    missing = tmp_path / "elsewhere" / "created.sh"
    missing.parent.mkdir()
    (out / "a.json").symlink_to(missing)
    write_artefacts(out, [Artefact("a.json", b"{}")])
    assert not missing.exists()
    assert (out / "a.json").read_bytes() == b"{}" and not (out / "a.json").is_symlink()


def test_a_linked_folder_in_the_out_folder_is_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "docs").symlink_to(outside)
    write_artefacts(out, [Artefact("docs/index.html", b"<p>page</p>")])
    assert list(outside.iterdir()) == []
    assert (out / "docs" / "index.html").read_bytes() == b"<p>page</p>" and not (out / "docs").is_symlink()


def test_a_big_folder_written_file_by_file_replaces_links_too(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for index in range(300):  # too many entries to be swapped whole: each file is replaced on its own
        (out / f"keep-{index}.txt").write_text("x", encoding="utf-8")
    target = victim(tmp_path)
    (out / "a.json").symlink_to(target)
    write_artefacts(out, [Artefact("a.json", b"{}")])
    assert target.read_text(encoding="utf-8") == VICTIM
    assert (out / "a.json").read_bytes() == b"{}" and not (out / "a.json").is_symlink()


def test_a_new_file_gets_the_umask_default_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        written = write_file_atomic(tmp_path / "new.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


# --------------------------------------------------------------------------------------------------- -o


def test_dash_o_onto_a_link_replaces_the_link_not_its_target(tmp_path: Path) -> None:
    spec(tmp_path)
    target = victim(tmp_path)
    (tmp_path / "out.json").symlink_to(target)
    result = cli("bundle", "--spec", "spec/openapi.yaml", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == VICTIM
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["openapi"] == "3.1.0"


def test_dash_o_onto_a_fifo_writes_into_it(tmp_path: Path) -> None:
    spec(tmp_path)
    fifo = tmp_path / "pipe"
    with reading_fifo(fifo) as received:
        result = cli("bundle", "--spec", "spec/openapi.yaml", "-o", str(fifo), cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and json.loads(received[0])["openapi"] == "3.1.0"


def test_dash_o_onto_a_device_leaves_it_a_device(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:  # a private copy of /dev/null (needs root or CAP_MKNOD); else the real one, which is safe to write
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError):
        node = Path("/dev/null")
    spec(tmp_path)
    for command in (["bundle"], ["postman"], ["docs"]):
        result = cli(*command, "--spec", "spec/openapi.yaml", "-o", str(node), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert stat.S_ISCHR(node.lstat().st_mode), command
    # before: docs wrote its changelog page and feed beside the device (-o /dev/null: into /dev)
    assert not {"changelog.html", "changelog.xml"} & {p.name for p in node.parent.iterdir()}


def test_docs_onto_a_pipe_writes_the_page_alone(tmp_path: Path) -> None:
    spec(tmp_path)
    page = cli("docs", "--spec", "spec/openapi.yaml", "-o", "-", cwd=tmp_path).stdout
    with reading_fifo(tmp_path / "pipe") as received:
        result = cli("docs", "--spec", "spec/openapi.yaml", "-o", "pipe", cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert received == [page.encode("utf-8")]  # the same page as -o -
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "spec"]


@pytest.mark.parametrize("command", ["bundle", "docs", "postman"])
def test_dash_o_dash_writes_stdout(tmp_path: Path, command: str) -> None:
    spec(tmp_path)
    result = cli(command, "--spec", "spec/openapi.yaml", "-o", "-", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "-").exists()
    assert result.stdout.strip().startswith(("{", "<!"))


def test_dash_o_dev_stdout_writes_the_output(tmp_path: Path) -> None:
    spec(tmp_path)
    result = subprocess.run(
        ["cat"],
        input=cli("bundle", "--spec", "spec/openapi.yaml", "-o", "/dev/stdout", cwd=tmp_path).stdout,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["openapi"] == "3.1.0"


@pytest.mark.parametrize("target", ["spec/openapi.yaml", "spec/other.yaml", "link.yaml"])
def test_dash_o_onto_a_file_the_bundle_reads_is_refused(tmp_path: Path, target: str) -> None:
    root = make_tree(
        tmp_path / "spec",
        {"openapi.yaml": HEAD + OK_PATHS + "components:\n  schemas:\n    O: {$ref: './other.yaml'}\n"},
    )
    make_tree(tmp_path / "spec", {"other.yaml": "type: string\n"})
    (tmp_path / "link.yaml").symlink_to(root)
    before = {p: p.read_bytes() for p in (tmp_path / "spec").iterdir()}
    for command in ("bundle", "postman"):
        result = cli(command, "--spec", "spec/openapi.yaml", "-o", target, cwd=tmp_path)
        assert_no_crash(result)
        assert_refused(result, "output-is-source", "")
        assert "write the output somewhere else" in result.stderr
    assert {p: p.read_bytes() for p in (tmp_path / "spec").iterdir()} == before


@pytest.mark.parametrize("target", ["spec/openapi.yaml", "spec/other.yaml", "link.yaml"])
def test_write_baseline_onto_a_file_the_bundle_reads_is_refused(tmp_path: Path, target: str) -> None:
    # before: `lint --write-baseline spec/openapi.yaml` replaced the spec with the baseline's JSON
    make_tree(
        tmp_path / "spec",
        {
            "openapi.yaml": HEAD + OK_PATHS + "components:\n  schemas:\n    O: {$ref: './other.yaml'}\n",
            "other.yaml": "type: string\n",
        },
    )
    (tmp_path / "link.yaml").symlink_to(tmp_path / "spec" / "openapi.yaml")
    before = {p: p.read_bytes() for p in (tmp_path / "spec").iterdir()}
    result = cli("lint", "--spec", "spec/openapi.yaml", "--write-baseline", target, cwd=tmp_path)
    assert_refused(result, "output-is-source", "")
    assert {p: p.read_bytes() for p in (tmp_path / "spec").iterdir()} == before
    assert (tmp_path / "link.yaml").is_symlink()


@pytest.mark.parametrize("marker", [".git", "pyproject.toml", "atlas-spec.toml", None])
def test_a_project_folder_or_the_working_folder_is_never_swapped_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str | None
) -> None:
    # out = "." names the project's own folder: a small one was copied and swapped in whole, so the shell or
    # editor working there was left in a deleted folder (its inode changed); now each file is replaced alone
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("kept", encoding="utf-8")
    if marker is not None:
        (project / marker).mkdir() if marker == ".git" else (project / marker).write_text("", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(project if marker is None else elsewhere)
    before = project.stat().st_ino
    write_artefacts(project, [Artefact("api.openapi.json", b"{}\n")])
    assert project.stat().st_ino == before
    assert (project / "notes.txt").read_text(encoding="utf-8") == "kept"
    assert (project / "api.openapi.json").read_bytes() == b"{}\n"
