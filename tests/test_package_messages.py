"""The lesson helpers speak Spanish with COURSE_LANGUAGE=es: every wrapped message translated with the
same fields; figures, errors, printed lines and the drawing pad in Spanish; English unchanged without it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import keras
import matplotlib.text
import numpy as np
import pytest
from babel.messages.extract import extract_from_file

import course_utils
from course_utils import conv_plots, distribution_plots, i18n, mlp, plots
from course_utils.callbacks import EpochTimer, NanLossError, PlotTraining
from course_utils.canvas import _ESM, DrawingPad
from course_utils.data import MnistError, mnist_files, read_idx
from course_utils.drawing import plot_prediction, sample_strokes, to_mnist
from course_utils.parameters import ParameterError, check_parameters

KEYWORDS = {"translated": ((1, "c"), 2)}
SAME_IN_BOTH: set[str] = {"ReLU"}  # texts spelled the same in both languages (none wrapped so far)


def _extracted() -> dict[tuple[str, str], str]:
    found = {}
    package = Path(course_utils.__file__).parent
    for path in [*sorted(package.glob("*.py")), *sorted(package.glob("checks/*.py"))]:
        for _, text, _, context in extract_from_file("python", path, keywords=KEYWORDS):
            found[(context, text)] = path.name
    return found


MESSAGES = _extracted()


@pytest.fixture(autouse=True)
def fresh_catalogue():
    i18n._catalogue.cache_clear()
    yield
    i18n._catalogue.cache_clear()


@pytest.fixture
def spanish(monkeypatch):
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    i18n._catalogue.cache_clear()


@pytest.fixture
def english(monkeypatch):
    monkeypatch.delenv("COURSE_LANGUAGE", raising=False)
    i18n._catalogue.cache_clear()


def es(context: str, text: str) -> str:
    return i18n._catalogue("es").pgettext(context, text)


def fields(template: str) -> list[tuple[str, str, str]]:
    parsed = string.Formatter().parse(template)
    return sorted((name, conversion or "", spec) for _, name, spec, conversion in parsed if name is not None)


def pattern(template: str) -> re.Pattern:
    """A regex matching what the template formats to (whitespace runs compared as one space)."""
    parts = string.Formatter().parse(" ".join(template.split()))
    return re.compile(
        "".join(re.escape(text) + ("(.+?)" if name is not None else "") for text, name, *_ in parts)
    )


# -- every message has a Spanish translation --------------------------------------------------
def test_the_lesson_modules_have_their_messages_wrapped():
    assert len(MESSAGES) > 150
    assert {name for name in MESSAGES.values()} >= {"plots.py", "data.py", "parameters.py", "canvas.py"}


@pytest.mark.parametrize("context, text", sorted(MESSAGES), ids=lambda value: value[:40])
def test_every_message_has_a_spanish_translation_with_the_same_fields(context, text):
    translation = es(context, text)
    assert translation != text or text in SAME_IN_BOTH, f"{MESSAGES[context, text]}: not translated"
    english_fields = fields(text)
    assert [name for name, *_ in fields(translation)] == [name for name, *_ in english_fields]
    for (name, conversion, spec), (_, conversion_es, spec_es) in zip(
        english_fields, fields(translation), strict=True
    ):
        assert conversion_es == conversion and spec_es in (spec, spec.replace(",", "")), name


# -- figures ----------------------------------------------------------------------------------
FIGURE_CONTEXTS = ("plots", "conv_plots", "distribution_plots", "drawing", "callbacks")


def figure_texts(fig) -> list[str]:
    """Titles, suptitle, axis and colorbar labels, legend entries and texts that hold a letter."""
    texts = [text.get_text() for text in fig.findobj(matplotlib.text.Text)]
    return [t for t in texts if not t.startswith("$") and any(ch.isalpha() for ch in t)]


def assert_spanish(fig, data=()):
    """No text is an English message; each is a Spanish one, or only names from the data."""
    messages = [(c, t) for c, t in MESSAGES if c in FIGURE_CONTEXTS]
    spanish = [pattern(es(c, t)) for c, t in messages]
    english = [pattern(t) for c, t in messages if pattern(t).pattern != pattern(es(c, t)).pattern]
    texts = figure_texts(fig)
    assert texts
    for text in texts:
        flat = " ".join(text.split())
        assert not any(p.fullmatch(flat) for p in english), f"English text in the figure: {text!r}"
        rest = flat
        for name in sorted(data, key=len, reverse=True):
            rest = rest.replace(name, "")
        assert any(p.fullmatch(flat) for p in spanish) or not any(ch.isalpha() for ch in rest), text


def _predict(points, weights=(1.0, -1.0)):
    return 1 / (1 + np.exp(-(points @ np.asarray(weights))))


def _conv_model():
    layers = [
        keras.layers.Conv2D(2, 3, strides=2, name="conv"),
        keras.layers.Flatten(),
        keras.layers.Dense(3),
    ]
    return keras.Sequential([keras.Input((28, 28, 1)), *layers], name="tiny")


RNG = np.random.default_rng(0)
IMAGE = RNG.random((28, 28)).astype(np.float32)
X, Y = RNG.normal(size=(20, 2)), np.arange(20) % 2
RUNS, EDGES = {"A": {0: IMAGE, 1: IMAGE}, "B": {0: IMAGE}}, conv_plots.EDGE_FILTERS["vertical edges"]
FIGURES = {
    "plot_misrecognized": (lambda: plots.plot_misrecognized(np.zeros((3, 28, 28)), [1, 2, 3], [1, 3, 3]), ()),
    "plot_history": (lambda: plots.plot_history({"loss": [1, 0.5], "val_loss": [1.1, 0.6]}), set()),
    "compare_histories": (
        lambda: plots.compare_histories({"A": {"val_loss": [1, 0.5]}, "B": {"val_loss": [2, 1]}}, ["loss"]),
        {"A", "B"},
    ),
    "compare_training": (
        lambda: plots.compare_histories({"A": {"accuracy": [0.5, 0.7]}}, ["accuracy"], split=""),
        {"A"},
    ),
    "plot_weight_templates": (lambda: plots.plot_weight_templates(RNG.normal(size=(784, 2))), ()),
    "plot_learning_rate": (lambda: plots.plot_learning_rate(lambda epoch: 0.1 * 0.5**epoch, 3), ()),
    "plot_activations": (lambda: plots.plot_activations(), set(plots.ACTIVATIONS)),
    "plot_decision_boundary": (lambda: plots.plot_decision_boundary(_predict, X, Y, resolution=10), ()),
    "plot_decision_boundaries": (
        lambda: plots.plot_decision_boundaries(_predict, X, Y, [(0, 0), (1, -1)], resolution=10),
        (),
    ),
    "plot_convolution": (lambda: conv_plots.plot_convolution(IMAGE, EDGES), ()),
    "plot_output_sizes": (lambda: conv_plots.plot_output_sizes(IMAGE, np.ones((3, 3))), {"valid", "same"}),
    "plot_filters": (
        lambda: conv_plots.plot_filters(RNG.normal(size=(3, 3, 2, 4)), channel=1, max_filters=3),
        (),
    ),
    "plot_feature_maps": (lambda: conv_plots.plot_feature_maps(_conv_model(), IMAGE), {"conv"}),
    "plot_tensor_shapes": (
        lambda: conv_plots.plot_tensor_shapes(_conv_model()),
        {"tiny", "Input", "Conv2D", "valid", "Flatten", "Dense"},
    ),
    "plot_activation_distributions": (
        lambda: distribution_plots.plot_activation_distributions(RUNS),
        {"A", "B"},
    ),
    "plot_layer_distributions": (lambda: distribution_plots.plot_layer_distributions({"W1": IMAGE}), {"W1"}),
    "plot_weight_distributions": (
        lambda: distribution_plots.plot_layer_distributions({"W1": IMAGE}, what="weight"),
        {"W1"},
    ),
    "plot_prediction": (lambda: plot_prediction(IMAGE, IMAGE, np.full(10, 0.1)), ()),
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_in_spanish(spanish, name):
    draw, data = FIGURES[name]
    assert_spanish(draw(), data)


def test_the_training_plot_is_in_spanish(spanish):
    model = _tiny_keras_model()
    plot = PlotTraining(sample_rate=2, live=False)
    x, y = _separable_data()
    model.fit(x, y, validation_data=(x, y), batch_size=16, epochs=1, callbacks=[plot], verbose=0)
    assert_spanish(plot.figure, set())
    assert "entrenamiento (media de 2 lotes)" in figure_texts(plot.figure)


def test_spanish_counts_are_not_grouped_with_a_comma(spanish):
    labels = np.arange(1200) % 10
    fig = plots.plot_misrecognized(np.zeros((1200, 28, 28)), labels, (labels + 1) % 10, n=2)
    assert fig.get_suptitle().startswith("1200 de 1200 dígitos mal reconocidos")


# -- errors, printed lines, the drawing pad ----------------------------------------------------
def _tiny_keras_model(learning_rate=0.1):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy")
    return model


def _separable_data():
    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64")


def test_a_parameter_error_is_in_spanish(spanish):
    with pytest.raises(ParameterError) as info:
        check_parameters(EPOCHS=-1)
    assert str(info.value) == (
        "EPOCHS = -1 no está permitido: EPOCHS debe ser un número entero ≥ 1. "
        "Cámbialo en la celda de parámetros y vuelve a ejecutar el cuaderno."
    )
    with pytest.raises(
        ParameterError, match="None \\(todas las imágenes de entrenamiento\\) o un número entero de 1 a 55000"
    ):
        check_parameters(TRAIN_SIZE=0)


def test_the_nan_loss_message_is_in_spanish(spanish):
    x, y = _separable_data()
    x[:, 0] = np.nan
    with pytest.raises(NanLossError) as info:
        _tiny_keras_model().fit(x, y, batch_size=16, epochs=2, callbacks=[EpochTimer()], verbose=0)
    message = str(info.value)
    assert message.startswith("la pérdida se volvió nan en la época 1, lote 1: los pesos se dispararon")
    assert "diez veces menor que 0.1 (LEARNING_RATE en la celda de parámetros)" in message
    assert "Try a learning rate" not in message


def test_the_training_history_and_its_lines_are_in_spanish(spanish, capsys):
    x, y = _separable_data()
    one_hot = np.eye(2, dtype=np.float32)[y]
    history = mlp.train(mlp.MLP([4, 2]), x, one_hot, epochs=1, batch_size=32, learning_rate=0.1)
    assert history.message == "1 época entrenada, pérdida finita"
    assert re.fullmatch(r"época 1/1: pérdida \d\.\d{4}, exactitud \d\.\d{4}\n", capsys.readouterr().out)
    x[0, 0] = np.inf
    history = mlp.train(
        mlp.MLP([4, 2]), x, one_hot, epochs=2, batch_size=32, learning_rate=0.1, verbose=False
    )
    assert history.stopped_on_nan
    assert history.message == "detenido tras la época 1: la pérdida de entrenamiento es nan"


def test_mnist_errors_from_a_corrupt_file_are_in_spanish(spanish, tmp_path):
    corrupt = tmp_path / "train-images-idx3-ubyte.gz"
    corrupt.write_bytes(b"not a gzip file at all")
    with pytest.raises(MnistError, match="no es un archivo gzip completo") as info:
        read_idx(corrupt)
    assert "Delete it" not in str(info.value)
    with pytest.raises(
        MnistError, match="no coincide con el SHA-256 publicado de train-images-idx3-ubyte.gz"
    ):
        mnist_files(data_dir=tmp_path)


def test_the_drawing_pad_is_in_spanish(spanish):
    with pytest.raises(ValueError, match="^el dibujo está vacío: dibuja primero un dígito$"):
        to_mnist(np.zeros((28, 28)))
    pad = DrawingPad(_AlwaysFour())
    assert (pad.classify_label, pad.clear_label) == ("Clasificar", "Borrar")
    assert '"Classify"' not in _ESM and 'model.get("classify_label")' in _ESM
    pad.requests += 1
    assert pad.prediction == "el dibujo está vacío: dibuja primero un dígito"
    pad.strokes = sample_strokes()[4]
    pad.requests += 1
    assert pad.prediction == "predicción: 4 (55%)"


class _AlwaysFour:
    input_shape = (None, 784)

    def __call__(self, batch, training=False):
        probabilities = np.full((1, 10), 0.05, np.float32)
        probabilities[0, 4] = 0.55
        return probabilities


# -- English stays as it was -------------------------------------------------------------------
def test_without_a_language_the_messages_stay_english(english):
    with pytest.raises(
        ParameterError, match="^EPOCHS = -1 is not allowed: EPOCHS must be a whole number ≥ 1. Change"
    ):
        check_parameters(EPOCHS=-1)
    with pytest.raises(ParameterError, match="or a whole number from 1 to 55,000"):
        check_parameters(TRAIN_SIZE=0)
    with pytest.raises(ValueError, match="^the drawing is empty: draw a digit first$"):
        to_mnist(np.zeros((28, 28)))
    pad = DrawingPad(_AlwaysFour())
    assert (pad.classify_label, pad.clear_label) == ("Classify", "Clear")
    assert plots.plot_learning_rate(lambda epoch: 0.1, 2).axes[0].get_title() == "Learning-rate schedule"
    labels = np.arange(1200) % 10
    fig = plots.plot_misrecognized(np.zeros((1200, 28, 28)), labels, (labels + 1) % 10, n=2)
    assert fig.get_suptitle().startswith("1,200 of 1,200 digits misrecognised")
