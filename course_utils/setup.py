"""Environment checks and seeding for the Setup cell of each lesson.

``check_environment()`` also applies the course's figure style (``course_utils.style``), so every
figure of every lesson, also those drawn with plain matplotlib, uses it.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import sys
import warnings

import numpy as np

from course_utils.i18n import translated

MIN_VERSIONS = {"python": (3, 10), "numpy": (2, 0), "tensorflow": (2, 16), "keras": (3, 0)}


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def _require(name: str, version: str) -> None:
    needed = MIN_VERSIONS[name]
    if _version_tuple(version) < needed:
        raise RuntimeError(
            translated(
                "setup",
                "This course needs {name} >= {needed}, but {version} is installed. "
                "Install the course environment: pip install -r requirements.txt (see README.md).",
            ).format(name=name, needed=".".join(map(str, needed)), version=version)
        )


@contextlib.contextmanager
def _native_stderr_silenced():
    """Send the C++ libraries' stderr (file descriptor 2) to /dev/null for the duration of the block.

    Python's own messages go through ``sys.stderr`` (a separate stream in Jupyter), and an exception
    raised inside the block still reaches the learner once the block ends.
    """
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def check_environment(tensorflow: bool = True) -> dict[str, str]:
    """Fail early in a wrong environment; print and return the versions; apply the course figure style."""
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    if tensorflow:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's C++ start-up chatter
        # Our tf.data pipelines shuffle themselves; Keras warns that fit()'s own shuffle is unused.
        warnings.filterwarnings("ignore", message=".*`shuffle=True` was passed")
        with _native_stderr_silenced():  # absl/oneDNN/CPU-feature lines TensorFlow prints at start-up
            import keras
            import tensorflow as tf

            gpus = tf.config.list_physical_devices("GPU")
        versions["tensorflow"], versions["keras"] = tf.__version__, keras.__version__
        if gpus:
            versions["devices"] = translated("setup", "{count} GPU(s)").format(count=len(gpus))
        else:
            versions["devices"] = translated("setup", "CPU only ({cores} cores)").format(cores=os.cpu_count())
    for name, version in versions.items():
        if name in MIN_VERSIONS:
            _require(name, version)
    print(", ".join(f"{k} {v}" for k, v in versions.items()))
    from course_utils.style import use_course_style

    use_course_style()
    return versions


def set_seed(seed: int) -> None:
    """Seed Python, numpy and (if it is loaded) Keras/TensorFlow, so reruns agree."""
    random.seed(seed)
    np.random.seed(seed)
    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)
