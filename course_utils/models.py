"""Networks built in the lessons, for later lessons that need one without training it again."""

from __future__ import annotations


def batch_normalized_network(dropout: float = 0.3, bn_momentum: float = 0.99, name: str = "batch_normalized"):
    """Lesson 11's network (uncompiled): batch-normalised convolutions 16@5×5, 32@5×5/2, 64@4×4/2, dense."""
    import keras
    from keras import layers

    def bn_relu(layer):
        return [
            layer,
            layers.BatchNormalization(scale=False, momentum=bn_momentum),
            layers.Activation("relu"),
        ]

    return keras.Sequential(
        [
            keras.Input((28 * 28,)),
            layers.Reshape((28, 28, 1)),
            *bn_relu(layers.Conv2D(16, 5, padding="same", use_bias=False)),
            *bn_relu(layers.Conv2D(32, 5, strides=2, padding="same", use_bias=False)),
            *bn_relu(layers.Conv2D(64, 4, strides=2, padding="same", use_bias=False)),
            layers.Flatten(),
            *bn_relu(layers.Dense(200, use_bias=False)),
            layers.Dropout(dropout),
            layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )


def dense_network(learning_rate: float, name: str):
    """Lesson 6's ReLU network (dense 200, 100, 60, 30, softmax 10), a fresh copy named `name` at each call.

    Compiled with Adam starting at `learning_rate`, the sparse categorical cross-entropy and the accuracy.
    """
    import keras
    from keras import layers

    network = keras.Sequential(
        [
            keras.Input((28 * 28,)),
            *[layers.Dense(size, activation="relu") for size in (200, 100, 60, 30)],
            layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )
    network.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return network
