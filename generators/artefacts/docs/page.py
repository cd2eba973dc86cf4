"""Artefact: ``index.html``, the Redoc reference page with the spec inline and a link bar to the rest of the site.

Two ways to load Redoc: by default a ``<script>`` tag to the pinned standalone bundle on a CDN, checked by its
Subresource Integrity hash; or (``--redoc-js`` / ``redoc-js``) a local bundle inlined, for an offline page that
makes no request outside its own folder. A Content-Security-Policy meta tag lets only these scripts run.
Redoc renders the page's copy of the spec (``enrich.page_copy``: code samples, scopes and rate-class lines, the
error catalogue) and replaces a server-rendered plain reference (title, description, every operation, the files)
that stays when JavaScript is off or Redoc cannot load.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from generators.artefacts.docs import embedded
from generators.artefacts.docs.embedded import assemble, member_texts, safe_links, whole_text
from generators.artefacts.docs.enrich import page_copy
from generators.artefacts.docs.options import REDOC_JS_KEY, docs_config
from generators.artefacts.docs.site import info_of, links, text_of
from generators.artefacts.model import Artefact
from generators.artefacts.registry import kind
from generators.core import forking
from generators.core.diagnostics import AtlasError, Location
from generators.core.files import read_text
from generators.core.jsonout import dump_compact_ascii
from generators.core.operations import METHODS_3_1, document_operations, http_method
from generators.core.paths import resolved
from generators.core.settings import Settings, artefact_name

PAGE = kind("docs").file_name("")
# 2.5.2 by evidence (issue 15): Redoc CE 3.0.1 cannot be installed from npm (its dependency
# @redocly/redoc-opentelemetry@^0.5.1 is not published), reports telemetry unless disabled, ships an ES module
# (no SRI on a classic script tag) and renames options; see README "Docs page and preview".
REDOC_VERSION = "2.5.2"
# jsDelivr serves the npm tarball's files byte for byte, so the SRI hash of the npm file holds for the CDN copy.
REDOC_CDN_URL = f"https://cdn.jsdelivr.net/npm/redoc@{REDOC_VERSION}/bundles/redoc.standalone.js"
REDOC_SRI = "sha384-70P5pmIdaQdVbxvjhrcTDv1uKcKqalZ3OHi7S2J+uzDl0PW8dO6L+pHOpm9EEjGJ"

# Redoc 2.x renders its footer logo from this URL whatever the options say; an inlined page must not call
# out for it, so the inlined bundle gets an empty image instead (the footer's onError handler then hides it).
REDOC_LOGO_URL = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_EMPTY_IMAGE = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"

# Runs Redoc on the embedded spec; options and spec are data elements, so this text (and its hash) never changes.
INIT_SCRIPT = (
    "(function () {\n"
    "  function data(id) { return JSON.parse(document.getElementById(id).textContent); }\n"
    '  Redoc.init(data("atlas-spec"), data("atlas-redoc-options"), document.getElementById("redoc"));\n'
    "})();\n"
)

# str.replace per character: an order of magnitude faster than str.translate on a 13 MB spec.
_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))
# Where the spec's text goes in the rendered page (made unique if the page holds it elsewhere).
_SLOT = "<atlas-spec-embedded-json>"
# What would end a script element early (``</script``) or start the HTML parser's "escaped" state (``<!--``).
_SCRIPT_BREAKERS = re.compile(r"<(?=/script|!--)", re.IGNORECASE)


@dataclass(frozen=True)
class Banner:
    """Findings shown above the reference (the ``serve`` preview): a summary line and one text per finding,
    already safe for a terminal (the template escapes them for HTML)."""

    summary: str
    findings: tuple[str, ...] = ()
    more: int = 0  # findings left out of the page
    open: bool = True  # unfolded (errors); warnings alone start folded, one line above the reference
    checking: bool = False  # the findings of this spec are not known yet (the preview is still checking it)


@dataclass(frozen=True)
class Live:
    """The preview's own script (``serve``), run after Redoc's, and its state as a data element (``#atlas-live``)."""

    script: str
    state: Any


def generate(spec: dict[str, Any], settings: Settings, available: Collection[str] | None = None) -> Artefact:
    """The docs page for ``spec`` (``site_page``'s, the artefact generator's signature)."""
    return site_page(spec, settings, available)[0]


def site_page(
    spec: dict[str, Any],
    settings: Settings,
    available: Collection[str] | None = None,
    banner: Banner | None = None,
    live: Live | None = None,
    spec_json: str | None = None,
    others: Callable[[], list[Artefact]] = list,
) -> tuple[Artefact, list[Artefact]]:
    """The docs page for ``spec``, and ``others()`` (the site's other pages), made on two cores when it can fork;
    deterministic bytes for the same spec, settings and Redoc bundle.

    ``available`` (file names) limits the link bar to files that exist beside the page; None links every file of
    the site, which ``build`` writes together. Only the preview passes ``banner`` (findings to show above the
    reference), ``live`` (its script, allowed by the CSP) and ``spec_json`` (``page_spec_json`` of this spec,
    made once per preview build); a build never does.

    A forked worker renders the page around the spec (templates, the plain reference, the Redoc bundle) and
    calls ``others`` while this process makes the page's copy of the spec (code samples) and writes its text.
    When the worker cannot start or dies, this process does its share: the bytes never depend on it. (GitHub:
    the worker's share takes 0.10-0.14 s, this one's about 0.1 s, of which the spec's text is 0.04 s.)
    """

    def share() -> Share:
        return Share(shell(spec, settings, available, banner, live), others())

    worker = forking.start(share)
    try:
        if spec_json is None:
            copy = page_copy(spec, artefact_name(settings, spec))
            texts = member_texts(copy, copy.keys())
        done = worker.result() if worker is not None else None
        if not isinstance(done, Share):
            done = share()
    finally:
        if worker is not None:
            worker.close()
    if spec_json is not None:
        body = [spec_json.encode("ascii")]
    else:
        body = (None if texts is None else assemble(copy, texts)) or [whole_text(copy)]
    head, tail = done.shell
    return Artefact(PAGE, b"".join([head, *body, tail])), done.others


@dataclass(frozen=True)
class Share:
    """The worker's share of ``site_page``: the page before and after the spec, the other pages."""

    shell: tuple[bytes, bytes]
    others: list[Artefact]


def shell(
    spec: dict[str, Any],
    settings: Settings,
    available: Collection[str] | None = None,
    banner: Banner | None = None,
    live: Live | None = None,
) -> tuple[bytes, bytes]:
    """The page before and after the spec's text (UTF-8): everything but the spec, rendered by the template."""
    from markupsafe import Markup

    from generators.artefacts.templating import environment

    config = docs_config(settings)
    info = spec.get("info") if isinstance(spec.get("info"), dict) else {}
    assert isinstance(info, dict)
    title = _text(info.get("title")) or "API reference"
    init = INIT_SCRIPT
    if config.redoc_js is not None:
        redoc = script_js(read_redoc_bundle(config.redoc_js).replace(REDOC_LOGO_URL, _EMPTY_IMAGE))
        script_src = [csp_hash(redoc), csp_hash(init)]
    else:
        redoc = None
        script_src = [REDOC_CDN_URL, csp_hash(init)]
    if live is not None:
        script_src.append(csp_hash(live.script))
    name = artefact_name(settings, spec)
    site_links = links(name, "docs", available)
    feed = kind("changelog-feed").file_name(name)
    template = environment().get_template("redoc.html.jinja")
    values = {
        "title": title,
        "description": _summary(_text(info.get("description"))),
        "csp": content_security_policy(script_src),
        "links": site_links,
        "feed": next((item for item in site_links if item["file"] == feed), None),
        "fallback": fallback(spec),
        "options_json": Markup(script_json(config.redoc_options)),
        "redoc_inline": None if redoc is None else Markup(redoc),
        "redoc_url": REDOC_CDN_URL,
        "redoc_sri": REDOC_SRI,
        "init_script": Markup(init),
        "banner": banner,
        "live_script": None if live is None else Markup(live.script),
        "live_state": None if live is None else Markup(script_json(live.state)),
    }
    slot = _SLOT
    while True:  # a slot the rest of the page does not hold (spec text could, in theory)
        page = template.render(spec_json=Markup(slot), **values)
        if page.count(slot) == 1:
            head, tail = page.split(slot)
            return head.encode("utf-8"), tail.encode("utf-8")
        slot += "-"


def not_in_viewer(spec: dict[str, Any]) -> list[str]:
    """The operations (``QUERY /pets``) Redoc does not show: it knows the eight methods of OpenAPI 3.0 and 3.1, not
    3.2's ``query`` and ``additionalOperations``. They are in the page's overview and in every download."""
    return [
        f"{http_method(method)} {path}"
        for section in ("paths", "webhooks")
        for path, method, _, _ in document_operations(spec, section)
        if method not in METHODS_3_1
    ]


def fallback(spec: dict[str, Any]) -> dict[str, Any]:
    """What the page shows before Redoc runs, or when it cannot: title, version, description, every operation."""
    from markupsafe import Markup

    from generators.artefacts.docs import markdown

    info = info_of(spec)
    operations = [
        {"method": http_method(method), "path": path, "summary": text_of(op.get("summary") or op.get("operationId"))}
        for path, method, op, _ in document_operations(spec)
    ]
    return {
        "version": text_of(info.get("version")),
        "description": Markup(markdown.render(text_of(info.get("description")))),  # escaped by the renderer
        "operations": operations,
    }


def script_json(document: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` (nothing closes the element) and no U+2028/9."""
    return _escape_json(_compact_json(document))


def spec_script_json(spec: dict[str, Any], dump: Callable[[Any], str] | None = None) -> str:
    """``script_json(safe_links(spec))``, written again only when a link field really was dropped.

    ``dump``: writes ``dump_compact_ascii``'s text (the preview passes one that reuses the text of unchanged parts).
    """
    dump = dump or _compact_json
    text = dump(spec)
    if embedded.has_unsafe_link(text.encode("ascii")):
        cleaned = safe_links(spec)
        if cleaned is not spec:
            text = dump(cleaned)
    return _escape_json(text)


def page_spec_json(spec: dict[str, Any], name: str, dump: Callable[[Any], str] | None = None) -> str:
    """The JSON the page embeds for ``spec`` (its own copy, ``enrich.page_copy``; the preview also serves it)."""
    return spec_script_json(page_copy(spec, name), dump)


def _compact_json(document: Any) -> str:
    # ASCII output: U+2028/U+2029 come out escaped, and replacing in a 1-byte-per-character string is fast.
    return dump_compact_ascii(document)


def _escape_json(text: str) -> str:
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return text


def script_js(source: str) -> str:
    """JavaScript safe inside ``<script>``: every ``</script`` and ``<!--`` gets its ``<`` written as ``\\x3C``.

    That escape means ``<`` in strings, template literals and regular expressions (also with the ``u`` flag),
    where these sequences occur in real bundles; an already escaped ``\\<`` is replaced whole. (A search for
    the ``<`` alone, the backslashes before it counted after: a pattern starting with them scans 40x slower.)
    """
    parts = []
    done = 0
    for match in _SCRIPT_BREAKERS.finditer(source):
        at = match.start()
        slashes = 0
        while source[at - slashes - 1 : at - slashes] == "\\":
            slashes += 1
        parts += [source[done : at - slashes % 2], "\\x3C"]  # an odd backslash escaped the "<": both go
        done = at + 1
    return "".join(parts) + source[done:] if parts else source


def csp_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def sri_hash(content: bytes) -> str:
    """A Subresource Integrity value (sha384) for ``content``."""
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode("ascii")


def content_security_policy(script_src: list[str]) -> str:
    """Only the given scripts run; images and fonts only from the page's folder; no connections, no plugins.

    ``style-src 'unsafe-inline'`` because Redoc injects its styles at run time; ``worker-src blob:`` because
    its search index runs in a worker built from a Blob.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(script_src),
            "style-src 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src blob:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )


def read_redoc_bundle(path: Path) -> str:
    """The text of a local Redoc bundle (an input asset, like a template); AtlasError when it is unusable."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise AtlasError.at(
            "redoc-js",
            f"cannot read the Redoc bundle: {exc.strerror}",
            Location(str(path)),
            f"point --redoc-js at node_modules/redoc/bundles/redoc.standalone.js (redoc {REDOC_VERSION})",
        ) from None
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_cached(path: Path, mtime_ns: int, size: int) -> str:
    # The preview server rebuilds often; the 1 MB bundle is read again only when it changes (mtime/size key).
    try:
        text = read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise AtlasError.at("redoc-js", f"cannot read the Redoc bundle: {exc}", Location(str(path))) from None
    if "Redoc" not in text:
        raise AtlasError.at(
            "redoc-js",
            "this file does not look like a Redoc standalone bundle",
            Location(str(path)),
            f"use node_modules/redoc/bundles/redoc.standalone.js (redoc {REDOC_VERSION})",
        )
    return text


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _summary(description: str) -> str:
    """The first paragraph, on one line, for the description meta tag."""
    first = description.split("\n\n", 1)[0]
    return " ".join(first.split())[:300]


def with_redoc_js(settings: Settings, path: Path | None) -> Settings:
    """Settings whose docs page inlines the Redoc bundle at ``path`` (the ``--redoc-js`` flag); None: unchanged."""
    if path is None:
        return settings
    return replace(settings, docs={**settings.docs, REDOC_JS_KEY: str(resolved(path))})
