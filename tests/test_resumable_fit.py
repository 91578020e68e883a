"""tools/resumable_fit.py: a training stopped part-way continues in a new process, on either backend.

Each run is a new Python process, as each rerun of a benchmark is a new kernel.
The JAX case trains data-parallel on 8 simulated devices, as the TPU benchmark does.
"""
import csv
import json
import os
import pathlib
import subprocess
import sys

import pytest

TOOLS = pathlib.Path(__file__).resolve().parents[1] / 'tools'

TRAINING = """
import json, sys
import numpy as np
import keras
sys.path.insert(0, {tools!r})
import resumable_fit

STOP_AT_EPOCH = {stop_at_epoch!r}
if keras.backend.backend() == 'jax':
    keras.distribution.set_distribution(keras.distribution.DataParallel())
resumable_fit.install({folder!r})


class Stop(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        trained.append(epoch)
        if epoch == STOP_AT_EPOCH:
            raise KeyboardInterrupt


rng = np.random.default_rng(0)
features = rng.normal(size=(64, 4)).astype('float32')
labels = (features[:, 0] > 0).astype('int32')
model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation='relu'),
                          keras.layers.Dense(2, activation='softmax')])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01 * 0.5 ** epoch)
trained = []
try:
    history = model.fit(features, labels, batch_size=16, epochs=5, validation_data=(features, labels),
                        callbacks=[schedule, Stop()], verbose=0)
except KeyboardInterrupt:
    print(json.dumps({{'trained': trained, 'stopped': True}}))
else:
    print(json.dumps({{'trained': trained, 'epochs': history.epoch,
                       'learning_rate': history.history['learning_rate'],
                       'accuracy': history.history['val_accuracy'],
                       'optimizer_iterations': int(model.optimizer.iterations.numpy())}}))
"""


def run_training(folder, backend, stop_at_epoch=None):
    environment = {**os.environ, 'KERAS_BACKEND': backend,
                   'XLA_FLAGS': '--xla_force_host_platform_device_count=8', 'TF_CPP_MIN_LOG_LEVEL': '3'}
    script = TRAINING.format(tools=str(TOOLS), folder=str(folder), stop_at_epoch=stop_at_epoch)
    finished = subprocess.run([sys.executable, '-c', script], env=environment, capture_output=True, text=True,
                              timeout=300)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize('backend', ['tensorflow', 'jax'])
def test_a_stopped_training_continues_where_it_stopped(tmp_path, backend):
    assert run_training(tmp_path, backend, stop_at_epoch=3) == {'trained': [0, 1, 2, 3], 'stopped': True}

    resumed = run_training(tmp_path, backend)
    assert resumed['trained'] == [3, 4]  # epochs 0-2 were backed up; epoch 3 had not finished
    assert resumed['epochs'] == [0, 1, 2, 3, 4]  # the history covers both runs
    assert resumed['learning_rate'] == pytest.approx([0.01 * 0.5 ** epoch for epoch in range(5)])
    assert resumed['optimizer_iterations'] == 5 * 4  # the optimizer state came back with the weights

    again = run_training(tmp_path, backend)
    assert again['trained'] == []  # a finished training is not repeated
    assert again['epochs'] == resumed['epochs'] and again['accuracy'] == resumed['accuracy']

    with open(tmp_path / 'fit-1' / 'history.csv', newline='') as file:
        rows = list(csv.DictReader(file))
    assert [row['epoch'] for row in rows] == ['0', '1', '2', '3', '4']
    assert all(float(row['epoch_seconds']) > 0 for row in rows)


def test_an_epoch_logged_twice_keeps_its_last_row(tmp_path):
    sys.path.insert(0, str(TOOLS))
    import resumable_fit
    log = tmp_path / 'history.csv'
    log.write_text('epoch,accuracy,epoch_seconds\n0,0.5,2.0\n1,0.6,2.0\n1,0.7,3.0\n')
    assert resumable_fit.read_history(log) == ({'accuracy': [0.5, 0.7], 'epoch_seconds': [2.0, 3.0]}, [0, 1])
    (tmp_path / 'fit-1').mkdir()
    log.rename(tmp_path / 'fit-1' / 'history.csv')
    assert resumable_fit.training_seconds(tmp_path) == 5.0
