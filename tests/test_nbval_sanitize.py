"""Each sanitiser of tests/nbval_sanitize.cfg does what its name says, applied by nbval's own code."""

from __future__ import annotations

import re

import pytest

from tests.nbval_compare import SANITIZE_CFG, sanitizer

sanitize = sanitizer()
SECTIONS = re.findall(r"^\[(\w+)\]$", SANITIZE_CFG.read_text(encoding="utf-8"), flags=re.M)


def summary(model: str, layers) -> str:
    """A Keras 3 model.summary() table as it prints, each name cell padded to the column's width."""
    rows = [f'Model: "{model}"', "┏" + "━" * 33 + "┳" + "━" * 24 + "┓"]
    for name, kind, shape in layers:
        rows.append(f"│ {f'{name} ({kind})':<31} │ {shape:<22} │")
    return "\n".join(rows) + "\n"


# (sanitiser, text that must become equal to `same`, `same`, text that must stay different from `same`)
CASES = {
    "tf_log_lines": (
        "2024-11-22 18:04:01.123456: I tensorflow/core/util/port.cc:113] oneDNN on.\n"
        "W0000 00:00:1732291441.123456    1234 gpu_device.cc:2344] Cannot dlopen\n"
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
        "training images: 5,000\n",
        "training images: 5,000\n",
        "training images: 55,000\n",
    ),
    "python_warnings": (
        "/venv/keras/src/layers/input_layer.py:27: UserWarning: Argument `input_shape` is deprecated.\n"
        "  warnings.warn(\n"
        "ok\n",
        "ok\n",
        "UserWarning in the lesson's own sentence\nok\n",
    ),
    "keras_progress_bars": (
        "1875/1875 ━━━━━━━━━━━━━━━━━━━━ 3s 1ms/step - accuracy: 0.9 - loss: 0.3\ndone\n",
        "done\n",
        "done twice\n",
    ),
    "tqdm_progress_bars": (
        " 50%|█████     | 5/10 [00:01<00:01,  4.99it/s]\ndone\n",
        "done\n",
        "done twice\n",
    ),
    "per_step_timings": ("430/430 - 1s - 2ms/step", "430/430 - 3s - 15ms/step", "430/431 - 3s - 15ms/step"),
    "timings": (
        "0.6 s per epoch, 21 s in all, 850 ms",
        "13.0 s per epoch, 110 s in all, 2 min",
        "13.0 s per batch",
    ),
    "figure_reprs": ("<Figure size 640x480 with 1 Axes>", "<Figure size 1100x380 with 2 Axes>", "<Axes>"),
    "memory_addresses": (
        "<keras.src.models.sequential.Sequential object at 0x7f3a2c1b5e50>",
        "<keras.src.models.sequential.Sequential object at 0x7ff001122ab0>",
        "<keras.src.models.functional.Functional object at 0x7ff001122ab0>",
    ),
    "keras_auto_names": (
        summary(
            "sequential_3", [("dense_12", "Dense", "(None, 512)"), ("dropout_4", "Dropout", "(None, 512)")]
        ),
        summary("sequential", [("dense", "Dense", "(None, 512)"), ("dropout", "Dropout", "(None, 512)")]),
        summary("sequential", [("dense", "Dense", "(None, 256)"), ("dropout", "Dropout", "(None, 256)")]),
    ),
    "table_padding": (
        "│ wide (Dense)         │ (None, 10)     │",
        "│ wide (Dense)  │ (None, 10)           │",
        "│ wide (Dense)  │ (None, 100)           │",
    ),
}


def test_every_sanitiser_has_a_case():
    assert sorted(SECTIONS) == sorted(CASES)


@pytest.mark.parametrize("name", list(CASES))
def test_the_sanitiser_makes_equal_what_it_should_and_nothing_more(name):
    varying, same, different = CASES[name]
    assert sanitize(varying) == sanitize(same)
    assert sanitize(different) != sanitize(same)


@pytest.mark.parametrize(
    "text",
    [
        "std W1 (784x200)  std W2 (200x10)\n",  # lesson 4's table head: "0x10" is not an address
        "W1  (784, 200)   156,800 parameters\n",
        "5 epochs at learning rate 0.005\n",
        "test accuracy: 0.9243 (757 of 10,000 test digits wrong)\n",
    ],
)
def test_numbers_the_lessons_check_are_left_alone(text):
    assert sanitize(text) == text
