"""The parse cache of ``serve``: unchanged files are not read or parsed again; a stale parse is never served."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from generators.core.diagnostics import AtlasError
from generators.source.cache import ParseCache
from generators.source.loader import load_file


def write_keeping_times(path: Path, text: str) -> None:
    """Replace the content but put the old modification time back (as an editor or `touch -r` might)."""
    before = path.stat()
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_unchanged_file_is_neither_read_nor_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    cache = ParseCache(racy_seconds=0)
    cache.begin()
    first = cache.source(path)[1]
    cache.begin()
    assert cache.source(path)[1] is first
    assert (cache.reads, cache.parses) == (0, 0)


def test_a_file_saved_just_now_is_read_but_parsed_again_only_when_its_bytes_changed(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    cache = ParseCache()  # the file is younger than the racy window: its bytes are compared each time
    first = cache.source(path)[1]
    cache.begin()
    assert cache.source(path)[1] is first
    assert (cache.reads, cache.parses) == (1, 0)


@pytest.mark.parametrize("racy_seconds", [0.0, 2.0])
def test_a_same_size_edit_with_the_old_mtime_is_seen(tmp_path: Path, racy_seconds: float) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    cache = ParseCache(racy_seconds)
    assert cache.source(path)[1] == {"a": 1}
    write_keeping_times(path, "a: 2\n")
    assert cache.source(path)[1] == {"a": 2}


def test_a_file_replaced_by_rename_is_seen(tmp_path: Path) -> None:
    path, other = tmp_path / "a.yaml", tmp_path / "b.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    other.write_text("a: 3\n", encoding="utf-8")
    os.utime(other, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    cache = ParseCache(racy_seconds=0)
    assert cache.source(path)[1] == {"a": 1}
    os.replace(other, path)
    assert cache.source(path)[1] == {"a": 3}


def test_a_parse_error_is_not_cached(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: [\n", encoding="utf-8")
    cache = ParseCache(racy_seconds=0)
    with pytest.raises(AtlasError):
        cache.source(path)
    path.write_text("a: []\n", encoding="utf-8")
    assert cache.source(path)[1] == {"a": []}


def test_random_edits_always_give_what_a_fresh_load_gives(tmp_path: Path) -> None:
    """Edits of equal size, old times put back, renames, deletions: the cache always agrees with load_file."""
    chance = random.Random(18)
    paths = [tmp_path / f"f{i}.yaml" for i in range(3)]
    for path in paths:
        path.write_text("v: 100\n", encoding="utf-8")
    cache = ParseCache(racy_seconds=0)
    for step in range(300):
        path = chance.choice(paths)
        action = chance.choice(["edit", "edit-keep-times", "rename", "delete", "none"])
        text = f"v: {chance.randint(100, 999)}\n"  # always 7 bytes
        if action == "edit":
            path.write_text(text, encoding="utf-8")
        elif action == "edit-keep-times" and path.exists():
            write_keeping_times(path, text)
        elif action == "rename":
            spare = tmp_path / "spare.yaml"
            spare.write_text(text, encoding="utf-8")
            os.replace(spare, path)
        elif action == "delete" and path.exists():
            path.unlink()
        for each in paths:
            kept = cache.unchanged(each)  # the bundler's first look: no read at all when it says unchanged
            if each.exists():
                assert kept is None or kept[1] == load_file(each), (step, action)
                assert cache.source(each)[1] == load_file(each), (step, action)
            else:
                assert kept is None, (step, action)
                with pytest.raises(AtlasError):
                    cache.source(each)
