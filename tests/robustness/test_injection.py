"""A spec whose texts try to break out of the docs page or the Postman scripts: they stay data.

Built through the CLI; the page is parsed as a browser's tokenizer would (html.parser): the only scripts are
ours, the spec JSON parses back to the bundled document, no tag gets an event handler or a javascript: URL,
and template syntax in spec texts is never evaluated. Every script of the collection is identical to a
benign spec's: no spec text reaches JavaScript.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from generators.artefacts.docs.enrich import page_copy

from .cliutil import assert_no_crash, cli, make_tree, tree_hash

BREAKOUT = "</script><script>alert('pwn')</script><img src=x onerror=alert(1)><!--"
HOSTILE = f"""\
openapi: 3.1.0
info:
  title: "</title><script>alert('title')</script>{{{{7*7}}}}"
  version: "1.0"
  description: "{BREAKOUT} ${{alert(2)}} `backtick` \\u2028\\u2029 {{% raw %}} ]]>"
  contact: {{name: x, url: "javascript:alert(3)", email: "a@b.c"}}
  license: {{name: "MIT</a><script>alert(4)</script>", url: "javascript:alert(5)"}}
servers:
  - url: "https://api.test/v1"
    description: "{BREAKOUT}"
security: []
tags:
  - name: "T</script><script>alert(6)</script>"
    description: "{BREAKOUT}"
    externalDocs: {{url: "javascript:alert(7)"}}
paths:
  /items:
    post:
      operationId: "create');alert(8);//"
      summary: "{BREAKOUT}"
      description: "\\"; alert(9); var x = \\""
      tags: ["T</script><script>alert(6)</script>"]
      parameters:
        - name: "q'\\"</script><script>alert(10)</script>"
          in: query
          description: "{BREAKOUT}"
          schema: {{type: string, default: "{BREAKOUT}"}}
        - name: Idempotency-Key
          in: header
          schema: {{type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                "</script>": {{type: string, example: "{BREAKOUT}"}}
      responses:
        '201': {{description: "{BREAKOUT}"}}
        '400': {{description: bad}}
"""
BENIGN = """\
openapi: 3.1.0
info: {title: Benign, version: "1.0", description: plain, contact: {email: a@b.c}, license: {name: MIT}}
servers: [{url: "https://api.test/v1"}]
security: []
tags: [{name: T, description: plain}]
paths:
  /items:
    post:
      operationId: createItem
      summary: Create
      tags: [T]
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string}}
      responses:
        '201': {description: ok}
        '400': {description: bad}
"""


class Page(HTMLParser):
    """Every tag with its attributes, and the text of each script, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "title"):
            self._in = tag
            if tag == "script":
                self.scripts.append((dict(attrs), ""))

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in == "title":
            self.title += data


PYPROJECT = """\
[tool.atlas-spec]
name = "api"

[tool.atlas-spec.lint.rules]
operation-operationId-url-safe = "off"
"""


def build(folder: Path, spec: str) -> Path:
    make_tree(folder, {"spec/openapi.yaml": spec, "pyproject.toml": PYPROJECT})
    before = tree_hash(folder / "spec")
    result = cli("build", "--spec", "spec/openapi.yaml", "--out", "out", cwd=folder)
    assert_no_crash(result)
    assert result.returncode == 0, result.stderr
    assert tree_hash(folder / "spec") == before
    return folder / "out"


def parse(page: Path) -> Page:
    parser = Page()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def scripts_of(collection: Any) -> list[str]:
    found = []
    if isinstance(collection, dict):
        for event in collection.get("event", []):
            found.append("\n".join(event["script"]["exec"]))
        for item in collection.get("item", []):
            found.extend(scripts_of(item))
    return found


def test_spec_texts_cannot_break_out_of_the_docs_page(tmp_path: Path) -> None:
    out = build(tmp_path / "hostile", HOSTILE)
    benign = parse(build(tmp_path / "benign", BENIGN) / "index.html")
    page = parse(out / "index.html")
    # the same scripts as a benign page: two JSON data blocks, Redoc, our init code (byte-identical)
    assert [attrs for attrs, _ in page.scripts] == [attrs for attrs, _ in benign.scripts]
    assert page.scripts[-1][1] == benign.scripts[-1][1]
    data = {attrs.get("id"): text for attrs, text in page.scripts if attrs.get("type") == "application/json"}
    embedded, bundled = json.loads(data["atlas-spec"]), json.loads((out / "api.openapi.json").read_text())
    # the hostile texts, intact, as data (in the page's copy: plus code samples and facts lines, see docs/enrich.py)
    assert embedded["paths"] == page_copy(bundled, "api")["paths"]
    assert embedded["info"]["title"] == bundled["info"]["title"]
    assert embedded["info"]["description"] == bundled["info"]["description"]
    json.loads(data["atlas-redoc-options"])
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not str(attrs.get(name) or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert "javascript:" not in data["atlas-spec"]  # contact, license and externalDocs URLs are dropped
    assert page.title.startswith("</title><script>alert('title')</script>")
    assert "{{7*7}}" in page.title and "49" not in page.title  # never evaluated as a template


def test_spec_texts_never_reach_the_postman_scripts(tmp_path: Path) -> None:
    hostile = json.loads((build(tmp_path / "hostile", HOSTILE) / "api.postman_collection.json").read_text())
    benign = json.loads((build(tmp_path / "benign", BENIGN) / "api.postman_collection.json").read_text())
    scripts = scripts_of(hostile)
    assert scripts, "the collection has its idempotency scripts"
    assert sorted(set(scripts)) == sorted(set(scripts_of(benign)))
    assert not any("alert" in script for script in scripts)
