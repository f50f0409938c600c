"""Time lesson 11's recipe (batch-normalised CNN) to 99.5 % test accuracy, on any Keras backend.

The GPU machines we measured on have JAX but no TensorFlow, so this script feeds numpy arrays
and needs only keras, numpy and course_utils.data (which does not import TensorFlow):

    KERAS_BACKEND=jax COURSE_DATA_DIR=/path/to/mnist python benchmarks/lesson11_gpu.py

It mirrors the notebook's model and schedule; the test accuracy printed after each epoch is
for this timing only (the lesson itself tunes on the validation split).
"""

import argparse
import math
import time

import keras

from course_utils.data import load_mnist


def build_model(dropout: float = 0.3) -> keras.Model:
    """The lesson 11 network: conv/dense layers without bias, each followed by BN (no scale), then ReLU."""

    def bn_relu():
        return [keras.layers.BatchNormalization(scale=False), keras.layers.Activation("relu")]

    return keras.Sequential(
        [
            keras.Input((28 * 28,)),
            keras.layers.Reshape((28, 28, 1)),
            keras.layers.Conv2D(16, 5, padding="same", use_bias=False),
            *bn_relu(),
            keras.layers.Conv2D(32, 5, strides=2, padding="same", use_bias=False),
            *bn_relu(),
            keras.layers.Conv2D(64, 4, strides=2, padding="same", use_bias=False),
            *bn_relu(),
            keras.layers.Flatten(),
            keras.layers.Dense(200, use_bias=False),
            *bn_relu(),
            keras.layers.Dropout(dropout),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


class TestAccuracyClock(keras.callbacks.Callback):
    """After each epoch: wall time since training began and test accuracy."""

    def __init__(self, x_test, y_test, goal):
        super().__init__()
        self.x_test, self.y_test, self.goal, self.reached = x_test, y_test, goal, None

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        elapsed = time.perf_counter() - self.start
        _, acc = self.model.evaluate(self.x_test, self.y_test, batch_size=1000, verbose=0)
        if self.reached is None and acc >= self.goal:
            self.reached = (epoch + 1, elapsed)
        print(f"epoch {epoch + 1}: {elapsed:7.1f} s  val_acc {logs['val_accuracy']:.4f}  test_acc {acc:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=9)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--decay", type=float, default=0.666)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_mnist(flat=True)
    keras.utils.set_random_seed(args.seed)
    model = build_model()
    model.compile(
        optimizer=keras.optimizers.Adam(args.lr), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    clock = TestAccuracyClock(x_test, y_test, goal=0.995)
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: args.lr * math.pow(args.decay, epoch))
    print(f"Keras {keras.__version__}, backend {keras.backend.backend()}")
    model.fit(
        x_train,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        validation_data=(x_val, y_val),
        callbacks=[schedule, clock],
        verbose=0,
    )
    if clock.reached:
        print(
            f"reached 0.995 test accuracy after epoch {clock.reached[0]}, "
            f"{clock.reached[1]:.1f} s of training"
        )
    else:
        print("did not reach 0.995 test accuracy")


if __name__ == "__main__":
    main()
