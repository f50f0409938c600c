"""Every checked exercise against its answers as data: right ones pass, wrong ones are called wrong,
with a message that says what is wrong and shows no line of the solution's code."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from course_utils.checks import EXERCISES, ExerciseWrong, check
from course_utils.solutions import SOLUTIONS
from tests.exercise_answers import all_answers

ANSWERS = all_answers()


def solution_lines(name: str) -> list[str]:
    """The solution's code lines worth hiding: everything but short ones, comments and `return x`."""
    lines = [line.strip() for line in SOLUTIONS[name].splitlines()]
    return [line for line in lines if len(line) >= 12 and not line.startswith("#")]


def code_fragments(name: str) -> list[str]:
    """The expressions the solution assigns or returns: `sigmoid(X @ w)` of `return sigmoid(X @ w)`."""
    fragments = []
    for line in solution_lines(name):
        match = re.match(r"(?:return\s+|[\w\s,\[\]\.]+?(?<![=!<>])=(?!=)\s*)(?P<expr>.+)$", line)
        if match and len(match["expr"].strip()) >= 10:
            fragments.append(match["expr"].strip())
    return fragments


def test_every_exercise_has_two_wrong_answers_and_one_right_one():
    right = Counter(answer.exercise for answer in ANSWERS if answer.right)
    wrong = Counter(answer.exercise for answer in ANSWERS if not answer.right)
    missing = [name for name in EXERCISES if right[name] < 1 or wrong[name] < 2]
    assert not missing, f"exercises without 2 wrong and 1 right answers as test data: {missing}"
    assert set(right) | set(wrong) <= set(EXERCISES), "answers to exercises that do not exist"


@pytest.mark.parametrize("answer", [a for a in ANSWERS if a.right], ids=str)
def test_a_right_answer_passes(answer, capsys):
    check(answer.exercise, *answer.values())
    assert f"is right ({answer.exercise})" in capsys.readouterr().out


@pytest.mark.parametrize("answer", [a for a in ANSWERS if not a.right], ids=str)
def test_a_wrong_answer_is_called_wrong_and_shows_no_solution(answer):
    with pytest.raises(ExerciseWrong) as raised:
        check(answer.exercise, *answer.values())
    message = str(raised.value)
    assert answer.says in message, f"{answer}: the message should say {answer.says!r}; it says {message!r}"
    leaked = [
        line for line in solution_lines(answer.exercise) + code_fragments(answer.exercise) if line in message
    ]
    assert not leaked, f"{answer}: the message shows the solution's code {leaked}"


@pytest.mark.parametrize("name", list(EXERCISES))
def test_hints_go_from_the_idea_to_the_shape_of_the_code_and_never_give_the_solution(name):
    hints = EXERCISES[name].hints
    assert len(hints) == 2 and hints[0] != hints[1], f"{name}: two hints, the idea and then the shape"
    code = solution_lines(name) + code_fragments(name)
    leaked = [line for hint in hints for line in code if line in hint]
    assert not leaked, f"{name}: a hint shows the solution's code {leaked}"
