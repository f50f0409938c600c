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
