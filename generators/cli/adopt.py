"""The adoption commands: ``init`` a new project, ``split`` one file into the modular layout, ``stats``.

Registered on the ``atlas-spec`` group of ``commands.py`` when ``generators.cli`` is imported.
"""

from __future__ import annotations

from pathlib import Path

import click

from generators.cli.commands import cli, fail_safe, run_settings, spec_option


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option("--action", default=None, help="The action the workflow uses (default: this release's OWNER/REPO@TAG).")
@fail_safe
def init(folder: Path, action: str | None) -> None:
    """Start a modular API project in FOLDER (spec/, pyproject.toml, CI workflow); never overwrites a file."""
    from generators.artefacts.scaffold import DEFAULT_ACTION, scaffold
    from generators.writer import write_new_files

    for path in write_new_files(folder, scaffold(folder.resolve().name, action or DEFAULT_ACTION)):
        click.echo(f"wrote {path}", err=True)
    click.echo("next: atlas-spec build, atlas-spec lint; commit spec/, build/ and the rest", err=True)


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

    result = split_spec(spec.resolve(), out_dir, fmt)
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
