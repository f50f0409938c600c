"""The tools that build, run and publish the course: the lesson table, the runner and its report,
the notebook format, the learner edition. Lessons never import this sub-package.

The command line is ``python -m course_utils …`` (see :mod:`course_utils.course.cli`).
"""
