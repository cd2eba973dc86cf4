"""The watcher side of ``serve``: what it watches, what a rebuild re-reads, and that nothing stops it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import generators.pipeline
import generators.serve.watch
from generators.core.settings import Settings, load_settings
from generators.serve.stages import Kept
from generators.serve.watch import Preview, Snapshot
from generators.source.cache import ParseCache
from tests.support import HEAD, OK_PATHS, make_tree

ROOT = HEAD + OK_PATHS + "components:\n  schemas:\n    A: {$ref: './a.yaml'}\n    B: {$ref: './b.yaml'}\n"
CONFIG = '[tool.atlas-spec]\nspec = "spec/openapi.yaml"\nout = "build"\nname = "{name}"\n'


def project(tmp_path: Path, name: str = "first") -> Path:
    make_tree(
        tmp_path,
        {
            "pyproject.toml": CONFIG.format(name=name),
            "spec/openapi.yaml": ROOT,
            "spec/a.yaml": "type: string\n",
            "spec/b.yaml": "type: integer\n",
            "spec/notes/unrelated.yaml": "not: referenced\n",
        },
    )
    return tmp_path / "pyproject.toml"


def preview(config: Path) -> tuple[Preview, list[Snapshot]]:
    reports: list[Snapshot] = []

    def reload() -> Settings:
        return load_settings(config_file=config)

    # a cache that trusts a file's times at once (the racy window is the cache's own test's business)
    kept = Kept(cache=ParseCache(racy_seconds=0))
    watcher = Preview(reload(), lambda snapshot, _: reports.append(snapshot), reload, kept)
    return watcher, reports


def edit(path: Path, text: str) -> None:
    time.sleep(0.01)  # a distinct timestamp even on a coarse clock
    path.write_text(text, encoding="utf-8")


def test_only_the_files_the_bundle_read_are_watched(tmp_path: Path) -> None:
    watcher, _ = preview(project(tmp_path))
    spec = tmp_path / "spec"
    assert set(watcher.prints) == {spec / "openapi.yaml", spec / "a.yaml", spec / "b.yaml"}
    edit(spec / "notes" / "unrelated.yaml", "still: not referenced\n")
    (spec / "new.yaml").write_text("x: 1\n", encoding="utf-8")
    assert not watcher.changed()
    edit(spec / "b.yaml", "type: number\n")
    assert watcher.changed()


def test_a_one_file_edit_reads_and_parses_that_file_alone(tmp_path: Path) -> None:
    watcher, reports = preview(project(tmp_path))
    assert watcher.cache.parses == 3 and not reports[-1].failed
    edit(tmp_path / "spec" / "a.yaml", "type: string\nformat: uuid\n")
    assert watcher.changed()
    watcher.rebuild()
    assert (watcher.cache.reads, watcher.cache.parses) == (1, 1)
    assert b'"format": "uuid"' in watcher.snapshot.files["/v1/openapi.json"]


def test_a_missing_file_is_watched_until_it_appears(tmp_path: Path) -> None:
    config = project(tmp_path)
    (tmp_path / "spec" / "b.yaml").unlink()
    watcher, reports = preview(config)
    assert reports[-1].failed and reports[-1].diagnostics[0].code == "ref-missing-file"
    assert not watcher.changed()
    (tmp_path / "spec" / "b.yaml").write_text("type: integer\n", encoding="utf-8")
    assert watcher.changed()
    assert not watcher.rebuild().failed


def test_a_config_edit_is_read_again(tmp_path: Path) -> None:
    config = project(tmp_path)
    watcher, _ = preview(config)
    assert "/v1/first.openapi.json" in watcher.snapshot.files
    edit(config, CONFIG.format(name="second"))
    assert watcher.changed()
    watcher.rebuild()
    assert "/v1/second.openapi.json" in watcher.snapshot.files
    edit(config, CONFIG.format(name="second") + "unknown-key = 1\n")
    assert not watcher.changed()  # a broken config is shown, the source is not rebuilt with it
    assert watcher.snapshot.failed
    edit(config, CONFIG.format(name="third"))
    assert watcher.changed()
    assert "/v1/third.openapi.json" in watcher.rebuild().files


def test_a_bug_in_a_rebuild_is_shown_and_the_watcher_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watcher, _ = preview(project(tmp_path))
    real = generators.pipeline.check_bundle

    def broken(*args: object, **kwargs: object) -> object:
        raise KeyError("boom")

    monkeypatch.setattr(generators.pipeline, "check_bundle", broken)
    edit(tmp_path / "spec" / "a.yaml", "type: boolean\n")
    thread = threading.Thread(target=watcher.watch, daemon=True)
    thread.start()
    snapshot = watcher.wait_for(lambda now: now.build > 1 and not now.checking, 10)
    # the spec that could be bundled stays on the page; the bug is a finding in its banner
    assert not snapshot.failed and b'"boolean"' in snapshot.files["/v1/openapi.json"]
    assert [d.code for d in snapshot.diagnostics] == ["internal-error"]
    assert "KeyError" in snapshot.diagnostics[0].message
    assert b"internal error while rebuilding: KeyError" in snapshot.files["/v1/docs"]
    monkeypatch.setattr(generators.pipeline, "check_bundle", real)
    edit(tmp_path / "spec" / "a.yaml", "type: string\n")
    snapshot = watcher.wait_for(lambda now: now.build > 2 and not now.checking, 10)
    watcher.stopped.set()
    thread.join(5)
    assert thread.is_alive() is False
    assert not snapshot.failed and "internal-error" not in {d.code for d in snapshot.diagnostics}


def test_builds_from_the_cache_equal_a_fresh_build(tmp_path: Path) -> None:
    # parsed files are shared between builds: no stage may change them (the Atlas description, every artefact)
    from generators.serve.watch import build_snapshot
    from tests.support import REPO

    settings = load_settings(config_file=REPO / "pyproject.toml").with_overrides(out_dir=tmp_path)
    fresh = build_snapshot(settings)
    kept = Kept(cache=ParseCache(racy_seconds=0))
    assert not fresh.failed and fresh.files
    for _ in range(3):
        kept.cache.begin()
        assert build_snapshot(settings, kept) == fresh
    assert kept.cache.parses == 0 and kept.memo.walked == 0 and kept.openapi.written == 0
