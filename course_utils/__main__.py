"""`python -m course_utils …`: the course tools' command line (see course_utils/course/cli.py)."""

import sys

from .course.cli import main

if __name__ == "__main__":
    sys.exit(main())
