"""get_strategy() on two virtual CPU devices: MirroredStrategy builds and trains a small Keras model.

Logical devices must be configured before TensorFlow initialises its runtime, and other tests in the
same pytest process may already have done that, so the check runs in a fresh Python subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import numpy as np
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
    )

    import keras

    from course_utils.distribute import get_strategy

    strategy = get_strategy()
    assert isinstance(strategy, tf.distribute.MirroredStrategy), type(strategy)
    assert strategy.num_replicas_in_sync == 2, strategy.num_replicas_in_sync

    keras.utils.set_random_seed(0)
    with strategy.scope():
        model = keras.Sequential([
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32)
    y = np.arange(16) % 10
    before = [w.copy() for w in model.get_weights()]
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)  # one global batch = one step
    history = model.fit(dataset, epochs=1, verbose=0)
    loss = history.history["loss"][0]
    assert np.isfinite(loss), loss
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights())), "weights did not change"
    print("OK", strategy.num_replicas_in_sync, loss)
    """
)


def test_mirrored_strategy_on_two_virtual_cpus():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
    assert "mirrored strategy on 2 CPU devices: 2 replicas" in result.stdout
    assert "OK 2" in result.stdout
