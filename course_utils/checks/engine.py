"""The checks' engine: the registry of exercises, `check`, `hint` and `solution`, and what they print.

A lesson's module registers each test with `@exercise("lessonNN.name", number, prompt, hint=(idea,
shape))`; a test returns None when the answer is right, else what is wrong, written with `_say("…")`
(translated). The hint comes in two levels, the idea first, then the shape of the code; the solution
only on request.
Checks never draw from the random generators the lessons use, so they do not change any result.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..i18n import translated, translated_solution

# The lines a check prints, translated through the shared catalogue (context "check").
RIGHT = "✓ exercise {number} is right ({name})"
NOT_DONE = 'exercise {number} is not done yet: {prompt} (stuck? check.hint("{name}"))'
WRONG = 'exercise {number}: {problem} (a hint: check.hint("{name}"))'
HINT = "Hint {level} of {levels} for exercise {number} ({prompt}): {hint}"
MORE_HINT = 'The shape of the code: check.hint("{name}", {level})'
LAST_HINT = 'Still stuck? The worked solution: check.solution("{name}")'
SOLUTION = "Solution of exercise {number} ({prompt}):\n{solution}"
MESSAGES = (RIGHT, NOT_DONE, WRONG, HINT, MORE_HINT, LAST_HINT, SOLUTION)


class ExerciseError(Exception):
    """An exercise is not done yet or not right; IPython shows only the message, not a traceback."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class ExerciseNotDone(ExerciseError):
    """The exercise still holds its `...` placeholder."""


class ExerciseWrong(ExerciseError):
    """The exercise gives a wrong result; the message says what is wrong."""


class _NotDone(Exception):
    """Raised by a test when the value is still a placeholder."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its number in the lesson, its prompt (the goal), its test and its hints.

    `hints` go from the idea, in words, to the shape of the code; none of them is the solution.
    """

    name: str
    number: int
    prompt: str
    test: Callable
    hints: tuple[str, ...]


EXERCISES: dict[str, Exercise] = {}


def exercise(name: str, number: int, prompt: str, hint: str | tuple[str, ...]):
    """Register the decorated test (it returns None when right, else what is wrong) as exercise `name`.

    `hint` is `(idea, shape)`: the idea in words, then the shape of the code.
    """
    hints = (hint,) if isinstance(hint, str) else tuple(hint)

    def register(test):
        EXERCISES[name] = Exercise(name, number, prompt, test, hints)
        return test

    return register


def check(name: str, *values) -> None:
    """Check exercise `name` on the learner's values: print one line if right, else raise with a hint."""
    exercise_ = EXERCISES[name]
    try:
        if any(_unfinished(value) for value in values):
            raise _NotDone
        with _random_state_kept():
            problem = exercise_.test(*values)
    except _NotDone:
        raise ExerciseNotDone(
            _text(NOT_DONE, number=exercise_.number, prompt=_prompt(exercise_), name=name)
        ) from None
    if problem:
        raise ExerciseWrong(_text(WRONG, number=exercise_.number, problem=problem, name=name))
    if _first_report(name):
        print(_text(RIGHT, number=exercise_.number, name=name))


def hint(name: str, level: int = 1) -> None:
    """Print hint `level` of exercise `name`: 1 is the idea, 2 the shape of the code."""
    exercise_ = EXERCISES[name]
    levels = len(exercise_.hints)
    if level not in range(1, levels + 1):
        raise ValueError(f"exercise {name} has hints 1 to {levels}, not {level!r}")
    hint_ = translated("check hint", exercise_.hints[level - 1])
    print(
        _text(
            HINT, level=level, levels=levels, number=exercise_.number, prompt=_prompt(exercise_), hint=hint_
        )
    )
    print(_text(MORE_HINT, name=name, level=level + 1) if level < levels else _text(LAST_HINT, name=name))


def solution(name: str) -> None:
    """Print the worked solution of exercise `name` (the code of the solution notebook)."""
    from ..solutions import SOLUTIONS

    exercise_ = EXERCISES[name]
    code = translated_solution(name, SOLUTIONS[name])  # with a translation's names and printed texts
    print(_text(SOLUTION, number=exercise_.number, prompt=_prompt(exercise_), solution=code))


def _text(message: str, **fields) -> str:
    """One of the MESSAGES, in the learner's language (COURSE_LANGUAGE), filled in."""
    return translated("check", message).format(**fields)


def _prompt(exercise_: Exercise) -> str:
    return translated("check prompt", exercise_.prompt)


def _say(template: str, **fields) -> str:
    """A test's "what is wrong" in the learner's language (context "check problem"), filled in.

    `template` must be a plain string literal: `translate` collects every `_say("…")` of this package.
    """
    return translated("check problem", template).format(**fields)


check.hint = hint  # `check.hint("lesson01.sigmoid")` in a notebook that imports only `check`
check.solution = solution


def _unfinished(value) -> bool:
    """A placeholder: `...`, None (an empty function body), or a tuple holding `...`."""
    if isinstance(value, tuple):
        return any(item is Ellipsis for item in value)
    return value is Ellipsis or value is None


_reported: set = set()


def _first_report(name: str) -> bool:
    """True the first time `name` passes in this cell run (a check inside a loop prints once)."""
    try:
        count = get_ipython().execution_count  # noqa: F821 (defined in IPython kernels)
    except NameError:
        return True
    key = (name, count)
    if key in _reported:
        return False
    _reported.add(key)
    return True


class _random_state_kept:
    """Restore Python's and numpy's global random states (Keras draws its default seeds from them)."""

    def __enter__(self):
        self._states = random.getstate(), np.random.get_state()
        self._names = _keras_layer_names()
        self._names_copy = dict(self._names) if self._names is not None else None

    def __exit__(self, *exc):
        random.setstate(self._states[0])
        np.random.set_state(self._states[1])
        if self._names is not None:  # layers made by a check must not shift the lesson's layer names
            self._names.clear()
            self._names.update(self._names_copy)
        return False


def _keras_layer_names():
    """Keras's counters of automatic layer names (`dense_2`…), or None without Keras."""
    if "keras" not in sys.modules:
        return None
    try:
        from keras.src.backend.common import global_state
    except ImportError:
        return None
    return global_state.get_global_attribute(
        "object_name_uids", default=defaultdict(int), set_to_default=True
    )


def _result(function, *arguments):
    """function(*arguments), treating a None result (an empty body) as not done."""
    value = function(*arguments)
    if _unfinished(value):
        raise _NotDone
    return value
