"""Lesson 1's learner edition run as a learner would: right answers written in other words pass every
check; one wrong answer stops the notebook at its own exercise with "wrong", not at another."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.checks import EXERCISES
from course_utils.course.exercises import LEARNER_DIR, filled_with_solutions, solution_blocks
from course_utils.course.runner import NOTEBOOKS_DIR, kernel_environment

NAME = "01_neuron.ipynb"
SOURCE = nbformat.read(NOTEBOOKS_DIR / NAME, as_version=4)
PROMPTS = {
    name: EXERCISES[f"lesson01.{name}"].prompt for name in ("sigmoid", "predict_proba", "gradient", "step")
}
# Correct, but not the solution's code: another formula, other names, another order, an in-place step.
MINE = {
    "sigmoid": "return 0.5 * (1 + np.tanh(z / 2))",
    "predict_proba": "scores = np.dot(X, w)\nreturn sigmoid(scores)",
    "gradient": (
        "p = predict_proba(X, w)\n"
        "per_point = 2 * (p - y) * p * (1 - p)\n"
        "return (per_point[:, None] * X).mean(axis=0)"
    ),
    "step": "w -= LEARNING_RATE * gradient(x_train[batch], y_train[batch], w)",
}
WRONG = {  # a plausible slip for each exercise
    "sigmoid": "return 1 / (1 + np.exp(z))",
    "predict_proba": "return X @ w",
    "gradient": "p = predict_proba(X, w)\nreturn 2 / len(X) * X.T @ ((y - p) * p * (1 - p))",
    "step": "w = w + LEARNING_RATE * gradient(x_train[batch], y_train[batch], w)",
}


def run(answers: dict[str, str]) -> nbformat.NotebookNode:
    learner = nbformat.read(LEARNER_DIR / NAME, as_version=4)
    nb = filled_with_solutions(learner, SOURCE, NAME, {PROMPTS[k]: code for k, code in answers.items()})
    with kernel_environment(None):
        NotebookClient(
            nb, kernel_name="python3", timeout=300, allow_errors=True,
            resources={"metadata": {"path": str(LEARNER_DIR)}},
        ).execute()  # fmt: skip
    return nb


def outputs(nb, kind: str) -> list:
    return [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == kind]


def test_the_prompts_are_those_of_the_notebook():
    assert sorted(PROMPTS.values()) == sorted(block.prompt for block in solution_blocks(SOURCE))


def test_right_answers_in_other_words_pass_every_check():
    nb = run(MINE)
    assert outputs(nb, "error") == []
    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    for number, name in enumerate(PROMPTS, start=1):
        assert f"✓ exercise {number} is right (lesson01.{name})" in text


@pytest.mark.parametrize("name", list(WRONG))
def test_one_wrong_answer_is_called_wrong_at_its_own_exercise(name):
    nb = run({**MINE, name: WRONG[name]})
    errors = outputs(nb, "error")
    assert errors, f"the wrong {name} passed"
    first = errors[0]
    number = EXERCISES[f"lesson01.{name}"].number
    assert first.ename == "ExerciseWrong" and first.evalue.startswith(f"exercise {number}: "), first.evalue


def test_the_spanish_learner_edition_answers_in_spanish():
    """The Spanish learner edition, filled as a learner would (one right answer in other words, one wrong):
    its own language cell makes the checks answer in Spanish."""
    spanish_dir = NOTEBOOKS_DIR / "es"
    source = nbformat.read(spanish_dir / NAME, as_version=4)
    learner = nbformat.read(spanish_dir / "exercises" / NAME, as_version=4)
    prompts = [block.prompt for block in solution_blocks(source)]  # the Spanish prompts, in order
    english = [block.prompt for block in solution_blocks(SOURCE)]
    spanish = dict(zip(english, prompts, strict=True))
    answers = {spanish[PROMPTS["sigmoid"]]: MINE["sigmoid"], spanish[PROMPTS["gradient"]]: WRONG["gradient"]}
    nb = filled_with_solutions(learner, source, NAME, answers)
    with kernel_environment(None):
        NotebookClient(
            nb, kernel_name="python3", timeout=300, allow_errors=True,
            resources={"metadata": {"path": str(spanish_dir / "exercises")}},
        ).execute()  # fmt: skip
    text = "".join(o.get("text", "") for o in outputs(nb, "stream"))
    assert "✓ el ejercicio 1 está bien (lesson01.sigmoid)" in text
    (first, *_) = outputs(nb, "error")
    number = EXERCISES["lesson01.gradient"].number
    assert first.ename == "ExerciseWrong" and first.evalue.startswith(f"ejercicio {number}: "), first.evalue
