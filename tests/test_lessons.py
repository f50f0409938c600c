"""course_utils.course.lessons: the table of lessons and the helpers that look lessons up."""

from __future__ import annotations

import dataclasses

import pytest

from course_utils.course.lessons import BRANCH, LESSONS, REPOSITORY, Lesson, colab_url, lesson_for, select


def test_the_table_lists_twelve_lessons_in_order_with_numbered_notebooks():
    assert [lesson.number for lesson in LESSONS] == list(range(1, 13))
    for lesson in LESSONS:
        assert lesson.notebook.startswith(f"{lesson.number:02d}_") and lesson.notebook.endswith(".ipynb")
        assert lesson.metric == "test_accuracy"
    assert len({lesson.notebook for lesson in LESSONS}) == len(LESSONS)


def test_targets_are_accuracies_and_quick_targets_are_lower():
    for lesson in LESSONS:
        assert 0 < lesson.quick_target <= lesson.target < 1
    assert LESSONS[10].target == 0.995 and LESSONS[10].title == "Batch normalisation: 99.5%"


def test_quick_parameters_use_upper_case_names_and_cannot_be_changed():
    for lesson in LESSONS:
        assert all(name.isupper() for name in lesson.quick_parameters)
    with pytest.raises(TypeError):
        LESSONS[2].quick_parameters["EPOCHS"] = 10
    with pytest.raises(dataclasses.FrozenInstanceError):
        LESSONS[2].target = 0.5


def test_rows_copy_their_parameters():
    shared = {"EPOCHS": 1}
    lesson = Lesson(3, "03_x.ipynb", "X", 0.9, 0.5, shared)
    shared["EPOCHS"] = 99
    assert lesson.quick_parameters == {"EPOCHS": 1}
    assert hash(lesson) == hash(Lesson(3, "03_x.ipynb", "X", 0.9, 0.5, {"EPOCHS": 1}))


def test_profiles_pick_targets_and_parameters():
    lesson = Lesson(5, "05_x.ipynb", "X", 0.92, 0.80, {"EPOCHS": 1, "TRAIN_SIZE": 5000})
    assert lesson.target_for("quick") == 0.80 and lesson.target_for("full") == 0.92
    assert lesson.parameters_for("quick") == {"EPOCHS": 1, "TRAIN_SIZE": 5000}
    assert lesson.parameters_for("full") == {}


def test_lesson_for_accepts_names_and_paths_and_returns_none_for_strangers():
    assert lesson_for("05_keras_single_layer.ipynb") is LESSONS[4]
    assert lesson_for("notebooks/11_batch_normalization.ipynb") is LESSONS[10]
    assert lesson_for("scratch.ipynb") is None


def test_colab_url_points_at_the_notebook_in_the_repository():
    assert REPOSITORY == "open-dl-course/mnist-course" and BRANCH == "main"
    assert colab_url("notebooks/01_neuron.ipynb") == (
        "https://colab.research.google.com/github/open-dl-course/mnist-course/blob/main/notebooks/01_neuron.ipynb"
    )


@pytest.mark.parametrize(
    ("only", "numbers"),
    [
        (None, list(range(1, 13))),
        ("", list(range(1, 13))),
        ("05,11", [5, 11]),
        ("11, 5", [5, 11]),  # course order, whatever the order asked
        ("5", [5]),
        ("05_keras_single_layer,01_neuron.ipynb", [1, 5]),
        ("notebooks/09_convolutional.ipynb", [9]),
        ("3,03,3", [3]),
        ([2, "4"], [2, 4]),
    ],
)
def test_select_accepts_numbers_and_names(only, numbers):
    assert [lesson.number for lesson in select(only)] == numbers


def test_select_rejects_unknown_lessons_and_lists_the_valid_ones():
    with pytest.raises(
        ValueError, match=r"unknown lesson '13'.*01 \(01_neuron\).*12 \(12_your_handwriting\)"
    ):
        select("05,13")
    with pytest.raises(ValueError, match="unknown lesson 'neuron'"):
        select("neuron")


def test_select_works_on_another_table():
    table = [Lesson(7, "07_a.ipynb", "A", 0.9, 0.5), Lesson(8, "08_b.ipynb", "B", 0.9, 0.5)]
    assert select("08_b", table) == (table[1],)
