"""The one jinja2 Environment factory: autoescape for HTML, StrictUndefined, tested filters."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2


def templates_dir() -> Path:
    """Where the templates live: ``generators/templates`` when installed, ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


@functools.cache
def environment() -> jinja2.Environment:
    """A strict environment; ``.html.jinja`` templates are autoescaped, others are not.

    One per process: a template is compiled once (a compile costs milliseconds, the page and changelog share
    their link bar); the loader still notices an edited template file.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.jinja", "html"), default_for_string=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
