"""Predict, then run: `compare(my_prediction, outcome)` sets a learner's prediction beside what happened.

Nothing is graded. The lines are translated like the checks' (COURSE_LANGUAGE, context "check").
"""

from __future__ import annotations

from .i18n import translated

NO_PREDICTION = "You wrote no prediction; the run gave {outcome}. Next time, write yours down first."
MATCHED = "You predicted {prediction}; the run gave {outcome}: as you expected."
DIFFERED = "You predicted {prediction}; the run gave {outcome}: not what you expected. Why?"
MESSAGES = (NO_PREDICTION, MATCHED, DIFFERED)


def compare(prediction, outcome, tolerance: float = 0.02) -> str:
    """Print (and return) the prediction beside the outcome.

    Numbers match within `tolerance`, words exactly.
    """
    if prediction is Ellipsis or prediction is None or prediction == "":
        line = translated("check", NO_PREDICTION).format(outcome=_shown(outcome))
    else:
        same = _same(prediction, outcome, tolerance)
        template = MATCHED if same else DIFFERED
        line = translated("check", template).format(prediction=_shown(prediction), outcome=_shown(outcome))
    print(line)
    return line


def _same(prediction, outcome, tolerance: float) -> bool:
    if isinstance(outcome, str) or isinstance(prediction, str):
        return str(prediction).strip().lower() == str(outcome).strip().lower()
    try:
        return abs(float(prediction) - float(outcome)) <= tolerance
    except (TypeError, ValueError):
        return False


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)
