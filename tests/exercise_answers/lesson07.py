"""Lesson 7's answers: the network builder, the schedule and the training with it."""

from __future__ import annotations

import math

from . import right, wrong
from .keras_data import fit, splits

LEARNING_RATE, LR_DECAY, EPOCHS = 0.01, 0.6, 2


def builder(hidden="relu", named=True, compiled=True, rate=None):
    """A dense_network function as a learner might write it."""

    def dense_network(learning_rate, name):
        import keras
        from keras import layers

        stack = [keras.Input((784,)), *[layers.Dense(size, activation=hidden) for size in (200, 100, 60, 30)]]
        network = keras.Sequential(
            [*stack, layers.Dense(10, activation="softmax")], name=name if named else "relu_adam"
        )
        if compiled:
            optimizer = keras.optimizers.Adam(rate or learning_rate)
            network.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        return network

    return dense_network


# ---- exercise 1: dense_network


@right("lesson07.dense_network")
def functional_network():
    def dense_network(learning_rate, name):
        import keras

        inputs = keras.Input((28 * 28,))
        value = inputs
        for size in (200, 100, 60, 30):
            value = keras.layers.Dense(size, activation="relu")(value)
        network = keras.Model(inputs, keras.layers.Dense(10, activation="softmax")(value), name=name)
        network.compile(
            keras.optimizers.Adam(learning_rate), "sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        return network

    return (dense_network,)


@wrong("lesson07.dense_network", says="not after the name passed in")
def lesson_6_name_kept():
    return (builder(named=False),)


@wrong("lesson07.dense_network", says="uncompiled")
def compile_forgotten():
    return (builder(compiled=False),)


@wrong("lesson07.dense_network", says="learning rate is 0.01")
def the_lessons_rate_instead_of_the_argument():
    return (builder(rate=LEARNING_RATE),)


# ---- exercise 2: learning_rate_for


def schedule(function):
    return function, LEARNING_RATE, LR_DECAY


@right("lesson07.learning_rate_for")
def decayed_step_by_step():
    def learning_rate_for(epoch):
        rate = LEARNING_RATE
        for _ in range(epoch):
            rate *= LR_DECAY
        return rate

    return schedule(learning_rate_for)


@right("lesson07.learning_rate_for")
def with_math_pow():
    return schedule(lambda epoch: LEARNING_RATE * math.pow(LR_DECAY, epoch))


@wrong("lesson07.learning_rate_for", says="epochs count from 0")
def epochs_counted_from_1():
    return schedule(lambda epoch: LEARNING_RATE * LR_DECAY ** (epoch + 1))


@wrong("lesson07.learning_rate_for", says="the first epoch trains at 0")
def times_instead_of_power():
    return schedule(lambda epoch: LEARNING_RATE * LR_DECAY * epoch)


@wrong("lesson07.learning_rate_for", says="does not shrink")
def divided_by_the_decay():
    return schedule(lambda epoch: LEARNING_RATE / LR_DECAY**epoch)


@wrong("lesson07.learning_rate_for", says="LR_DECAY times the rate of the one before")
def exponent_and_base_swapped():
    return schedule(lambda epoch: LEARNING_RATE * (epoch + 1) ** -LR_DECAY)


# ---- exercise 3: fit with the schedule


def learning_rate_for(epoch):
    return LEARNING_RATE * LR_DECAY**epoch


def trained(validation="validation", schedule=learning_rate_for):
    import keras

    callbacks = [keras.callbacks.LearningRateScheduler(schedule)] if schedule else []
    history, timer = fit(EPOCHS, validation, callbacks)
    _, validation_split, test_split = splits()
    return history, timer, EPOCHS, learning_rate_for, validation_split, test_split


@right("lesson07.fit")
def scheduled_with_a_lambda():
    return trained(schedule=lambda epoch, rate: LEARNING_RATE * LR_DECAY**epoch)


@wrong("lesson07.fit", says="same learning rate")
def no_scheduler():
    return trained(schedule=None)


@wrong("lesson07.fit", says="validated on the test split")
def validated_on_the_test_split():
    return trained("test")


@wrong("lesson07.fit", says="learning_rate_for gives")
def scheduled_one_epoch_ahead():
    return trained(schedule=lambda epoch: learning_rate_for(epoch + 1))
