"""utils/pretrained.py: ImageNet weights from the Keras cache, else weights=None with a notice.

Both paths run offline. Keras reads KERAS_HOME when it is imported, so each
case runs pretrained_model() in a subprocess with KERAS_HOME set to a
temporary folder: either one where a weights file has been planted under the
name Keras looks for, or an empty one with the network blocked.
"""
import json
import os
import pathlib
import subprocess
import sys

import h5py
import numpy as np
import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parents[1]
IMAGE_SIZE = [192, 192]
# The file tf.keras.applications.MobileNetV2(weights='imagenet', include_top=False)
# loads for a 192x192 input, looked up in $KERAS_HOME/models before any download.
WEIGHTS_FILE = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_192_no_top.h5'

# Runs in the subprocess: builds the model through pretrained_model() and saves
# its weights (in model.weights order) and the imagenet_weights flag.
BUILD_SCRIPT = """
import socket, sys
import numpy as np
import tensorflow as tf
from utils.pretrained import pretrained_model

def no_network(*args, **kwargs):
    raise OSError('network blocked by the test')

socket.socket.connect = no_network
socket.create_connection = no_network
model = pretrained_model(tf.keras.applications.MobileNetV2, input_shape=[*IMAGE_SIZE, 3], include_top=False)
images = np.random.default_rng(1).uniform(-1.0, 1.0, size=[2, *IMAGE_SIZE, 3]).astype('float32')
features = model.predict(images, verbose=0)
np.savez(sys.argv[1], features=features, imagenet_weights=model.imagenet_weights,
         *[weight.numpy() for weight in model.weights])
"""


def build_in_subprocess(keras_home, output):
    """Runs BUILD_SCRIPT with KERAS_HOME=keras_home; returns (stdout, saved arrays)."""
    environment = dict(os.environ, KERAS_HOME=str(keras_home), PYTHONPATH=str(ROOT))
    script = f'IMAGE_SIZE = {json.dumps(IMAGE_SIZE)}\n' + BUILD_SCRIPT
    result = subprocess.run([sys.executable, '-c', script, str(output)], env=environment, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, np.load(output)


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


def test_imagenet_path_loads_the_cached_weights_file(tmp_path):
    model = tf.keras.applications.MobileNetV2(weights=None, input_shape=[*IMAGE_SIZE, 3], include_top=False)
    rng = np.random.default_rng(0)
    # Random values everywhere, batch-norm statistics included, so that no
    # freshly initialised model can match them by chance.
    for weight in model.weights:
        value = rng.normal(0.0, 0.1, size=weight.shape).astype('float32')
        if 'variance' in weight.name:
            value = np.abs(value) + 0.5
        weight.assign(value)
    planted = [weight.numpy() for weight in model.weights]
    (tmp_path / 'keras_home' / 'models').mkdir(parents=True)
    write_legacy_weights_file(model, tmp_path / 'keras_home' / 'models' / WEIGHTS_FILE)

    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz')

    assert 'NOTICE' not in stdout, stdout
    assert bool(saved['imagenet_weights']) is True
    loaded = [saved[f'arr_{index}'] for index in range(len(saved.files) - 2)]
    assert len(loaded) == len(planted)
    for expected, actual in zip(planted, loaded):
        np.testing.assert_array_equal(actual, expected)
    images = np.random.default_rng(1).uniform(-1.0, 1.0, size=[2, *IMAGE_SIZE, 3]).astype('float32')
    np.testing.assert_allclose(saved['features'], model.predict(images, verbose=0), rtol=1e-4, atol=1e-5)


def test_fallback_without_weights_prints_the_notice_and_returns_a_working_model(tmp_path):
    (tmp_path / 'keras_home').mkdir()

    stdout, saved = build_in_subprocess(tmp_path / 'keras_home', tmp_path / 'built.npz')

    assert 'NOTICE: the ImageNet weights of MobileNetV2 could not be loaded' in stdout, stdout
    assert 'random weights' in stdout
    assert bool(saved['imagenet_weights']) is False
    assert saved['features'].shape == (2, 6, 6, 1280)
    assert np.all(np.isfinite(saved['features']))
    assert not list((tmp_path / 'keras_home' / 'models').glob('*.h5'))
