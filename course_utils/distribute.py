"""Pick a tf.distribute strategy for the hardware at hand."""

from __future__ import annotations

import tensorflow as tf


def get_strategy(verbose: bool = True) -> tf.distribute.Strategy:
    """TPU strategy on a TPU runtime, MirroredStrategy on several GPUs, else the default strategy."""
    strategy, kind = None, None
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()  # raises ValueError if no TPU
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        strategy, kind = tf.distribute.TPUStrategy(resolver), "TPU strategy on the TPU"
    except (ValueError, tf.errors.NotFoundError, RuntimeError):
        gpus = tf.config.list_logical_devices("GPU")
        cpus = tf.config.list_logical_devices("CPU")
        if len(gpus) > 1:
            strategy, kind = tf.distribute.MirroredStrategy(), f"mirrored strategy on {len(gpus)} GPUs"
        elif len(cpus) > 1 and not gpus:  # several (virtual) CPU devices, e.g. in the tests
            strategy, kind = (
                tf.distribute.MirroredStrategy([d.name for d in cpus]),
                f"mirrored strategy on {len(cpus)} CPU devices",
            )
        else:
            strategy, kind = (
                tf.distribute.get_strategy(),
                "default strategy on " + ("the GPU" if gpus else "the CPU"),
            )
    if verbose:
        replicas = strategy.num_replicas_in_sync
        print(f"{kind}: {replicas} replica{'s' if replicas > 1 else ''}")
    return strategy
