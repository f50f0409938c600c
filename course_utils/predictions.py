"""Predict, then run: the learner's prediction set beside what the run showed (never graded).

my_prediction = ...  # written before the experiment
compare(my_prediction, outcome)  # after it: both, in words
"""

from __future__ import annotations

from numbers import Number

from .i18n import language, translated

# The lines `compare` prints, translated through the shared catalogue (context "prediction").
NO_PREDICTION = "You wrote no prediction (my_prediction is still ...). What happened: {outcome}."
SAME = "Your prediction: {prediction}. What happened: {outcome}. You saw it coming."
DIFFERENT = "Your prediction: {prediction}. What happened: {outcome}. Not what you expected: why?"
OFF_BY = "Your prediction: {prediction}. What happened: {outcome}, {difference} away from it."
MESSAGES = (NO_PREDICTION, SAME, DIFFERENT, OFF_BY)


def compare(prediction, outcome, tolerance: float = 0.0) -> None:
    """Print the prediction beside the outcome: a number's distance, a choice's match (not graded)."""
    fields = {"prediction": _shown(prediction), "outcome": _shown(outcome)}
    if prediction is Ellipsis or prediction is None or prediction == "":
        message = NO_PREDICTION
    elif isinstance(outcome, Number) and isinstance(prediction, Number):
        difference = abs(float(prediction) - float(outcome))
        message = SAME if difference <= tolerance else OFF_BY
        fields["difference"] = f"{difference:.4g}"
    else:
        same = str(prediction).strip().lower() == str(outcome).strip().lower()
        message = SAME if same else DIFFERENT
    print(translated("prediction", message).format(**fields))


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, str) and language() != "en":  # an answer the learner types, e.g. "higher"
        return f'"{value}"'
    return str(value)
