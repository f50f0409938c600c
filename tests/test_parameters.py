"""check_parameters: one message naming the parameter, its value and what is allowed; in every lesson."""

from __future__ import annotations

import math

import nbformat
import pytest

from course_utils.course import runner
from course_utils.course.lessons import LESSONS, Lesson
from course_utils.parameters import ParameterError, check_parameters, whole
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"EPOCHS": 0}, "EPOCHS = 0 is not allowed: EPOCHS must be a whole number ≥ 1."),
        ({"EPOCHS": -1}, "EPOCHS = -1 is not allowed"),
        ({"EPOCHS": 1.5}, "EPOCHS = 1.5 is not allowed: EPOCHS must be a whole number ≥ 1."),
        ({"EPOCHS": "ten"}, "EPOCHS = 'ten' is not allowed"),
        ({"EPOCHS": True}, "EPOCHS = True is not allowed"),
        ({"BATCH_SIZE": 0}, "BATCH_SIZE = 0 is not allowed"),
        ({"TRAIN_SIZE": "all"}, "TRAIN_SIZE = 'all' is not allowed: TRAIN_SIZE must be None (all training"),
        ({"TRAIN_SIZE": 2000.7}, "TRAIN_SIZE = 2000.7 is not allowed"),
        (
            {"TRAIN_SIZE": 55_001},
            "TRAIN_SIZE = 55001 is not allowed: TRAIN_SIZE must be None (all training images) or a whole "
            "number from 1 to 55,000.",
        ),
        ({"LEARNING_RATE": 0}, "LEARNING_RATE = 0 is not allowed: LEARNING_RATE must be a number > 0."),
        ({"LEARNING_RATE": -0.1}, "LEARNING_RATE = -0.1 is not allowed"),
        ({"LEARNING_RATE": math.inf}, "LEARNING_RATE = inf is not allowed"),
        ({"SGD_LEARNING_RATE": "0.2"}, "SGD_LEARNING_RATE = '0.2' is not allowed"),
        ({"SEED": 4.2}, "SEED = 4.2 is not allowed"),
        ({"DROPOUT": 1}, "DROPOUT = 1 is not allowed: DROPOUT must be a number in [0, 1)."),
        ({"LR_DECAY": 0}, "LR_DECAY = 0 is not allowed"),
        ({"HIDDEN_ACTIVATIONS": ["relu", "swish"]}, "HIDDEN_ACTIVATIONS = ['relu', 'swish'] is not allowed"),
    ],
)
def test_a_bad_value_names_the_parameter_the_value_and_what_is_allowed(values, message):
    with pytest.raises(ParameterError) as info:
        check_parameters(**{"EPOCHS": 3, "SEED": 1, **values})  # good values, then the bad one
    assert str(info.value).startswith(message) and isinstance(info.value, ValueError)
    assert str(info.value).endswith("Change it in the parameters cell and run the notebook again.")


def test_good_values_pass_and_a_lesson_can_allow_more():
    check_parameters(EPOCHS=1, BATCH_SIZE=32, TRAIN_SIZE=None, LEARNING_RATE=1e-3, SEED=0, DROPOUT=0.0)
    with pytest.raises(ParameterError, match="BATCH_SIZE = None"):
        check_parameters(BATCH_SIZE=None)
    check_parameters({"BATCH_SIZE": whole(1, none="full batch")}, BATCH_SIZE=None)
    with pytest.raises(TypeError, match="no rule for COLOUR"):
        check_parameters(COLOUR="red")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_every_lesson_checks_all_its_parameters_in_the_cell_after_the_parameters_cell(lesson):
    cells = nbformat.read(ROOT / "notebooks" / lesson.notebook, as_version=4).cells
    index = next(i for i, cell in enumerate(cells) if "parameters" in cell.metadata.get("tags", []))
    scope = {}
    exec(cells[index].source, scope)
    names = [name for name in scope if name.isupper()]
    check = cells[index + 1].source
    assert "check_parameters(" in check
    assert all(f"{name}={name}" in check for name in names), "a parameter is not checked"
    exec(check, scope)  # the stored values pass


def test_a_bad_value_injected_by_papermill_stops_the_lesson_at_the_check(tmp_path):
    real = LESSONS[0]
    lesson = Lesson(
        real.number, real.notebook, real.title, real.target, 0.0, {"EPOCHS": 0}, needs_mnist=False
    )
    (run,) = runner.run_course((lesson,), ROOT / "notebooks", tmp_path, log=lambda *a, **k: None)
    assert run.failure.ename == "ParameterError"
    assert run.failure.evalue.startswith("EPOCHS = 0 is not allowed: EPOCHS must be a whole number ≥ 1.")
