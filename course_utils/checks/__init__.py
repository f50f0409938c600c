"""Checks for the exercises: `check("lesson01.sigmoid", sigmoid)` tells at once whether an answer is right.

A check prints one line when the answer is right, and stops the notebook with a short message when
it is not done yet (`...` is still there) or not right. `check.hint(name)` prints the exercise's hint,
`check.solution(name)` its worked solution.
Checks never draw from the random generators the lessons use, so they do not change any result.

`engine` holds the registry and `check`, `shared` the comparisons several lessons use, and
`lesson01` … `lesson12` each lesson's checks, in the order of its notebook; importing this package
registers them all.
"""

from __future__ import annotations

from . import (  # noqa: F401 (each lesson's module registers its checks on import)
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
    lesson10,
    lesson11,
    lesson12,
)
from .engine import (
    EXERCISES,
    HINT,
    MESSAGES,
    NOT_DONE,
    RIGHT,
    SOLUTION,
    WRONG,
    Exercise,
    ExerciseError,
    ExerciseNotDone,
    ExerciseWrong,
    check,
    exercise,
    hint,
    solution,
)

__all__ = [
    "EXERCISES",
    "HINT",
    "MESSAGES",
    "NOT_DONE",
    "RIGHT",
    "SOLUTION",
    "WRONG",
    "Exercise",
    "ExerciseError",
    "ExerciseNotDone",
    "ExerciseWrong",
    "check",
    "exercise",
    "hint",
    "solution",
]
