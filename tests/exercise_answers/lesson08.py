"""Lesson 8's answers: the best epoch, the hidden layers with dropout and the test evaluation."""

from __future__ import annotations

import numpy as np

from . import right, wrong
from .keras_data import splits, tiny_model

# ---- exercise 1: best_epoch


@right("lesson08.best_epoch")
def with_list_methods():
    def best_epoch(history):
        losses = list(history.history["val_loss"])
        return losses.index(min(losses)) + 1

    return (best_epoch,)


@wrong("lesson08.best_epoch", says="one epoch too early")
def counted_from_0():
    return (lambda history: int(np.argmin(history.history["val_loss"])),)


@wrong("lesson08.best_epoch", says="training loss")
def the_training_loss():
    return (lambda history: int(np.argmin(history.history["loss"])) + 1,)


@wrong("lesson08.best_epoch", says="validation accuracy is highest")
def the_best_accuracy():
    return (lambda history: int(np.argmax(history.history["val_accuracy"])) + 1,)


# ---- exercise 2: hidden_layers


@right("lesson08.hidden_layers")
def relu_layers_and_a_comprehension():
    from keras import layers

    def hidden_layers(sizes, dropout):
        blocks = [
            [layers.Dense(size), layers.ReLU(), *([layers.Dropout(dropout)] if dropout else [])]
            for size in sizes
        ]
        return [layer for block in blocks for layer in block]

    return (hidden_layers,)


def hidden(order=("dense", "dropout"), rate=lambda dropout: dropout, activation="relu", every=True):
    """A hidden_layers function as a learner might write it."""
    from keras import layers

    def hidden_layers(sizes, dropout):
        result = []
        for position, size in enumerate(sizes):
            for kind in order:
                if kind == "dense":
                    result.append(layers.Dense(size, activation=activation))
                elif dropout and (every or position == len(sizes) - 1):
                    result.append(layers.Dropout(rate(dropout)))
        return result

    return (hidden_layers,)


@wrong("lesson08.hidden_layers", says="keep the fraction")
def keep_probability_as_in_the_codelab():
    return hidden(rate=lambda dropout: 1 - dropout)


@wrong("lesson08.hidden_layers", says="comes first")
def dropout_before_each_layer():
    return hidden(order=("dropout", "dense"))


@wrong("lesson08.hidden_layers", says="every hidden layer")
def dropout_only_at_the_end():
    return hidden(every=False)


@wrong("lesson08.hidden_layers", says="ReLU")
def sigmoid_layers():
    return hidden(activation="sigmoid")


# ---- exercise 3: the test evaluation


def scores(model, split, **options):
    images, labels = split
    return model.evaluate(images, labels, verbose=0, **options)


def evaluated(test_loss, test_accuracy, model=None):
    _, validation, test = splits()
    return model or tiny_model(), test_loss, test_accuracy, test, validation


@right("lesson08.test_evaluation")
def as_a_dictionary():
    _, _, test = splits()
    results = scores(tiny_model(), test, return_dict=True, batch_size=8)
    return evaluated(results["loss"], results["accuracy"])


@wrong("lesson08.test_evaluation", says="swapped")
def accuracy_first():
    _, _, test = splits()
    loss, accuracy = scores(tiny_model(), test)
    return evaluated(accuracy, loss)


@wrong("lesson08.test_evaluation", says="scores on the validation split")
def the_validation_split():
    _, validation, _ = splits()
    return evaluated(*scores(tiny_model(), validation))


@wrong("lesson08.test_evaluation", says="the right network")
def another_network():
    import keras

    other = keras.models.clone_model(tiny_model())
    other.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    _, _, test = splits()
    return evaluated(*scores(other, test))
