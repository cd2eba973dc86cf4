"""Test plumbing for the docs site: build a spec's artefacts into a folder and serve it on 127.0.0.1."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generators.artefacts.docs.page import with_redoc_js
from generators.artefacts.registry import artefact_generators
from generators.bundle.bundler import bundle_spec
from generators.core.settings import Settings
from generators.writer import write_artefacts

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
OUTPUT = HERE / "output"  # screenshots for people to look at (gitignored)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def build_site(spec_root: Path, out_dir: Path, redoc_js: Path | None, name: str = "fixture-api") -> dict[str, Any]:
    """Bundle ``spec_root`` and write every registered artefact into ``out_dir``, as ``atlas-spec build`` does."""
    settings = with_redoc_js(
        Settings(spec=spec_root, out_dir=out_dir, name=name, project_dir=spec_root.parent), redoc_js
    )
    document = bundle_spec(spec_root).document
    write_artefacts(out_dir, [generate(document, settings) for generate in artefact_generators()])
    return document


def menu_operation_count(spec: dict[str, Any]) -> int:
    """How many operation entries Redoc's nav must show: one per operation and tag (untagged: one)."""
    count = 0
    for section in ("paths", "webhooks"):
        for item in (spec.get(section) or {}).values():
            for method in METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if isinstance(operation, dict):
                    count += max(1, len(set(operation.get("tags") or [])))
    return count


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation object under ``paths``."""
    found = []
    for item in (spec.get("paths") or {}).values():
        found += [item[m] for m in METHODS if isinstance(item, dict) and isinstance(item.get(m), dict)]
    return found


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1; yields the base URL (with a trailing slash)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def petstore(tmp_path: Path) -> Path:
    """A copy of the petstore fixture under ``tmp_path/spec``; its root file."""
    shutil.copytree(FIXTURES / "petstore", tmp_path / "spec")
    return tmp_path / "spec" / "openapi.yaml"


def rename_pets(root: Path, old: str, new: str) -> None:
    """Edit the petstore copy's ``paths/pets.yaml`` (an edit of one source file)."""
    pets = root.parent / "paths" / "pets.yaml"
    pets.write_text(pets.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
