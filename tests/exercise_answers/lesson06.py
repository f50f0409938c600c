"""Lesson 6's answers: the sigmoid network, the ReLU network and Adam."""

from __future__ import annotations

from . import right, wrong

SIZES = (200, 100, 60, 30)


def network(hidden, sizes=SIZES, read_out="softmax"):
    """Input of 784 pixels, Dense layers of `sizes` with activation `hidden`, then 10 `read_out` neurons."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input((784,)),
            *[layers.Dense(size, activation=hidden) for size in sizes],
            layers.Dense(10, activation=read_out),
        ]
    )


# ---- exercise 1: the sigmoid network


@right("lesson06.sigmoid_model")
def activations_as_their_own_layers():
    import keras
    from keras import layers

    stack = [keras.Input((784,))]
    for size in SIZES:
        stack += [layers.Dense(size), layers.Activation("sigmoid")]
    return (keras.Sequential([*stack, layers.Dense(10), layers.Softmax()]),)


@wrong("lesson06.sigmoid_model", says="a sigmoid squashes every sum")
def relu_already():
    return (network("relu"),)


@wrong("lesson06.sigmoid_model", says="not probabilities")
def no_softmax_at_the_end():
    return (network("sigmoid", read_out=None),)


@wrong("lesson06.sigmoid_model", says="200, 100, 60 and 30")
def sizes_in_reverse():
    return (network("sigmoid", sizes=SIZES[::-1]),)


@wrong("lesson06.sigmoid_model", says="not the sigmoid")
def softmax_in_every_layer():
    return (network("softmax", sizes=SIZES),)


# ---- exercise 2: the ReLU network


@right("lesson06.relu_model")
def relu_layers():
    import keras
    from keras import layers

    stack = [keras.Input((784,))]
    for size in SIZES:
        stack += [layers.Dense(size), layers.ReLU()]
    return (keras.Sequential([*stack, layers.Dense(10, activation="softmax")]),)


@wrong("lesson06.relu_model", says="squashes its sums between 0 and 1")
def sigmoid_left_in_the_hidden_layers():
    return (network("sigmoid"),)


@wrong("lesson06.relu_model", says="not probabilities")
def relu_in_the_read_out_too():
    return (network("relu", read_out="relu"),)


@wrong("lesson06.relu_model", says="60 and 30")
def a_layer_left_out():
    return (network("relu", sizes=(200, 100, 30)),)


# ---- exercise 3: compile with Adam


def compiled(optimizer, **settings):
    model = network("relu")
    model.compile(optimizer=optimizer, **({"loss": "sparse_categorical_crossentropy"} | settings))
    return model


@right("lesson06.compile")
def adam_with_a_loss_object():
    import keras

    loss = keras.losses.SparseCategoricalCrossentropy()
    return compiled(keras.optimizers.Adam(learning_rate=0.001), loss=loss, metrics=["accuracy"]), 0.001


@wrong("lesson06.compile", says="the optimizer is SGD")
def sgd_kept_from_lesson_5():
    import keras

    return compiled(keras.optimizers.SGD(0.001), metrics=["accuracy"]), 0.001


@wrong("lesson06.compile", says="learning rate is 0.001")
def adams_default_rate_in_a_run_at_another():
    return compiled("adam", metrics=["accuracy"]), 0.003
