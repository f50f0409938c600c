"""Compare an executed cell's outputs with the stored ones as nbval does, with nbval's own functions.

Same sanitiser file (tests/nbval_sanitize.cfg), same merging of streams, same skipped keys (images
and metadata are not compared), so a cell passes here exactly when `pytest --nbval-lax` would pass it.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from pathlib import Path
from types import SimpleNamespace

from nbval.plugin import IPyNbCell, coalesce_streams, get_sanitize_patterns, transform_streams_for_comparison

SANITIZE_CFG = Path(__file__).with_name("nbval_sanitize.cfg")
CHECK_TAG = "nbval-check-output"  # the cell tag nbval reads as "compare this cell's output"
SKIP_COMPARE = (  # nbval's skip_compare without --nbdime
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)


def sanitizer(cfg: Path = SANITIZE_CFG):
    """A function that sanitises one string with the cfg's patterns, by nbval's own code."""
    patterns = OrderedDict()
    patterns.update(get_sanitize_patterns(cfg.read_text(encoding="utf-8")))
    cell = SimpleNamespace(parent=SimpleNamespace(sanitize_patterns=patterns))
    return lambda text: IPyNbCell.sanitize(cell, text)


def comparable(outputs, sanitize) -> dict[str, list]:
    """Outputs as nbval compares them: streams merged, then every kept key's sanitised values in order."""
    flat: dict[str, list] = {}
    for output in transform_streams_for_comparison(coalesce_streams(copy.deepcopy(list(outputs)))):
        for key, value in output.items():
            if key in SKIP_COMPARE:
                continue
            items = value.items() if key == "data" else [(key, value)]
            for name, item in items:
                if name not in SKIP_COMPARE:
                    flat.setdefault(name, []).append(sanitize(item))
    return flat
