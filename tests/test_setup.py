"""course_utils.setup: environment check and seeding."""

import random

import numpy as np
import pytest

from course_utils import setup


def test_check_environment_reports_versions(capsys):
    versions = setup.check_environment(tensorflow=False)
    assert set(versions) == {"python", "numpy"}
    assert versions["numpy"] in capsys.readouterr().out


def test_check_environment_with_tensorflow():
    versions = setup.check_environment()
    assert versions["keras"].startswith("3.") and "devices" in versions


def test_too_old_a_version_fails_with_the_fix():
    with pytest.raises(RuntimeError, match="needs keras >= 3.0.*requirements.txt"):
        setup._require("keras", "2.15.0")
    setup._require("numpy", "2.4.6")


def test_set_seed_makes_python_and_numpy_repeat():
    setup.set_seed(7)
    first = (random.random(), np.random.rand())
    setup.set_seed(7)
    assert (random.random(), np.random.rand()) == first
