"""The ``atlas-spec`` commands: each loads settings, calls the library, prints findings and picks the exit code."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from generators import __version__
from generators.cli.process import keep_until_exit, long_running
from generators.core.diagnostics import AtlasError, Diagnostic, ExitCode, Severity
from generators.core.report import FORMATS, render
from generators.core.settings import Settings, load_settings

if TYPE_CHECKING:
    from generators.bundle.bundler import BundledSpec

F = TypeVar("F", bound=Callable[..., Any])

spec_option = click.option(
    "--spec",
    "spec",
    type=click.Path(path_type=Path),
    default=None,
    help="Root file of the spec (default from [tool.atlas-spec], else spec/openapi.yaml).",
)


redoc_js_option = click.option(
    "--redoc-js",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Inline this Redoc standalone bundle (an offline, self-contained page) instead of the pinned CDN script.",
)


def _fail_safely(func: F) -> F:
    """Turn input errors into exit 2 with their diagnostics and never let a traceback reach the user."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AtlasError as exc:
            _emit(exc.diagnostics, "text")
            sys.exit(ExitCode.USAGE)
        except BrokenPipeError:  # the reader of our output went away (`| head`): stop quietly
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(ExitCode.OK)
        except RecursionError:
            click.echo("error: the input is nested too deeply to process", err=True)
            sys.exit(ExitCode.USAGE)
        except OSError as exc:  # a full disk, a permission, a closed stream: the machine's answer, not a bug
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(ExitCode.USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # the last line of defence: no traceback ever reaches a user
            if os.environ.get("ATLAS_SPEC_DEBUG"):
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("this is a bug in atlas-spec; rerun with ATLAS_SPEC_DEBUG=1 and report it", err=True)
            sys.exit(ExitCode.USAGE)

    return wrapper  # type: ignore[return-value]


def _emit(diagnostics: list[Diagnostic], fmt: str) -> None:
    text = render(diagnostics, fmt)
    if text:
        click.echo(text, err=fmt == "text", nl=False)


def _settings(ctx: click.Context, **flags: Any) -> Settings:
    config = ctx.find_root().params.get("config")
    return load_settings(config_file=config).with_overrides(**flags)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="atlas-spec")
@click.option(
    "--config",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="pyproject.toml to read [tool.atlas-spec] from (default: the nearest one).",
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
@click.option("--dereference", is_flag=True, help="Inline every $ref except those that close a cycle.")
@click.option("--remove-unused-components", is_flag=True, help="Drop components nothing refers to.")
@click.pass_context
@_fail_safely
def bundle(
    ctx: click.Context, spec: Path | None, output: Path | None, dereference: bool, remove_unused_components: bool
) -> None:
    """Bundle the modular source into one JSON document."""
    from generators.core.jsonout import dump_json_chunks

    settings = _settings(ctx, spec=spec)
    bundled = _bundled(settings, dereference, remove_unused_components)
    chunks = dump_json_chunks(bundled.document)
    if output is None or str(output) == "-":
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    _write_output(output, chunks, bundled)
    click.echo(f"bundled {settings.spec} -> {output}", err=True)


@cli.command()
@spec_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.pass_context
@_fail_safely
def validate(ctx: click.Context, spec: Path | None, fmt: str) -> None:
    """Check the spec against the OpenAPI 3.0/3.1 structure; every error at its source line."""
    from generators.validate.structural import validate_bundle

    settings = _settings(ctx, spec=spec)
    diagnostics = validate_bundle(_bundled(settings))
    _emit(diagnostics, fmt)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        if fmt == "text":
            click.echo(f"{len(diagnostics)} problem(s) found", err=True)
        sys.exit(ExitCode.FINDINGS)
    if fmt == "text":
        click.echo(f"{settings.spec}: valid", err=True)


@cli.command()
@spec_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Output folder (default from [tool.atlas-spec], else build/).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 listing every artefact that differs on disk.")
@click.pass_context
@_fail_safely
def build(ctx: click.Context, spec: Path | None, out_dir: Path | None, check: bool) -> None:
    """Validate, then write every artefact atomically (nothing is written when there are errors)."""
    from generators.pipeline import build as run_build

    settings = _settings(ctx, spec=spec, out_dir=out_dir)
    result = run_build(settings, check=check)
    _emit(result.diagnostics, "text")
    if any(d.severity is Severity.ERROR for d in result.diagnostics):
        click.echo("build stopped: fix the errors above; nothing was written", err=True)
        sys.exit(ExitCode.FINDINGS)
    if check:
        for path in result.stale:
            click.echo(f"stale: {settings.out_dir / path}", err=True)
        if result.stale:
            click.echo("run 'atlas-spec build' and commit the result", err=True)
            sys.exit(ExitCode.FINDINGS)
        click.echo("build/ is up to date", err=True)
        return
    for written in result.written:
        click.echo(f"wrote {written}", err=True)


@cli.command()
@spec_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default=None,
    help="Write the page here ('-' for stdout; default: index.html in the out folder, beside the downloads).",
)
@redoc_js_option
@click.pass_context
@_fail_safely
def docs(ctx: click.Context, spec: Path | None, output: Path | None, redoc_js: Path | None) -> None:
    """Render the Redoc reference page (index.html) from the bundled spec."""
    from generators.artefacts.docs.page import generate, with_redoc_js

    settings = with_redoc_js(_settings(ctx, spec=spec), redoc_js)
    bundled = _bundled(settings)
    page = generate(bundled.document, settings)
    _write_artefact(page.content, output, settings.out_dir / page.path, bundled)


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
@_fail_safely
def serve(ctx: click.Context, spec: Path | None, port: int | None, redoc_js: Path | None) -> None:
    """Preview /v1/docs, /v1/openapi.json and the downloads on 127.0.0.1, rebuilding on every change."""
    from generators.artefacts.docs.page import with_redoc_js
    from generators.serve.server import run, serve_port

    settings = with_redoc_js(_settings(ctx, spec=spec), redoc_js)
    long_running()  # a server needs the cyclic collector that a one-shot command runs without
    run(settings, serve_port(settings, port), lambda line: click.echo(line, err=True))


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
@_fail_safely
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
    settings = _settings(ctx)
    report, _, _ = run_diff(base, revision, settings, with_locations=fmt == "github")
    click.echo(render_report(report, fmt), nl=False)
    failures = report.gate_failures(fail_on or str(settings.diff.get("fail-on", "breaking")))
    if failures:
        click.echo(f"gate failed: {len(failures)} unacknowledged change(s) at or above --fail-on", err=True)
        sys.exit(ExitCode.FINDINGS)


@cli.command()
@spec_option
@click.option("--base", "base", default=None, help="Released side to compare with (default as for 'diff').")
@click.option("--write", is_flag=True, help="Rewrite info.version in the root file and prepend CHANGELOG.md.")
@click.pass_context
@_fail_safely
def version(ctx: click.Context, spec: Path | None, base: str | None, write: bool) -> None:
    """Compute the semver bump of info.version from the diff; with --write apply it and the release notes."""
    from generators.diff import run_diff
    from generators.diff.version import plan
    from generators.diff.version import write as write_files

    settings = _settings(ctx, spec=spec)
    report, base_side, revision_side = run_diff(base, str(settings.spec), settings)
    changelog = settings.project_dir / str(settings.diff.get("changelog", "CHANGELOG.md"))
    result = plan(report, base_side.document, revision_side.document, settings.spec, changelog)
    click.echo(f"{result.base_version} -> {result.new_version} ({result.bump.label})")
    if write:
        for path in write_files(result):
            click.echo(f"wrote {path}", err=True)
    elif result.changes_files:
        click.echo("run with --write to update info.version and CHANGELOG.md", err=True)


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
@_fail_safely
def postman(
    ctx: click.Context, spec: Path | None, output: Path | None, folders: str | None, params: str | None
) -> None:
    """Write the Postman v2.1 collection: folders by tag, Bearer {{apiKey}}, retry-safe Idempotency-Key."""
    from generators.artefacts.postman.common import postman_options, with_postman_flags
    from generators.artefacts.registry import kind

    settings = with_postman_flags(_settings(ctx, spec=spec), folders=folders, params=params)
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
@_fail_safely
def environment(ctx: click.Context, spec: Path | None, output: Path | None) -> None:
    """Write the companion Postman environment (baseUrl, apiKey, idempotencyKey, server variables)."""
    from generators.artefacts.registry import kind

    _write_postman(_settings(ctx, spec=spec), kind("postman-environment").generator(), output)


def _write_postman(settings: Settings, generate: Any, output: Path | None) -> None:
    bundled = _bundled(settings)
    artefact = generate(bundled.document, settings)
    _write_artefact(artefact.content, output, settings.out_dir / artefact.path, bundled)


def _write_artefact(content: bytes, output: Path | None, default: Path, bundled: BundledSpec) -> None:
    """One artefact to ``-o`` ('-': stdout), else to its place in the out folder."""
    if output is not None and str(output) == "-":
        click.echo(content, nl=False)
        return
    target = _write_output(output, [content], bundled) if output else _write_output(default, [content], bundled)
    click.echo(f"wrote {target}", err=True)


def _write_output(output: Path, pieces: Any, bundled: BundledSpec) -> Path:
    """Write ``-o`` as given (a link there is replaced, a device or pipe written into), never over a source."""
    from generators.writer import same_file, write_file_atomic

    target = Path(os.path.abspath(output))
    source = same_file(target, bundled.sources)
    if source is not None:
        raise AtlasError.at(
            "output-is-source",
            f"{output} is {source}, a file the spec is read from: writing it would replace the source",
            hint="write the output somewhere else (or '-o -' for stdout)",
        )
    return write_file_atomic(target, pieces)


@cli.command()
@spec_option
@click.option(
    "--format", "fmt", type=click.Choice(("text", "json", "github", "sarif")), default="text", show_default=True
)
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    default=None,
    help="Exit 1 when there are more warnings than this (errors always exit 1).",
)
@click.option("--list-rules", is_flag=True, help="Print the rule catalogue and exit.")
@click.pass_context
@_fail_safely
def lint(ctx: click.Context, spec: Path | None, fmt: str, max_warnings: int | None, list_rules: bool) -> None:
    """Lint the spec (generic and house rules); every finding at its source file:line:col."""
    from generators.lint import config_from_settings, lint_bundle
    from generators.lint.output import render_lint, rule_list

    settings = _settings(ctx, spec=spec)
    if list_rules:
        click.echo(rule_list(), nl=False)
        return
    config_from_settings(settings)  # a config error is reported before the (slower) bundling
    diagnostics = lint_bundle(_bundled(settings), settings)
    text = render_lint(diagnostics, fmt)
    if text:
        click.echo(text, err=fmt == "text", nl=False)
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARN for d in diagnostics)
    if fmt == "text":
        click.echo(f"{errors} error(s), {warnings} warning(s), {len(diagnostics) - errors - warnings} info", err=True)
    if errors or (max_warnings is not None and warnings > max_warnings):
        if not errors:
            click.echo(f"too many warnings: {warnings} > --max-warnings {max_warnings}", err=True)
        sys.exit(ExitCode.FINDINGS)


def _bundled(settings: Settings, dereference: bool = False, remove_unused: bool = False) -> BundledSpec:
    """The configured spec, bundled, kept alive until the process ends (see main)."""
    from generators.bundle.bundler import bundle_configured

    bundled = bundle_configured(settings, dereference, remove_unused)
    keep_until_exit(bundled)
    return bundled
