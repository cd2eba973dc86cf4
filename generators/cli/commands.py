"""The ``atlas-spec`` commands: each loads settings, calls the library, prints findings and picks the exit code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from generators import __version__
from generators.cli.output import input_error, print_findings, report_build, write_output
from generators.cli.process import fail_safely, keep_until_exit, long_running
from generators.core.diagnostics import AtlasError, ExitCode, Location, Severity
from generators.core.escape import for_terminal
from generators.core.report import FORMATS
from generators.core.settings import Settings, load_settings

if TYPE_CHECKING:
    from generators.bundle.bundler import BundledSpec

spec_option = click.option(
    "--spec",
    "spec",
    type=click.Path(path_type=Path),
    default=None,
    help="Root file of the spec (default from the configuration, else spec/openapi.yaml); the configuration is "
    "looked for from its folder upwards.",
)


redoc_js_option = click.option(
    "--redoc-js",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Inline this Redoc standalone bundle (an offline, self-contained page) instead of the pinned CDN script.",
)


max_problems_option = click.option(
    "--max-problems",
    type=click.IntRange(min=0),
    default=None,
    help="Print at most N findings (the exit code and the summary still count them all).",
)
# A click exit or usage error raised inside a command is click's to report, not an internal error; input errors
# of the commands that report findings are findings, in their --format, on stdout (cli/output.py).
fail_safe = fail_safely(passthrough=(click.exceptions.Exit, click.ClickException), report=input_error)


def run_settings(ctx: click.Context, spec: Path | None = None, **flags: Any) -> Settings:
    """The run's settings, resolved once: the configuration found from ``--spec`` (else the working folder) or
    given by ``--config``, then the command's flags over it."""
    config = ctx.find_root().params.get("config")
    settings = load_settings(spec=spec, config_file=config)
    if spec is None and settings.config_file is None:  # what `redocly lint` would lint here, if nothing else
        from generators.lint.peers import redocly_project  # (the lint package: 50 ms no other run pays)

        settings = redocly_project(settings, Path.cwd())
    for note in settings.notes:
        click.echo(for_terminal(note), err=True)
    return settings.with_overrides(**flags)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="atlas-spec")
@click.option(
    "--config",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Configuration file: a pyproject.toml with [tool.atlas-spec], or an atlas-spec.toml (default: the nearest "
    "one above the --spec root file, else above the working folder).",
)
def cli(config: Path | None) -> None:
    """Bundle, validate, lint and publish a modular OpenAPI 3.x description."""


@cli.command()
@spec_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write here instead of stdout ('-' for stdout).",
)
@click.option("--format", "fmt", type=click.Choice(("json", "yaml")), default=None, help="Default: -o's suffix, json.")
@click.option("--dereference", is_flag=True, help="Inline every $ref except those that close a cycle.")
@click.option("--remove-unused-components", is_flag=True, help="Drop components nothing refers to.")
@click.pass_context
@fail_safe
def bundle(
    ctx: click.Context,
    spec: Path | None,
    output: Path | None,
    fmt: str | None,
    dereference: bool,
    remove_unused_components: bool,
) -> None:
    """Bundle the modular source into one JSON (or YAML 1.2-safe YAML) document."""
    settings = run_settings(ctx, spec=spec)
    bundled = _bundled(settings, dereference, remove_unused_components, artefact=True)
    to_stdout = output is None or str(output) == "-"
    fmt = fmt or ("json" if output is None or to_stdout else output.suffix.lower().lstrip(".") or "json")
    if fmt in ("yaml", "yml"):  # PyYAML's emitter is imported only for YAML output (10 ms of a JSON bundle)
        from generators.core.yamlout import dump_yaml_bytes

        draft, final = dump_yaml_bytes(bundled.document), None
    else:
        from generators.core.jsonout import dump_json_draft

        draft, final = dump_json_draft(bundled.document)  # the draft is written while its floats are checked
    if output is None or to_stdout:
        click.echo(final() if final is not None else draft, nl=False)
        return
    write_output(output, [draft], bundled, final)
    click.echo(f"bundled {settings.spec} -> {output}", err=True)


@cli.command()
@spec_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@max_problems_option
@click.pass_context
@fail_safe
def validate(ctx: click.Context, spec: Path | None, fmt: str, max_problems: int | None) -> None:
    """Check the spec against the OpenAPI 3.0/3.1 structure; every error at its source line."""
    from generators.validate.structural import validate_bundle

    settings = run_settings(ctx, spec=spec)
    diagnostics = validate_bundle(_bundled(settings))
    print_findings(diagnostics, fmt, max_problems)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        click.echo(f"{len(diagnostics)} problem(s) found", err=True)
        sys.exit(ExitCode.FINDINGS)
    click.echo(f"{for_terminal(str(settings.spec))}: valid", err=True)


@cli.command()
@spec_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default from the configuration, else build/ beside it or beside the spec root).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing every artefact that differs on disk.")
@click.option(
    "--fail-on",
    type=click.Choice(("error", "warning", "never")),
    default=None,
    help="Lint findings of this level or worse stop the build (default from [tool.atlas-spec.build], else error); "
    "structural errors always stop it.",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@max_problems_option
@click.pass_context
@fail_safe
def build(
    ctx: click.Context,
    spec: Path | None,
    out_dir: Path | None,
    check: bool,
    fail_on: str | None,
    fmt: str,
    max_problems: int | None,
) -> None:
    """Validate and lint, then write every artefact atomically (nothing is written when the gate stops it).
    Findings go to stdout in --format, what was written (or is stale) to stderr."""
    from generators.pipeline import build as run_build
    from generators.pipeline import fail_on_level

    settings = run_settings(ctx, spec=spec, out_dir=out_dir)
    level = fail_on_level(settings, fail_on)
    result = run_build(settings, check=check, fail_on=level)
    code = report_build(result, settings, fmt, max_problems, level, check)
    if code:
        sys.exit(code)


@cli.command()
@spec_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write the page here ('-', a device or a pipe: the page alone; default: index.html in the out folder).",
)
@redoc_js_option
@click.pass_context
@fail_safe
def docs(ctx: click.Context, spec: Path | None, output: Path | None, redoc_js: Path | None) -> None:
    """Render the Redoc reference page (index.html) with the changelog page and feed beside it."""
    from generators.artefacts.docs.page import PAGE, REDOC_VERSION, not_in_viewer, with_redoc_js
    from generators.pipeline import docs_site
    from generators.writer import is_stream

    settings = with_redoc_js(run_settings(ctx, spec=spec), redoc_js)
    bundled = _bundled(settings, artefact=True)
    target = Path(os.path.abspath(output)) if output and str(output) != "-" else settings.out_dir / PAGE
    if output is not None and (str(output) == "-" or is_stream(target)):
        # the page alone (on stdout, a device or a pipe): its changelog pages need a folder, never /dev
        pages, _ = docs_site(bundled.document, settings, settings.out_dir / PAGE)
        if str(output) == "-":
            click.echo(pages[-1].content, nl=False)
        else:
            write_output(target, [pages[-1].content], bundled)
            click.echo(f"wrote {target} (the page alone: the changelog pages are written beside a file)", err=True)
        return
    pages, left_out = docs_site(bundled.document, settings, target)
    for page in pages:
        write_output(target.parent / page.path, [page.content], bundled)
        click.echo(f"wrote {target.parent / page.path}", err=True)
    if left_out:
        click.echo(
            f"note: no download links to {', '.join(left_out)} (not in {target.parent}); "
            f"'atlas-spec build --out {target.parent}' writes the whole site",
            err=True,
        )
    unshown = not_in_viewer(bundled.document)
    if unshown:
        shown = for_terminal(", ".join(unshown[:5]) + (f" and {len(unshown) - 5} more" if len(unshown) > 5 else ""))
        click.echo(
            f"note: the reference (Redoc {REDOC_VERSION}) does not show {shown}: OpenAPI 3.2 methods it does not "
            "know; the page's overview and the downloads have them",
            err=True,
        )


@cli.command()
@spec_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Port on 127.0.0.1 (default from [tool.atlas-spec.serve], else 8000; 0 picks a free one).",
)
@redoc_js_option
@click.pass_context
@fail_safe
def serve(ctx: click.Context, spec: Path | None, port: int | None, redoc_js: Path | None) -> None:
    """Preview /v1/docs, /v1/openapi.json and the downloads on 127.0.0.1, rebuilding on every change."""
    from generators.artefacts.docs.page import with_redoc_js
    from generators.serve.server import run, serve_port

    settings = with_redoc_js(run_settings(ctx, spec=spec), redoc_js)
    long_running()  # a server needs the cyclic collector that a one-shot command runs without
    run(
        settings,
        serve_port(settings, port),
        lambda line: click.echo(line, err=True),
        reload=lambda: with_redoc_js(run_settings(ctx, spec=spec), redoc_js),  # pyproject.toml edited
    )


@cli.command()
@spec_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write here ('-' for stdout; default: <name>.postman_collection.json in the out folder).",
)
@click.option(
    "--folders",
    type=click.Choice(["tags", "paths"]),
    default=None,
    help="One folder per tag in the root tags order (default), or per first path segment.",
)
@click.option(
    "--params",
    type=click.Choice(["example", "schema"]),
    default=None,
    help="Values from the documented examples (default), or built from the schemas alone.",
)
@click.pass_context
@fail_safe
def postman(
    ctx: click.Context, spec: Path | None, output: Path | None, folders: str | None, params: str | None
) -> None:
    """Write the Postman v2.1 collection: folders by tag, auth from the spec's security, retry-safe
    Idempotency-Key where the spec declares one."""
    from generators.artefacts.postman.common import postman_options, with_postman_flags
    from generators.artefacts.registry import kind

    settings = with_postman_flags(run_settings(ctx, spec=spec), folders=folders, params=params)
    postman_options(settings)  # a bad [tool.atlas-spec.postman] stops us before the bundling work
    _write_postman(settings, kind("postman-collection").generator(), output)


@cli.command()
@spec_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write here ('-' for stdout; default: <name>.postman_environment.json in the out folder).",
)
@click.pass_context
@fail_safe
def environment(ctx: click.Context, spec: Path | None, output: Path | None) -> None:
    """Write the companion Postman environment (baseUrl, the credentials the collection uses, server variables;
    idempotencyKey when a request sends one)."""
    from generators.artefacts.registry import kind

    _write_postman(run_settings(ctx, spec=spec), kind("postman-environment").generator(), output)


def _write_postman(settings: Settings, generate: Any, output: Path | None) -> None:
    bundled = _bundled(settings, artefact=True)
    artefact = generate(bundled.document, settings)
    if output is not None and str(output) == "-":
        click.echo(artefact.content, nl=False)
        return
    target = write_output(output or settings.out_dir / artefact.path, [artefact.content], bundled)
    click.echo(f"wrote {target}", err=True)


@cli.command()
@spec_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    default=None,
    help="Exit 1 when there are more warnings than this (errors always exit 1).",
)
@click.option("--list-rules", is_flag=True, help="Print the rule catalogue and exit.")
@click.option("--write-baseline", type=click.Path(path_type=Path, dir_okay=False), help="Record today's findings.")
@max_problems_option
@click.pass_context
@fail_safe
def lint(
    ctx: click.Context,
    spec: Path | None,
    fmt: str,
    max_warnings: int | None,
    list_rules: bool,
    write_baseline: Path,
    max_problems: int | None,
) -> None:
    """Lint the spec (generic and house rules); every finding at its source file:line:col."""
    from generators.lint import config_from_settings, lint_bundle
    from generators.lint.baseline import render_baseline
    from generators.lint.output import rule_list
    from generators.validate.structural import STRUCTURAL_CODES

    settings = run_settings(ctx, spec=spec)
    if list_rules:
        click.echo(rule_list(), nl=False)
        return
    config = config_from_settings(settings, not write_baseline)  # config errors before the (slower) bundling
    bundled = _bundled(settings)
    diagnostics = lint_bundle(bundled, settings, use_baseline=write_baseline is None)
    if write_baseline:  # never over a file the spec is read from (write_output)
        # structural findings take no baseline entry (nor exception): an invalid description must be fixed
        accepted = [d for d in diagnostics if d.code not in STRUCTURAL_CODES]
        write_output(write_baseline, [render_baseline(accepted, config.baseline).encode()], bundled)
        click.echo(f'wrote {write_baseline}; use it: baseline = "{write_baseline}" in [tool.atlas-spec.lint]', err=True)
        return
    print_findings(diagnostics, fmt, max_problems, config.house_rules)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARN for d in diagnostics)
    click.echo(f"{errors} error(s), {warnings} warning(s), {len(diagnostics) - errors - warnings} info", err=True)
    if errors or (max_warnings is not None and warnings > max_warnings):
        if not errors:
            click.echo(f"too many warnings: {warnings} > --max-warnings {max_warnings}", err=True)
        sys.exit(ExitCode.FINDINGS)


def _bundled(
    settings: Settings, dereference: bool = False, remove_unused: bool = False, artefact: bool = False
) -> BundledSpec:
    """The configured spec, bundled, kept alive until the process ends (see main). An ``artefact`` (the bundle,
    the Postman files, the docs page) is made only of an OpenAPI 3.x description: validate reports anything
    else as a finding; here it would give an empty collection or page and exit 0."""
    from generators.bundle.bundler import bundle_configured
    from generators.core.shape import not_openapi3

    bundled = bundle_configured(settings, dereference, remove_unused)
    keep_until_exit(bundled)
    why = not_openapi3(bundled.document) if artefact else None
    if why is not None:
        where = bundled.locate("/swagger" if "swagger" in bundled.document else "/openapi")
        raise AtlasError.at(
            "not-openapi",
            f"not an OpenAPI 3.x description: {why[0]}",
            where or Location(str(bundled.root_file), 1, 1),
            why[1],
        )
    return bundled
