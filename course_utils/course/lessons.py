"""The table of lessons: notebooks, titles, accuracy targets and quick-run parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from types import MappingProxyType

REPOSITORY = "open-dl-course/mnist-course"
BRANCH = "main"
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook, its target after a full run and its sanity level after a quick run."""

    number: int
    notebook: str
    title: str
    target: float
    quick_target: float
    quick_parameters: Mapping = field(default_factory=dict, hash=False)
    metric: str = "test_accuracy"
    needs_mnist: bool = True  # the runner checks MNIST once before the first lesson that needs it

    def __post_init__(self):
        object.__setattr__(self, "quick_parameters", MappingProxyType(dict(self.quick_parameters)))

    @property
    def stem(self) -> str:
        """The notebook name without `.ipynb`, e.g. `05_keras_single_layer`."""
        return PurePath(self.notebook).stem

    def target_for(self, profile: str) -> float:
        """The target of the lesson's metric for a run profile (`quick` or `full`)."""
        return self.quick_target if profile == "quick" else self.target

    def parameters_for(self, profile: str) -> dict:
        """The parameters the runner injects for a profile (none for `full`)."""
        return dict(self.quick_parameters) if profile == "quick" else {}


# Quick-run parameters shared by most lessons; give a row its own dict to change one lesson.
QUICK = {"EPOCHS": 1, "TRAIN_SIZE": 5000}
# 40 batches of 128 are too few for plain SGD (lesson 5) and Adam at 0.001 (lesson 6) to pass 0.80
# reliably: batches of 32 give 157 steps in the same time.
QUICK_SMALL_BATCHES = {**QUICK, "BATCH_SIZE": 32}

# Lesson(number, notebook, title, target of the full run, quick_target, quick_parameters)
LESSONS: tuple[Lesson, ...] = (
    Lesson(1, "01_neuron.ipynb", "A single neuron in numpy", 0.95, 0.90, {}, needs_mnist=False),
    Lesson(2, "02_hidden_layers.ipynb", "Hidden layers", 0.97, 0.80, {"EPOCHS": 2, "TRAIN_SIZE": 5000}),
    Lesson(3, "03_activation_functions.ipynb", "Activation functions", 0.97, 0.70, QUICK),
    Lesson(4, "04_weight_initialization.ipynb", "Weight initialisation", 0.97, 0.70, QUICK),
    Lesson(5, "05_keras_single_layer.ipynb", "One dense layer in Keras", 0.92, 0.80, QUICK_SMALL_BATCHES),
    Lesson(
        6,
        "06_keras_deep_dense.ipynb",
        "Going deep: ReLU and Adam",
        0.97,
        0.80,
        {**QUICK_SMALL_BATCHES, "SHORT_EPOCHS": 1},  # the two other pairings: one epoch too
    ),
    Lesson(7, "07_learning_rate_decay.ipynb", "Learning-rate decay", 0.98, 0.85, QUICK),
    Lesson(8, "08_dropout_overfitting.ipynb", "Dropout and overfitting", 0.98, 0.85, QUICK),
    # Lesson 9 saves its network for lesson 10's pictures; a quick run saves and reads a file of its own,
    # so it never replaces (or draws) the network of a full run.
    Lesson(
        9,
        "09_convolutional.ipynb",
        "A convolutional network",
        0.99,
        0.80,
        {**QUICK, "MODEL_PATH": "models/lesson09-quick.keras"},
    ),
    Lesson(
        10,
        "10_convolutional_dropout.ipynb",
        "A bigger CNN with dropout",
        0.993,
        0.80,
        {**QUICK, "LESSON9_MODEL": "models/lesson09-quick.keras"},
    ),
    Lesson(
        11,
        "11_batch_normalization.ipynb",
        "Batch normalisation: 99.5%",
        0.995,
        0.80,
        # 79 batches are too few for batch norm's moving averages at the default momentum of 0.99;
        # the comparisons with and without batch norm, and with and without shifts: 2,000 images, 1 epoch
        {**QUICK, "BN_MOMENTUM": 0.9, "COMPARE_SIZE": 2000, "COMPARE_EPOCHS": 1, "SHIFT_EPOCHS": 1},
    ),
    # Uses lesson 11's saved network; without it, trains that network with lesson 11's quick settings.
    # Metric: the test digits passed through the lesson's MNIST-style preprocessing.
    Lesson(
        12,
        "12_your_handwriting.ipynb",
        "Your own handwriting",
        0.99,
        0.70,
        # A quick run trains its own small network (no saved model has this name), so its result does
        # not depend on whether a full run of lesson 11 left models/lesson11.keras on the machine.
        # The turned and slanted digits: 500 validation digits instead of 5,000.
        {
            **QUICK,
            "BN_MOMENTUM": 0.9,
            "MODEL_PATH": "models/quick-run-trains-its-own.keras",
            "MEASURE_SIZE": 500,
        },
    ),
)


def lesson_for(notebook, lessons: Iterable[Lesson] = LESSONS) -> Lesson | None:
    """The lesson whose notebook has this file name (a path is fine), or None if it is not a lesson."""
    name = PurePath(notebook).name
    return next((lesson for lesson in lessons if lesson.notebook == name), None)


def colab_url(notebook, folder: str = "notebooks") -> str:
    """The "Open in Colab" address of a notebook of the course repository (in `folder`)."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{folder}/{PurePath(notebook).name}"


def select(only=None, lessons: Iterable[Lesson] = LESSONS) -> tuple[Lesson, ...]:
    """The lessons named by `only` ("05,11", "5", "05_keras_single_layer", a list…), in course order."""
    lessons = tuple(lessons)
    if only is None or (isinstance(only, str) and not only.strip()):
        return lessons
    tokens = only.split(",") if isinstance(only, str) else [str(item) for item in only]
    chosen = set()
    for token in (token.strip() for token in tokens):
        if not token:
            continue
        match = [lesson for lesson in lessons if _names(lesson, token)]
        if not match:
            valid = ", ".join(f"{lesson.number:02d} ({lesson.stem})" for lesson in lessons)
            raise ValueError(f"unknown lesson {token!r}; valid lessons: {valid}")
        chosen.update(match)
    return tuple(lesson for lesson in lessons if lesson in chosen)


def _names(lesson: Lesson, token: str) -> bool:
    if token.isdigit():
        return int(token) == lesson.number
    return token in (lesson.notebook, lesson.stem, f"notebooks/{lesson.notebook}")
