"""The course's figure style, applied in one place.

``course.mplstyle`` (shipped in the package) holds the style: Okabe & Ito's colour-blind-safe palette,
each colour with its own line style; an opaque white background (figures, axes and saved PNGs), so a
figure reads in a dark JupyterLab or Colab theme too; dark text; fonts of at least 10 pt; figures at
most 10 inches wide. ``use_course_style()`` applies it. Every lesson's Setup cell calls
``course_utils.setup.check_environment()``, which calls it; importing ``course_utils.plots`` (and so
``course_utils.callbacks`` and ``course_utils.conv_plots``) calls it too, so the helpers draw in the
course style in a script or a test as well.

Jupyter's inline backend applies its own settings (``InlineBackend.rc``) when pyplot first picks its
backend, which can be after this module ran; ``use_course_style`` therefore has pyplot pick its backend
first, then applies the style over it. The inline backend saves a figure with the figure's own
facecolor, so stored PNGs are opaque.
"""

from __future__ import annotations

from pathlib import Path

STYLE_FILE = Path(__file__).with_name("course.mplstyle")
# Okabe & Ito (2008), in the order of the style's colour cycle.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
BLUE, VERMILLION, GREEN, PURPLE, ORANGE, SKY_BLUE, BLACK, YELLOW = OKABE_ITO
MIN_FONT_SIZE = 10  # points, at the style's 100 dpi
MAX_FIGURE_WIDTH = 10  # inches
DIVERGING_CMAP = "RdBu_r"  # red positive, blue negative: colour-blind safe; centre it at 0


def use_course_style() -> None:
    """Apply the course's figure style (course.mplstyle) to every figure drawn from now on."""
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.get_backend()  # let pyplot pick its backend now, so the inline backend's rc comes first
    plt.style.use(STYLE_FILE)


def figure_width(per_panel: float, panels: int, extra: float = 0.0) -> float:
    """A figure's width for ``panels`` side by side, at most MAX_FIGURE_WIDTH inches."""
    return min(MAX_FIGURE_WIDTH, per_panel * panels + extra)
