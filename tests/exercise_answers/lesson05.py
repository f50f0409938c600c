"""Lesson 5's answers: the one-layer model, its compilation and its training."""

from __future__ import annotations

from . import right, wrong
from .keras_data import fit, splits

EPOCHS = 2


def sequential(*layers):
    import keras

    return keras.Sequential([keras.Input((784,)), *layers])


# ---- exercise 1: the model


@right("lesson05.model")
def softmax_as_its_own_layer():
    from keras import layers

    return (sequential(layers.Dense(10), layers.Softmax()),)


@right("lesson05.model")
def functional_model():
    import keras

    inputs = keras.Input((28 * 28,))
    return (keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(inputs)),)


@wrong("lesson05.model", says="not probabilities")
def no_activation():
    from keras import layers

    return (sequential(layers.Dense(10)),)


@wrong("lesson05.model", says="do not add up to 1")
def sigmoid_instead_of_softmax():
    from keras import layers

    return (sequential(layers.Dense(10, activation="sigmoid")),)


@wrong("lesson05.model", says="softmax applied twice")
def softmax_twice():
    from keras import layers

    return (sequential(layers.Dense(10, activation="softmax"), layers.Softmax()),)


@wrong("lesson05.model", says="row of 784 pixels")
def images_not_flattened():
    import keras

    return (keras.Sequential([keras.Input((28, 28)), keras.layers.Dense(10, activation="softmax")]),)


# ---- exercise 2: compile


def compiled(**settings):
    import keras

    model = sequential(keras.layers.Dense(10, activation="softmax"))
    model.compile(**settings)
    return model


def sgd(rate=0.2):
    import keras

    return keras.optimizers.SGD(rate)


@right("lesson05.compile")
def loss_and_metric_objects():
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy()
    metric = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
    return compiled(optimizer=sgd(), loss=loss, metrics=[metric]), 0.2


@wrong("lesson05.compile", says="learning rate is 0.01")
def the_codelabs_sgd_string():
    return compiled(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"]), 0.2


@wrong("lesson05.compile", says="digit labels")
def one_hot_cross_entropy():
    return compiled(optimizer=sgd(), loss="categorical_crossentropy", metrics=["accuracy"]), 0.2


@wrong("lesson05.compile", says="logits")
def from_logits_on_probabilities():
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return compiled(optimizer=sgd(), loss=loss, metrics=["accuracy"]), 0.2


@wrong("lesson05.compile", says="reports no accuracy")
def no_metrics():
    return compiled(optimizer=sgd(), loss="sparse_categorical_crossentropy"), 0.2


@wrong("lesson05.compile", says="the optimizer is Adam")
def adam_instead_of_sgd():
    import keras

    return compiled(optimizer=keras.optimizers.Adam(0.2), loss="sparse_categorical_crossentropy"), 0.2


# ---- exercise 3: fit


def checked(history, timer):
    _, validation, test = splits()
    return history, timer, EPOCHS, validation, test


@right("lesson05.fit")
def validation_arrays_as_a_tuple():
    return checked(*fit(EPOCHS, "validation"))


@wrong("lesson05.fit", says="validated on the test split")
def validated_on_the_test_split():
    return checked(*fit(EPOCHS, "test"))


@wrong("lesson05.fit", says="which data did fit validate on")
def a_slice_of_the_training_data():
    return checked(*fit(EPOCHS, "split"))


@wrong("lesson05.fit", says="measured nothing")
def no_validation():
    return checked(*fit(EPOCHS, None))


@wrong("lesson05.fit", says="timer")
def timer_left_out():
    return checked(*fit(EPOCHS, "validation", timed=False))
