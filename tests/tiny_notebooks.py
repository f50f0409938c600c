"""Tiny lesson-shaped notebooks (no TensorFlow) for testing the course tools for real."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def code(source: str, *tags: str, cell_id: str | None = None):
    """A code cell with optional tags (and a fixed id, when given)."""
    cell = new_code_cell(source)
    if tags:
        cell.metadata["tags"] = list(tags)
    if cell_id:
        cell.id = cell_id
    return cell


def markdown(source: str, cell_id: str | None = None):
    """A markdown cell (with a fixed id, when given)."""
    cell = new_markdown_cell(source)
    if cell_id:
        cell.id = cell_id
    return cell


def notebook(*cells, **metadata):
    """A v4 notebook with the python3 kernelspec and extra notebook metadata."""
    nb = new_notebook(cells=list(cells))
    nb.metadata.update({"kernelspec": dict(KERNELSPEC), **metadata})
    return nb


def lesson_notebook(title: str, body: str, parameters: str = "EPOCHS = 3") -> nbformat.NotebookNode:
    """Header, setup, a `parameters` cell, one body cell and a summary: the layout of CONTRIBUTING.md."""
    return notebook(
        markdown(f"# {title}\n\nWhat you will learn: nothing much."),
        markdown("## Setup"),
        code("import os\n\nfrom course_utils.results import record_results"),
        code(parameters, "parameters"),
        markdown("## Work"),
        code(body),
        markdown("## Summary\n\nDone."),
    )


def write(nb, path) -> Path:
    """Write nb to path (creating folders) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
