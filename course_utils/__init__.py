"""Shared helpers for the open deep-learning course.

Importing the package is cheap and never imports TensorFlow: import the submodule you need,
e.g. ``from course_utils.data import load_mnist``.
"""

__version__ = "1.0.0"
