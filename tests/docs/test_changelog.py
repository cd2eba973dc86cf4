"""The changelog page and its Atom feed: parsing the release notes, escaping, stable ids, the pipeline's input."""

from __future__ import annotations

import html.parser
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from generators.artefacts.docs import changelog, feed, markdown
from generators.artefacts.docs.site import releases, sha256_source
from generators.core.settings import Settings
from generators.diff.version import prepend_changelog
from generators.pipeline import with_release_notes

ATOM = "{http://www.w3.org/2005/Atom}"
SPEC: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "Shop <API>", "version": "2.0.0"}, "paths": {}}
NOTES = """# Changelog

Release notes of the Shop API.

## Unreleased

- nothing yet

## 2.0.0 - 2026-05-01

**2 breaking, 0 warnings**

### Breaking changes

- `GET /pets`: response property &lt;name&gt; removed `response-property-removed`
- <script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>

```text
## not a heading inside a fence
```

## [1.1.0] (2026-02-30)

- a date that does not exist

## 1.0.0

First release.
"""


def _settings(tmp_path: Path, notes: str | None = NOTES) -> Settings:
    return Settings(spec=tmp_path / "openapi.yaml", out_dir=tmp_path / "build", name="shop", release_notes=notes)


def test_release_notes_split_into_sections_with_versions_and_dates() -> None:
    preamble, found = releases(NOTES)
    assert preamble == "Release notes of the Shop API."
    dated = [(r.version, r.date) for r in found]
    assert dated == [(None, None), ("2.0.0", "2026-05-01"), ("1.1.0", None), ("1.0.0", None)]
    assert "## not a heading inside a fence" in found[1].notes
    assert [r.anchor for r in found] == ["Unreleased", "v2.0.0", "v1.1.0", "v1.0.0"]


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False


def test_changelog_page_escapes_the_notes_and_runs_no_script(tmp_path: Path) -> None:
    text = changelog.generate(SPEC, _settings(tmp_path)).content.decode()
    page = _Page()
    page.feed(text)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "img" not in tags and "iframe" not in tags
    assert all(not k.startswith("on") for _, attrs in page.tags for k in attrs)
    hrefs = [attrs.get("href") or "" for t, attrs in page.tags if t == "a"]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "response property &lt;name&gt; removed" in text
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "script-src" not in csp and "default-src 'none'" in csp
    assert f"style-src {sha256_source(page.styles[0])}" in csp
    assert [a["id"] for t, a in page.tags if t == "section"] == ["Unreleased", "v2.0.0", "v1.1.0", "v1.0.0"]
    assert 'href="index.html"' in text and 'href="changelog.xml"' in text
    assert "<title>Shop &lt;API&gt;: changelog" in text


def test_without_release_notes_the_page_says_so(tmp_path: Path) -> None:
    text = changelog.generate(SPEC, _settings(tmp_path, "")).content.decode()
    assert "No release has been recorded yet" in text
    root = ET.fromstring(feed.generate(SPEC, _settings(tmp_path, "")).content)
    assert root.findall(f"{ATOM}entry") == [] and root.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


def test_feed_has_one_entry_per_released_version_with_stable_ids(tmp_path: Path) -> None:
    content = feed.generate(SPEC, _settings(tmp_path)).content
    root = ET.fromstring(content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Shop <API> 2.0.0", "Shop <API> 1.1.0", "Shop <API> 1.0.0"]
    assert root.findtext(f"{ATOM}updated") == "2026-05-01T00:00:00Z"
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2026-05-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert all(i and re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", i) for i in ids) and len(set(ids)) == 3
    # A later release changes nothing of the earlier entries' ids, and the same input gives the same bytes.
    later = prepend_changelog(NOTES, "2.1.0", "- `GET /owners` added")
    newer = ET.fromstring(feed.generate(SPEC, _settings(tmp_path, later)).content)
    assert [e.findtext(f"{ATOM}id") for e in newer.findall(f"{ATOM}entry")][1:] == ids
    assert feed.generate(SPEC, _settings(tmp_path)).content == content
    body = entries[0].findtext(f"{ATOM}content") or ""
    assert "<code>GET /pets</code>" in body and "<script>" not in body and "&lt;script&gt;" in body
    links = [(link.get("rel"), link.get("href")) for link in entries[0].findall(f"{ATOM}link")]
    assert links == [("alternate", "changelog.html#v2.0.0")]


def test_control_characters_cannot_break_the_feed(tmp_path: Path) -> None:
    notes = "## 1.0.0\n\n- bell \x07 and nul \x00 and \x1b[31m\n"
    root = ET.fromstring(feed.generate(SPEC, _settings(tmp_path, notes)).content)
    assert len(root.findall(f"{ATOM}entry")) == 1


def test_the_pipeline_reads_the_configured_release_notes(tmp_path: Path) -> None:
    (tmp_path / "NOTES.md").write_text("## 3.0.0\n\n- x\n", encoding="utf-8")
    settings = Settings(
        spec=tmp_path / "o.yaml", out_dir=tmp_path, project_dir=tmp_path, diff={"changelog": "NOTES.md"}
    )
    assert with_release_notes(settings).release_notes == "## 3.0.0\n\n- x\n"
    missing = Settings(spec=tmp_path / "o.yaml", out_dir=tmp_path, project_dir=tmp_path / "none")
    assert with_release_notes(missing).release_notes == ""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<b>x</b> & <i>", "<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;</p>"),
        ("&amp;lt;script&amp;gt;", "<p>&amp;lt;script&amp;gt;</p>"),
        (
            "[a](javascript:alert(1)) [b](JAVASCRIPT:x) [c](//evil) [d](https://ok/)",
            '<p>[a](javascript:alert(1)) b c <a href="https://ok/">d</a></p>',
        ),
        ("`<code>` **bold _em_**", "<p><code>&lt;code&gt;</code> <strong>bold <em>em</em></strong></p>"),
        ("# T\n\n- a\n- b\n\n1. c", "<h1>T</h1>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol>\n<li>c</li>\n</ol>"),
        (
            "| a | b |\n|---|---|\n| 1 \\| 2 | <x> |",
            "<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n"
            "<tr><td>1 | 2</td><td>&lt;x&gt;</td></tr>\n</tbody>\n</table>",
        ),
        (
            '```"><script>\n</pre><script>x\n```',
            '<pre><code class="language-script">&lt;/pre&gt;&lt;script&gt;x</code></pre>',
        ),
    ],
)
def test_markdown_renderer_escapes_everything_it_does_not_know(source: str, expected: str) -> None:
    assert markdown.render(source) == expected


def test_markdown_renderer_is_linear_on_pathological_input() -> None:
    import time

    started = time.perf_counter()
    markdown.render("*" * 20_000 + "\n" + "[" * 20_000 + "\n" + "`" * 20_000 + "\n" + "_a" * 10_000)
    assert time.perf_counter() - started < 2.0


def test_the_version_step_dates_a_release_once_and_the_feed_uses_that_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generators.diff.version import release_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")  # 2025-12-02T00:00:00Z
    assert release_date() == "2025-12-02"
    first = prepend_changelog("", "2.0.0", "- `GET /owners` removed", release_date())
    assert "## 2.0.0 - 2025-12-02\n" in first
    # the same release written again on a later day keeps the day it was released on
    again = prepend_changelog(first, "2.0.0", "- `GET /owners` removed", "2026-01-15")
    assert again == first
    later = prepend_changelog(first, "2.1.0", "- `GET /pets` added", "2026-01-15")
    assert later.index("## 2.1.0 - 2026-01-15") < later.index("## 2.0.0 - 2025-12-02")
    atom = feed.generate({"info": {"title": "Pets"}}, Settings(tmp_path, tmp_path, release_notes=later)).content
    assert b"<updated>2026-01-15T00:00:00Z</updated>" in atom and b"1970" not in atom
