"""Injected into the test copy of each notebook: fail on warnings our code causes.

start() runs first and records every Python warning and every WARNING log
record (TensorFlow and absl log through `logging`); check() runs last and
raises if any was recorded that is not known third-party noise.
"""
import logging
import re
import warnings

# Noise from third-party code that no notebook cell can avoid, with the reason.
KNOWN_THIRD_PARTY_NOISE = [
    # tf.data logs this when an iterator stops early (dataset.take, next(iter(...))).
    (r'Local rendezvous is aborting', 'tf.data, on early iterator stop'),
    # Keras's own LearningRateScheduler reads the optimizer's learning-rate variable with
    # np.array(variable), which NumPy 2 flags; the callback is what the MNIST notebook teaches.
    (r"keras/src/backend/tensorflow/core\.py:\d+\): __array__ implementation doesn't accept a copy keyword",
     'keras, LearningRateScheduler reading the learning rate'),
]

_recorded = []


class _Recorder(logging.Handler):
    def emit(self, record):
        _recorded.append(f'log {record.name}: {record.getMessage()}')


def start():
    """Starts recording; stays on for the rest of the kernel's life."""
    catcher = warnings.catch_warnings(record=True)
    caught = catcher.__enter__()
    warnings.simplefilter('always')
    _recorded.append(caught)
    logging.getLogger().addHandler(_Recorder(level=logging.WARNING))


def recorded():
    """Every warning recorded so far, as text."""
    caught, *logs = _recorded
    return [f'{w.category.__name__} ({w.filename}:{w.lineno}): {w.message}' for w in caught] + logs


def check():
    """Raises AssertionError listing the recorded warnings that are not known noise."""
    ours = [text for text in recorded()
            if not any(re.search(pattern, text) for pattern, _ in KNOWN_THIRD_PARTY_NOISE)]
    assert not ours, 'Warnings while running the notebook:\n' + '\n'.join(ours)
