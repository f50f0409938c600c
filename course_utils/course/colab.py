"""Colab parity: Colab's versions as pip constraints, the Colab cell's install check, the Python 3.13 run."""

from __future__ import annotations

import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import nbformat

from .lessons import BRANCH, LESSONS, REPOSITORY, Lesson
from .notebook_format import COLAB_TAG, colab_cell_source
from .report import NotebookRun, verdict, write_outputs
from .runner import PROJECT_ROOT, execute_lesson

CONSTRAINTS_PATH = PROJECT_ROOT / "colab-constraints.txt"
OWN_PACKAGE = "course-utils"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
# The course's libraries at Colab's versions (the parity run installs tensorflow-cpu for tensorflow).
PARITY_PACKAGES = (
    "tensorflow",
    "keras",
    "numpy",
    "matplotlib",
    "scikit-learn",
    "nbformat",
    "ipykernel",
    "ipython",
    "ipywidgets",
    "anywidget",
)
CPU_STAND_INS = {"tensorflow": "tensorflow-cpu"}
# google-colab pins these: upgrading one in a running Colab session can crash the runtime.
KERNEL_PACKAGES = ("ipykernel", "ipython", "tornado", "pyzmq", "notebook", "jupyter-client")
# Kept in the constraints although nothing depends on it: the parity run installs with Colab's pip.
TOOLS = ("pip",)
PYTHON_LINE = re.compile(r"^# Colab's Python: (\d+)\.(\d+)", re.MULTILINE)
STAND_IN = (
    "# Colab's kernel has imported google.colab before the first cell runs; this stand-in does the same,\n"
    "# so that the lessons' Colab cell takes its Colab branch in the parity run.\n"
    "import sys\n"
    "import types\n"
    "\n"
    'sys.modules.setdefault("google.colab", types.ModuleType("google.colab"))\n'
)


def canonical_name(name: str) -> str:
    """A package name as pip compares them (PEP 503): `Jinja2` and `jinja2`, `ml_dtypes` and `ml-dtypes`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(text: str) -> dict[str, str]:
    """The `name==version` lines of a pip freeze or constraints text, by canonical name."""
    pins = {}
    for line in text.splitlines():
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line.split("#")[0].strip())
        if match:
            pins[canonical_name(match[1])] = match[2]
    return pins


def colab_python(constraints_text: str) -> tuple[int, int]:
    """The (major, minor) Python version of Colab's runtime, from the constraints file's header."""
    match = PYTHON_LINE.search(constraints_text)
    if not match:
        raise ValueError(
            "the Colab constraints file does not say which Python Colab runs (# Colab's Python: …)"
        )
    return int(match[1]), int(match[2])


def major_minor(version: str) -> tuple[int, int]:
    """`3.13.15` → (3, 13)."""
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def python_from_os_info(path) -> str:
    """Colab's Python version from the `Python 3.13.15` line of its published os-info.txt."""
    match = re.search(r"^Python (\d+\.\d+\.\d+)", Path(path).read_text(encoding="utf-8"), re.MULTILINE)
    if not match:
        raise ValueError(f"{path} has no `Python X.Y.Z` line; give --python")
    return match[1]


def colab_install_arguments(cell_source: str | None = None) -> list[str]:
    """The arguments of the Colab cell's `%pip install …` line, e.g. `["-q", "course-utils @ git+…"]`."""
    source = colab_cell_source() if cell_source is None else cell_source
    lines = [line.strip() for line in source.splitlines() if line.strip().startswith("%pip install")]
    if len(lines) != 1:
        raise ValueError("the Colab cell must have exactly one `%pip install` line")
    return shlex.split(lines[0])[2:]


def local_install_arguments(root=PROJECT_ROOT, cell_source: str | None = None) -> list[str]:
    """The Colab cell's install arguments with the repository's git URL replaced by the checkout at root."""
    url = f"git+{REPOSITORY_URL}@{BRANCH}"
    arguments = colab_install_arguments(cell_source)
    if not any(url in argument for argument in arguments):
        raise ValueError(f"the Colab cell does not install from {url}")
    return [argument.replace(url, Path(root).resolve().as_uri()) for argument in arguments]


def find_python(version: tuple[int, int], environ: Mapping[str, str] = os.environ) -> str | None:
    """An interpreter of that version: $COLAB_PYTHON, pythonX.Y on PATH, or one installed by pyenv."""
    name = "python{}.{}".format(*version)
    pyenv_root = environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = [
        environ.get("COLAB_PYTHON"),
        shutil.which(name),
        *sorted(glob.glob(f"{pyenv_root}/versions/{version[0]}.{version[1]}*/bin/{name}"), reverse=True),
    ]
    for candidate in filter(None, candidates):
        if _python_version(candidate) == version:
            return candidate
    return None


def missing_python_message(version: tuple[int, int]) -> str:
    """What to do when no interpreter of Colab's Python version is installed."""
    name = "{}.{}".format(*version)
    return (
        f"No Python {name} found (Colab runs Python {name}; looked at $COLAB_PYTHON, python{name} on PATH "
        f"and pyenv's versions). Install one (`pyenv install {name}`, `uv python install {name}` or your "
        f"system's python{name} package), or point COLAB_PYTHON at one: COLAB_PYTHON=/path/to/python{name}"
    )


def _python_version(python: str) -> tuple[int, int] | None:
    try:
        result = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except OSError:
        return None
    parts = result.stdout.split()
    return (int(parts[0]), int(parts[1])) if result.returncode == 0 and len(parts) == 2 else None


def resolve(python: str, arguments: Sequence[str], constraints) -> dict[str, str]:
    """What `pip install ARGUMENTS -c CONSTRAINTS` would install into an empty environment of `python`."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [python, "-m", "pip", "install", "--dry-run", "--ignore-installed"]
        command += ["--report", str(report), "--constraint", str(constraints), *arguments]
        result = subprocess.run(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            env=_pip_environment(),
        )
        if result.returncode:
            raise RuntimeError(
                f"pip could not resolve {shlex.join(arguments)}:\n{_pip_errors(result.stdout)}"
            )
        installs = json.loads(report.read_text())["install"]
    return {canonical_name(item["metadata"]["name"]): item["metadata"]["version"] for item in installs}


def _pip_environment() -> dict[str, str]:
    return {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


def _pip_errors(output: str) -> str:
    """pip's output from its first error on (all if none), less warnings about absent local indexes."""
    lines = [line for line in output.splitlines() if not line.startswith("WARNING: Location ")]
    first_error = next((i for i, line in enumerate(lines) if line.startswith("ERROR:")), 0)
    return "\n".join(lines[first_error:]).strip()


def differences(installed: Mapping[str, str], pins: Mapping[str, str], own=(OWN_PACKAGE,)) -> list[str]:
    """The packages, besides our own, that are not Colab's: added (Colab lacks them) or at another version."""
    problems = []
    for name, version in sorted(installed.items()):
        if name in own:
            continue
        if name not in pins:
            problems.append(f"adds {name} {version}")
        elif version != pins[name]:
            problems.append(f"changes {name} {pins[name]} → {version}")
    return problems


def check_colab_install(
    python: str, constraints=CONSTRAINTS_PATH, root=PROJECT_ROOT, cell_source: str | None = None
) -> list[str]:
    """What the Colab cell's install would add to or change in Colab's packages (empty: nothing)."""
    pins = read_pins(Path(constraints).read_text(encoding="utf-8"))
    try:
        installed = resolve(python, local_install_arguments(root, cell_source), constraints)
    except RuntimeError as error:  # a conflict with a pin: the install would change a Colab package
        return [str(error)]
    if OWN_PACKAGE not in installed:
        return [f"the Colab cell does not install {OWN_PACKAGE}"]
    unlisted = f" (Colab lacks it, or {Path(constraints).name} needs a refresh)"
    return [
        f"the Colab cell's install {problem}" + (unlisted if problem.startswith("adds") else "")
        for problem in differences(installed, pins)
    ]


def constraints_text(
    freeze_text: str, python: str, source: str, python_version: str, root=PROJECT_ROOT
) -> str:
    """Colab's pins of everything the course installs or relies on there, as a commented constraints file."""
    colab = read_pins(freeze_text)
    names = [*PARITY_PACKAGES, *KERNEL_PACKAGES]
    with tempfile.TemporaryDirectory() as folder:
        everything = Path(folder) / "colab-freeze.txt"
        everything.write_text("".join(f"{name}=={version}\n" for name, version in colab.items()))
        wanted = resolve(python, [f"{OWN_PACKAGE} @ {Path(root).resolve().as_uri()}", *names], everything)
    kept = sorted({name for name in [*wanted, *TOOLS] if name in colab})
    header = [
        "# Colab's versions of the packages the course installs or relies on there: pip constraints for the",
        "# Colab-install test and the Colab-parity run (make test-colab). Generated; do not edit by hand.",
        f"# Source: {source}",
        f"# Colab's Python: {python_version}",
        "# Refresh: python -m course_utils colab-constraints PIP_FREEZE --source 'REPOSITORY COMMIT, DATE'",
    ]
    return "\n".join([*header, *(f"{name}=={colab[name]}" for name in kept)]) + "\n"


@contextmanager
def repository_snapshot(root=PROJECT_ROOT, branch: str = BRANCH) -> Iterator[Path]:
    """A throwaway git repository whose `branch` holds the working tree (all files git does not ignore)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    )
    with tempfile.TemporaryDirectory(prefix="course-snapshot-") as folder:
        snapshot = Path(folder)
        for name in filter(None, listing.stdout.decode().split("\0")):
            source = Path(root) / name
            if source.is_file():
                (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, snapshot / name)
        git = [
            "git",
            "-c",
            "user.name=course",
            "-c",
            "user.email=course@localhost",
            "-c",
            "init.defaultBranch=x",
        ]
        for arguments in (
            ["init", "-q", "-b", branch],
            ["add", "-A"],
            ["commit", "-q", "-m", "working tree"],
        ):
            subprocess.run([*git, *arguments], cwd=snapshot, check=True, capture_output=True)
        yield snapshot


def git_url_rewrite(snapshot: Path) -> dict[str, str]:
    """Environment that makes git (and so pip) fetch the course repository from the snapshot instead."""
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{Path(snapshot).resolve().as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_0": REPOSITORY_URL,
    }


class ParityVenv:
    """A virtualenv on Colab's Python with Colab's versions of the course's libraries."""

    def __init__(self, path, log: Callable[..., None] = print):
        self.path, self.log = Path(path).resolve(), log
        self.python = str(self.path / "bin" / "python")

    def create(self, python: str, constraints=CONSTRAINTS_PATH) -> None:
        """A fresh venv holding exactly the constraints file's packages, at Colab's versions."""
        shutil.rmtree(self.path, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(self.path)], check=True)
        pins = read_pins(Path(constraints).read_text(encoding="utf-8"))
        self.pip("install", "--quiet", f"pip=={pins.pop('pip')}")
        packages = [f"{CPU_STAND_INS.get(name, name)}=={version}" for name, version in pins.items()]
        self.pip("install", "--quiet", "--no-deps", *packages)

    def pip(self, *arguments: str, environ: Mapping[str, str] | None = None) -> None:
        """Run this venv's pip; raise with pip's messages if it fails."""
        env = {**_pip_environment(), **(environ or {})}
        result = subprocess.run(
            [self.python, "-m", "pip", *arguments], capture_output=True, text=True, env=env
        )
        if result.returncode:
            raise RuntimeError(f"pip {' '.join(arguments)} failed:\n{_pip_errors(result.stderr)}")

    def packages(self) -> dict[str, str]:
        """The installed distributions, by canonical name."""
        result = subprocess.run(
            [self.python, "-m", "pip", "list", "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
            env=_pip_environment(),
        )
        return {canonical_name(item["name"]): item["version"] for item in json.loads(result.stdout)}

    def register_kernel(self) -> Path:
        """A `python3` kernelspec of this venv in a Jupyter folder of its own (put first on JUPYTER_PATH)."""
        jupyter = self.path / "parity-jupyter"
        kernel = jupyter / "kernels" / "python3"
        kernel.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [self.python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (Colab parity)",
            "language": "python",
        }
        (kernel / "kernel.json").write_text(json.dumps(spec, indent=1))
        return jupyter

    def colab_stand_in(self) -> Path:
        """An IPython folder whose startup file imports a stand-in google.colab, as Colab's kernel does."""
        ipython = self.path / "parity-ipython"
        startup = ipython / "profile_default" / "startup"
        startup.mkdir(parents=True, exist_ok=True)
        (startup / "00-google-colab-stand-in.py").write_text(STAND_IN)
        return ipython


@contextmanager
def _environment(updates: Mapping[str, str], removed: Iterable[str]) -> Iterator[None]:
    saved = dict(os.environ)
    for name in removed:
        os.environ.pop(name, None)
    os.environ.update(updates)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def prepare_venv(venv: ParityVenv, python: str, snapshot: Path, constraints=CONSTRAINTS_PATH) -> list[str]:
    """Create the venv at Colab's versions, then run the Colab cell's install in it; return what changed."""
    pins = read_pins(Path(constraints).read_text(encoding="utf-8"))
    venv.create(python, constraints)
    before = venv.packages()
    problems = differences(before, pins, own=set(CPU_STAND_INS.values()))
    venv.log(
        f"Installing course_utils with the Colab cell's command: pip {shlex.join(colab_install_arguments())}"
    )
    venv.pip("install", *colab_install_arguments(), environ=git_url_rewrite(snapshot))
    after = venv.packages()
    if OWN_PACKAGE not in after:
        problems.append(f"the Colab cell did not install {OWN_PACKAGE}")
    problems += [f"the Colab cell's install {change}" for change in differences(after, before)]
    venv.log(f"Installed: {_summary(after)}")
    return problems


def run_parity(
    python: str,
    venv_dir,
    output_dir,
    lessons: Sequence[Lesson] = LESSONS,
    constraints=CONSTRAINTS_PATH,
    root=PROJECT_ROOT,
    log: Callable[..., None] = print,
) -> tuple[list[NotebookRun], list[str]]:
    """Build the Colab-parity venv, install course_utils with the Colab cell, run the lessons on it (quick).

    Returns the lesson runs and the problems met: Colab packages added or changed (by the install, a lesson).
    """
    venv, start = ParityVenv(venv_dir, log), time.monotonic()
    log(f"Creating {venv.path} on {python} with Colab's versions…", flush=True)
    with repository_snapshot(root) as snapshot:
        problems = prepare_venv(venv, python, snapshot, constraints)
        log(f"Venv ready in {time.monotonic() - start:.0f} s", flush=True)
        if problems:
            return [], problems
        updates = {
            **git_url_rewrite(snapshot),  # the lessons' own Colab cell installs from the snapshot too
            "JUPYTER_PATH": os.pathsep.join(
                filter(None, [str(venv.register_kernel()), os.environ.get("JUPYTER_PATH")])
            ),
            "IPYTHONDIR": str(venv.colab_stand_in()),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # debugpy's frozen-modules notice on Python 3.13
        }
        # Kernels import the installed course_utils (not the checkout's) and draw PlotTraining live, as Colab.
        removed = ("PYTHONPATH", "COURSE_UTILS_STATIC_PLOTS", "VIRTUAL_ENV")
        output_dir, runs = Path(output_dir), []
        output_dir.mkdir(parents=True, exist_ok=True)
        installed = venv.packages()
        with _environment(updates, removed):
            for position, lesson in enumerate(lessons, start=1):
                run = execute_lesson(lesson, Path(root) / "notebooks", output_dir / lesson.notebook, "quick")
                changes = [f"{lesson.stem} {change}" for change in differences(venv.packages(), installed)]
                if not _ran_colab_branch(run.path):
                    changes.append(f"{lesson.stem}: its Colab cell did not take the google.colab branch")
                log(
                    f"[{position}/{len(lessons)}] {lesson.stem} … {run.seconds:.1f} s  {verdict(run)}"
                    + "".join(f"; {change}" for change in changes),
                    flush=True,
                )
                runs.append(run)
                problems += changes
    write_outputs(runs, output_dir)
    log(f"Colab-parity run: {time.monotonic() - start:.0f} s in all (venv and lessons)")
    return runs, problems


def _ran_colab_branch(executed) -> bool:
    """True if the executed notebook's Colab cell printed something (its %pip ran; otherwise it is silent)."""
    if not Path(executed).exists():
        return False
    cells = nbformat.read(executed, as_version=4).cells
    return any(COLAB_TAG in cell.metadata.get("tags", []) and cell.get("outputs") for cell in cells)


def _summary(packages: Mapping[str, str]) -> str:
    shown = ["tensorflow-cpu", "keras", "numpy", "matplotlib", "ipykernel", "ipython", OWN_PACKAGE]
    return ", ".join(f"{name} {packages[name]}" for name in shown if name in packages)
