"""Record a lesson's results: a small table for the learner, machine-readable data for the runner."""

from __future__ import annotations

import html
import math
import numbers

from course_utils.i18n import translated

RESULTS_MIME = "application/vnd.course-utils.results+json"


def _as_number(name: str, value) -> float | int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            translated("results", "record_results: {name}={value!r} is not a number").format(
                name=name, value=value
            )
        )
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(
            translated("results", "record_results: {name} is {value}; train again or fix the lesson").format(
                name=name, value=value
            )
        )
    return value


def record_results(**metrics) -> dict:
    """Show the metrics as a table and emit them as machine-readable notebook output."""
    if not metrics:
        raise ValueError(
            translated("results", "record_results needs at least one metric, e.g. test_accuracy=0.97")
        )
    values = {name: _as_number(name, value) for name, value in metrics.items()}
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{_format(value)}</td></tr>" for name, value in values.items()
    )
    text = "\n".join(f"{name:<24} {_format(value)}" for name, value in values.items())
    bundle = {
        "text/plain": text,
        "text/html": "<table><tr><th>{metric}</th><th>{value}</th></tr>{rows}</table>".format(
            metric=translated("results", "metric"), value=translated("results", "value"), rows=rows
        ),
        RESULTS_MIME: {"metrics": values},
    }
    try:
        from IPython.display import display
    except ImportError:  # plain Python without IPython
        print(text)
    else:
        display(bundle, raw=True)
    return values


def read_results(notebook) -> dict:
    """Return the metrics recorded in an executed notebook (an nbformat node), in order."""
    found: dict = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = output.get("data", {})
            if RESULTS_MIME in data:
                found.update(data[RESULTS_MIME]["metrics"])
    return found


def _format(value) -> str:
    if isinstance(value, int):
        return translated("results", "{value:,}").format(value=value)
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
