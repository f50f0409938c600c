"""Command line of the course tools: `python -m course_utils run|report|regenerate|exercises|format|…`."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from . import report, runner
from .lessons import select

DESCRIPTION = """\
The course's tools: run the lessons and check their results, report on executed notebooks,
regenerate the stored notebooks, write the learner edition, keep the notebooks canonical.
A full run of the twelve lessons takes about 19 minutes on 2 CPU cores; the quick profile
(one or two epochs on 5,000 images) about 2 minutes.

The lesson notebooks are looked for in --notebooks DIR, else in notebooks/ of the course checkout,
else in ./notebooks.
"""

ENVIRONMENT = """\
environment variables (MNIST, read by the lessons and checked once by `run`):
  COURSE_DATA_DIR          folder holding the four MNIST .gz files; nothing is downloaded
  COURSE_CACHE_DIR         where downloaded files are kept (default ~/.keras/datasets/mnist-idx);
                           must be writable for a first download
  COURSE_MNIST_MIRRORS     comma-separated base URLs to download from, tried in order
  COURSE_DOWNLOAD_TIMEOUT  seconds a mirror may stay silent before the next is tried (default 30)
  COURSE_DOWNLOAD_MIN_RATE bytes a second a mirror must average over each such period (default 10000)
"""

HELP = {
    "run": (
        "execute the lessons into a build folder and check their results",
        "Execute each lesson on a fresh kernel into --output (default build/course-PROFILE) and write\n"
        "results.json and report.md there; the executed copies, results.json and report.md of earlier\n"
        "runs in that folder are overwritten. The source notebooks are not changed. MNIST is checked once\n"
        "first; without it the lessons that need it are skipped. Ctrl-C stops the run and keeps the\n"
        "report of the lessons that finished. Full profile: about 19 minutes on 2 CPU cores; quick:\n"
        "about 2 minutes. Exit status 0 when every lesson reaches its target.",
    ),
    "report": (
        "tabulate the results stored in executed notebooks",
        "Print a table of the results stored in executed lesson notebooks (default: the notebooks\n"
        "folder). Runs and writes nothing; takes seconds.",
    ),
    "regenerate": (
        "re-execute notebooks/ in place (full profile)",
        "Re-execute the lesson notebooks with the full settings and store the ones that ran back into\n"
        "the notebooks folder, overwriting their stored outputs (failed ones are left as they were).\n"
        "Work copies, results.json and report.md go to build/regenerate. About 25 minutes on 2 CPU cores.\n"
        "With --language es: execute the Spanish notebooks (notebooks/es, built by `translate es`), store\n"
        "their outputs there and rebuild their learner edition.",
    ),
    "exercises": (
        "write the learner edition (solutions → TODOs)",
        "Write copies of the lesson notebooks with the solutions blanked out into --output, overwriting\n"
        "notebooks of the same name there. Takes seconds; writing none is an error.",
    ),
    "nbgrader": (
        "write an nbgrader course folder (source/<lesson>/…)",
        "Write an nbgrader course folder into --output: source/<lesson>/<notebook>.ipynb for each lesson,\n"
        "with nbgrader's solution markers, locked cells and graded check cells; files of the same name\n"
        "there are overwritten. Takes seconds; then run `nbgrader generate_assignment` in that folder.",
    ),
    "answers": (
        "measure the exercises' parameter variants into instructor/answers.md",
        "Run each end-of-lesson exercise that is a parameter change (papermill parameters, full data)\n"
        "and rewrite instructor/answers.md with the measured numbers; executed variants go to --output.\n"
        "Lessons 1-7 take a few minutes on 2 CPU cores; lessons 8-11 much longer (use --only).",
    ),
    "format": (
        "canonicalise the notebooks and run ruff format/fix",
        "Rewrite the lesson notebooks in canonical form and fix the code with ruff, in place (with\n"
        "--check: change nothing, report what is not canonical). Takes seconds.",
    ),
    "translate": (
        "update a language's catalogues and build its notebooks (notebooks/LANGUAGE)",
        "Bring locales/LANGUAGE/LC_MESSAGES/*.po up to date with the English notebooks (an edited English\n"
        "cell makes its entry fuzzy, a new one untranslated), compile the checks' messages into the\n"
        "package, and write notebooks/LANGUAGE/ and notebooks/LANGUAGE/exercises/: the English notebooks\n"
        "with translated markdown, code and outputs kept. Untranslated or fuzzy entries stay in English\n"
        "and make the exit status 1. With --check: write nothing, fail if anything is out of date or\n"
        "untranslated. Takes seconds.",
    ),
    "site": (
        "build the website (English and Spanish) from the stored notebooks into build/site",
        "Write the Sphinx source trees (home page from the README, a page per lesson and learner notebook,\n"
        "the instructor answers) into build/site-work and build them with Sphinx, myst-nb and\n"
        "sphinx-book-theme (website/conf.py; pip install -r requirements-site.txt), warnings as errors:\n"
        "English into --output, Spanish into --output/es. Nothing is executed. About a minute on 2 cores.",
    ),
    "quick-copies": (
        "copies with quick parameters injected, outputs kept (nbval)",
        "Write copies of the lesson notebooks with the quick parameters injected and the stored outputs\n"
        "kept (for nbval) into OUTPUT; the *.ipynb already there are deleted first. Takes seconds.",
    ),
}


class UsageError(Exception):
    """A command-line mistake: shown as one line, exit status 2."""


def main(argv=None) -> int:
    """Run the command line; return the exit status."""
    arguments = _parser().parse_args(argv)
    try:
        return arguments.command(arguments)
    except (UsageError, ValueError) as error:  # e.g. an unknown lesson in --only, no notebooks found
        print(f"error: {error}", file=sys.stderr)
        return 2
    except runner.CourseInterrupted as interrupted:
        print(f"\n{interrupted}; results of the lessons that finished are in {arguments.output_shown}")
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_utils",
        description=DESCRIPTION,
        epilog=ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name):
        summary, description = HELP[name]
        return commands.add_parser(
            name,
            help=summary,
            description=description,
            epilog=ENVIRONMENT if name in ("run", "regenerate") else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    run = command("run")
    run.add_argument("--profile", choices=runner.PROFILES, default="quick", help="default: quick")
    _only(run)
    run.add_argument(
        "--output", type=Path, help="folder for the executed copies (default build/course-PROFILE)"
    )
    _data_dir(run)
    _notebooks(run)
    run.set_defaults(command=_run)

    report_ = command("report")
    report_.add_argument("paths", nargs="*", type=Path, help="notebooks or folders (default: the notebooks)")
    _notebooks(report_)
    report_.set_defaults(command=_report)

    regenerate = command("regenerate")
    _only(regenerate)
    _data_dir(regenerate)
    _notebooks(regenerate)
    regenerate.add_argument(
        "--language", default="en", help="a translation's language code (default en: the English lessons)"
    )
    regenerate.set_defaults(command=_regenerate)

    exercises = command("exercises")
    exercises.add_argument(
        "--output", type=Path, help="folder for the learner notebooks (default notebooks/exercises)"
    )
    _only(exercises)
    _notebooks(exercises)
    exercises.set_defaults(command=_exercises)

    grader = command("nbgrader")
    grader.add_argument("--output", type=Path, required=True, help="the nbgrader course folder")
    grader.add_argument(
        "--profile", choices=runner.PROFILES, default="full", help="quick: inject quick parameters (tests)"
    )
    _only(grader)
    _notebooks(grader)
    grader.set_defaults(command=_nbgrader)

    answers = command("answers")
    _only(answers)
    answers.add_argument(
        "--output", type=Path, default=Path("build/answers"), help="folder for the executed variants"
    )
    answers.add_argument(
        "--missing",
        action="store_true",
        help="measure only the variants whose rows are not measured yet (e.g. after an interruption)",
    )
    _data_dir(answers)
    answers.set_defaults(command=_answers)

    format_ = command("format")
    format_.add_argument(
        "--check", action="store_true", help="change nothing; fail if anything is not canonical"
    )
    _notebooks(format_)
    format_.set_defaults(command=_format)

    copies = command("quick-copies")
    copies.add_argument("output", type=Path, help="folder for the copies (its *.ipynb are replaced)")
    _only(copies)
    _notebooks(copies)
    copies.set_defaults(command=_quick_copies)

    translate_ = command("translate")
    translate_.add_argument("language", choices=["es"], help="the language code (es: Spanish)")
    translate_.add_argument(
        "--check", action="store_true", help="change nothing; fail if anything is out of date or untranslated"
    )
    _notebooks(translate_)
    translate_.set_defaults(command=_translate)

    site_ = command("site")
    site_.add_argument("--output", type=Path, default=Path("build/site"), help="default: build/site")
    site_.set_defaults(command=_site)
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


def _notebooks(parser) -> None:
    parser.add_argument(
        "--notebooks",
        type=Path,
        metavar="DIR",
        help="folder with the lesson notebooks (default: notebooks/ of the checkout, else ./notebooks)",
    )


def _lessons(arguments):
    """The lessons named by --only; naming none is a mistake."""
    lessons = select(arguments.only)
    if not lessons:
        raise UsageError(f"--only {arguments.only!r} names no lesson; e.g. --only 05,11")
    return lessons


def _writable_folder(path: Path, option: str) -> Path:
    """path as an output folder (created if missing); one-line UsageError if it cannot be written."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{option} {path} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise UsageError(f"{option} {path} cannot be written: {error.strerror or error}") from None
    return path


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
    arguments.output_shown = output
    lessons = _lessons(arguments)
    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    _writable_folder(output, "--output")
    runs = runner.run_course(lessons, notebooks, output, arguments.profile, arguments.data_dir)
    print()
    return _finish(runs, output)


def _report(arguments) -> int:
    paths = report.notebook_paths(arguments.paths or [runner.find_notebooks_dir(arguments.notebooks)])
    runs = [run for run in map(report.stored_run, paths) if run is not None]
    if not runs:
        print("No lesson notebooks found.", file=sys.stderr)
        return 1
    return _finish(runs)


def _regenerate(arguments) -> int:
    arguments.output_shown = Path("build/regenerate")
    lessons = _lessons(arguments)
    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    runs = runner.regenerate(lessons, notebooks, data_dir=arguments.data_dir, language=arguments.language)
    print()
    if arguments.language != "en":  # the learner edition follows the new outputs
        from . import translate

        for path in translate.write(translate.translation(arguments.language, notebooks)):
            print(f"Wrote {_shown(path)}")
    return _finish(runs, "build/regenerate")


def _exercises(arguments) -> int:
    from .exercises import LEARNER_DIR, SOLUTIONS_MODULE, solutions_module_text, write_learner_editions

    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    lessons = _lessons(arguments)
    output = arguments.output or notebooks / "exercises"
    _writable_folder(output, "--output")
    sources = [notebooks / lesson.notebook for lesson in lessons]
    written = write_learner_editions([path for path in sources if path.exists()], output)
    if not written:
        raise UsageError(f"wrote no learner notebooks: none of the selected lessons is in {notebooks}")
    print(f"Wrote {len(written)} learner notebooks to {output}")
    if arguments.only is None and notebooks.resolve() == LEARNER_DIR.parent.resolve():
        # the solutions of every lesson, for check.solution() (only from the course's own notebooks)
        every = [notebooks / lesson.notebook for lesson in select(None)]
        SOLUTIONS_MODULE.write_text(solutions_module_text([p for p in every if p.exists()]), encoding="utf-8")
        print(f"Wrote {SOLUTIONS_MODULE}")
    return 0


def _nbgrader(arguments) -> int:
    from .nbgrader import write_course

    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    written = []
    for lesson in _lessons(arguments):
        parameters = lesson.parameters_for(arguments.profile)
        written += write_course([lesson], notebooks, arguments.output, parameters)
    if not written:
        raise UsageError(f"wrote no nbgrader notebooks: none of the selected lessons is in {notebooks}")
    print(f"Wrote {len(written)} nbgrader source notebooks to {arguments.output / 'source'}")
    return 0


def _answers(arguments) -> int:
    from .answers import ANSWERS_FILE, write_answers

    runs = write_answers(
        _lessons(arguments), arguments.output, data_dir=arguments.data_dir, missing_only=arguments.missing
    )
    failed = [run for run in runs if run.failure is not None]
    print(f"Measured {len(runs)} variants ({len(failed)} failed) into {ANSWERS_FILE}")
    return 1 if failed else 0


def _format(arguments) -> int:
    from .notebook_format import check_project, format_project

    notebooks = sorted(runner.find_notebooks_dir(arguments.notebooks).glob("*.ipynb"))
    code = [
        path
        for path in ("course_utils", "tests", "notebooks", "benchmarks", "website")
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
    lessons = _lessons(arguments)
    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    _writable_folder(arguments.output, "output folder")
    written = runner.write_quick_copies(lessons, notebooks, arguments.output)
    if not written:
        raise UsageError(f"wrote no quick copies: none of the selected lessons is in {notebooks}")
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


def _translate(arguments) -> int:
    from . import translate

    notebooks = runner.find_notebooks_dir(arguments.notebooks)
    result = translate.translation(arguments.language, notebooks)
    stale = translate.out_of_date(result)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    summary = f"{result.messages} messages, {len(result.problems)} untranslated or fuzzy"
    if arguments.check:
        for path in stale:
            print(f"{_shown(path)}: out of date", file=sys.stderr)
        if stale or result.problems:
            print(f"{summary}; run `python -m course_utils translate {arguments.language}`", file=sys.stderr)
            return 1
        print(f"Translation {arguments.language!r} up to date: {summary}.")
        return 0
    written = translate.write(result)
    for path in written:
        print(f"Wrote {_shown(path)}")
    print(f"{summary} (left in English); {len(written)} files changed.")
    return 1 if result.problems else 0


def _site(arguments) -> int:
    import importlib.util

    from . import site

    missing = [name for name in site.REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        needs = ", ".join(missing)
        raise UsageError(f"the site needs {needs}: pip install -r requirements-site.txt (make site does)")
    output = arguments.output.resolve()
    return site.build(output, output.parent / f"{output.name}-work")


def _shown(path: Path) -> Path:
    path = Path(path).resolve()
    return path.relative_to(runner.PROJECT_ROOT) if path.is_relative_to(runner.PROJECT_ROOT) else path
