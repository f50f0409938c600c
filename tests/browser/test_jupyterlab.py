"""The course in a real JupyterLab 4 and a real browser: Run All on every lesson, the live training
figure, the drawing pad of lesson 12, and opening and saving a lesson without changing it."""

from __future__ import annotations

import difflib
import platform
import time
from pathlib import Path

import nbformat
import pytest

from course_utils.course.lessons import LESSONS, Lesson
from course_utils.course.notebook_format import COLAB_TAG, canonical_text
from course_utils.course.runner import NOTEBOOKS_DIR
from course_utils.results import RESULTS_MIME
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser
LIVE_LESSON = 5  # a Keras lesson: its Run All is the live-figure test, with more epochs

KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return Boolean(widget && widget.context && widget.context.isReady && kernel && kernel.status === "idle");
}"""
RUN_ALL = """() => {
  window.courseRunDone = undefined;
  const commands = window.jupyterapp.commands;
  commands.execute("notebook:clear-all-cell-outputs")
    .then(() => commands.execute("notebook:run-all-cells"))
    .then((ok) => { window.courseRunDone = ok === false ? "stopped" : "done"; },
          (error) => { window.courseRunDone = "failed: " + error; });
}"""
SAVE = "() => window.jupyterapp.commands.execute('docmanager:save')"
SHUT_DOWN_KERNELS = "() => window.jupyterapp.serviceManager.sessions.shutdownAll()"
OUTPUT_IMAGES = ".jp-OutputArea-output img:not(.course-result)"  # the drawing pad's stays empty until used
IMAGES = """(selector) => Array.from(window.jupyterapp.shell.currentWidget.node.querySelectorAll(selector))
  .map((image) => ({complete: image.complete, width: image.naturalWidth}))"""
TRAINING_CELL = """(marker) => {
  const notebook = window.jupyterapp.shell.currentWidget.node;
  const cell = Array.from(notebook.querySelectorAll(".jp-CodeCell"))
    .find((c) => (c.querySelector(".cm-content") || {}).textContent.includes(marker));
  const images = Array.from(cell.querySelectorAll(".jp-OutputArea-output img"));
  return {
    prompt: cell.querySelector(".jp-InputArea-prompt").textContent,
    images: images.length,
    src: images.map((image) => image.src.length + ":" + image.src.slice(-80)).join("|"),
  };
}"""


def open_notebook(page, lab, name: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(f"{lab.url}/lab/tree/{name}?reset")  # reset: no notebooks restored from an earlier page
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(KERNEL_IDLE, timeout=120_000)


def run_all(page, timeout: float = 300) -> str:
    """Clear the outputs and Run All; return "done" (or why not) when the last cell has run."""
    page.evaluate(RUN_ALL)
    page.wait_for_function("() => window.courseRunDone !== undefined", timeout=timeout * 1000, polling=250)
    return page.evaluate("() => window.courseRunDone")


def save_and_read(page, path: Path) -> nbformat.NotebookNode:
    """Save the open notebook with JupyterLab and read the file it wrote."""
    page.evaluate(SAVE)
    return nbformat.read(path, as_version=4)


def screenshot(page, name: str, element=None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (element or page).screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def check_executed_notebook(nb) -> None:
    """No error output, a silent Colab cell, the results recorded."""
    errors = [
        f"cell {i}: {output.get('ename')}: {output.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]
    assert not errors, "error outputs in JupyterLab:\n" + "\n".join(errors)
    colab = [cell for cell in nb.cells if COLAB_TAG in cell.metadata.get("tags", [])]
    assert len(colab) == 1 and colab[0].outputs == [] and colab[0].execution_count is not None
    assert any(
        RESULTS_MIME in output.get("data", {}) for cell in nb.cells for output in cell.get("outputs", [])
    )


def check_images_render(page) -> int:
    """Every image output has loaded and has a width; return how many there are."""
    page.wait_for_function(
        "(selector) => Array.from(window.jupyterapp.shell.currentWidget.node.querySelectorAll(selector))"
        ".every((i) => i.complete)",
        arg=OUTPUT_IMAGES,
        timeout=30_000,
    )
    images = page.evaluate(IMAGES, OUTPUT_IMAGES)
    broken = [i for i, image in enumerate(images) if image["width"] == 0]
    assert not broken, f"image outputs that do not render: {broken} of {len(images)}"
    return len(images)


def draw(page, canvas, points) -> None:
    """Draw one stroke through points (canvas pixels of 280×280) with the mouse."""
    box = canvas.bounding_box()
    scale = box["width"] / 280
    x0, y0 = points[0]
    page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=8)
    page.mouse.up()


def check_drawing_pad(page, answer: str = "prediction:") -> float:
    """Draw a 7 on lesson 12's pad, press Classify; return the seconds until the answer is shown."""
    pad = page.locator(".course-drawing-pad")
    pad.scroll_into_view_if_needed()
    canvas = pad.locator("canvas")
    draw(page, canvas, [(70, 60), (210, 60), (120, 240)])
    start = time.perf_counter()
    pad.locator(".course-classify").click()
    page.wait_for_function(
        """(answer) => {
          const text = document.querySelector(".course-prediction").textContent;
          const image = document.querySelector(".course-result");
          return text.startsWith(answer) && image.complete && image.naturalWidth > 0;
        }""",
        arg=answer,
        timeout=30_000,
        polling="raf",
    )
    seconds = time.perf_counter() - start
    screenshot(page, "12_drawing_pad", pad)
    return seconds


def check_run_all(page, path: Path, outcome: str) -> int:
    """What every lesson must show after Run All; return the number of images."""
    check_executed_notebook(save_and_read(page, path))
    assert outcome == "done", f"Run All ended: {outcome}"
    images = check_images_render(page)
    table = page.locator(".jp-OutputArea-output table", has_text="test_accuracy")
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    return images


def test_the_spanish_lesson_12_speaks_spanish_in_jupyterlab(lab, page):
    """Its language cell runs with Run All: Spanish outputs, and the drawing pad's buttons and answer."""
    name = f"es/{LESSONS[-1].notebook}"
    open_notebook(page, lab, name)
    try:
        check_run_all(page, lab.root / name, run_all(page))
        pad = page.locator(".course-drawing-pad")
        pad.scroll_into_view_if_needed()
        assert [pad.locator(f".course-{b}").inner_text() for b in ("classify", "clear")] == [
            "Clasificar",
            "Borrar",
        ]
        check_drawing_pad(page, answer="predicción:")
        printed = page.locator(".jp-OutputArea-output").all_inner_texts()
        assert any("exactitud de prueba" in text for text in printed)
    finally:
        screenshot(page, "12_your_handwriting_es")
        page.evaluate(SHUT_DOWN_KERNELS)


@pytest.mark.parametrize(
    "lesson", [lesson for lesson in LESSONS if lesson.number != LIVE_LESSON], ids=lambda lesson: lesson.stem
)
def test_run_all_in_jupyterlab(lab, page, lesson: Lesson):
    open_notebook(page, lab, lesson.notebook)
    start = time.monotonic()
    outcome = run_all(page)
    seconds = time.monotonic() - start
    try:
        images = check_run_all(page, lab.root / lesson.notebook, outcome)
        print(f"{lesson.stem}: Run All {seconds:.1f} s, {images} images")
        if lesson.number == 12:
            answer = check_drawing_pad(page)
            print(f"drawing pad: answer shown {answer:.2f} s after the click")
            assert answer < 1.0, f"the drawing pad took {answer:.2f} s to answer"
    finally:
        screenshot(page, lesson.stem)
        page.evaluate(SHUT_DOWN_KERNELS)


def test_live_training_figure_updates_in_place(lab, page):
    """Lesson 5 with 4 epochs: Run All as for every lesson; one figure in the training cell, redrawn live."""
    import papermill

    lesson = next(lesson for lesson in LESSONS if lesson.number == LIVE_LESSON)
    name = f"live/{lesson.notebook}"
    (lab.root / "live").mkdir(exist_ok=True)
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / lesson.notebook),
        str(lab.root / name),
        parameters={**lesson.quick_parameters, "EPOCHS": 4},
        prepare_only=True,
        progress_bar=False,
    )
    open_notebook(page, lab, name)
    start = time.monotonic()
    page.evaluate(RUN_ALL)
    seen, most_images, shots = [], 0, 0
    cell = page.locator(".jp-CodeCell", has_text="PlotTraining(")
    try:
        while page.evaluate("() => window.courseRunDone") is None:
            state = page.evaluate(TRAINING_CELL, "PlotTraining(")
            if "*" in state["prompt"] and state["images"]:
                most_images = max(most_images, state["images"])
                if not seen or seen[-1] != state["src"]:
                    seen.append(state["src"])
                    if len(seen) in (1, 3, 5):
                        shots += 1
                        cell.scroll_into_view_if_needed()
                        screenshot(page, f"05_live_{shots}", cell.locator(".jp-OutputArea"))
            time.sleep(0.05)
        seconds = time.monotonic() - start
        final = page.evaluate(TRAINING_CELL, "PlotTraining(")
        screenshot(page, "05_live_end", cell.locator(".jp-OutputArea"))
        images = check_run_all(page, lab.root / name, page.evaluate("() => window.courseRunDone"))
        print(f"{lesson.stem} (EPOCHS=4): Run All {seconds:.1f} s, {images} images")
        assert most_images == 1 and final["images"] == 1, "the training cell must hold exactly one figure"
        assert len(seen) - 1 >= 3, f"the figure changed {len(seen) - 1} times during training"
        print(f"live figure: {len(seen)} versions during training")
    finally:
        screenshot(page, f"{lesson.stem}_live")
        page.evaluate(SHUT_DOWN_KERNELS)


def test_opening_and_saving_a_lesson_changes_nothing(lab, page):
    """A lesson as stored (run by a kernel with this Python) is saved by JupyterLab byte for byte."""
    source = NOTEBOOKS_DIR / LESSONS[0].notebook
    nb = nbformat.read(source, as_version=4)
    nb.metadata.setdefault("language_info", {})["version"] = platform.python_version()  # as regenerated here
    path = lab.root / "unchanged" / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = canonical_text(nb, LESSONS[0])
    path.write_text(text, encoding="utf-8")
    open_notebook(page, lab, f"unchanged/{source.name}")
    page.wait_for_timeout(1000)  # let JupyterLab apply the kernel's language_info
    page.evaluate(SAVE)
    page.evaluate(SHUT_DOWN_KERNELS)
    saved = path.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(text.splitlines(True), saved.splitlines(True), "stored", "saved", n=1)
    )
    assert saved == text, f"JupyterLab changed the lesson on open and save:\n{diff[:3000]}"


def test_a_learner_is_stopped_at_the_first_exercise_and_sees_each_check_pass_once_filled(lab, page):
    """Lesson 1's learner edition in JupyterLab: Run All unfinished stops at exercise 1 with the check's
    one-line message; the same notebook with every TODO filled runs to the end, every check green."""
    from course_utils.checks import EXERCISES
    from course_utils.course.exercises import LEARNER_DIR, filled_with_solutions

    lesson = LESSONS[0]
    learner = nbformat.read(LEARNER_DIR / lesson.notebook, as_version=4)
    filled = filled_with_solutions(learner, nbformat.read(NOTEBOOKS_DIR / lesson.notebook, as_version=4))
    (lab.root / "learner").mkdir(exist_ok=True)
    checks = sorted(
        (name for name in EXERCISES if name.startswith("lesson01.")), key=lambda n: EXERCISES[n].number
    )
    try:
        for state, nb in (("unfinished", learner), ("filled", filled)):
            path = lab.root / "learner" / f"{state}_{lesson.notebook}"
            nbformat.write(nb, path)
            open_notebook(page, lab, f"learner/{path.name}")
            outcome = run_all(page)
            saved = save_and_read(page, path)
            first_check = page.locator(".jp-CodeCell", has_text='check("lesson01.sigmoid"').first
            first_check.scroll_into_view_if_needed()
            screenshot(page, f"{lesson.stem}_learner_{state}", first_check)
            errors = [o for cell in saved.cells for o in cell.get("outputs", []) if o.output_type == "error"]
            shown = page.locator(".jp-OutputArea-output").all_inner_texts()
            if state == "unfinished":
                assert outcome == "stopped" and len(errors) == 1
                assert errors[0].ename == "ExerciseNotDone"
                assert (
                    errors[0].evalue == f"exercise 1 is not done yet: {EXERCISES['lesson01.sigmoid'].prompt} "
                    '(stuck? check.hint("lesson01.sigmoid"))'
                )
                message = [text for text in shown if "ExerciseNotDone" in text]
                assert (
                    len(message) == 1 and "Traceback" not in message[0] and len(message[0].splitlines()) == 1
                )
            else:
                assert outcome == "done" and errors == []
                right = [
                    line for text in shown for line in text.splitlines() if line.startswith("✓ exercise")
                ]
                assert right == [f"✓ exercise {EXERCISES[name].number} is right ({name})" for name in checks]
            page.evaluate(SHUT_DOWN_KERNELS)
    finally:
        page.evaluate(SHUT_DOWN_KERNELS)


DARK = "JupyterLab Dark"
CHANGE_THEME = "(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})"


def test_a_lesson_reads_in_the_dark_theme(lab, page):
    """Lesson 9's stored figures in JupyterLab's dark theme: each sits on its own opaque, light
    background, so axes and labels stay readable on the dark page (screenshot in build/browser)."""
    from PIL import Image

    open_notebook(page, lab, "09_convolutional.ipynb")
    page.evaluate(CHANGE_THEME, DARK)
    try:
        page.wait_for_function(f"() => document.body.dataset.jpThemeName === '{DARK}'", timeout=30_000)
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
        figure = page.locator(OUTPUT_IMAGES).first
        figure.scroll_into_view_if_needed()
        page.wait_for_timeout(500)  # the theme's colours settle
        screenshot(page, "09_convolutional_dark")
        screenshot(page, "09_convolutional_dark_figure", figure)
        with Image.open(SCREENSHOTS / "09_convolutional_dark_figure.png") as shot:
            pixels = shot.convert("L")
            width, height = pixels.size
            corners = [pixels.getpixel((x, y)) for x in (2, width - 3) for y in (2, height - 3)]
        page_colour = page.evaluate(
            "() => getComputedStyle(document.querySelector('.jp-Notebook')).backgroundColor"
        )
        channels = [int(c) for c in page_colour[page_colour.index("(") + 1 : -1].split(",")[:3]]
        assert sum(channels) / 3 < 80, f"the notebook is not dark: {page_colour}"
        assert min(corners) > 230, f"the figure's background is not light and opaque: corners {corners}"
    finally:
        page.evaluate(CHANGE_THEME, "JupyterLab Light")
        page.evaluate(SHUT_DOWN_KERNELS)
