"""What a learner sees: no TensorFlow start-up chatter, and a strategy line in plain words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHATTER = ("InitializeLog", "oneDNN custom operations", "cpu_feature_guard", "_DefaultDistributionStrategy")


def _run(code: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env
    )


def test_check_environment_prints_no_tensorflow_start_up_lines():
    result = _run(
        "from course_utils.setup import check_environment\n"
        "check_environment()\n"
        "from course_utils.distribute import get_strategy\n"
        "get_strategy()\n"
        "import tensorflow as tf; print(float(tf.reduce_sum(tf.ones(3))))\n"
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if any(c in line for c in CHATTER)] == []
    assert "default strategy on the CPU: 1 replica" in result.stdout


def test_errors_after_the_quiet_import_still_reach_stderr():
    result = _run(
        "from course_utils.setup import check_environment\n"
        "check_environment()\n"
        "import os; os.write(2, b'native message\\n')\n"
        "raise SystemExit('python error')\n"
    )
    assert "native message" in result.stderr and "python error" in result.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_output_shows_tensorflow_start_up_lines(path):
    found = []
    for cell in json.loads(path.read_text())["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            found += [line for line in text.splitlines() if any(c in line for c in CHATTER)]
    assert found == []
