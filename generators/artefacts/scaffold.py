"""`atlas-spec init`: the files of a new modular API project, rendered from the packaged ``init_*`` templates.

The project builds and lints clean as generated: a root file with one tag, one path item in ``spec/paths/``,
one schema in ``spec/components/schemas/``, ``[tool.atlas-spec]`` in ``pyproject.toml``, the pull-request
workflow using this repository's action, and a ``.gitignore``. In a folder that already holds a repository
(``Plan``), files that exist are kept, the settings go to ``atlas-spec.toml`` when a ``pyproject.toml`` without
them exists, and an existing description is configured instead of the sample.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generators import __version__
from generators.artefacts.model import Artefact
from generators.artefacts.templating import environment
from generators.core.diagnostics import AtlasError
from generators.core.settings import OWN_FILE, PYPROJECT

# The GitHub repository of atlas-spec, whose action.yml the generated workflow uses (override with --action).
ACTION_REPOSITORY = "wrxstack/atlas-spec"
DEFAULT_ACTION = f"{ACTION_REPOSITORY}@v{__version__}"

CONFIG = PYPROJECT
OWN_CONFIG = OWN_FILE  # where a pyproject.toml exists without a [tool.atlas-spec] table
SAMPLE_SPEC = "spec/openapi.yaml"
SAMPLE = {
    SAMPLE_SPEC: "init_openapi.yaml.jinja",
    "spec/paths/things_{thingId}.yaml": "init_path.yaml.jinja",
    "spec/components/schemas/Thing.yaml": "init_schema.yaml.jinja",
}
FILES = {
    **SAMPLE,
    CONFIG: "init_pyproject.toml.jinja",
    ".github/workflows/api.yml": "init_workflow.yml.jinja",
    ".gitignore": "init_gitignore.jinja",
}
_WORD = r"[A-Za-z0-9_.-]+"
_ACTION = re.compile(rf"^(?:{_WORD}/{_WORD}(?:/[A-Za-z0-9_./-]+)?@[A-Za-z0-9_./-]+|\./[A-Za-z0-9_./-]*)$")


@dataclass(frozen=True)
class Plan:
    """What ``init`` writes into a folder that may already hold a repository.

    ``config``: the file for the settings (``pyproject.toml``, ``atlas-spec.toml``, or None when the folder is
    configured already); ``spec``: the root file the settings name; ``sample``: write the sample description
    (its files that exist are kept); ``keep``: files that exist and are left as they are.
    """

    config: str | None = CONFIG
    spec: str = SAMPLE_SPEC
    keep: frozenset[str] = frozenset()
    sample: bool = True


def project_name(folder_name: str) -> str:
    """An artefact base name from the project folder's name: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", folder_name.lower()).strip("-")[:60] or "api"


def scaffold(name: str, action: str = DEFAULT_ACTION, plan: Plan | None = None) -> list[Artefact]:
    """The project's files, paths relative to its folder (those of ``plan.keep`` left out)."""
    plan = plan or Plan()
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
    values = {
        "name": name,
        "title": title,
        "action": action,
        "spec": _toml_text(plan.spec),
        "table": "tool.atlas-spec." if plan.config == CONFIG else "",
    }
    wanted = {path: template for path, template in FILES.items() if path not in SAMPLE or plan.sample}
    del wanted[CONFIG]
    if plan.config is not None:
        wanted[plan.config] = FILES[CONFIG]
    return [
        Artefact.text(path, env.get_template(template).render(values))
        for path, template in wanted.items()
        if path not in plan.keep
    ]


def _toml_text(text: str) -> str:
    """``text`` as the inside of a TOML basic string (the path of a root file the user named)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
