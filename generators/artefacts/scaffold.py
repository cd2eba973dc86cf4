"""`atlas-spec init`: the files of a new modular API project, rendered from the packaged ``init_*`` templates.

The project builds and lints clean as generated: a root file with one tag, one path item in ``spec/paths/``,
one schema in ``spec/components/schemas/``, ``[tool.atlas-spec]`` in ``pyproject.toml``, the pull-request
workflow using this repository's action, and a ``.gitignore``.
"""

from __future__ import annotations

import re

from generators import __version__
from generators.artefacts.model import Artefact
from generators.artefacts.templating import environment
from generators.core.diagnostics import AtlasError

# The GitHub repository of atlas-spec, whose action.yml the generated workflow uses (override with --action).
ACTION_REPOSITORY = "wrxstack/atlas-spec"
DEFAULT_ACTION = f"{ACTION_REPOSITORY}@v{__version__}"

FILES = {
    "spec/openapi.yaml": "init_openapi.yaml.jinja",
    "spec/paths/things_{thingId}.yaml": "init_path.yaml.jinja",
    "spec/components/schemas/Thing.yaml": "init_schema.yaml.jinja",
    "pyproject.toml": "init_pyproject.toml.jinja",
    ".github/workflows/api.yml": "init_workflow.yml.jinja",
    ".gitignore": "init_gitignore.jinja",
}
_WORD = r"[A-Za-z0-9_.-]+"
_ACTION = re.compile(rf"^(?:{_WORD}/{_WORD}(?:/[A-Za-z0-9_./-]+)?@[A-Za-z0-9_./-]+|\./[A-Za-z0-9_./-]*)$")


def project_name(folder_name: str) -> str:
    """An artefact base name from the project folder's name: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", folder_name.lower()).strip("-")[:60] or "api"


def scaffold(name: str, action: str = DEFAULT_ACTION) -> list[Artefact]:
    """The project's files, paths relative to its folder."""
    if not _ACTION.match(action):
        raise AtlasError.at(
            "init-action",
            f"--action {action!r} is not an action reference",
            None,
            "write OWNER/REPO@REF (e.g. wrxstack/atlas-spec@v0.1.0) or ./PATH",
        )
    name = project_name(name)
    title = " ".join(word.capitalize() for word in name.split("-")) + " API"
    env = environment()
    values = {"name": name, "title": title, "action": action}
    return [Artefact.text(path, env.get_template(template).render(values)) for path, template in FILES.items()]
