"""The published site: every link of every page, crawled from index.html, resolves to a file of the site."""

from __future__ import annotations

import html.parser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from docs_site import FIXTURES, build_site

from generators.artefacts.registry import ARTEFACTS
from generators.cli import cli
from tests.conftest import REPO

NAME = "atlas-public-api"


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for key in ("href", "src"):
            value = found.get(key)
            if value and tag in ("a", "link", "script", "img"):
                self.links.append(value)


def crawl(folder: Path, start: str = "index.html") -> tuple[set[str], list[str]]:
    """Every site file reached from ``start`` through relative links, and the links that lead nowhere."""
    seen: set[str] = set()
    broken: list[str] = []
    pending = [start]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if not name.endswith(".html"):
            continue
        page = _Links()
        page.feed((folder / name).read_text(encoding="utf-8"))
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("data:"):
                continue  # outside the site (checked by the page tests: only the pinned CDN script)
            target = unquote(parts.path) or name
            if not (folder / target).is_file():
                broken.append(f"{name}: {link}")
            elif parts.fragment and target.endswith(".html"):
                anchors = _Links()
                anchors.feed((folder / target).read_text(encoding="utf-8"))
                if parts.fragment not in anchors.ids:
                    broken.append(f"{name}: {link} (no such anchor)")
            pending.append(target)
    return seen, broken


def test_the_committed_build_folder_is_a_site_whose_links_all_resolve() -> None:
    seen, broken = crawl(REPO / "build")
    assert broken == []
    expected = {entry.file_name(NAME) for entry in ARTEFACTS}
    assert seen == expected, "every artefact is reachable from index.html"


def test_a_fresh_build_of_a_fixture_is_a_site_too(tmp_path: Path) -> None:
    build_site(FIXTURES / "petstore" / "openapi.yaml", tmp_path, None, name="petstore")
    seen, broken = crawl(tmp_path)
    assert broken == []
    assert seen == {entry.file_name("petstore") for entry in ARTEFACTS}
    assert crawl(tmp_path, "changelog.html")[1] == []


@pytest.mark.parametrize("page", ["index.html", "reference.html"])
def test_docs_elsewhere_links_only_what_it_writes(tmp_path: Path, page: str) -> None:
    out = tmp_path / "elsewhere" / page
    spec = FIXTURES / "petstore" / "openapi.yaml"
    result = CliRunner().invoke(cli, ["docs", "--spec", str(spec), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.parent.iterdir()) == sorted([page, "changelog.html", "changelog.xml"])
    assert "no download links to" in result.output
    for start in (page, "changelog.html"):
        assert crawl(out.parent, start)[1] == []
    # Once a build has put the downloads there, docs links them (named after the fixture's title: this
    # repository's configuration names another spec, so it is not the fixture's).
    build_site(spec, out.parent, None, name="petstore-fixture")
    CliRunner().invoke(cli, ["docs", "--spec", str(spec), "-o", str(out)])
    assert 'download="petstore-fixture.openapi.json"' in out.read_text(encoding="utf-8")
