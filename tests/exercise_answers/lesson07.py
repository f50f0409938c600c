"""Lesson 7's answers: the schedule, the first epoch below a threshold and the training with the schedule."""

from __future__ import annotations

import math

import numpy as np

from . import right, wrong
from .keras_data import fit, splits

LEARNING_RATE, LR_DECAY, EPOCHS = 0.01, 0.6, 2
LESSON_EPOCHS = 10  # the lesson's EPOCHS, for the schedule questions that need no training


# ---- exercise 1: learning_rate_for


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


# ---- exercise 2: the first epoch below a threshold


def rate_of(epoch):
    return LEARNING_RATE * LR_DECAY**epoch


def below(function):
    return function, rate_of, LESSON_EPOCHS


@right("lesson07.first_epoch_below")
def with_a_while_loop_and_a_cap():
    def first_epoch_below(threshold):
        epoch = 1
        while epoch <= LESSON_EPOCHS and rate_of(epoch - 1) >= threshold:
            epoch += 1
        return epoch if epoch <= LESSON_EPOCHS else None

    return below(first_epoch_below)


@right("lesson07.first_epoch_below")
def with_numpy():
    def first_epoch_below(threshold):
        rates = np.array([rate_of(epoch) for epoch in range(LESSON_EPOCHS)])
        epochs = np.flatnonzero(rates < threshold) + 1
        return epochs[0] if epochs.size else None  # a numpy integer

    return below(first_epoch_below)


@right("lesson07.first_epoch_below")
def with_logarithms():
    def first_epoch_below(threshold):
        epoch = max(math.floor(math.log(threshold / LEARNING_RATE) / math.log(LR_DECAY)) + 2, 1)
        return float(epoch) if epoch <= LESSON_EPOCHS else None  # a whole float

    return below(first_epoch_below)


def first_below(threshold):
    for epoch in range(LESSON_EPOCHS):
        if rate_of(epoch) < threshold:
            return epoch + 1
    return None


@wrong("lesson07.first_epoch_below", says="one epoch too early")
def counted_from_0():
    def first_epoch_below(threshold):
        for epoch in range(LESSON_EPOCHS):
            if rate_of(epoch) < threshold:
                return epoch
        return None

    return below(first_epoch_below)


@wrong("lesson07.first_epoch_below", says="one epoch too early")
def the_last_epoch_at_or_above():
    def first_epoch_below(threshold):
        last = None
        for epoch in range(LESSON_EPOCHS):
            if rate_of(epoch) >= threshold:
                last = epoch + 1
        return last

    return below(first_epoch_below)


@wrong("lesson07.first_epoch_below", says="which is not an epoch")
def logarithm_not_rounded():
    def first_epoch_below(threshold):
        return math.log(threshold / LEARNING_RATE) / math.log(LR_DECAY) + 1

    return below(first_epoch_below)


@wrong("lesson07.first_epoch_below", says="whatever the threshold")
def the_lessons_answer_written_in():
    return below(lambda threshold: 6)


@wrong("lesson07.first_epoch_below", says="but so is the rate of the epoch before it")
def one_epoch_late():
    return below(lambda threshold: first_below(threshold) and first_below(threshold) + 1)


@wrong("lesson07.first_epoch_below", says="it should return None")
def no_limit_at_the_last_epoch():
    def first_epoch_below(threshold):
        epoch = 0
        while rate_of(epoch) >= threshold:
            epoch += 1
        return epoch + 1

    return below(first_epoch_below)


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
