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


class EvenBatchesDataParallel(keras.distribution.DataParallel):
    """keras.distribution.DataParallel that copes with batches the devices cannot share.

    Under DataParallel every batch is split evenly among the devices, and JAX
    refuses a batch whose size does not divide by their number (an
    IndivisibleError, after which the model is unusable). Two such batches
    happen in the notebooks:

    * a single small batch, such as `model.predict` on 9 images: it is given
      to every device whole (the devices compute the same thing; the result is
      exact);
    * the last, partial batch of a `tf.data` dataset, such as a validation set
      of 690 images in batches of 128: its last rows that cannot be shared out
      (690 - 688 = 2 with 8 devices) are left out. Padding would be exact only
      for weighted metrics, which `metrics=['accuracy']` is not.

    Training batches (`drop_remainder=True`, a size that divides) are untouched.
    """

    @property
    def device_count(self):
        """The number of devices each batch is split among."""
        return self.device_mesh.devices.size

    def get_data_layout(self, data_shape):
        if data_shape and data_shape[0] % self.device_count:
            return keras.distribution.TensorLayout([None] * len(data_shape), self.device_mesh)
        return super().get_data_layout(data_shape)

    def distribute_dataset(self, dataset):
        dataset = super().distribute_dataset(dataset)
        first = tf.nest.flatten(dataset.element_spec)[0]
        batch_size = first.shape[0] if first.shape.rank else None
        if batch_size is not None and batch_size % self.device_count == 0:
            return dataset
        devices = self.device_count

        def keep_even_rows(*batch):
            rows = tf.shape(tf.nest.flatten(batch)[0])[0]
            kept = rows - rows % devices
            return tf.nest.map_structure(lambda tensor: tensor[:kept], batch)

        def not_empty(*batch):
            return tf.shape(tf.nest.flatten(batch)[0])[0] > 0

        batches = dataset.cardinality()
        dataset = dataset.map(keep_even_rows).filter(not_empty)
        if batches >= 0:
            # Keep the length known, or Keras warns that each validation pass "ran out
            # of data". A dataset whose last batch is smaller than the device count
            # then fails at its end: get_validation_dataset leaves such rows out itself.
            dataset = dataset.apply(tf.data.experimental.assert_cardinality(batches))
        # A dataset of one element arrives unpacked: give it back as it came.
        if not isinstance(dataset.element_spec, tuple) or len(dataset.element_spec) != 1:
            return dataset
        return dataset.map(lambda *batch: batch[0])


def rows_left_out(count, batch_size):
    """How many of `count` rows, batched by `batch_size`, the current distribution leaves out.

    Non-zero only under an EvenBatchesDataParallel whose device count does not
    divide the batches.
    """
    distribution = keras.distribution.distribution()
    if not isinstance(distribution, EvenBatchesDataParallel):
        return 0
    devices = distribution.device_count
    return count // batch_size * (batch_size % devices) + count % batch_size % devices


class DataParallelStrategy:
    """keras.distribution.DataParallel in the shape of a tf.distribute strategy.

    Every device holds a copy of the model and trains on its slice of each
    batch. The distribution is set for the whole notebook (Keras reads it when
    `fit` splits the batches, not only when the model is built); `scope()` is
    there so that notebook code reads the same on both backends. Batches that
    do not divide by `num_replicas_in_sync` are handled as
    EvenBatchesDataParallel says.
    """

    def __init__(self, devices):
        self.distribution = EvenBatchesDataParallel(devices=devices)
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
