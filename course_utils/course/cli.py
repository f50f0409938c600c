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
    exercises.add_argument(
        "--output", type=Path, help="folder for the learner notebooks (default notebooks/exercises)"
    )
    _only(exercises)
    exercises.set_defaults(command=_exercises)

    grader = commands.add_parser("nbgrader", help="write an nbgrader course folder (source/<lesson>/…)")
    grader.add_argument("--output", type=Path, required=True, help="the nbgrader course folder")
    grader.add_argument(
        "--profile", choices=runner.PROFILES, default="full", help="quick: inject quick parameters (tests)"
    )
    _only(grader)
    grader.set_defaults(command=_nbgrader)

    answers = commands.add_parser(
        "answers", help="measure the exercises' parameter variants into instructor/answers.md"
    )
    _only(answers)
    answers.add_argument(
        "--output", type=Path, default=Path("build/answers"), help="folder for the executed variants"
    )
    _data_dir(answers)
    answers.set_defaults(command=_answers)

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
    return parser


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
    from .exercises import LEARNER_DIR, SOLUTIONS_MODULE, solutions_module_text, write_learner_editions

    output = arguments.output or LEARNER_DIR
    sources = [runner.NOTEBOOKS_DIR / lesson.notebook for lesson in select(arguments.only)]
    written = write_learner_editions([path for path in sources if path.exists()], output)
    print(f"Wrote {len(written)} learner notebooks to {output}")
    if arguments.only is None:  # the solutions of every lesson, for check.solution()
        every = [runner.NOTEBOOKS_DIR / lesson.notebook for lesson in select(None)]
        SOLUTIONS_MODULE.write_text(solutions_module_text([p for p in every if p.exists()]), encoding="utf-8")
        print(f"Wrote {SOLUTIONS_MODULE}")
    return 0


def _nbgrader(arguments) -> int:
    from .nbgrader import write_course

    lessons = select(arguments.only)
    written = []
    for lesson in lessons:
        parameters = lesson.parameters_for(arguments.profile)
        written += write_course([lesson], runner.NOTEBOOKS_DIR, arguments.output, parameters)
    print(f"Wrote {len(written)} nbgrader source notebooks to {arguments.output / 'source'}")
    return 0


def _answers(arguments) -> int:
    from .answers import ANSWERS_FILE, write_answers

    runs = write_answers(select(arguments.only), arguments.output, data_dir=arguments.data_dir)
    failed = [run for run in runs if run.failure is not None]
    print(f"Measured {len(runs)} variants ({len(failed)} failed) into {ANSWERS_FILE}")
    return 1 if failed else 0


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
