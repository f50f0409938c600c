"""Pick a tf.distribute strategy for the hardware at hand."""

from __future__ import annotations

import tensorflow as tf

from course_utils.i18n import translated


def get_strategy(verbose: bool = True) -> tf.distribute.Strategy:
    """TPU strategy on a TPU runtime, MirroredStrategy on several GPUs, else the default strategy."""
    strategy, kind = None, None
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver()  # raises ValueError if no TPU
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        strategy, kind = (
            tf.distribute.TPUStrategy(resolver),
            translated("distribute", "TPU strategy on the TPU"),
        )
    except (ValueError, tf.errors.NotFoundError, RuntimeError):
        gpus = tf.config.list_logical_devices("GPU")
        cpus = tf.config.list_logical_devices("CPU")
        if len(gpus) > 1:
            strategy = tf.distribute.MirroredStrategy()
            kind = translated("distribute", "mirrored strategy on {count} GPUs").format(count=len(gpus))
        elif len(cpus) > 1 and not gpus:  # several (virtual) CPU devices, e.g. in the tests
            strategy = tf.distribute.MirroredStrategy([d.name for d in cpus])
            kind = translated("distribute", "mirrored strategy on {count} CPU devices").format(
                count=len(cpus)
            )
        else:
            strategy = tf.distribute.get_strategy()
            if gpus:
                kind = translated("distribute", "default strategy on the GPU")
            else:
                kind = translated("distribute", "default strategy on the CPU")
    if verbose:
        replicas = strategy.num_replicas_in_sync
        if replicas > 1:
            print(
                translated("distribute", "{strategy}: {replicas} replicas").format(
                    strategy=kind, replicas=replicas
                )
            )
        else:
            print(
                translated("distribute", "{strategy}: {replicas} replica").format(
                    strategy=kind, replicas=replicas
                )
            )
    return strategy
