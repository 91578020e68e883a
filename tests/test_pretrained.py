"""utils/pretrained.py: ImageNet weights from the Keras cache, else weights=None with a notice.

Every case runs offline. Keras reads KERAS_HOME when it is imported, so each
case runs pretrained_model() in a subprocess with KERAS_HOME set to a
temporary folder: one where a weights file (sound or truncated) has been
planted under the name Keras looks for, or an empty one. The subprocess can
reach only 127.0.0.1, where some tests serve the weights file, or stall.
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import types

import h5py
import keras
import numpy as np
import pytest

from tests.loopback_server import serve_folder, silent_server
from utils import data_sources, pretrained

ROOT = pathlib.Path(__file__).resolve().parents[1]
IMAGE_SIZE = [192, 192]
# The file keras.applications.MobileNetV2(weights='imagenet', include_top=False)
# loads for a 192x192 input, looked up in $KERAS_HOME/models before any download.
WEIGHTS_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_192_no_top.h5'
NOTICE = 'NOTICE: the ImageNet weights of MobileNetV2 could not be loaded'

# Runs in the subprocess: builds the model through pretrained_model() with the
# options given as JSON (kwargs; weights_url, where Keras downloads from;
# download_timeout, for data_sources.DOWNLOAD_TIMEOUT_SECONDS) and saves its weights (in model.weights order), features
# and imagenet_weights flag, or the error pretrained_model() raised.
BUILD_SCRIPT = """
import json, socket, sys
import keras
import numpy as np
import utils.data_sources
from utils.pretrained import pretrained_model

output, options = sys.argv[1], json.loads(sys.argv[2])
create_connection, connect = socket.create_connection, socket.socket.connect

def loopback_only(address, *args, **kwargs):
    if address[0] != '127.0.0.1':
        raise OSError('network blocked by the test')
    return create_connection(address, *args, **kwargs)

def connect_loopback_only(self, address):
    if isinstance(address, tuple) and address[0] != '127.0.0.1':
        raise OSError('network blocked by the test')
    return connect(self, address)

socket.create_connection = loopback_only
socket.socket.connect = connect_loopback_only
if 'weights_url' in options:
    import keras.src.applications.mobilenet_v2
    keras.src.applications.mobilenet_v2.BASE_WEIGHT_PATH = options['weights_url']
if 'download_timeout' in options:
    utils.data_sources.DOWNLOAD_TIMEOUT_SECONDS = options['download_timeout']
kwargs = options.get('kwargs', {'input_shape': [*IMAGE_SIZE, 3], 'include_top': False})
try:
    model = pretrained_model(keras.applications.MobileNetV2, **kwargs)
except Exception as error:
    np.savez(output, error_type=type(error).__name__, error_message=str(error))
    sys.exit()
images = np.random.default_rng(1).uniform(-1.0, 1.0, size=[2, *model.input_shape[1:]]).astype('float32')
features = model.predict(images, verbose=0)
np.savez(output, features=features, imagenet_weights=model.imagenet_weights,
         default_timeout_after=str(socket.getdefaulttimeout()),
         *[weight.numpy() for weight in model.weights])
"""


def build_in_subprocess(keras_home, output, timeout=300, **options):
    """Runs BUILD_SCRIPT with KERAS_HOME=keras_home; returns (stdout, saved arrays)."""
    environment = dict(os.environ, KERAS_HOME=str(keras_home), PYTHONPATH=str(ROOT))
    script = f'IMAGE_SIZE = {json.dumps(IMAGE_SIZE)}\n' + BUILD_SCRIPT
    result = subprocess.run([sys.executable, '-c', script, str(output), json.dumps(options)], env=environment,
                            cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, np.load(output)


def saved_weights(saved):
    return [saved[f'arr_{index}'] for index in range(len([name for name in saved.files if name.startswith('arr_')]))]


def write_legacy_weights_file(model, path):
    """Writes the model's weights as a Keras 2 HDF5 weights file, the format of the ImageNet files.

    Attributes `layer_names` (every layer) and, per layer group, `weight_names`;
    one dataset per weight, in the layer's trainable-then-non-trainable order,
    which is the order Keras loads them in.
    """
    with h5py.File(path, 'w') as file:
        file.attrs['layer_names'] = [layer.name.encode() for layer in model.layers]
        file.attrs['backend'] = b'tensorflow'
        file.attrs['keras_version'] = b'2.2.4'
        for layer in model.layers:
            group = file.create_group(layer.name)
            weights = layer.trainable_weights + layer.non_trainable_weights
            names = [f'{layer.name}/{weight.name}:0'.encode() for weight in weights]
            group.attrs['weight_names'] = names
            for name, weight in zip(names, weights):
                group.create_dataset(name.decode(), data=weight.numpy())


@pytest.fixture(scope='module')
def planted(tmp_path_factory):
    """A MobileNetV2 with random weights and its weights file: namespace(model, weights, file)."""
    model = keras.applications.MobileNetV2(weights=None, input_shape=[*IMAGE_SIZE, 3], include_top=False)
    rng = np.random.default_rng(0)
    # Random values everywhere, batch-norm statistics included, so that no
    # freshly initialised model can match them by chance.
    for weight in model.weights:
        value = rng.normal(0.0, 0.1, size=weight.shape).astype('float32')
        if 'variance' in weight.name:
            value = np.abs(value) + 0.5
        weight.assign(value)
    file = tmp_path_factory.mktemp('served') / WEIGHTS_FILE
    write_legacy_weights_file(model, file)
    return types.SimpleNamespace(model=model, weights=[weight.numpy() for weight in model.weights],
                                 file=file)


def plant_truncated_copy(planted, keras_home):
    """Writes the first half of the planted weights file where Keras looks for it; returns its path."""
    (keras_home / 'models').mkdir(parents=True)
    path = keras_home / 'models' / WEIGHTS_FILE
    data = planted.file.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


def assert_has_the_planted_weights(saved, planted):
    assert bool(saved['imagenet_weights']) is True
    loaded = saved_weights(saved)
    assert len(loaded) == len(planted.weights)
    for expected, actual in zip(planted.weights, loaded):
        np.testing.assert_array_equal(actual, expected)
    images = np.random.default_rng(1).uniform(-1.0, 1.0, size=[2, *IMAGE_SIZE, 3]).astype('float32')
    np.testing.assert_allclose(saved['features'], planted.model.predict(images, verbose=0), rtol=1e-4, atol=1e-5)


def assert_untrained_fallback(saved):
    assert bool(saved['imagenet_weights']) is False
    assert saved['features'].shape == (2, 6, 6, 1280)
    assert np.all(np.isfinite(saved['features']))


def test_imagenet_path_loads_the_cached_weights_file(tmp_path, planted):
    (tmp_path / 'keras_home' / 'models').mkdir(parents=True)
    shutil.copy(planted.file, tmp_path / 'keras_home' / 'models' / WEIGHTS_FILE)

    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz')

    assert 'NOTICE' not in stdout, stdout
    assert_has_the_planted_weights(saved, planted)


def test_fallback_without_weights_prints_the_notice_and_returns_a_working_model(tmp_path):
    (tmp_path / 'keras_home').mkdir()

    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz')

    assert NOTICE in stdout, stdout
    assert 'random weights' in stdout
    assert_untrained_fallback(saved)
    assert not list((tmp_path / 'keras_home' / 'models').glob('*.h5'))


def test_truncated_cached_file_is_named_deleted_and_offline_falls_back(tmp_path, planted):
    damaged = plant_truncated_copy(planted, tmp_path / 'keras_home')

    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz')

    assert f'NOTICE: the ImageNet weights file {damaged} does not load' in stdout, stdout
    assert 'deleted and downloaded again' in stdout
    notice = stdout[stdout.index(NOTICE):]
    assert WEIGHTS_FILE in notice and 'could not be downloaded' in notice, stdout
    assert 'random weights' in notice
    assert not damaged.exists()
    assert_untrained_fallback(saved)


def test_truncated_cached_file_is_downloaded_again(tmp_path, planted):
    damaged = plant_truncated_copy(planted, tmp_path / 'keras_home')
    with serve_folder(planted.file.parent) as url:
        stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz', weights_url=url)

    assert f'NOTICE: the ImageNet weights file {damaged} does not load' in stdout, stdout
    assert NOTICE not in stdout
    assert damaged.read_bytes() == planted.file.read_bytes()
    assert_has_the_planted_weights(saved, planted)


def test_stalled_download_times_out_and_falls_back(tmp_path):
    (tmp_path / 'keras_home').mkdir()
    with silent_server() as url:
        start = time.monotonic()
        stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz', timeout=150,
                                            weights_url=url, download_timeout=1)
        elapsed = time.monotonic() - start

    assert NOTICE in stdout and 'timed out' in stdout, stdout
    assert_untrained_fallback(saved)
    assert str(saved['default_timeout_after']) == 'None'
    assert elapsed < 120


def test_the_download_timeout_holds_during_the_call_only():
    seen = []

    def application(weights, **kwargs):
        seen.append((weights, socket.getdefaulttimeout()))
        if weights == 'imagenet':
            raise Exception('URL fetch failure (from the test)')
        return types.SimpleNamespace()

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(7.5)
    try:
        model = pretrained.pretrained_model(application)
        assert socket.getdefaulttimeout() == 7.5
    finally:
        socket.setdefaulttimeout(previous)
    assert seen == [('imagenet', data_sources.DOWNLOAD_TIMEOUT_SECONDS), (None, 7.5)]
    assert model.imagenet_weights is False


def build_error(tmp_path, **kwargs):
    """(stdout, error type, error message) of pretrained_model(MobileNetV2, **kwargs) in a subprocess."""
    (tmp_path / 'keras_home').mkdir()
    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz', kwargs=kwargs)
    assert 'error_type' in saved.files, f'no error raised; stdout: {stdout}'
    assert not list((tmp_path / 'keras_home').rglob('*.h5'))
    return stdout, str(saved['error_type']), str(saved['error_message'])


def test_own_classes_with_the_imagenet_classifier_raise_a_clear_error(tmp_path):
    stdout, error_type, message = build_error(tmp_path, include_top=True, classes=5)

    assert 'NOTICE' not in stdout, stdout
    assert error_type == 'ValueError'
    assert "MobileNetV2(include_top=True, classes=5) cannot be built with weights='imagenet'" in message
    assert 'use include_top=False' in message and 'Dense layer' in message, message


@pytest.mark.parametrize('input_shape, explanation', [
    ([192, 192], 'input_shape is [height, width, channels], for example [192, 192, 3]'),
    ([16, 16, 3], 'at least 32x32'),
])
def test_wrong_input_shape_raises_a_clear_error(tmp_path, input_shape, explanation):
    stdout, error_type, message = build_error(tmp_path, input_shape=input_shape, include_top=False)

    assert 'NOTICE' not in stdout, stdout
    assert error_type == 'ValueError'
    assert f"MobileNetV2(input_shape={input_shape}, include_top=False) cannot be built" in message, message
    assert explanation in message, message
