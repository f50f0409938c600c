"""Answers a learner might write, kept as test data for the checks (one module per lesson).

Each answer is a function that returns the values a notebook passes to `check(name, *values)`:

    @right("lesson01.step")
    def step_written_in_place():          # a correct answer, written differently from the solution
        w = W0.copy(); w -= RATE * gradient(X, Y, w); return (w, ...)

    @wrong("lesson01.step", says="went up")
    def gradient_ascent():                # a plausible mistake, and what its message must say
        ...

`tests/test_exercise_answers.py` runs every answer through its check: a right one passes, a wrong
one is called wrong with a message that contains `says` and no line of the solution's code.
Every exercise keeps at least two wrong answers and one right one.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    """One answer to one exercise: the values it hands to `check`, and whether it is right."""

    exercise: str
    label: str
    right: bool
    values: Callable[[], tuple]
    says: str | None = None  # for a wrong answer: a fragment its message must contain

    def __str__(self) -> str:
        return f"{self.exercise}:{'right' if self.right else 'wrong'}:{self.label}"


ANSWERS: list[Answer] = []


def right(exercise: str):
    """Register the decorated function (it returns the tuple of values for `check`) as a right answer."""

    def register(values):
        ANSWERS.append(Answer(exercise, values.__name__, True, values))
        return values

    return register


def wrong(exercise: str, says: str):
    """Register a wrong answer; its check's message must contain `says` (what is wrong, in words)."""

    def register(values):
        ANSWERS.append(Answer(exercise, values.__name__, False, values, says))
        return values

    return register


def all_answers() -> list[Answer]:
    """Every answer of every lesson module of this package."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return list(ANSWERS)
