"""The checks of the training steps, loops, test evaluations and lesson 12's images: right answers pass,
the mistakes a learner makes get their message, unfinished blocks are "not done yet"."""

from __future__ import annotations

import numpy as np
import pytest

from course_utils.checks import ExerciseNotDone, ExerciseWrong, check

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")
layers = keras.layers

# Lesson 2's training code, as the solution notebook writes it (with module globals like the notebook's)
rng = np.random.default_rng(0)
x_train = rng.random((12_000, 784), dtype="float32")
y_train = np.eye(10, dtype="float32")[(x_train[:, :10].argmax(axis=1))]
x_val, y_val = x_train[:500], y_train[:500]


def cross_entropy(y_true, logits):
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y_true, logits))


def accuracy(y_true, logits):
    return tf.reduce_mean(tf.cast(tf.argmax(logits, axis=1) == tf.argmax(y_true, axis=1), tf.float32))


def evaluate(forward, x, y):
    logits = forward(x)
    return float(cross_entropy(y, logits)), float(accuracy(y, logits))


def make_train_step(forward, variables, learning_rate, sign=1.0, update=True):
    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = forward(x)
            loss = cross_entropy(y, logits)
        gradients = tape.gradient(loss, variables)
        if update:
            for variable, gradient in zip(variables, gradients, strict=True):
                variable.assign_sub(sign * learning_rate * gradient)
        return loss, accuracy(y, logits)

    return train_step


def unfinished_train_step(forward, variables, learning_rate):
    @tf.function
    def train_step(x, y):
        ...
        return loss, accuracy(y, logits)  # noqa: F821 (the learner has not written them yet)

    return train_step


def fit(forward, variables, epochs, batch_size, learning_rate, seed=0, every_batch=True, body=True):
    train_step = make_train_step(forward, variables, learning_rate)
    rng = np.random.default_rng(seed)
    history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        order = rng.permutation(len(x_train))
        losses, accuracies = [], []
        if body:
            for first in range(0, len(x_train), batch_size if every_batch else len(x_train)):
                batch = order[first : first + batch_size]
                loss, acc = train_step(x_train[batch], y_train[batch])
                losses.append(float(loss))
                accuracies.append(float(acc))
        val_loss, val_accuracy = evaluate(forward, x_val, y_val)
        values = (np.mean(losses), np.mean(accuracies), val_loss, val_accuracy)
        for name, value in zip(history, values, strict=True):
            history[name].append(float(value))
        print("epoch line")
    return history


def test_lesson_2_train_step_is_checked_on_one_step_from_zero():
    check("lesson02.train_step", make_train_step)
    with pytest.raises(
        ExerciseNotDone, match="exercise 3 is not done yet: one SGD step: record the forward pass"
    ):
        check("lesson02.train_step", unfinished_train_step)
    with pytest.raises(ExerciseWrong, match="made the loss of a known batch go up"):
        check("lesson02.train_step", lambda f, v, r: make_train_step(f, v, r, sign=-1.0))
    with pytest.raises(ExerciseWrong, match="the variables did not change"):
        check("lesson02.train_step", lambda f, v, r: make_train_step(f, v, r, update=False))
    with pytest.raises(ExerciseWrong, match="one step from zero weights gives W"):
        check("lesson02.train_step", lambda f, v, r: make_train_step(f, v, r, sign=2.0))


def test_lesson_2_fit_is_compared_with_one_epoch_of_its_own_steps(capsys):
    check("lesson02.fit", fit, x_train, y_train)
    assert capsys.readouterr().out == "✓ exercise 4 is right (lesson02.fit)\n"  # fit's own lines are hidden
    with pytest.raises(ExerciseNotDone, match="exercise 4 is not done yet: one training step per mini-batch"):
        check("lesson02.fit", lambda *a, **k: fit(*a, **k, body=False), x_train, y_train)
    with pytest.raises(ExerciseWrong, match="does every image take part once per epoch"):
        check("lesson02.fit", lambda *a, **k: fit(*a, **k, every_batch=False), x_train, y_train)


SPLITS = (x_val, y_val, x_train[1000:1300], y_train[1000:1300])  # validation and a test split of its own


def _trained(name="relu", initializer="truncated_normal", loss="cross_entropy", **changes):
    from course_utils.mlp import MLP, train

    settings = dict(epochs=1, batch_size=100, learning_rate=0.5, seed=3, validation_data=(x_val, y_val))
    settings.update(changes)
    model = MLP([784, 20, 10], hidden_activation=name, initializer=initializer, seed=3)
    return model, train(model, x_train[:1000], y_train[:1000], loss=loss, verbose=False, **settings)


def test_lessons_3_and_4_check_the_network_and_its_training_against_the_lesson_parameters():
    from course_utils.parameters import check_parameters

    check_parameters(HIDDEN_UNITS=20, EPOCHS=1, BATCH_SIZE=100, LEARNING_RATE=0.5, SEED=3)
    check("lesson03.activation_network", *_trained(), "relu", *SPLITS)
    with pytest.raises(ExerciseNotDone, match="exercise 3 is not done yet"):
        check("lesson03.activation_network", ..., ..., "relu", *SPLITS)
    with pytest.raises(ExerciseWrong, match="build the MLP with hidden_activation='elu', not 'relu'"):
        check("lesson03.activation_network", *_trained(), "elu", *SPLITS)
    with pytest.raises(ExerciseWrong, match="train with batch_size=100, not 50"):
        check("lesson03.activation_network", *_trained(batch_size=50), "relu", *SPLITS)
    with pytest.raises(ExerciseWrong, match="recorded no validation metrics"):
        check("lesson03.activation_network", *_trained(validation_data=None), "relu", *SPLITS)
    check_parameters(
        HIDDEN_ACTIVATION="relu", HIDDEN_UNITS=20, EPOCHS=1, BATCH_SIZE=100, LEARNING_RATE=0.5, SEED=3
    )
    check("lesson04.grid_network", *_trained(initializer="he", loss="mse"), "he", "mse", *SPLITS)
    with pytest.raises(ExerciseWrong, match="train with loss='mse', not 'cross_entropy'"):
        check("lesson04.grid_network", *_trained(initializer="he"), "he", "mse", *SPLITS)
    with pytest.raises(ExerciseWrong, match="build the MLP with initializer='zeros', not 'he'"):
        check("lesson04.grid_network", *_trained(initializer="he"), "zeros", "cross_entropy", *SPLITS)


def test_lesson_7_fit_must_use_the_schedule_and_the_timer():
    from course_utils.callbacks import EpochTimer

    model = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    x, y = x_train[:64], y_train[:64].argmax(axis=1)
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01 * 0.5**epoch)
    timer = EpochTimer()
    history = model.fit(x, y, validation_data=(x, y), epochs=2, callbacks=[schedule, timer], verbose=0)
    test = x_train[64:128], y_train[64:128].argmax(axis=1)
    check("lesson07.fit", history, timer, 2, lambda epoch: 0.01 * 0.5**epoch, (x, y), test)
    with pytest.raises(
        ExerciseWrong, match="learning rates 0.01, 0.005, but learning_rate_for gives 0.01, 0.002"
    ):
        check("lesson07.fit", history, timer, 2, lambda epoch: 0.01 * 0.2**epoch, (x, y), test)
    timer = EpochTimer()
    history = model.fit(x, y, validation_data=(x, y), epochs=2, callbacks=[timer], verbose=0)
    with pytest.raises(ExerciseWrong, match="nothing set it from learning_rate_for"):
        check("lesson07.fit", history, timer, 2, lambda epoch: 0.01 * 0.5**epoch, (x, y), test)
    with pytest.raises(ExerciseNotDone):
        check("lesson07.fit", ..., timer, 2, lambda epoch: 0.01, (x, y), test)


def test_the_test_evaluation_must_be_the_models_score_on_the_test_split():
    model = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x_test, y_test = x_train[:300], y_train[:300].argmax(axis=1)
    from course_utils.pipelines import evaluation_dataset

    loss, accuracy_ = model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)
    validation = x_val, y_val.argmax(axis=1)
    check("lesson08.test_evaluation", model, loss, accuracy_, (x_test, y_test), validation)
    with pytest.raises(ExerciseWrong, match="evaluate returns the loss first"):
        check("lesson08.test_evaluation", model, accuracy_, loss, (x_test, y_test), validation)
    other_loss, other_accuracy = model.evaluate(evaluation_dataset(x_val, y_val.argmax(axis=1)), verbose=0)
    with pytest.raises(ExerciseWrong, match="scores on the validation split"):
        check("lesson08.test_evaluation", model, other_loss, other_accuracy, (x_test, y_test), validation)
    with pytest.raises(ExerciseNotDone, match="exercise 3 is not done yet: the test loss and test accuracy"):
        check("lesson08.test_evaluation", model, ..., ..., (x_test, y_test), validation)


def test_lesson_8_wide_layers_and_lesson_11_hidden_layers():
    sizes = (300, 200, 100)
    hidden = [
        layer for size in sizes for layer in (layers.Dense(size, activation="relu"), layers.Dropout(0.25))
    ]
    check(
        "lesson08.hidden_layers",
        lambda sizes, rate: [
            layer for size in sizes for layer in (layers.Dense(size, activation="relu"), layers.Dropout(rate))
        ],
    )
    with pytest.raises(ExerciseWrong, match="one per size asked for"):
        check("lesson08.hidden_layers", lambda sizes, rate: hidden)

    def conv_bn_relu(filters, kernel_size, strides=1, momentum=0.9):
        conv = layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False)
        return [conv, layers.BatchNormalization(scale=False, momentum=momentum), layers.Activation("relu")]

    def dense_bn_relu(units, momentum=0.9):
        dense = layers.Dense(units, use_bias=False)
        return [dense, layers.BatchNormalization(scale=False, momentum=momentum), layers.Activation("relu")]

    right = [*conv_bn_relu(16, 5), *conv_bn_relu(32, 5, 2), *conv_bn_relu(64, 4, 2), layers.Flatten()]
    check("lesson11.hidden_layers", [*right, *dense_bn_relu(200)], 0.9)
    with pytest.raises(ExerciseWrong, match="momentum 0.99, expected BN_MOMENTUM \\(0.9\\)"):
        check("lesson11.hidden_layers", [*right, *dense_bn_relu(200, momentum=0.99)], 0.9)
    with pytest.raises(ExerciseWrong, match="convolution 2 gives 28×28 images, expected 14×14"):
        check(
            "lesson11.hidden_layers",
            [*conv_bn_relu(16, 5), *conv_bn_relu(32, 5), *right[6:], *dense_bn_relu(200)],
            0.9,
        )


def test_lesson_12_checks_the_images_and_predictions():
    from course_utils.drawing import (
        predict_digit,
        render_strokes,
        sample_strokes,
        shrink_whole_canvas,
        to_mnist,
    )

    strokes = sample_strokes()
    small_three = [[(x / 3 + 10, y / 3 + 170) for x, y in stroke] for stroke in strokes[3]]
    drawing = render_strokes(small_three)
    shrunk, seen = shrink_whole_canvas(drawing), to_mnist(drawing)
    check("lesson12.two_versions", shrunk, seen, drawing)
    with pytest.raises(ExerciseWrong, match="shrunk and seen are swapped"):
        check("lesson12.two_versions", seen, shrunk, drawing)
    with pytest.raises(ExerciseNotDone):
        check("lesson12.two_versions", ..., ..., drawing)

    x_test = x_train[:40] * (x_train[:40] > 0.9)
    redrawn = np.stack([to_mnist(image) for image in x_test.reshape(-1, 28, 28)]).reshape(-1, 784)
    check("lesson12.redrawn", redrawn, x_test)
    with pytest.raises(ExerciseWrong, match="holds the test images as they are"):
        check("lesson12.redrawn", x_test, x_test)
    with pytest.raises(ExerciseWrong, match="redrawn has shape \\(40, 28, 28\\), expected \\(40, 784\\)"):
        check("lesson12.redrawn", redrawn.reshape(-1, 28, 28), x_test)

    model = keras.Sequential([keras.Input((784,)), layers.Dense(10, activation="softmax")])
    drawings = [render_strokes(strokes[digit]) for digit in range(3)]
    seen = np.stack([to_mnist(d) for d in drawings])
    probabilities = np.stack([predict_digit(model, image) for image in seen])
    check("lesson12.drawn_predictions", seen, probabilities, drawings, model)
    with pytest.raises(
        ExerciseWrong, match="probabilities\\[0\\] are not the model's probabilities for seen\\[0\\]"
    ):
        check("lesson12.drawn_predictions", seen, probabilities[::-1], drawings, model)
    with pytest.raises(ExerciseWrong, match="seen holds the canvases made small"):
        check(
            "lesson12.drawn_predictions",
            np.stack([shrink_whole_canvas(d) for d in drawings]),
            probabilities,
            drawings,
            model,
        )

    european_one = [[(110, 80), (155, 45), (155, 235)], [(115, 235), (195, 235)]]
    crossed_seven = strokes[7] + [[(110, 145), (185, 145)]]
    variants = {
        "3, pen 4 px": to_mnist(render_strokes(strokes[3], width=4)),
        "3, pen 60 px": to_mnist(render_strokes(strokes[3], width=60)),
        "small 3, shrunk": shrink_whole_canvas(render_strokes(small_three)),
        "1 with flag and foot": to_mnist(render_strokes(european_one)),
        "7 with a bar": to_mnist(render_strokes(crossed_seven)),
    }
    check("lesson12.variants", variants, strokes, small_three, european_one, crossed_seven)
    wrong = dict(variants, **{"small 3, shrunk": to_mnist(render_strokes(small_three))})
    with pytest.raises(ExerciseWrong, match="variants\\['small 3, shrunk'\\] should be the small 3"):
        check("lesson12.variants", wrong, strokes, small_three, european_one, crossed_seven)
    with pytest.raises(ExerciseWrong, match="should have the names"):
        check(
            "lesson12.variants",
            dict(list(variants.items())[:4]),
            strokes,
            small_three,
            european_one,
            crossed_seven,
        )


def test_a_check_that_needs_the_lesson_parameters_says_to_run_their_cell_first(monkeypatch):
    from course_utils import parameters
    from course_utils.checks import ExerciseError

    monkeypatch.setattr(parameters, "CHECKED", {})
    with pytest.raises(ExerciseError, match="run the parameters cells first: this check needs HIDDEN_UNITS"):
        check("lesson03.activation_network", *_trained(), "relu", *SPLITS)
