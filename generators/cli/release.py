"""The release commands: ``diff`` (the pull-request gate) and ``version`` (the semver bump and its notes).

Registered on the ``atlas-spec`` group of ``commands.py`` when ``generators.cli`` is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generators.cli.commands import cli, fail_safe, run_settings, spec_option
from generators.core.diagnostics import ExitCode
from generators.core.escape import for_terminal


@cli.command()
@click.argument("base", required=False)
@click.argument("revision", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json", "markdown", "github")), default="text", show_default=True
)
@click.option(
    "--fail-on",
    type=click.Choice(("breaking", "warning", "never")),
    default=None,
    help="Exit 1 when a change of this level is not acknowledged (default from [tool.atlas-spec.diff], else breaking).",
)
@click.option("--list-rules", is_flag=True, help="Print the rule catalogue (text, json or markdown) and exit.")
@click.pass_context
@fail_safe
def diff(
    ctx: click.Context, base: str | None, revision: str | None, fmt: str, fail_on: str | None, list_rules: bool
) -> None:
    """Breaking-change diff of BASE (default git:HEAD:build/<name>.openapi.json) against REVISION (default the
    spec root); each side is a file, git:REF or git:REF:PATH."""
    from generators.diff import run_diff
    from generators.diff.render import render_report, render_rules

    if list_rules:
        click.echo(render_rules(fmt), nl=False)
        return
    settings = run_settings(ctx)
    report, _, revision_side = run_diff(base, revision, settings, with_locations=True)
    click.echo(render_report(report, fmt), nl=False)
    level = fail_on or str(settings.diff.get("fail-on", "breaking"))
    failures = report.gate_failures(level)
    if failures:
        from generators.core.diagnostics import display_path
        from generators.diff.inputs import ack_file_for
        from generators.diff.policy import how_to_acknowledge

        click.echo(f"gate failed: {len(failures)} unacknowledged change(s) at or above --fail-on {level}", err=True)
        click.echo(how_to_acknowledge(failures, display_path(ack_file_for(settings, revision_side))), err=True)
        sys.exit(ExitCode.FINDINGS)


@cli.command()
@spec_option
@click.option("--base", "base", default=None, help="Released side to compare with (default as for 'diff').")
@click.option("--write", is_flag=True, help="Rewrite info.version in the root file and prepend CHANGELOG.md.")
@click.option(
    "--check", "check_only", is_flag=True, help="Write nothing; exit 1 when info.version was not raised far enough."
)
@click.pass_context
@fail_safe
def version(ctx: click.Context, spec: Path | None, base: str | None, write: bool, check_only: bool) -> None:
    """Compute the semver bump of info.version from the diff; with --write apply it and the release notes, with
    --check fail when the spec's info.version is lower than the change requires. Versions are MAJOR.MINOR.PATCH
    or MAJOR.MINOR; other schemes are refused."""
    from generators.diff import run_diff
    from generators.diff.version import check, plan, release_date
    from generators.diff.version import write as write_files

    if write and check_only:
        raise click.UsageError("--write and --check exclude each other")
    settings = run_settings(ctx, spec=spec)
    report, base_side, revision_side = run_diff(base, str(settings.spec), settings)
    if check_only:
        ok, message = check(report, base_side.document, revision_side.document, str(settings.spec), settings.ref_roots)
        click.echo(for_terminal(message), err=not ok)  # versions are spec text
        if not ok:
            sys.exit(ExitCode.FINDINGS)
        return
    changelog = settings.project_dir / str(settings.diff.get("changelog", "CHANGELOG.md"))
    result = plan(
        report, base_side.document, revision_side.document, settings.spec, changelog, release_date(), settings.ref_roots
    )
    click.echo(for_terminal(f"{result.base_version} -> {result.new_version} ({result.bump.label})"))
    if write:
        for path in write_files(result, revision_side.files):
            click.echo(f"wrote {path}", err=True)
    elif result.changes_files:
        click.echo("run with --write to update info.version and CHANGELOG.md", err=True)
