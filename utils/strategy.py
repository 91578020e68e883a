"""Pick the tf.distribute strategy for whatever accelerator this runtime has."""
import tensorflow as tf

# What TPUClusterResolver and TPU initialisation raise when there is no TPU:
# ValueError (no TPU name), NotFoundError, an OpError (tpu='local' on a machine
# without one), URLError, an OSError (TPU_NAME set to an unreachable node),
# RuntimeError (initialisation failed).
_NO_TPU_ERRORS = (ValueError, RuntimeError, OSError, tf.errors.OpError)


def _connect_to_tpu():
    """Returns a TPUStrategy for the TPU attached to this VM, or None if there is none."""
    try:
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu='local')
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
    except _NO_TPU_ERRORS as error:
        print(f'No TPU found ({type(error).__name__}).')
        return None
    return tf.distribute.TPUStrategy(resolver)


def get_strategy():
    """Returns the best tf.distribute strategy for this runtime, and says which.

    A TPU (Colab TPU VM, tpu='local') gives a TPUStrategy, several GPUs a
    MirroredStrategy, one GPU or the CPU the default strategy. Build and compile
    models inside `strategy.scope()`; scale the batch size with
    `strategy.num_replicas_in_sync`.
    """
    strategy = _connect_to_tpu()
    if strategy is not None:
        print('Running on TPU.')
    else:
        gpus = tf.config.list_logical_devices('GPU')
        if len(gpus) > 1:
            strategy = tf.distribute.MirroredStrategy([gpu.name for gpu in gpus])
            print(f'Running on {len(gpus)} GPUs.')
        else:
            strategy = tf.distribute.get_strategy()
            print('Running on one GPU.' if gpus else 'Running on CPU.')
    print('Number of replicas:', strategy.num_replicas_in_sync)
    return strategy
