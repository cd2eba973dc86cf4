"""The commands' last line of defence (cli/process.fail_safely): exit codes and messages, never a traceback."""

from __future__ import annotations

import pytest

from generators.cli.process import fail_safely
from generators.core.diagnostics import AtlasError


class Passed(Exception):
    """Stands for click's own exceptions, which the command-line framework reports itself."""


def _run(error: BaseException, capsys: pytest.CaptureFixture[str]) -> tuple[object, str]:
    @fail_safely(passthrough=(Passed,))
    def command() -> None:
        raise error

    with pytest.raises(SystemExit) as exit_info:
        command()
    return exit_info.value.code, capsys.readouterr().err


def test_an_internal_error_is_reported_without_traceback_and_escaped(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ATLAS_SPEC_DEBUG", raising=False)
    code, err = _run(ValueError("spec text \x1b[2J here"), capsys)
    assert code == 2 and "\x1b" not in err
    assert err == (
        "internal error: ValueError: spec text \\x1b[2J here\n"
        "this is a bug in atlas-spec; rerun with ATLAS_SPEC_DEBUG=1 and report it\n"
    )


def test_input_errors_machine_errors_and_deep_input_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(AtlasError.at("x-code", "bad input"), capsys)
    assert code == 2 and "error [x-code] bad input" in err
    code, err = _run(PermissionError(13, "Permission denied", "/out/file"), capsys)
    assert code == 2 and err == "error: /out/file: Permission denied\n"
    code, err = _run(RecursionError(), capsys)
    assert code == 2 and err == "error: the input is nested too deeply to process\n"


def test_the_frameworks_own_exceptions_pass_through() -> None:
    @fail_safely(passthrough=(Passed,))
    def command() -> None:
        raise Passed

    with pytest.raises(Passed):
        command()
