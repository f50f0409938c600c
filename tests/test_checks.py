"""course_utils.checks: right answers pass, wrong ones get their hint, unfinished ones say "not done yet"."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from course_utils.checks import EXERCISES, ExerciseNotDone, ExerciseWrong, check, hint
from course_utils.parameters import check_parameters


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def predict_proba(X, w):
    return sigmoid(X @ w)


def gradient(X, y, w):
    p = predict_proba(X, w)
    return 2 / len(X) * X.T @ ((p - y) * p * (1 - p))


def unfinished(*arguments):  # a learner's function whose body is still `...`
    ...


def test_each_check_is_registered_under_its_literal_name_in_its_lessons_module_in_notebook_order():
    """Searching for "lesson09.learning_rate_for" finds the one line that registers it."""
    package = Path(EXERCISES["lesson01.sigmoid"].test.__code__.co_filename).parent
    for lesson in sorted({name.split(".")[0] for name in EXERCISES}):
        source = (package / f"{lesson}.py").read_text(encoding="utf-8")
        names = [name for name in EXERCISES if name.startswith(f"{lesson}.")]
        assert [source.count(f'"{name}"') for name in names] == [1] * len(names), lesson
        assert sorted(names, key=lambda name: source.index(f'"{name}"')) == names
        assert [EXERCISES[name].number for name in names] == list(range(1, len(names) + 1)), lesson


def test_right_answers_print_one_success_line(capsys):
    check("lesson01.sigmoid", sigmoid)
    check("lesson01.predict_proba", predict_proba)
    check("lesson01.gradient", gradient)
    check_parameters(LEARNING_RATE=0.5)
    w, X, y = np.array([0.1, -0.2, 0.3]), np.array([[1.0, 2.0, 1.0], [0.0, -1.0, 1.0]]), np.array([1, 0])
    check("lesson01.step", w, w - 0.5 * gradient(X, y, w), X, y)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "✓ exercise 1 is right (lesson01.sigmoid)",
        "✓ exercise 2 is right (lesson01.predict_proba)",
        "✓ exercise 3 is right (lesson01.gradient)",
        "✓ exercise 4 is right (lesson01.step)",
    ]


@pytest.mark.parametrize("value", [Ellipsis, unfinished])
def test_an_unfinished_exercise_is_not_done_yet_with_its_prompt(value):
    with pytest.raises(ExerciseNotDone) as raised:
        check("lesson01.sigmoid", value)
    prompt = EXERCISES["lesson01.sigmoid"].prompt
    assert (
        str(raised.value) == f'exercise 1 is not done yet: {prompt} (stuck? check.hint("lesson01.sigmoid"))'
    )
    assert raised.value._render_traceback_() == [f"ExerciseNotDone: {raised.value}"]


@pytest.mark.parametrize(
    ("name", "wrong", "message"),
    [
        ("lesson01.sigmoid", lambda z: 1 / (1 + np.exp(z)), "sigmoid([-2, 0, 3]) gives"),
        ("lesson01.sigmoid", lambda z: z[:2], "sigmoid(z) has shape (2,), expected (3,)"),
        ("lesson01.predict_proba", lambda X, w: X @ w, "so they are not probabilities"),
        ("lesson01.gradient", lambda X, y, w: -gradient(X, y, w), "the opposite way"),
        ("lesson01.gradient", lambda X, y, w: gradient(X, y, w)[:2], "one number per weight"),
        ("lesson01.gradient", lambda X, y, w: 2 * gradient(X, y, w), "2 times the finite differences"),
    ],
)
def test_a_wrong_answer_gets_a_specific_message(name, wrong, message):
    with pytest.raises(ExerciseWrong, match=re.escape(message)):
        check(name, wrong)


def test_a_diverged_step_is_reported():
    with pytest.raises(ExerciseWrong, match="no longer finite"):
        check_parameters(LEARNING_RATE=0.5)
        X, y = np.array([[1.0, 2.0, 1.0]]), np.array([1])
        check("lesson01.step", np.zeros(3), np.array([np.nan, 0.0, 1.0]), X, y)


def test_checks_leave_the_global_random_generators_alone():
    random.seed(1)
    np.random.seed(1)
    before = random.getstate(), np.random.get_state()[1].copy()

    def drawing_sigmoid(z):
        random.random(), np.random.random()
        return sigmoid(z)

    check("lesson01.sigmoid", drawing_sigmoid)
    assert random.getstate() == before[0] and np.array_equal(np.random.get_state()[1], before[1])


def test_every_exercise_has_a_prompt_and_hints_from_the_idea_to_the_shape_of_the_code(capsys):
    for name, exercise in EXERCISES.items():
        assert exercise.prompt and exercise.hints and all(exercise.hints) and exercise.number >= 1
        levels = len(exercise.hints)
        for level in range(1, levels + 1):
            hint(name, level)
            first, then = capsys.readouterr().out.splitlines()
            assert first == (
                f"Hint {level} of {levels} for exercise {exercise.number} ({exercise.prompt}): "
                f"{exercise.hints[level - 1]}"
            )
            if level < levels:  # the next level is one call away, the solution only after the last
                assert then == f'The shape of the code: check.hint("{name}", {level + 1})'
            else:
                assert then == f'Still stuck? The worked solution: check.solution("{name}")'
        with pytest.raises(ValueError, match=f"exercise {name} has hints 1 to {levels}, not 0"):
            hint(name, 0)


def test_lesson_5_checks_the_model_its_compilation_and_the_training():
    keras = pytest.importorskip("keras")
    from course_utils.callbacks import EpochTimer

    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    check("lesson05.model", model)
    with pytest.raises(ExerciseNotDone, match="exercise 2 is not done yet: set up training"):
        check("lesson05.compile", model, 0.1)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    check("lesson05.compile", model, 0.1)
    with pytest.raises(ExerciseWrong, match="learning rate is 0.1, but this lesson's LEARNING_RATE is 0.5"):
        check("lesson05.compile", model, 0.5)
    wrong = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="relu")])
    with pytest.raises(ExerciseWrong, match="the outputs are not probabilities"):
        check("lesson05.model", wrong)
    x, y = np.zeros((8, 784), "float32"), np.zeros(8, "int64")
    timer = EpochTimer()
    history = model.fit(x, y, validation_data=(x, y), epochs=2, verbose=0)
    test = np.ones((8, 784), "float32"), np.ones(8, "int64")
    with pytest.raises(ExerciseWrong, match="the timer measured no epoch"):
        check("lesson05.fit", history, timer, 2, (x, y), test)
    history = model.fit(x, y, validation_data=(x, y), epochs=2, callbacks=[timer], verbose=0)
    check("lesson05.fit", history, timer, 2, (x, y), test)


def test_the_layer_checks_accept_the_solutions_and_name_the_first_wrong_layer():
    keras = pytest.importorskip("keras")
    layers = keras.layers

    def conv(filters, kernel, strides=1):
        return layers.Conv2D(filters, kernel, strides=strides, padding="same", activation="relu")

    check("lesson09.convolutions", [layers.Reshape((28, 28, 1)), conv(12, 3), conv(24, 6, 2), conv(32, 6, 2)])
    check("lesson10.convolutions", [conv(24, 6), conv(48, 5, 2), conv(64, 4, 2)])
    check("lesson10.dense_with_dropout", [layers.Dense(200, activation="relu"), layers.Dropout(0.3)], 0.3)
    check(
        "lesson08.hidden_layers",
        lambda sizes, rate: [
            layer for size in sizes for layer in (layers.Dense(size, activation="relu"), layers.Dropout(rate))
        ],
    )
    with pytest.raises(ExerciseWrong, match="has 0 dropout layers"):
        check(
            "lesson08.hidden_layers",
            lambda sizes, rate: [layers.Dense(size, activation="relu") for size in sizes],
        )
    with pytest.raises(ExerciseWrong, match="convolutions holds 2 convolutions, expected 3"):
        check("lesson10.convolutions", [conv(24, 6), conv(48, 5, 2)])
    with pytest.raises(ExerciseWrong, match="convolution 3 gives 14×14 images, expected 7×7"):
        check("lesson10.convolutions", [conv(24, 6), conv(48, 5, 2), conv(64, 4)])
    with pytest.raises(ExerciseNotDone, match="exercise 1 is not done yet: the three ReLU convolutions"):
        check("lesson10.convolutions", Ellipsis)


def test_the_batch_norm_checks_call_the_learners_functions_without_shifting_layer_names():
    keras = pytest.importorskip("keras")
    layers = keras.layers

    def conv_bn_relu(filters, kernel_size, strides=1):
        return [
            layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False),
            layers.BatchNormalization(scale=False, momentum=0.9),
            layers.Activation("relu"),
        ]

    def dense_bn_relu(units):
        return [
            layers.Dense(units, use_bias=False),
            layers.BatchNormalization(scale=False, momentum=0.9),
            layers.Activation("relu"),
        ]

    before = layers.Dense(1).name
    check("lesson11.conv_bn_relu", conv_bn_relu, 0.9)
    check("lesson11.dense_bn_relu", dense_bn_relu, 0.9)
    with pytest.raises(ExerciseWrong, match="momentum 0.9, expected BN_MOMENTUM \\(0.99\\)"):
        check("lesson11.dense_bn_relu", dense_bn_relu, 0.99)
    with pytest.raises(ExerciseNotDone, match="exercise 2 is not done yet"):
        check("lesson11.dense_bn_relu", unfinished, 0.9)
    assert _name_number(layers.Dense(1).name) == _name_number(before) + 1  # no name was used up by the checks


def test_lesson_6_checks_both_models_and_adam():
    keras = pytest.importorskip("keras")
    layers = keras.layers

    def five(activation):
        sizes = (200, 100, 60, 30)
        hidden = [layers.Dense(size, activation=activation) for size in sizes]
        return keras.Sequential([keras.Input((784,)), *hidden, layers.Dense(10, activation="softmax")])

    check("lesson06.sigmoid_model", five("sigmoid"))
    model = five("relu")
    check("lesson06.relu_model", model)
    with pytest.raises(ExerciseWrong, match="layer 1 squashes its sums between 0 and 1"):
        check("lesson06.relu_model", five("sigmoid"))
    model.compile(
        optimizer=keras.optimizers.SGD(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    with pytest.raises(ExerciseWrong, match="the optimizer is SGD; this lesson trains with Adam"):
        check("lesson06.compile", model, 0.01)


def _name_number(name: str) -> int:
    """`dense_7` → 7, `dense` → 0."""
    suffix = name.rpartition("_")[2]
    return int(suffix) if suffix.isdigit() else 0


def test_a_function_returning_placeholders_is_not_done_yet():
    with pytest.raises(ExerciseNotDone, match="exercise 1 is not done yet: how different the hidden units"):
        check("lesson04.hidden_unit_spread", lambda model: (..., ...))


def test_the_tensorflow_checks_of_lessons_2_3_and_4_accept_the_solutions_and_catch_mistakes():
    keras = pytest.importorskip("keras")
    import tensorflow as tf

    from course_utils.mlp import MLP

    W, b = tf.Variable(tf.zeros([784, 10])), tf.Variable(tf.zeros([10]))
    check("lesson02.perceptron_variables", W, b)
    with pytest.raises(ExerciseWrong, match="W must be a tf.Variable"):
        check("lesson02.perceptron_variables", tf.zeros([784, 10]), b)
    check(
        "lesson02.cross_entropy",
        lambda y, logits: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y, logits)),
    )
    with pytest.raises(ExerciseWrong, match="take the mean over the batch"):
        check("lesson02.cross_entropy", lambda y, logits: tf.nn.softmax_cross_entropy_with_logits(y, logits))

    def variables(seed=1, second=1):
        normal = keras.initializers.TruncatedNormal
        W1 = tf.Variable(normal(stddev=0.1, seed=seed)((784, 20)))
        W2 = tf.Variable(normal(stddev=0.1, seed=seed + second)((20, 10)))
        return W1, tf.Variable(tf.zeros([20])), W2, tf.Variable(tf.zeros([10]))

    check("lesson02.hidden_layer_variables", variables, 20)
    with pytest.raises(ExerciseWrong, match="another seed gives the same weights"):
        check("lesson02.hidden_layer_variables", lambda seed=1: variables(1), 20)

    def hidden_network(variables):
        W1, b1, W2, b2 = variables
        return lambda x: tf.sigmoid(x @ W1 + b1) @ W2 + b2

    check("lesson02.hidden_network", hidden_network, variables())
    with pytest.raises(ExerciseWrong, match="squashed between 0 and 1"):
        check("lesson02.hidden_network", lambda v: lambda x: tf.sigmoid(hidden_network(v)(x)), variables())

    network = MLP([784, 10], output_activation="tanh", initializer="zeros", bias_initializer="zeros")
    check(
        "lesson03.tanh_output",
        lambda b: MLP([784, 10], output_activation="tanh", initializer="zeros", bias_initializer=b),
    )
    with pytest.raises(ExerciseWrong, match="a tanh output gives tanh"):
        check(
            "lesson03.tanh_output",
            lambda b: MLP([784, 10], output_activation="sigmoid", initializer="zeros", bias_initializer=b),
        )
    x, y = np.ones((2, 784), "float32"), np.eye(10, dtype="float32")[:2]
    check("lesson03.loss_first_image", -tf.reduce_sum(y[:1] * tf.math.log(network(x[:1]))), network, x, y)
    with pytest.raises(ExerciseWrong, match="a finite number"):
        check("lesson03.loss_first_image", tf.constant(1.0), network, x, y)

    check("lesson04.hidden_unit_spread", lambda m: (float(np.std(m.weights[0].numpy(), axis=1).mean()), 3))
    with pytest.raises(ExerciseWrong, match="how far apart are the hidden units"):
        check("lesson04.hidden_unit_spread", lambda m: (float(np.std(m.weights[0].numpy())), 3))
    deep, images = MLP([784, 4, 4, 10], hidden_activation="relu", seed=1), x
    layers_ = [h.numpy() for h in deep.hidden(images)]
    check("lesson04.layer_stds", layers_, {"k": [float(np.std(h)) for h in layers_]}, "k", deep, images)
    with pytest.raises(ExerciseNotDone):
        check("lesson04.layer_stds", layers_, {}, "k", deep, images)


def test_a_wrong_answer_points_to_its_hint(capsys):
    with pytest.raises(ExerciseWrong) as raised:
        check("lesson01.predict_proba", lambda X, w: X @ w)
    assert str(raised.value).endswith('(a hint: check.hint("lesson01.predict_proba"))')
    check.hint("lesson01.predict_proba")
    assert EXERCISES["lesson01.predict_proba"].hints[0] in capsys.readouterr().out


def test_the_worked_solution_is_shown_on_demand(capsys):
    check.solution("lesson01.gradient")
    assert capsys.readouterr().out == (
        "Solution of exercise 3 (the gradient of the loss with respect to w, one number per weight, "
        "by the chain rule):\n"
        "p = predict_proba(X, w)\nreturn 2 / len(X) * X.T @ ((p - y) * p * (1 - p))\n"
    )


def test_the_learning_rate_schedule_is_checked_from_epoch_zero():
    check("lesson07.learning_rate_for", lambda epoch: 0.01 * 0.6**epoch, 0.01, 0.6)
    with pytest.raises(ExerciseWrong, match="epochs count from 0"):
        check("lesson07.learning_rate_for", lambda epoch: 0.01 * 0.6 ** (epoch + 1), 0.01, 0.6)
    with pytest.raises(ExerciseWrong, match="the learning rate does not shrink from epoch to epoch"):
        check("lesson07.learning_rate_for", lambda epoch: 0.01, 0.01, 0.6)
    with pytest.raises(ExerciseNotDone, match="exercise 1 is not done yet: the learning rate of epoch"):
        check("lesson07.learning_rate_for", unfinished, 0.01, 0.6)
