"""DrawingPad: a canvas in the notebook where you draw a digit with the mouse or a finger and classify it.

A small anywidget widget: the browser side (inline JavaScript below) records strokes; the kernel
renders them, turns them into an MNIST-like image and asks the model. No server outside the kernel.
"""

from __future__ import annotations

import base64

import anywidget
import traitlets

from .drawing import (
    CANVAS_SIZE,
    PEN_WIDTH,
    figure_png,
    plot_prediction,
    predict_digit,
    render_strokes,
    to_mnist,
)
from .i18n import translated

_ESM = """
function render({ model, el }) {
  const size = model.get("size");
  const root = document.createElement("div");
  root.className = "course-drawing-pad";
  root.style.cssText = "display:flex;gap:16px;align-items:flex-start;flex-wrap:wrap;font-family:sans-serif";
  const left = document.createElement("div");
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.style.cssText =
    "border:1px solid #888;background:#fff;touch-action:none;cursor:crosshair;display:block";
  const buttons = document.createElement("div");
  buttons.style.cssText = "margin-top:6px;display:flex;gap:8px";
  const classify = document.createElement("button");
  classify.textContent = model.get("classify_label");
  classify.className = "course-classify";
  const clear = document.createElement("button");
  clear.textContent = model.get("clear_label");
  clear.className = "course-clear";
  buttons.append(classify, clear);
  left.append(canvas, buttons);
  const right = document.createElement("div");
  const prediction = document.createElement("div");
  prediction.className = "course-prediction";
  prediction.style.cssText = "font-size:18px;margin-bottom:6px";
  const result = document.createElement("img");
  result.className = "course-result";
  result.style.maxWidth = "640px";
  right.append(prediction, result);
  root.append(left, right);
  el.append(root);

  const ctx = canvas.getContext("2d");
  let strokes = (model.get("strokes") || []).map((s) => s.slice());
  let current = null;

  function paint() {
    ctx.clearRect(0, 0, size, size);
    ctx.lineWidth = model.get("pen_width");
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    for (const stroke of strokes) {
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(stroke[0][0], stroke[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(stroke[0][0], stroke[0][1]);
      for (const [x, y] of stroke.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
    }
  }
  function point(event) {
    const box = canvas.getBoundingClientRect();
    return [
      Math.round(((event.clientX - box.left) * size) / box.width),
      Math.round(((event.clientY - box.top) * size) / box.height),
    ];
  }
  function send() {
    model.set("strokes", strokes.map((s) => s.slice()));
    model.save_changes();
  }
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    strokes.push(current);
    paint();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    event.preventDefault();
    current.push(point(event));
    paint();
  });
  function finish() {
    if (!current) return;
    current = null;
    send();
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  clear.addEventListener("click", () => {
    strokes = [];
    paint();
    send();
  });
  classify.addEventListener("click", () => {
    send();
    model.set("requests", model.get("requests") + 1);
    model.save_changes();
  });
  function show() {
    prediction.textContent = model.get("prediction");
    const url = model.get("result");
    result.style.display = url ? "block" : "none";
    if (url) result.src = url;
  }
  model.on("change:prediction", show);
  model.on("change:result", show);
  model.on("change:strokes", () => {
    strokes = (model.get("strokes") || []).map((s) => s.slice());
    paint();
  });
  paint();
  show();
}
export default { render };
"""


class DrawingPad(anywidget.AnyWidget):
    """Draw a digit, press Classify: the pad shows what the model sees, its probabilities and its answer."""

    _esm = _ESM
    strokes = traitlets.List([]).tag(sync=True)
    size = traitlets.Int(CANVAS_SIZE).tag(sync=True)
    pen_width = traitlets.Int(PEN_WIDTH).tag(sync=True)
    requests = traitlets.Int(0).tag(sync=True)
    prediction = traitlets.Unicode("").tag(sync=True)
    result = traitlets.Unicode("").tag(sync=True)
    classify_label = traitlets.Unicode("").tag(sync=True)  # the buttons' labels, in the course's language
    clear_label = traitlets.Unicode("").tag(sync=True)

    def __init__(self, model, **kwargs):
        kwargs.setdefault("classify_label", translated("canvas", "Classify"))
        kwargs.setdefault("clear_label", translated("canvas", "Clear"))
        super().__init__(**kwargs)
        self.model = model
        self.probabilities = None
        self.observe(lambda _change: self.classify(), names="requests")

    def drawing(self):
        """The current strokes rendered to a size×size image (1 = ink)."""
        return render_strokes(self.strokes, self.size, self.pen_width)

    def classify(self):
        """Classify the current drawing, show the result on the pad and return the ten probabilities."""
        drawing = self.drawing()
        try:
            seen = to_mnist(drawing)
        except ValueError as error:  # nothing drawn yet
            self.prediction, self.result, self.probabilities = str(error), "", None
            return None
        self.probabilities = predict_digit(self.model, seen)
        digit = int(self.probabilities.argmax())
        png = figure_png(plot_prediction(drawing, seen, self.probabilities))
        self.result = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        self.prediction = translated("canvas", "prediction: {digit} ({probability:.0%})").format(
            digit=digit, probability=self.probabilities[digit]
        )
        return self.probabilities
