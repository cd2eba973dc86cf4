"""The adoption commands: ``init`` a new project, ``split`` one file into the modular layout, ``stats``.

Registered on the ``atlas-spec`` group of ``commands.py`` when ``generators.cli`` is imported.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generators.cli.commands import cli, fail_safe, run_settings, spec_option
from generators.core.diagnostics import AtlasError
from generators.core.escape import for_terminal
from generators.core.paths import resolved
from generators.core.settings import config_in

if TYPE_CHECKING:  # the scaffold (and Jinja2) is imported only by `init` itself
    from generators.artefacts.scaffold import Plan


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--action", default=None, help="The action the workflow uses (default: this release's OWNER/REPO@TAG).")
@click.option(
    "--spec",
    "existing",
    default=None,
    help="An existing root file, relative to FOLDER: configured instead of writing a sample description.",
)
@fail_safe
def init(folder: Path, action: str | None, existing: str | None) -> None:
    """Set up an API project in FOLDER (spec/, settings, CI workflow); an existing file is never overwritten.

    In a repository that exists already, what is there is kept: the settings go to atlas-spec.toml when a
    pyproject.toml without them exists, and a description found at spec/openapi.yaml (or named with --spec)
    is configured instead of the sample.
    """
    from generators.artefacts.scaffold import DEFAULT_ACTION, scaffold
    from generators.writer import write_new_files

    plan = init_plan(folder, existing)
    for path in write_new_files(folder, scaffold(resolved(folder).name, action or DEFAULT_ACTION, plan)):
        click.echo(f"wrote {for_terminal(str(path))}", err=True)
    for kept in sorted(plan.keep):
        click.echo(f"kept {for_terminal(kept)}: it exists", err=True)
    click.echo("next: atlas-spec lint, atlas-spec build; commit the spec, build/ and the rest", err=True)


def init_plan(folder: Path, existing: str | None) -> Plan:
    """What ``init`` writes into ``folder``, given the files already there."""
    from generators.artefacts.scaffold import CONFIG, FILES, OWN_CONFIG, SAMPLE_SPEC, Plan

    spec = SAMPLE_SPEC
    if existing is not None:
        spec = _existing_spec(folder, existing)
    keep = frozenset(path for path in [*FILES, OWN_CONFIG] if os.path.lexists(folder / path))
    if config_in(folder) is not None:
        # configured already: its settings (and the description they name) stay as they are
        return Plan(None, spec, keep, sample=False)
    sample = existing is None and SAMPLE_SPEC not in keep  # never a sample mixed into a description that exists
    return Plan(OWN_CONFIG if CONFIG in keep else CONFIG, spec, keep, sample)


def _existing_spec(folder: Path, existing: str) -> str:
    relative = Path(existing)
    if relative.is_absolute():
        with contextlib.suppress(ValueError):
            relative = resolved(relative).relative_to(resolved(folder))
    where = folder / relative
    if relative.is_absolute() or ".." in relative.parts or not where.is_file() or not existing.isprintable():
        raise AtlasError.at(
            "init-spec",
            f"--spec {existing!r} is not a file inside {folder}",
            None,
            "name the root file of the existing description, relative to the project folder",
        )
    return relative.as_posix()


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="A new or empty folder.")
@click.option("--format", "fmt", type=click.Choice(("yaml", "json")), default=None, help="Default: the input's.")
@fail_safe
def split(spec: Path, out_dir: Path, fmt: str | None) -> None:
    """Split one description into the modular layout: a file per path item, component and webhook."""
    from generators.artefacts.model import Artefact
    from generators.bundle.split import split_spec
    from generators.writer import write_artefacts

    result = split_spec(resolved(spec), out_dir, fmt)
    write_artefacts(out_dir, [Artefact(path, content) for path, content in result.files.items()])
    click.echo(result.summary(out_dir), err=True)


@cli.command()
@spec_option
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@click.pass_context
@fail_safe
def stats(ctx: click.Context, spec: Path | None, fmt: str) -> None:
    """Count operations, paths, schemas, refs, files and the extensions used."""
    from generators.bundle.stats import configured_stats, render_stats

    click.echo(render_stats(configured_stats(run_settings(ctx, spec=spec)), fmt), nl=False)
