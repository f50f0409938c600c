"""requirements.txt and environment.yml declare the same, bounded versions."""

import re

from tests.conftest import ROOT


def _requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_every_requirement_is_bounded_above_and_below():
    for req in _requirements():
        assert re.search(r">=[\d.]+,<[\d.]+$", req), f"{req}: give a compatible range, e.g. pkg>=1.2,<2"


def test_environment_yml_declares_the_same_versions():
    text = (ROOT / "environment.yml").read_text()
    declared = re.findall(r"^\s+- (\S+>=\S+)$", text, flags=re.M)
    assert declared == _requirements()
    assert "python=3.11" in text
