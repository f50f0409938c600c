"""Predict, then run: the prediction is set beside the outcome, in words, and never graded."""

from __future__ import annotations

from course_utils.predictions import compare


def test_no_prediction_still_shows_what_happened(capsys):
    compare(..., 0.9918)
    assert capsys.readouterr().out == (
        "You wrote no prediction (my_prediction is still ...). What happened: 0.9918.\n"
    )


def test_a_number_is_set_beside_the_outcome_with_its_distance(capsys):
    compare(0.98, 0.9918)
    assert capsys.readouterr().out == "Your prediction: 0.98. What happened: 0.9918, 0.0118 away from it.\n"
    compare(7, 7)
    assert "You saw it coming" in capsys.readouterr().out


def test_a_choice_matches_whatever_its_case_and_spaces(capsys):
    compare(" Higher", "higher")
    assert capsys.readouterr().out.endswith("You saw it coming.\n")
    compare("yes", "no")
    assert "Not what you expected: why?" in capsys.readouterr().out


def test_the_lines_are_translated(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    compare(..., "yes")
    assert capsys.readouterr().out.startswith("No escribiste ninguna predicción")


def test_in_a_translation_a_typed_answer_is_shown_quoted_as_the_learner_writes_it(monkeypatch, capsys):
    """The answers stay the English values the code compares ("higher"); quoted, they read as values."""
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    compare("higher", "higher")
    compare(..., 0.25)
    shown = capsys.readouterr().out
    assert 'Tu predicción: "higher". Lo que ocurrió: "higher".' in shown and "Lo que ocurrió: 0.25." in shown
    monkeypatch.setenv("COURSE_LANGUAGE", "en")
    compare("higher", "higher")
    assert "Your prediction: higher. What happened: higher." in capsys.readouterr().out
