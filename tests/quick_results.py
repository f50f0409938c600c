"""The quick profile's expected results (tests/quick_results.json): read them, or record a run's.

Record after a change that moves the quick numbers on purpose, and say why in the commit:
    python tests/quick_results.py build/course-quick
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXPECTED = Path(__file__).with_name("quick_results.json")
# Seeded CPU runs reproduce the quick numbers exactly on one machine; other CPUs and thread counts
# change float rounding in training, hence a tolerance on every compared metric.
TOLERANCE = 0.01


def compared(metric: str) -> bool:
    """Timings vary from run to run and are never compared."""
    return "seconds" not in metric and "time" not in metric


def recorded(results_json: Path) -> dict[str, dict[str, float]]:
    """The compared metrics of a run's results.json, by notebook."""
    found: dict[str, dict[str, float]] = {}
    for row in json.loads(results_json.read_text(encoding="utf-8")):
        if compared(row["metric"]) and row["value"] is not None:
            found.setdefault(row["notebook"], {})[row["metric"]] = row["value"]
    return found


def expected() -> dict[str, dict[str, float]]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


if __name__ == "__main__":
    values = recorded(Path(sys.argv[1]) / "results.json")
    EXPECTED.write_text(json.dumps(values, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED} ({sum(map(len, values.values()))} metrics)")
