"""Find the accelerator and spread training over it, on either Keras backend.

The notebooks keep the codelab's shape on both backends: `strategy = get_strategy()`,
build and compile the model inside `strategy.scope()`, scale the batch size with
`strategy.num_replicas_in_sync`. On TensorFlow the strategy is a tf.distribute
one; on JAX (a TPU runtime), keras.distribution.DataParallel over every device.
"""
import keras
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


def _tensorflow_strategy():
    """A TPUStrategy, a MirroredStrategy over several GPUs, or the default strategy."""
    strategy = _connect_to_tpu()
    if strategy is not None:
        print('Running on TPU.')
        return strategy
    gpus = tf.config.list_logical_devices('GPU')
    if len(gpus) > 1:
        print(f'Running on {len(gpus)} GPUs.')
        return tf.distribute.MirroredStrategy([gpu.name for gpu in gpus])
    print('Running on one GPU.' if gpus else 'Running on CPU.')
    return tf.distribute.get_strategy()


class DataParallelStrategy:
    """keras.distribution.DataParallel in the shape of a tf.distribute strategy.

    Every device holds a copy of the model and trains on its slice of each
    batch. The distribution is set for the whole notebook (Keras reads it when
    `fit` splits the batches, not only when the model is built); `scope()` is
    there so that notebook code reads the same on both backends. Every batch
    must divide by `num_replicas_in_sync`.
    """

    def __init__(self, devices):
        self.distribution = keras.distribution.DataParallel(devices=devices)
        self.num_replicas_in_sync = len(devices)
        keras.distribution.set_distribution(self.distribution)

    def scope(self):
        """The context in which to build and compile models, as with tf.distribute."""
        return self.distribution.scope()


def _jax_strategy():
    """A DataParallelStrategy over the devices JAX sees: TPU cores, GPUs, or the CPU."""
    devices = keras.distribution.list_devices()
    kind = devices[0].split(':')[0].upper()
    print(f'Running on {len(devices)} {kind} device{"s" if len(devices) > 1 else ""} with JAX'
          + (', data-parallel.' if len(devices) > 1 else '.'))
    return DataParallelStrategy(devices)


def get_strategy():
    """Returns the best strategy for this runtime and backend, and says which.

    TensorFlow backend: a TPU (Colab TPU VM, tpu='local') gives a TPUStrategy,
    several GPUs a MirroredStrategy, one GPU or the CPU the default strategy.
    JAX backend: a DataParallelStrategy over all devices. Build and compile models inside `strategy.scope()`; scale
    the batch size with `strategy.num_replicas_in_sync`.
    """
    if keras.backend.backend() == 'jax':
        strategy = _jax_strategy()
    else:
        strategy = _tensorflow_strategy()
    print('Number of replicas:', strategy.num_replicas_in_sync)
    return strategy
