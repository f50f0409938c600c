"""Check a lesson's parameters where they are set: one clear message naming the value and what is allowed."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from course_utils.i18n import translated

MNIST_TRAIN_SIZE = 55_000  # the training split of course_utils.data


class ParameterError(ValueError):
    """A lesson parameter has a value the lesson cannot use."""


@dataclass(frozen=True)
class Rule:
    """What a parameter may be: `allowed` in words, `accepts` as a test of the value.

    `words` is the text, or a function giving it in the course's language when a message is written.
    """

    words: str | Callable[[], str]
    accepts: Callable[[object], bool]

    @property
    def allowed(self) -> str:
        """What the parameter may be, in words (in the language of COURSE_LANGUAGE)."""
        return self.words() if callable(self.words) else self.words


def _is_whole(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def whole(low: int, high: int | None = None, none: str | Callable[[], str] | None = None) -> Rule:
    """A whole number from low (to high); `none` says what None means (text or a function), if allowed."""

    def words() -> str:
        if high is not None:
            text = translated("parameters", "a whole number from {low:,} to {high:,}").format(
                low=low, high=high
            )
        else:
            text = translated("parameters", "a whole number ≥ {low:,}").format(low=low)
        if not none:
            return text
        meaning = none() if callable(none) else none
        return translated("parameters", "None ({meaning}) or {words}").format(meaning=meaning, words=text)

    return Rule(
        words,
        lambda v: (
            (none is not None and v is None) or (_is_whole(v) and low <= v and (high is None or v <= high))
        ),
    )


def real(low: float, high: float | None = None, low_open=True, high_open=False) -> Rule:
    """A finite number in an interval: (low, high] by default."""
    left, right = "(" if low_open else "[", ")" if high_open else "]"

    def words() -> str:
        if high is not None:
            return translated("parameters", "a number in {left}{low:g}, {high:g}{right}").format(
                left=left, low=low, high=high, right=right
            )
        if low_open:
            return translated("parameters", "a number > {low:g}").format(low=low)
        return translated("parameters", "a number ≥ {low:g}").format(low=low)

    return Rule(
        words,
        lambda v: (
            _is_real(v)
            and (v > low if low_open else v >= low)
            and (high is None or (v < high if high_open else v <= high))
        ),
    )


def one_of(*choices: str) -> Rule:
    """One of the named choices."""
    return Rule(
        lambda: translated("parameters", "one of {choices}").format(choices=", ".join(map(repr, choices))),
        lambda v: v in choices,
    )


def path() -> Rule:
    """A file path: a non-empty string."""
    return Rule(
        lambda: translated("parameters", "a file path (a non-empty string)"),
        lambda v: isinstance(v, str) and v.strip() != "",
    )


def list_of(rule: Rule) -> Rule:
    """A non-empty list (or tuple) whose items each follow rule."""
    return Rule(
        lambda: translated("parameters", "a non-empty list of items, each {item}").format(item=rule.allowed),
        lambda v: isinstance(v, (list, tuple)) and len(v) > 0 and all(map(rule.accepts, v)),
    )


POSITIVE_WHOLE = whole(1)
LEARNING_RATE = real(0)
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu")

# The course's parameters, by name; a lesson may pass its own rules for others.
RULES: Mapping[str, Rule] = {
    "EPOCHS": POSITIVE_WHOLE,
    "BATCH_SIZE": POSITIVE_WHOLE,
    "TRAIN_SIZE": whole(1, MNIST_TRAIN_SIZE, none=lambda: translated("parameters", "all training images")),
    "LEARNING_RATE": LEARNING_RATE,
    "SEED": whole(0),
    "LR_DECAY": real(0, 1),
    "DROPOUT": real(0, 1, low_open=False, high_open=True),
    "BN_MOMENTUM": real(0, 1, high_open=True),
    "MAX_SHIFT": whole(0, 13),
    "HIDDEN_UNITS": POSITIVE_WHOLE,
    "HIDDEN_ACTIVATION": one_of(*ACTIVATION_NAMES),
    "HIDDEN_ACTIVATIONS": list_of(one_of(*ACTIVATION_NAMES)),
    "WIDE_LAYERS": list_of(POSITIVE_WHOLE),
    "DEPTH": POSITIVE_WHOLE,
    "CONSTANT": real(0),
    "N_SAMPLES": whole(2),
    "STD": real(0),
    "TEST_FRACTION": real(0, 1, high_open=True),
    "INITIALIZERS": list_of(one_of("zeros", "ones", "normal", "truncated_normal", "glorot", "he")),
    "LOSSES": list_of(one_of("cross_entropy", "mse")),
    "MODEL_PATH": path(),
    "SPREAD_SEEDS": list_of(whole(0)),
}


def rule_for(name: str) -> Rule | None:
    """The rule for a parameter: by its name, or by its ending (SGD_LEARNING_RATE, SHORT_EPOCHS…)."""
    if name in RULES:
        return RULES[name]
    endings = ("LEARNING_RATE", "BATCH_SIZE", "EPOCHS")
    return next((RULES[end] for end in endings if name.endswith("_" + end)), None)


CHECKED: dict = {}  # the parameters of the last check_parameters call (the exercise checks compare with them)


def check_parameters(rules: Mapping[str, Rule] | None = None, **values) -> None:
    """Raise ParameterError for the first parameter whose value is not allowed.

    Call it with the parameters by name, e.g. ``check_parameters(EPOCHS=EPOCHS, SEED=SEED)``;
    ``rules`` adds or replaces rules for this call (e.g. ``{"BATCH_SIZE": whole(1, none="…")}``).
    """
    __tracebackhide__ = True  # IPython shows the message, not this function's frame
    chosen = {**RULES, **(rules or {})}
    for name, value in values.items():
        rule = chosen.get(name) or rule_for(name)
        if rule is None:
            raise TypeError(
                translated(
                    "parameters", "check_parameters: no rule for {name}; pass rules={{{name!r}: …}}"
                ).format(name=name)
            )
        if not rule.accepts(value):
            raise ParameterError(
                translated(
                    "parameters",
                    "{name} = {value!r} is not allowed: {name} must be {allowed}. "
                    "Change it in the parameters cell and run the notebook again.",
                ).format(name=name, value=value, allowed=rule.allowed)
            )
    CHECKED.clear()
    CHECKED.update(values)
