"""course_utils.models: the networks later lessons reuse are the ones their lessons build."""

import re

import nbformat

from course_utils.models import batch_normalized_network, dense_network
from tests.conftest import ROOT


def _stored_summary_params(notebook: str) -> list[int]:
    """The "Param #" column of the model.summary() stored in a lesson, layer by layer."""
    nb = nbformat.read(ROOT / "notebooks" / notebook, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "model.summary()" in c.source)
    plain = "".join(output.get("data", {}).get("text/plain", "") for output in cell.outputs)
    text = re.sub(r"\x1b\[[0-9;]*m", "", plain)
    return [int(m.replace(",", "")) for m in re.findall(r"│\s+([\d,]+) │\n", text)]


def test_lesson11_network_has_the_layers_and_parameters_lesson11_builds():
    model = batch_normalized_network()
    assert model.name == "batch_normalized" and model.input_shape == (None, 784)
    assert [layer.count_params() for layer in model.layers] == _stored_summary_params(
        "11_batch_normalization.ipynb"
    )
    assert model.count_params() == 676_114
    assert (
        model.layers[2].momentum == 0.99
        and batch_normalized_network(bn_momentum=0.9).layers[2].momentum == 0.9
    )


def test_lesson6_network_comes_fresh_and_compiled_with_adam_at_the_rate_asked():
    model = dense_network(0.004, "checked")
    dense = model.layers
    assert model.name == "checked" and model.input_shape == (None, 784)
    assert [layer.units for layer in dense] == [200, 100, 60, 30, 10]
    assert [layer.activation.__name__ for layer in dense] == ["relu"] * 4 + ["softmax"]
    assert type(model.optimizer).__name__ == "Adam"
    assert abs(float(model.optimizer.learning_rate) - 0.004) < 1e-9
    assert model.loss == "sparse_categorical_crossentropy"
    other = dense_network(0.004, "checked")
    assert other is not model and all(a is not b for a, b in zip(other.weights, model.weights, strict=True))
