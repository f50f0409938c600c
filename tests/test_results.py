"""course_utils.results: the recording call and reading it back from a notebook."""

import math

import nbformat
import numpy as np
import pytest

from course_utils.results import RESULTS_MIME, read_results, record_results


def test_record_returns_plain_numbers_and_prints_without_ipython(capsys):
    values = record_results(test_accuracy=np.float32(0.9876), seconds_per_epoch=12.5, epochs=10)
    assert values == {"test_accuracy": pytest.approx(0.9876), "seconds_per_epoch": 12.5, "epochs": 10}
    assert type(values["test_accuracy"]) is float
    assert "test_accuracy" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_are_refused(bad):
    with pytest.raises(ValueError, match="test_accuracy is"):
        record_results(test_accuracy=bad)


@pytest.mark.parametrize("bad", ["0.9", None, True])
def test_non_numbers_are_refused(bad):
    with pytest.raises(TypeError, match="not a number"):
        record_results(test_accuracy=bad)


def test_nothing_to_record_is_an_error():
    with pytest.raises(ValueError, match="at least one metric"):
        record_results()


def test_read_results_finds_the_recorded_output():
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("display_data", data={RESULTS_MIME: {"metrics": {"test_accuracy": 0.97}}})
    nb.cells = [nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("x", outputs=[out])]
    assert read_results(nb) == {"test_accuracy": 0.97}
    assert read_results(nbformat.v4.new_notebook()) == {}
