"""How much gradient reaches each layer: the measurement behind "vanishing gradients" (lessons 4 and 6).

    sizes = layer_gradient_sizes(model, x_val[:1000], y_val[:1000])
    # one number per weight matrix, first layer first: the mean absolute gradient of the loss

Works with a :class:`course_utils.mlp.MLP` (labels one-hot, its own loss) and with a compiled Keras
model (labels as the model's loss expects them). The gradient is taken on one batch, with the
weights as they are: untouched, it measures where training starts.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from course_utils.i18n import translated
from course_utils.mlp import MLP, compute_loss


def _keras_kernels(model) -> list:
    kernels = [layer.kernel for layer in model.layers if getattr(layer, "kernel", None) is not None]
    if not kernels:
        raise ValueError(
            translated(
                "gradients", "model {model!r} has no layer with weights (a `kernel`) to measure"
            ).format(model=model.name)
        )
    return kernels


def layer_gradient_sizes(model, x, y, loss: str = "cross_entropy") -> list[float]:
    """Mean absolute gradient of the loss with respect to each weight matrix, first layer first.

    ``loss`` names an :class:`MLP`'s loss (see :func:`course_utils.mlp.compute_loss`); a Keras model
    uses the loss it was compiled with.
    """
    x = tf.convert_to_tensor(np.asarray(x, np.float32))
    if isinstance(model, MLP):
        weights = list(model.weights)
        with tf.GradientTape() as tape:
            value = compute_loss(model, x, tf.convert_to_tensor(np.asarray(y, np.float32)), loss)
    else:
        if getattr(model, "loss", None) is None:
            raise ValueError(
                translated(
                    "gradients",
                    "compile model {model!r} first: its loss is the one whose gradient we measure",
                ).format(model=model.name)
            )
        weights = [kernel.value for kernel in _keras_kernels(model)]
        with tf.GradientTape() as tape:
            tape.watch(weights)
            value = model.compute_loss(x=x, y=tf.convert_to_tensor(y), y_pred=model(x, training=False))
    gradients = tape.gradient(value, weights)
    if not np.isfinite(float(value)):
        raise ValueError(
            translated(
                "gradients", "the loss is {loss} on this batch: there is no gradient to measure"
            ).format(loss=float(value))
        )
    return [float(tf.reduce_mean(tf.abs(g))) if g is not None else 0.0 for g in gradients]
