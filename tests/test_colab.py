"""Colab parity: the Colab cell, Colab's versions as constraints, package ranges, the environment check."""

import os
import subprocess
import sys

import nbformat
import pytest
from packaging.requirements import Requirement

from course_utils import setup
from course_utils.course import colab
from course_utils.course.notebook_format import COLAB_TAG, colab_cell_source
from tests.conftest import ROOT

CONSTRAINTS = colab.CONSTRAINTS_PATH.read_text(encoding="utf-8")
PINS = colab.read_pins(CONSTRAINTS)
SHARED_FREEZE = ROOT.parent / "shared" / "colab" / "pip-freeze.txt"


def test_the_colab_cell_installs_course_utils_alone_from_the_repository():
    assert colab.colab_install_arguments() == [
        "-q",
        "course-utils @ git+https://github.com/open-dl-course/mnist-course@main",
    ]
    assert colab.local_install_arguments(ROOT) == ["-q", f"course-utils @ {ROOT.as_uri()}"]
    assert 'if "google.colab" in sys.modules:' in colab_cell_source()


def test_read_pins_takes_exact_pins_by_canonical_name_and_skips_the_rest():
    text = "# a comment\nJinja2==3.1.6\nml_dtypes==0.6.0  # why\ngoogle-colab @ file:///x.tar.gz\nrich>=13\n"
    assert colab.read_pins(text) == {"jinja2": "3.1.6", "ml-dtypes": "0.6.0"}


def test_differences_name_added_and_changed_packages_but_not_our_own():
    installed = {"course-utils": "1.0.0", "numpy": "2.4.0", "jedi": "0.20.1", "keras": "3.13.2"}
    assert colab.differences(installed, {"numpy": "2.1.3", "keras": "3.13.2"}) == [
        "adds jedi 0.20.1",
        "changes numpy 2.1.3 → 2.4.0",
    ]


def test_the_constraints_pin_colabs_kernel_and_course_packages_and_say_where_they_come_from():
    for name in (*colab.PARITY_PACKAGES, *colab.KERNEL_PACKAGES, *colab.TOOLS):
        assert name in PINS, f"{name} is missing from colab-constraints.txt: refresh it (see README)"
    assert "# Source: googlecolab/backend-info" in CONSTRAINTS
    assert colab.colab_python(CONSTRAINTS) >= (3, 13)


@pytest.mark.skipif(not SHARED_FREEZE.exists(), reason="no Colab package list at ../shared/colab")
def test_the_constraints_are_colabs_published_versions():
    published = colab.read_pins(SHARED_FREEZE.read_text(encoding="utf-8"))
    assert {name: published.get(name) for name in PINS} == PINS


def test_the_package_and_its_tensorflow_extra_accept_colabs_versions():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["tensorflow"]]
    for requirement in map(Requirement, declared):
        version = PINS.get(colab.canonical_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in colab-constraints.txt: refresh it"
        assert requirement.specifier.contains(version), f"{requirement} excludes Colab's {version}"


def test_check_environment_accepts_colabs_versions_and_rejects_older_ones():
    python = ".".join(map(str, colab.colab_python(CONSTRAINTS)))
    for name, version in [
        ("python", python),
        *((name, PINS[name]) for name in ("numpy", "tensorflow", "keras")),
    ]:
        setup._require(name, version)
    for name, version in [
        ("python", "3.9.18"),
        ("numpy", "1.26.4"),
        ("tensorflow", "2.15.1"),
        ("keras", "2.15.0"),
    ]:
        with pytest.raises(RuntimeError, match=f"needs {name} >="):
            setup._require(name, version)


def test_find_python_takes_colab_python_and_says_what_to_do_without_one(tmp_path):
    here = sys.version_info[:2]
    assert colab.find_python(here, {"COLAB_PYTHON": sys.executable}) == sys.executable
    assert colab.find_python((3, 99), {"PYENV_ROOT": str(tmp_path)}) is None
    message = colab.missing_python_message((3, 99))
    assert (
        "No Python 3.99 found" in message and "pyenv install 3.99" in message and "COLAB_PYTHON=" in message
    )


def _git(*arguments, cwd, env=None):
    identity = ["-c", "user.name=t", "-c", "user.email=t@localhost", "-c", "init.defaultBranch=x"]
    command = ["git", *identity, *arguments]
    return subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True, env=env)


def test_git_fetches_the_repository_url_from_a_snapshot_of_the_working_tree(tmp_path):
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    _git("init", "-q", "-b", "work", cwd=checkout)
    (checkout / ".gitignore").write_text("build/\n")
    (checkout / "committed.txt").write_text("old\n")
    _git("add", "-A", cwd=checkout)
    _git("commit", "-q", "-m", "one", cwd=checkout)
    (checkout / "committed.txt").write_text("edited\n")
    (checkout / "new.txt").write_text("untracked\n")
    (checkout / "build").mkdir()
    (checkout / "build" / "ignored.txt").write_text("ignored\n")
    with colab.repository_snapshot(checkout) as snapshot:
        env = {**os.environ, **colab.git_url_rewrite(snapshot)}
        _git(
            "clone",
            "-q",
            "--branch",
            "main",
            colab.REPOSITORY_URL,
            str(tmp_path / "clone"),
            cwd=tmp_path,
            env=env,
        )
    clone = tmp_path / "clone"
    assert (clone / "committed.txt").read_text() == "edited\n" and (clone / "new.txt").exists()
    assert not (clone / "build").exists()


@pytest.mark.skipif(
    os.environ.get("COURSE_COLAB_CHECKS") != "1", reason="needs PyPI and Python 3.13: make test-colab runs it"
)
def test_the_colab_cell_adds_course_utils_to_colab_and_changes_nothing_else():
    version = colab.colab_python(CONSTRAINTS)
    python = colab.find_python(version)
    if python is None:
        pytest.fail(colab.missing_python_message(version))
    assert colab.check_colab_install(python) == []


def test_the_stand_in_makes_the_colab_cell_take_its_colab_branch():
    probe = colab.STAND_IN + 'import google.colab\nprint("google.colab" in sys.modules)\n'
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_an_executed_colab_cell_with_output_shows_its_branch_ran(tmp_path):
    cell = nbformat.v4.new_code_cell(colab_cell_source(), metadata={"tags": [COLAB_TAG]})
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert not colab._ran_colab_branch(path)
    cell.outputs = [nbformat.v4.new_output("stream", text="Note: you may need to restart the kernel\n")]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    assert colab._ran_colab_branch(path) and not colab._ran_colab_branch(tmp_path / "missing.ipynb")
