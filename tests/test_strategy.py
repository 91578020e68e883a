import os
import pathlib
import subprocess
import sys
import types
import urllib.error

import pytest
import tensorflow as tf

from utils import strategy as strategy_module
from utils.strategy import get_strategy

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_cpu_gets_the_default_strategy(capsys):
    strategy = get_strategy()
    assert strategy is tf.distribute.get_strategy()
    assert strategy.num_replicas_in_sync == 1
    out = capsys.readouterr().out
    assert 'No TPU found' in out
    assert 'Running on CPU.' in out
    assert 'Number of replicas: 1' in out


@pytest.mark.parametrize('error', [
    ValueError('Please provide a TPU Name to connect to.'),
    tf.errors.NotFoundError(None, None, 'no TPU'),
    urllib.error.URLError('unreachable TPU_NAME'),
    RuntimeError('TPU initialization failed'),
])
def test_every_resolver_failure_falls_back(monkeypatch, capsys, error):
    def failing_resolver(tpu=None):
        raise error
    monkeypatch.setattr(tf.distribute.cluster_resolver, 'TPUClusterResolver', failing_resolver)
    assert get_strategy() is tf.distribute.get_strategy()
    assert f'No TPU found ({type(error).__name__})' in capsys.readouterr().out


def test_tpu_found(monkeypatch, capsys):
    resolver = object()
    calls = []
    monkeypatch.setattr(tf.distribute.cluster_resolver, 'TPUClusterResolver',
                        lambda tpu=None: calls.append(('resolve', tpu)) or resolver)
    monkeypatch.setattr(tf.config, 'experimental_connect_to_cluster', lambda r: calls.append(('connect', r)))
    monkeypatch.setattr(tf.tpu.experimental, 'initialize_tpu_system', lambda r: calls.append(('init', r)))
    fake = types.SimpleNamespace(num_replicas_in_sync=8)
    monkeypatch.setattr(tf.distribute, 'TPUStrategy', lambda r: fake if r is resolver else None)
    assert get_strategy() is fake
    assert calls == [('resolve', 'local'), ('connect', resolver), ('init', resolver)]
    out = capsys.readouterr().out
    assert 'Running on TPU.' in out and 'Number of replicas: 8' in out


def _no_tpu(monkeypatch):
    monkeypatch.setattr(strategy_module, '_connect_to_tpu', lambda: None)


def test_several_gpus_get_a_mirrored_strategy(monkeypatch, capsys):
    _no_tpu(monkeypatch)
    gpus = [types.SimpleNamespace(name=f'/device:GPU:{i}') for i in range(2)]
    monkeypatch.setattr(tf.config, 'list_logical_devices', lambda kind: gpus if kind == 'GPU' else [])
    received = []
    fake = types.SimpleNamespace(num_replicas_in_sync=2)
    monkeypatch.setattr(tf.distribute, 'MirroredStrategy', lambda devices: received.append(devices) or fake)
    assert get_strategy() is fake
    assert received == [['/device:GPU:0', '/device:GPU:1']]
    out = capsys.readouterr().out
    assert 'Running on 2 GPUs.' in out and 'Number of replicas: 2' in out


def test_one_gpu_gets_the_default_strategy(monkeypatch, capsys):
    _no_tpu(monkeypatch)
    monkeypatch.setattr(tf.config, 'list_logical_devices',
                        lambda kind: [types.SimpleNamespace(name='/device:GPU:0')] if kind == 'GPU' else [])
    assert get_strategy() is tf.distribute.get_strategy()
    assert 'Running on one GPU.' in capsys.readouterr().out


# Runs with KERAS_BACKEND=jax on 8 simulated devices, as on an 8-core TPU: the codelab's
# strategy code trains a small model data-parallel and reports the replicas.
JAX_SCRIPT = """
import numpy as np
import keras
import tensorflow as tf
from utils.strategy import DataParallelStrategy, get_strategy

strategy = get_strategy()
assert isinstance(strategy, DataParallelStrategy), type(strategy)
batch_size = 2 * strategy.num_replicas_in_sync
with strategy.scope():
    model = keras.Sequential([keras.Input([8, 8, 3]), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                              keras.layers.Dense(5, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
rng = np.random.default_rng(0)
images, labels = rng.uniform(size=[64, 8, 8, 3]).astype('float32'), rng.integers(0, 5, size=64)
dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(batch_size, drop_remainder=True)
history = model.fit(dataset, epochs=2, verbose=0)
kernel = model.layers[0].kernel.value
print('sharding', kernel.sharding.mesh.devices.size, 'replicated', kernel.sharding.is_fully_replicated)
print('epochs', len(history.history['loss']), 'loss finite', bool(np.isfinite(history.history['loss']).all()))
"""


def test_jax_backend_gets_data_parallel_over_all_devices():
    environment = dict(os.environ, KERAS_BACKEND='jax', XLA_FLAGS='--xla_force_host_platform_device_count=8',
                       PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, '-c', JAX_SCRIPT], env=environment, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'Running on 8 CPU devices with JAX, data-parallel.' in result.stdout
    assert 'Number of replicas: 8' in result.stdout
    assert 'sharding 8 replicated True' in result.stdout  # Each device holds the whole model.
    assert 'epochs 2 loss finite True' in result.stdout


# Batches the 8 devices cannot share: a single small one (predict on 9 images) and
# batches of 20 rows (a validation set of 100 in batches of 20: 16 rows of each
# are used). Compared with the same model evaluated without any distribution.
UNEVEN_BATCHES_SCRIPT = """
import numpy as np
import keras
import tensorflow as tf
from utils.strategy import get_strategy, rows_left_out

strategy = get_strategy()
with strategy.scope():
    model = keras.Sequential([keras.Input([4]), keras.layers.Dense(8, activation='relu'),
                              keras.layers.BatchNormalization(), keras.layers.Dense(3, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
rng = np.random.default_rng(0)
x, y = rng.uniform(size=[100, 4]).astype('float32'), rng.integers(0, 3, size=100)
validation = tf.data.Dataset.from_tensor_slices((x, y)).batch(20)
model.fit(tf.data.Dataset.from_tensor_slices((x, y)).repeat().batch(16, drop_remainder=True),
          steps_per_epoch=3, epochs=1, validation_data=validation, verbose=0, shuffle=False)
distributed_evaluation = model.evaluate(validation, verbose=0)
nine = model.predict(x[:9], verbose=0)
print('left out', rows_left_out(100, 20))
keras.distribution.set_distribution(None)
used = [row for start in range(0, 100, 20) for row in range(start, start + 16)]
reference_evaluation = model.evaluate(x[used], y[used], verbose=0)
print('evaluation matches', np.allclose(distributed_evaluation, reference_evaluation, rtol=1e-5))
print('predictions match', nine.shape, np.allclose(nine, model.predict(x[:9], verbose=0), atol=1e-6))
"""


def test_jax_data_parallel_copes_with_batches_the_devices_cannot_share():
    environment = dict(os.environ, KERAS_BACKEND='jax', XLA_FLAGS='--xla_force_host_platform_device_count=8',
                       PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, '-W', 'error::UserWarning', '-c', UNEVEN_BATCHES_SCRIPT],
                            env=environment, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'left out 20' in result.stdout
    assert 'evaluation matches True' in result.stdout  # The 80 rows used, exactly; no warning.
    assert 'predictions match (9, 3) True' in result.stdout


@pytest.mark.parametrize('count, batch_size, left_out', [(688, 128, 0), (690, 128, 2), (100, 20, 5 * 4), (7, 16, 7)])
def test_rows_left_out(monkeypatch, count, batch_size, left_out):
    distribution = types.SimpleNamespace(device_count=8)
    monkeypatch.setattr(strategy_module, 'EvenBatchesDataParallel', types.SimpleNamespace)
    monkeypatch.setattr(strategy_module.keras.distribution, 'distribution', lambda: distribution)
    assert strategy_module.rows_left_out(count, batch_size) == left_out


def test_nothing_left_out_without_a_data_parallel_distribution():
    assert strategy_module.rows_left_out(690, 128) == 0
