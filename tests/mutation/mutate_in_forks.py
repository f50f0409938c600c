"""Mutation testing for modules whose tests need TensorFlow (CONTRIBUTING.md, "Mutation testing").

mutmut 3 forks its workers after its first test run has started TensorFlow's thread pools, so every
mutant hangs; mutmut 2 starts a fresh Python (and TensorFlow) for every mutant. This driver takes the
mutants from mutmut 2's mutation engine and runs each one in a child forked from a parent that has
only *imported* TensorFlow, Keras, matplotlib and pytest (no TensorFlow op has run, so the fork is
safe): the child puts the mutated module in `sys.modules` and runs the tests with `pytest.main`.

    PYTHONPATH=/path/to/mutmut2 COURSE_DATA_DIR=/path/to/mnist python tests/mutation/mutate_in_forks.py \\
        course_utils/callbacks.py --only _live_display,PlotTraining \\
        --tests tests/test_callbacks.py tests/test_nan_loss.py

A mutant is killed when the tests fail (or error, or run past --timeout); it survives when they pass.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import signal
import sys
import time
from pathlib import Path


def mutants(path: Path, only: set[str]) -> list[tuple[int, str]]:
    """(line number, mutated source) of every mutant on the lines of the top-level definitions `only`."""
    from mutmut import Context, list_mutations, mutate

    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    lines = {
        line
        for node in tree.body
        if getattr(node, "name", None) in only
        for line in range(node.lineno, node.end_lineno + 1)
    }
    found = []
    for mutation_id in list_mutations(Context(source=source, filename=str(path))):
        if mutation_id.line_number + 1 in lines:
            mutated, _ = mutate(Context(source=source, mutation_id=mutation_id, filename=str(path)))
            found.append((mutation_id.line_number + 1, mutated))
    return found


def _diff(original: str, mutated: str) -> list[str]:
    """The changed lines, `-old` then `+new`."""
    lines = difflib.unified_diff(original.splitlines(), mutated.splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def _child(module_name: str, path: Path, source: str, tests: list[str]) -> None:
    """In the forked child: import the mutated module under its own name, run the tests, exit."""
    import importlib
    import types

    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    module = types.ModuleType(module_name)
    module.__file__, module.__package__ = str(path), module_name.rpartition(".")[0]
    sys.modules[module_name] = module
    try:
        exec(compile(source, str(path), "exec"), module.__dict__)
        package = importlib.import_module(module.__package__)
        setattr(package, module_name.rpartition(".")[2], module)
        code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests])
    except BaseException:  # the mutant breaks the module's import: the tests would fail
        code = 1
    os._exit(int(code))


def run_one(module_name: str, path: Path, source: str, tests: list[str], timeout: float) -> str:
    """'survived', 'killed' or 'timeout' for one version of the module's source."""
    pid = os.fork()
    if pid == 0:
        _child(module_name, path, source, tests)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return "timeout"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", type=Path, help="the file to mutate, e.g. course_utils/callbacks.py")
    parser.add_argument("--only", required=True, help="comma-separated top-level functions/classes to mutate")
    parser.add_argument("--tests", nargs="+", required=True, help="pytest arguments: the tests to run")
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds per mutant before it counts as killed"
    )
    parser.add_argument("--output", type=Path, default=Path("build/mutation.json"), help="results (JSON)")
    parser.add_argument(
        "--survivors-of", type=Path, help="run only the mutants that survived in this earlier --output file"
    )
    args = parser.parse_args(argv)

    import keras  # noqa: F401  (imported, never run, before forking: each child skips the import)
    import matplotlib
    import pytest  # noqa: F401
    import tensorflow  # noqa: F401

    matplotlib.use("Agg")
    path = args.module.resolve()
    module_name = ".".join(args.module.with_suffix("").parts)
    original = path.read_text(encoding="utf-8")
    if run_one(module_name, path, original, args.tests, args.timeout) != "survived":
        print("the tests fail on the unmutated module: fix them first", file=sys.stderr)
        return 1
    found = mutants(args.module, set(args.only.split(",")))
    if args.survivors_of:
        earlier = json.loads(args.survivors_of.read_text(encoding="utf-8"))
        survived = {tuple(r["diff"]) for r in earlier if r["outcome"] == "survived"}
        found = [(line, source) for line, source in found if tuple(_diff(original, source)) in survived]
    results, start = [], time.monotonic()
    for number, (line, source) in enumerate(found, start=1):
        outcome = run_one(module_name, path, source, args.tests, args.timeout)
        results.append({"line": line, "outcome": outcome, "diff": _diff(original, source)})
        print(f"{number}/{len(found)} line {line}: {outcome} ({time.monotonic() - start:.0f} s)", flush=True)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=1), encoding="utf-8")
    killed = sum(r["outcome"] != "survived" for r in results)
    print(f"killed {killed}/{len(results)} = {killed / max(len(results), 1):.1%}")
    for r in results:
        if r["outcome"] == "survived":
            print(f"survived, line {r['line']}: " + " | ".join(r["diff"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
