"""Command line of the course tools: `python -m course_utils run|report|regenerate|exercises|format|…`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import report, runner
from .lessons import select


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    arguments = _parser().parse_args(argv)
    try:
        return arguments.command(arguments)
    except ValueError as error:  # e.g. an unknown lesson in --only
        print(f"error: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course_utils", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="execute the lessons into a build folder and check their results")
    run.add_argument("--profile", choices=runner.PROFILES, default="quick", help="default: quick")
    _only(run)
    run.add_argument(
        "--output", type=Path, help="folder for the executed copies (default build/course-PROFILE)"
    )
    _data_dir(run)
    run.set_defaults(command=_run)

    report_ = commands.add_parser("report", help="tabulate the results stored in executed notebooks")
    report_.add_argument("paths", nargs="*", type=Path, help="notebooks or folders (default: notebooks/)")
    report_.set_defaults(command=_report)

    regenerate = commands.add_parser("regenerate", help="re-execute notebooks/ in place (full profile)")
    _only(regenerate)
    _data_dir(regenerate)
    regenerate.set_defaults(command=_regenerate)

    exercises = commands.add_parser("exercises", help="write the learner edition (solutions → TODOs)")
    exercises.add_argument("--output", type=Path, required=True, help="folder for the learner notebooks")
    _only(exercises)
    exercises.set_defaults(command=_exercises)

    format_ = commands.add_parser("format", help="canonicalise the notebooks and run ruff format/fix")
    format_.add_argument(
        "--check", action="store_true", help="change nothing; fail if anything is not canonical"
    )
    format_.set_defaults(command=_format)

    copies = commands.add_parser(
        "quick-copies", help="copies with quick parameters injected, outputs kept (nbval)"
    )
    copies.add_argument("output", type=Path, help="folder for the copies (its *.ipynb are replaced)")
    _only(copies)
    copies.set_defaults(command=_quick_copies)
    _colab_commands(commands)
    return parser


def _colab_commands(commands) -> None:
    constraints = commands.add_parser(
        "colab-constraints", help="write colab-constraints.txt from Colab's published pip freeze"
    )
    constraints.add_argument("freeze", type=Path, help="Colab's pip-freeze.txt (googlecolab/backend-info)")
    constraints.add_argument("--source", required=True, help="where it comes from, e.g. 'REPO COMMIT, DATE'")
    constraints.add_argument("--python", help="Colab's Python version, e.g. 3.13.15 (default: os-info.txt)")
    constraints.set_defaults(command=_colab_constraints)

    parity = commands.add_parser(
        "colab-parity", help="run every lesson (quick) in a venv with Colab's Python and package versions"
    )
    _only(parity)
    parity.add_argument("--output", type=Path, default=Path("build/colab-parity"), help="executed copies")
    parity.add_argument("--venv", type=Path, default=Path("build/colab-venv"), help="the venv (recreated)")
    parity.set_defaults(command=_colab_parity)


def _only(parser) -> None:
    parser.add_argument("--only", help="comma-separated lessons, by number or name (e.g. 05,11)")


def _data_dir(parser) -> None:
    parser.add_argument("--data-dir", type=Path, help="MNIST folder for the kernels (sets COURSE_DATA_DIR)")


def _finish(runs, output_dir=None) -> int:
    print(report.render_report(runs), end="")
    failures = report.failures_summary(runs)
    if failures:
        print(f"\nFailed notebooks:\n{failures}", end="")
    if output_dir is not None:
        print(f"\nExecuted notebooks, results.json and report.md are in {output_dir}")
    return report.exit_status(runs)


def _run(arguments) -> int:
    output = arguments.output or Path("build") / f"course-{arguments.profile}"
    lessons = select(arguments.only)
    runs = runner.run_course(lessons, runner.NOTEBOOKS_DIR, output, arguments.profile, arguments.data_dir)
    print()
    return _finish(runs, output)


def _report(arguments) -> int:
    paths = report.notebook_paths(arguments.paths or [runner.NOTEBOOKS_DIR])
    runs = [run for run in map(report.stored_run, paths) if run is not None]
    if not runs:
        print("No lesson notebooks found.", file=sys.stderr)
        return 1
    return _finish(runs)


def _regenerate(arguments) -> int:
    lessons = select(arguments.only)
    runs = runner.regenerate(lessons, runner.NOTEBOOKS_DIR, data_dir=arguments.data_dir)
    print()
    return _finish(runs, "build/regenerate")


def _exercises(arguments) -> int:
    from .exercises import write_learner_editions

    sources = [runner.NOTEBOOKS_DIR / lesson.notebook for lesson in select(arguments.only)]
    written = write_learner_editions([path for path in sources if path.exists()], arguments.output)
    print(f"Wrote {len(written)} learner notebooks to {arguments.output}")
    return 0


def _format(arguments) -> int:
    from .notebook_format import check_project, format_project

    notebooks = sorted(runner.NOTEBOOKS_DIR.glob("*.ipynb"))
    code = [
        path
        for path in ("course_utils", "tests", "notebooks", "benchmarks")
        if (runner.PROJECT_ROOT / path).exists()
    ]
    action = check_project if arguments.check else format_project
    problems = action(notebooks, [Path(path) for path in code], cwd=runner.PROJECT_ROOT)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(
            "Everything is canonical."
            if arguments.check
            else f"Formatted {len(notebooks)} notebooks and the code."
        )
    return 1 if problems else 0


def _quick_copies(arguments) -> int:
    lessons = select(arguments.only)
    written = runner.write_quick_copies(lessons, runner.NOTEBOOKS_DIR, arguments.output)
    missing = [
        lesson.notebook for lesson in lessons if lesson.notebook not in {path.name for path in written}
    ]
    print(
        f"Wrote {len(written)} quick copies to {arguments.output}"
        + (f" (missing: {', '.join(missing)})" if missing else "")
    )
    return 0


def _colab_constraints(arguments) -> int:
    from . import colab

    version = arguments.python or colab.python_from_os_info(arguments.freeze.with_name("os-info.txt"))
    python = colab.find_python(colab.major_minor(version))
    if python is None:
        print(f"error: {colab.missing_python_message(colab.major_minor(version))}", file=sys.stderr)
        return 2
    text = colab.constraints_text(
        arguments.freeze.read_text(encoding="utf-8"), python, arguments.source, version
    )
    colab.CONSTRAINTS_PATH.write_text(text, encoding="utf-8")
    print(f"Wrote {len(colab.read_pins(text))} pins to {colab.CONSTRAINTS_PATH}")
    return 0


def _colab_parity(arguments) -> int:
    from . import colab

    version = colab.colab_python(colab.CONSTRAINTS_PATH.read_text(encoding="utf-8"))
    python = colab.find_python(version)
    if python is None:
        print(f"error: {colab.missing_python_message(version)}", file=sys.stderr)
        return 2
    lessons = select(arguments.only)
    runs, problems = colab.run_parity(python, arguments.venv, arguments.output, lessons)
    print()
    status = _finish(runs, arguments.output) if runs else 1
    if problems:
        print(
            "\nColab parity problems:\n" + "\n".join(f"- {problem}" for problem in problems),
            file=sys.stderr,
        )
    return 1 if problems else status
