"""course_utils.results: the recording call and reading it back from a notebook."""

import math
import sys

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


def shown(**metrics):
    """The display outputs that record_results sends to a Jupyter front end."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as captured:
        record_results(**metrics)
    return captured.outputs


def test_the_front_end_gets_a_text_table_an_html_table_and_the_machine_readable_metrics():
    (output,) = shown(test_accuracy=0.98765, images=55_000, seconds=12.25)
    assert output.data["text/plain"] == (
        "test_accuracy            0.9877\nimages                   55,000\nseconds                  12.2"
    )
    assert output.data["text/html"] == (
        "<table><tr><th>metric</th><th>value</th></tr><tr><td>test_accuracy</td><td>0.9877</td></tr>"
        "<tr><td>images</td><td>55,000</td></tr><tr><td>seconds</td><td>12.2</td></tr></table>"
    )
    assert output.data[RESULTS_MIME] == {
        "metrics": {"test_accuracy": 0.98765, "images": 55_000, "seconds": 12.25}
    }


def test_what_is_shown_is_read_back_from_the_notebook_in_order():
    first, second = shown(test_accuracy=0.5, loss=0.25)[0], shown(test_accuracy=0.75)[0]
    outputs = [nbformat.v4.new_output("display_data", data=dict(o.data)) for o in (first, second)]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=outputs)])
    assert read_results(nb) == {"test_accuracy": 0.75, "loss": 0.25}  # the later value wins
    assert list(read_results(nb)) == ["test_accuracy", "loss"]


@pytest.mark.parametrize(
    ("value", "text"),
    [(9.99994, "9.9999"), (10.0, "10.0"), (-10.0, "-10.0"), (-0.5, "-0.5000"), (123.45, "123.5")],
)
def test_values_of_ten_and_more_show_one_decimal_smaller_ones_four(value, text):
    (output,) = shown(value=value)
    assert output.data["text/plain"].split()[-1] == text


def test_nothing_to_record_says_how_to_record():
    with pytest.raises(
        ValueError, match=r"^record_results needs at least one metric, e.g. test_accuracy=0.97$"
    ):
        record_results()


def test_without_ipython_the_table_is_printed(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # `from IPython.display import …` fails
    record_results(test_accuracy=0.5, epochs=3)
    assert capsys.readouterr().out == "test_accuracy            0.5000\nepochs                   3\n"
