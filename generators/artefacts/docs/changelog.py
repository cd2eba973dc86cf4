"""Artefact: ``changelog.html``, the release notes (CHANGELOG.md) as a page of the docs site.

The Markdown is rendered here, at build time, by the small safe renderer (raw HTML in it is shown as text, link
targets other than web, mail or relative URLs are dropped). The page runs no script at all: its Content Security
Policy allows only its own style element (by hash) and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from generators.artefacts.docs.site import info_of, links, releases, sha256_source, text_of
from generators.artefacts.model import Artefact
from generators.artefacts.registry import kind
from generators.core.settings import Settings, artefact_name

STYLE = """
body { margin: 0; font: 15px/1.55 system-ui, sans-serif; color: #1f2937; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
.atlas-links { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem; padding: 0.6rem 1.25rem;
  border-bottom: 1px solid #e5e7eb; background: #fafafa; font-size: 14px; }
.atlas-links strong { margin-right: auto; }
.atlas-links a { color: #32329f; text-decoration: none; }
.atlas-links a:hover { text-decoration: underline; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #e5e7eb; }
h3 { font-size: 1.05rem; }
code { background: #f3f4f6; padding: 0 0.25rem; border-radius: 3px; font-size: 0.9em; }
pre { background: #f3f4f6; padding: 0.75rem 1rem; overflow: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #e5e7eb; padding: 0.3rem 0.6rem; }
"""


def generate(spec: dict[str, Any], settings: Settings, available: Collection[str] | None = None) -> Artefact:
    """The changelog page: one section per release, newest first as written (``available``: as for the page)."""
    from markupsafe import Markup  # here: the docs command renders this page in its worker, which imports Jinja

    from generators.artefacts.docs import markdown
    from generators.artefacts.templating import environment

    name = artefact_name(settings, spec)
    title = text_of(info_of(spec).get("title")) or name
    preamble, found = releases(settings.release_notes or "")
    sections = [
        {
            "anchor": release.anchor,
            "heading": release.heading,
            "html": Markup(markdown.render(release.notes)),  # escaped by the renderer
        }
        for release in found
    ]
    style = STYLE.lstrip("\n")
    page = (
        environment()
        .get_template("changelog.html.jinja")
        .render(
            title=title,
            csp=content_security_policy(style),
            style=Markup(style),
            links=links(name, "changelog", available),
            feed=kind("changelog-feed").file_name(name),
            preamble=Markup(markdown.render(preamble)),
            sections=sections,
        )
    )
    return Artefact.text(kind("changelog").file_name(name), page)


def content_security_policy(style: str) -> str:
    """No script, no connection, no plugin; the page's one style element by hash; images only from its folder."""
    return "; ".join(
        [
            "default-src 'none'",
            f"style-src {sha256_source(style)}",
            "img-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )
