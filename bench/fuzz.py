"""Coverage-guided fuzzing (atheris, libFuzzer) of the loader and the $ref resolver, for a bounded time.

    .venv/bin/python bench/fuzz.py [--seconds 60] [--target loader|refs|all]

Each target runs in its own process for its share of ``--seconds``; libFuzzer stops on the first crash (any
exception other than AtlasError, a hang past 10 s on one input, more than 2 GB of memory, or a ``$ref`` that
brings in text from outside the spec root) and writes the input to ``bench/results/fuzz/<target>/``. Prints
runs, coverage and findings per target; exit 1 on a finding. atheris is a test extra (``atheris==3.0.0``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "fuzz"
TARGETS = ("loader", "refs")
SECRET = "ATLAS-FUZZ-SECRET-OUTSIDE-THE-ROOT"
ROOT_DOC = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {}}}}}}},
}
REF_PREFIXES = ("", "#", "#/", "./a.yaml", "./a.yaml#/", "a.yaml#/components/schemas/", "../", "./sub/b.yaml#")

sys.path.insert(0, str(REPO))


def seed_inputs(target: str) -> list[bytes]:
    """Small valid and nearly valid inputs to start from: the project's own spec files and a few traps."""
    seeds = [path.read_bytes() for path in sorted((REPO / "spec").rglob("*.yaml"))[:40]]
    seeds += [
        b"a: &a [1, *a]\n",
        b"openapi: 3.1.0\ninfo: {title: T, version: 1.10}\n",
        b'{"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}}',
        b"<<: {a: 1}\nb: !!str 2\nc: 0777\nd: on\n",
        b"\xef\xbb\xbfa:\n\t- 1\n",
    ]
    if target == "refs":
        seeds = [b"\x00./a.yaml#/components/schemas/x\x00" + s for s in seeds]
    return seeds


# ---------------------------------------------------------------- targets (run inside the fuzzing process)


def _loader_target() -> object:
    from generators.core.diagnostics import AtlasError
    from generators.source.loader import load_bytes

    def run(data: bytes) -> None:
        for name in ("fuzz.yaml", "fuzz.json"):
            with contextlib.suppress(AtlasError):
                load_bytes(data, name)

    return run


def _refs_target() -> object:
    import atheris

    from generators.bundle.bundler import bundle_spec
    from generators.core.diagnostics import AtlasError
    from generators.core.jsonout import dump_json

    work = Path(tempfile.mkdtemp(prefix="atlas-fuzz-"))
    (work / "secret.yaml").write_text(f"description: {SECRET}\n")
    spec = work / "spec"
    (spec / "sub").mkdir(parents=True)
    (spec / "sub" / "b.yaml").write_text("type: object\nproperties:\n  b: {$ref: '../a.yaml#/x'}\n")
    root = spec / "openapi.yaml"

    def run(data: bytes) -> None:
        provider = atheris.FuzzedDataProvider(data)
        prefix = REF_PREFIXES[provider.ConsumeIntInRange(0, len(REF_PREFIXES) - 1)]
        ref = prefix + provider.ConsumeUnicodeNoSurrogates(48)
        dereference, remove_unused = provider.ConsumeBool(), provider.ConsumeBool()
        document = json.loads(json.dumps(ROOT_DOC))
        document["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {"$ref": ref}
        root.write_text(json.dumps(document))
        (spec / "a.yaml").write_bytes(provider.ConsumeBytes(provider.remaining_bytes()))
        try:
            bundled = bundle_spec(root, dereference=dereference, remove_unused=remove_unused)
        except AtlasError:
            return
        if SECRET in dump_json(bundled.document):
            raise AssertionError(f"$ref {ref!r} brought in a file from outside the spec root")

    return run


def run_target(target: str, seconds: int, folder: Path) -> None:
    """The fuzzing process itself (never returns: libFuzzer exits when time is up or on a finding)."""
    import atheris

    with atheris.instrument_imports(include=["generators"]):
        pass

    sys.setrecursionlimit(10_000)  # as the console script does
    test_one = _loader_target() if target == "loader" else _refs_target()
    corpus = folder / "corpus"
    args = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        "-timeout=10",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        f"-artifact_prefix={folder}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(args, test_one)
    atheris.Fuzz()


# ---------------------------------------------------------------- the driver


def fuzz(target: str, seconds: int) -> dict[str, object]:
    """Run one target in a child process; return its figures."""
    folder = RESULTS / target
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for index, seed in enumerate(seed_inputs(target)):
            (corpus / f"seed-{index:03d}").write_bytes(seed)
    before = {p.name for p in folder.iterdir()}
    command = [sys.executable, __file__, "--run", target, "--seconds", str(seconds)]
    process = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=seconds + 120)
    log = process.stdout + process.stderr
    (folder / "last-run.log").write_text(log)
    findings = sorted(p.name for p in folder.iterdir() if p.name not in before and p.name != "last-run.log")
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", log)
    coverage = re.findall(r"cov: (\d+)", log)
    return {
        "target": target,
        "seconds": seconds,
        "runs": int(runs.group(1)) if runs else None,
        "coverage": int(coverage[-1]) if coverage else None,
        "corpus": sum(1 for _ in corpus.iterdir()),
        "exit": process.returncode,
        "findings": [str(folder / name) for name in findings],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="total fuzzing time, shared by the targets")
    parser.add_argument("--target", choices=(*TARGETS, "all"), default="all")
    parser.add_argument("--run", choices=TARGETS, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.run:
        run_target(args.run, args.seconds, RESULTS / args.run)
        return 0
    targets = TARGETS if args.target == "all" else (args.target,)
    share = max(1, args.seconds // len(targets))
    results = [fuzz(target, share) for target in targets]
    print("| target | seconds | runs | runs/s | coverage | corpus | findings |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in results:
        rate = f"{int(r['runs']) / int(r['seconds']):.0f}" if r["runs"] else "-"
        found = ", ".join(Path(str(f)).name for f in r["findings"]) or "none"  # type: ignore[attr-defined]
        print(f"| {r['target']} | {r['seconds']} | {r['runs']} | {rate} | {r['coverage']} | {r['corpus']} | {found} |")
    failed = [r for r in results if r["findings"] or r["exit"] not in (0,)]
    for r in failed:
        print(f"\n{r['target']}: exit {r['exit']}, see {RESULTS / str(r['target']) / 'last-run.log'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
