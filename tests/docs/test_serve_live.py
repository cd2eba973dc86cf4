"""``serve`` shows an edit in the open page first and checks it after (issue 18): two-stage builds, the event
stream that tells the page, the page's live script, inotify, and the JSON text reused between builds."""

from __future__ import annotations

import json
import queue
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from docs_browser import Browser
from docs_site import petstore, rename_pets

import generators.pipeline
from generators.core.jsonout import dump_compact_ascii, dump_json_bytes
from generators.core.settings import Settings, load_settings
from generators.serve import notify
from generators.serve.fragments import Fragments
from generators.serve.live import ERROR_SCRIPT, EVENTS, STATUS
from generators.serve.server import make_server
from generators.serve.stages import PAGE_SPEC, Kept, Snapshot
from generators.serve.watch import Preview
from generators.source.cache import ParseCache
from tests.conftest import REPO

# ------------------------------------------------------------------ the JSON text kept between builds


def documents() -> Iterator[Any]:
    yield json.loads((REPO / "build" / "atlas-public-api.openapi.json").read_text(encoding="utf-8"))
    yield {"a": {"b": {"c": {"big": 2**70, "small": 1e-7, "neg": -(2**65), "f": 0.5, "e": 1.5e300}}}}
    yield {"k\u00e9y": {"x": 1}, "paths": {"/caf\u00e9": {"get": {"\u2028": "\x7f", "s": "\U0001f600"}}}}
    yield {"d": {"e": {"f": {"g": {"h": [[], {}, [{}], "<tag>&"]}}}}, "l": [1, [2, [3, [4]]]], "n": None}
    yield {"lone": {"x": {"y": {"z": "\ud800"}}}, "ok": {}}
    yield {"\ud800": 1}


def outcome(write: Callable[[], bytes]) -> bytes | type[BaseException]:
    try:
        return write()
    except Exception as exc:  # noqa: BLE001 - the same refusal as jsonout (a lone surrogate)
        return type(exc)


@pytest.mark.parametrize("document", list(documents()))
def test_fragments_write_the_bytes_of_jsonout(document: Any) -> None:
    indented, compact = Fragments(indented=True), Fragments(indented=False)
    for _ in range(2):  # written, then reused
        assert outcome(lambda: indented.dump(document)) == outcome(lambda: dump_json_bytes(document))
        expected = outcome(lambda: dump_compact_ascii(document).encode("ascii"))
        assert outcome(lambda: compact.dump(document)) == expected


def test_fragments_write_only_the_subtrees_that_are_new() -> None:
    document = {"paths": {f"/p{i}": {"get": {"responses": {"200": {"description": str(i)}}}} for i in range(5)}}
    fragments = Fragments(indented=True)
    fragments.dump(document)
    first = fragments.written
    assert first > 0
    fragments.dump(document)
    assert fragments.written == 0
    edited = {"paths": {**document["paths"], "/p3": {"get": {"responses": {"200": {"description": "new"}}}}}}
    assert fragments.dump(edited) == dump_json_bytes(edited)
    assert fragments.written == 1
    # an object changed in place after it was written would be served stale: the bundle never does that
    # (kept trees are copied on write), which tests/foundation/test_bundle_memo.py holds


# ------------------------------------------------------------------ two stages, in process


def test_the_page_content_comes_first_then_the_findings(tmp_path: Path) -> None:
    root = petstore(tmp_path)
    reports: list[Snapshot] = []
    preview = Preview(load_settings(spec=root), lambda snapshot, _: reports.append(snapshot))
    published: list[Snapshot] = []
    swap = preview.publish
    preview.publish = lambda snapshot: (published.append(snapshot), swap(snapshot))  # type: ignore[method-assign]
    rename_pets(root, "List all pets", "List every pet")
    preview.rebuild()
    first, checked, done = published
    assert first.build == checked.build == done.build == 2 and reports[1:] == [done]  # one report per build
    # first: the new spec, its copy for the page, the page saying the findings are being checked
    assert first.checking and first.diagnostics == ()
    for path in ("/v1/openapi.json", PAGE_SPEC, "/v1/docs"):
        assert b"List every pet" in first.files[path], path
    assert b'class="atlas-findings atlas-checking"' in first.files["/v1/docs"]
    postman = "/v1/petstore-fixture.postman_collection.json"
    assert postman in first.pending and postman not in first.files
    # then the findings, in the banner at once; the other files follow
    assert not checked.checking and checked.diagnostics and postman in checked.pending
    assert b'class="atlas-findings" id' in checked.files["/v1/docs"] and b"warning(s)" in checked.files["/v1/docs"]
    assert done.diagnostics == checked.diagnostics and done.pending == frozenset()
    assert done.files["/v1/openapi.json"] == first.files["/v1/openapi.json"]
    assert done.files["/v1/docs"] == checked.files["/v1/docs"] and b"List every pet" in done.files[postman]


def test_a_build_overtaken_by_an_edit_stops_after_its_first_stage(tmp_path: Path) -> None:
    root = petstore(tmp_path)
    reports: list[Snapshot] = []
    preview = Preview(load_settings(spec=root), lambda snapshot, _: reports.append(snapshot))
    rename_pets(root, "List all pets", "List every pet")
    first = preview.rebuild(stop=lambda: True)
    assert first.checking and preview.snapshot is first and len(reports) == 1  # no report for it
    assert not preview.rebuild().checking


def test_a_one_file_edit_reads_parses_walks_and_writes_only_what_changed(tmp_path: Path) -> None:
    root = petstore(tmp_path)
    kept = Kept(cache=ParseCache(racy_seconds=0))
    preview = Preview(load_settings(spec=root), lambda snapshot, _: None, kept=kept)
    rename_pets(root, "List all pets", "List every pet")
    preview.rebuild()
    assert (kept.cache.reads, kept.cache.parses, kept.memo.walked) == (1, 1, 2)  # the root inlines pets.yaml
    everything = Fragments(indented=True)
    everything.dump(json.loads(preview.snapshot.files["/v1/openapi.json"]))
    assert 0 < kept.openapi.written < everything.written  # the nodes of the root and of pets.yaml


# ------------------------------------------------------------------ the server: waits, events, status


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[Preview, str]]:
    preview = Preview(settings, lambda snapshot, seconds: None)
    server = make_server(preview, 0)
    threads = [threading.Thread(target=server.serve_forever, daemon=True), threading.Thread(target=preview.watch)]
    for thread in threads:
        thread.start()
    try:
        yield preview, f"http://127.0.0.1:{server.server_port}"
    finally:
        preview.stopped.set()
        server.shutdown()
        server.server_close()
        threads[1].join(10)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


class Events:
    """The event stream, read on a thread."""

    def __init__(self, base: str) -> None:
        self.response = urllib.request.urlopen(base + EVENTS, timeout=30)
        self.queue: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.response:
            if line.startswith(b"data: "):
                self.queue.put(json.loads(line[6:]))

    def next(self) -> dict[str, Any]:
        return self.queue.get(timeout=30)


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Validate and lint wait until the test sets this event (the first stage is then served alone)."""
    release = threading.Event()
    real = generators.pipeline.check_bundle

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real(*args, **kwargs)

    release.set()  # the first build of each preview runs through
    monkeypatch.setattr(generators.pipeline, "check_bundle", slow)
    yield release
    release.set()


def test_events_status_and_files_follow_each_stage(tmp_path: Path, held: threading.Event) -> None:
    root = petstore(tmp_path)
    with serving(load_settings(spec=root)) as (_, base):
        events = Events(base)
        current = events.next()
        assert current["build"] == 1 and current["state"] == "checked" and current["shell"]
        held.clear()
        rename_pets(root, "List all pets", "List every pet")
        assert events.next() == {**current, "build": 2, "state": "checking"}
        status, headers, body = get(base + PAGE_SPEC)
        assert status == 200 and headers["X-Atlas-Build"] == "2" and b"List every pet" in body
        assert json.loads(get(base + STATUS)[2]) == {
            "build": 2,
            "state": "checking",
            "summary": "",
            "findings": [],
            "more": 0,
            "open": False,
        }
        # a download of this build waits for it: never the file of the build before
        answers: list[tuple[int, dict[str, str], bytes]] = []
        waiting = threading.Thread(
            target=lambda: answers.append(get(base + "/v1/petstore-fixture.postman_collection.json"))
        )
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and answers == []
        held.set()
        assert events.next() == {**current, "build": 2, "state": "checked"}
        waiting.join(30)
        assert answers[0][0] == 200 and answers[0][1]["X-Atlas-Build"] == "2" and b"List every pet" in answers[0][2]
        checked = json.loads(get(base + STATUS)[2])
        assert checked["build"] == 2 and checked["state"] == "checked"
        assert checked["summary"].startswith("This spec has 0 error(s), 8 warning(s)") and len(checked["findings"]) == 8
        # a source that cannot be bundled: the event says so, every page answers with the findings
        rename_pets(root, "summary: List every pet", "summary: [List")
        assert events.next()["state"] == "failed"
        status, headers, page = get(base + "/v1/docs")
        assert status == 500 and b"yaml-syntax" in page and ERROR_SCRIPT.encode() in page
        assert (
            "'sha256-" in headers["Content-Security-Policy"]
            and "connect-src 'self'" in headers["Content-Security-Policy"]
        )


def test_an_error_in_the_checks_reaches_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = petstore(tmp_path)
    with serving(load_settings(spec=root)) as (_, base):
        events = Events(base)
        assert events.next()["state"] == "checked"
        monkeypatch.setattr(generators.pipeline, "check_bundle", lambda *args: {}["boom"])
        rename_pets(root, "List all pets", "List every pet")
        while (latest := events.next())["build"] < 2 or latest["state"] != "checked":
            pass  # a page is told the latest state: "checking" may be overtaken before it is sent
        status = json.loads(get(base + STATUS)[2])
        assert status["open"] and "internal error while rebuilding: KeyError" in status["findings"][0]
        assert b"List every pet" in get(base + "/v1/openapi.json")[2]


def test_an_artefact_that_fails_is_a_finding_and_the_rest_is_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generators.artefacts.mcp_tools as mcp_tools
    from generators.core.diagnostics import AtlasError

    def refuse(*args: Any) -> Any:
        raise AtlasError.at("mcp-refused", "this spec cannot become MCP tools")

    root = petstore(tmp_path)
    preview = Preview(load_settings(spec=root), lambda snapshot, _: None)
    monkeypatch.setattr(mcp_tools, "generate", refuse)
    rename_pets(root, "List all pets", "List every pet")
    done = preview.rebuild()
    assert [d.code for d in done.diagnostics][-1] == "mcp-refused" and done.pending == frozenset()
    assert b"mcp-refused" in done.files["/v1/docs"] and b"List every pet" in done.files[PAGE_SPEC]
    assert "/v1/petstore-fixture.mcp-tools.json" not in done.files
    assert b"List every pet" in done.files["/v1/petstore-fixture.postman_collection.json"]


def test_the_event_stream_is_for_the_preview_s_own_pages_only(tmp_path: Path) -> None:
    import http.client

    from generators.serve.server import MAX_STREAMS

    with serving(load_settings(spec=petstore(tmp_path))) as (_, base):
        port = int(base.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", EVENTS, headers={"Host": f"attacker.example:{port}"})
        assert connection.getresponse().status == 421  # a DNS-rebinding page learns nothing of the builds
        connection.close()
        pages = [Events(base) for _ in range(MAX_STREAMS)]
        assert all(page.next()["build"] == 1 for page in pages)
        assert get(base + EVENTS)[0] == 503  # one thread per open page, bounded


# ------------------------------------------------------------------ inotify


@pytest.mark.skipif(not notify.Changes().instant, reason="inotify is Linux only")
def test_inotify_reports_the_watched_files_and_waits_for_a_write_to_end(tmp_path: Path) -> None:
    watched, other = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for path in (watched, other):
        path.write_text("x: 1\n", encoding="utf-8")
    changes = notify.Changes()
    changes.watch([watched])
    changes.wait(0)
    other.write_text("x: 2\n", encoding="utf-8")
    assert not changes.pending()  # a file no build read
    with watched.open("w", encoding="utf-8") as stream:
        stream.write("x: ")
        stream.flush()
        assert not changes.pending()  # still being written
        stream.write("3\n")
    assert changes.pending()  # closed
    assert changes.wait(0) is True  # inotify named it: no need to compare every file
    watched.unlink()
    assert changes.pending() and changes.wait(0) is True
    assert changes.wait(0) is False  # nothing since
    changes.close()


def test_without_inotify_the_files_are_polled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    changes = notify.Changes(use_inotify=False)
    changes.watch([tmp_path / "a.yaml"])
    assert not changes.instant
    monkeypatch.setattr(notify, "POLL_SECONDS", 0.0)
    assert changes.pending()
    assert changes.wait(0) is False  # a poll only says: compare them


# ------------------------------------------------------------------ the page in chromium


def banner_state(browser: Browser) -> dict[str, Any]:
    return dict(
        browser.evaluate(
            "(function () { var box = document.getElementById('atlas-findings');"
            " var head = box.querySelector('summary');"
            " return {cls: box.className, hidden: box.hidden, summary: head ? head.textContent : '',"
            " findings: box.querySelectorAll('pre.finding').length,"
            " build: document.documentElement.getAttribute('data-atlas-build'),"
            " checked: document.documentElement.getAttribute('data-atlas-checked')}; })()"
        )
    )


@pytest.mark.external
@pytest.mark.slow
def test_the_open_page_renders_the_edit_in_place_then_its_findings(
    tmp_path: Path, browser: Browser, held: threading.Event
) -> None:
    from tests.conftest import node_package_file

    root = petstore(tmp_path)
    redoc_js = node_package_file("redoc", "bundles", "redoc.standalone.js")
    config = tmp_path / "spec" / "pyproject.toml"
    config.write_text(f'[tool.atlas-spec]\nspec = "openapi.yaml"\n[tool.atlas-spec.docs]\nredoc-js = "{redoc_js}"\n')
    with serving(load_settings(config_file=config)) as (_, base):
        browser.goto(base + "/v1/docs", timeout=60)
        browser.wait_for("document.documentElement.getAttribute('data-atlas-checked') === '1'", timeout=60)
        assert banner_state(browser)["findings"] == 8  # the server is api.example.com: no-server-example.com
        browser.evaluate("window.sameDocument = true")  # gone if the page reloads
        held.clear()
        rename_pets(root, "List all pets", "List every pet")
        browser.wait_for("document.documentElement.getAttribute('data-atlas-build') === '2'", timeout=60)
        assert browser.evaluate("document.body.innerText.indexOf('List every pet') >= 0")
        # the new spec with the old findings greyed, never presented as its own
        state = banner_state(browser)
        assert state["cls"] == "atlas-findings atlas-checking" and state["checked"] is None
        assert state["summary"].startswith("Checking this version") and "version before" in state["summary"]
        held.set()
        browser.wait_for("document.documentElement.getAttribute('data-atlas-checked') === '2'", timeout=60)
        state = banner_state(browser)
        assert state["cls"] == "atlas-findings" and state["summary"].startswith("This spec has 0 error(s)")
        assert browser.evaluate("window.sameDocument") is True
        # a YAML error: the page shows the findings; fixed, the docs come back
        rename_pets(root, "summary: List every pet", "summary: [List")
        browser.wait_for("document.title.indexOf('errors') >= 0", timeout=60)
        assert re.search(r"paths/pets\.yaml:5:\d+: error \[yaml-syntax\]", browser.evaluate("document.body.innerText"))
        rename_pets(root, "summary: [List", "summary: List every pet")
        browser.wait_for("!!document.body && document.body.innerText.indexOf('List every pet') >= 0", timeout=60)
        browser.wait_for("document.documentElement.getAttribute('data-atlas-checked') !== null", timeout=60)
    assert browser.record.dialogs == [] and not [e for e in browser.record.console_errors if "exception" in e]
