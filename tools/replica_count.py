"""Run a notebook on one TensorFlow device as if on N replicas, for benchmarks of a TPU's batch.

tools/bench.py --replicas N adds a cell after the notebook's `strategy =
get_strategy()` that wraps the strategy in `AsIfReplicas`: the notebook then
sees `strategy.num_replicas_in_sync == N`, and scales its batch and learning
rate as on N cores, while one device computes each global batch whole. On the
JAX backend, which the notebooks use on a TPU, data parallelism computes
batch-norm statistics over the global batch too, so this is the same
computation as N cores of 16 images, and several times faster on a CPU than
JAX over N simulated devices.
"""


class AsIfReplicas:
    """A distribution strategy that reports `replicas` replicas and otherwise is `strategy`."""

    def __init__(self, strategy, replicas):
        self._strategy = strategy
        self.num_replicas_in_sync = replicas

    def __getattr__(self, name):
        return getattr(self._strategy, name)
