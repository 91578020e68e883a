"""The runtime setup cell: accelerator detection (TPU and GPU mocked), backend choice, TensorFlow install."""
import importlib.metadata
import json
import pathlib
import subprocess
import types

import pytest

from utils import runtime_setup
from utils.runtime_setup import (
    TENSORFLOW_FOR_DATA,
    check_keras_not_imported_with_another_backend,
    choose_backend,
    detect_accelerator,
    install_tensorflow,
    set_up_runtime,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]


def devices(*paths):
    """A fake glob.glob over a machine whose /dev holds `paths`."""
    import fnmatch
    return lambda pattern: [path for path in paths if fnmatch.fnmatch(path, pattern)]


@pytest.mark.parametrize('environ, dev, expected', [
    ({}, devices('/dev/accel0', '/dev/accel1'), ('TPU', '/dev/accel0, /dev/accel1')),
    ({}, devices('/dev/vfio/0', '/dev/vfio/vfio'), ('TPU', '/dev/vfio/0')),
    ({'TPU_ACCELERATOR_TYPE': 'v5litepod-1'}, devices(), ('TPU', 'TPU_ACCELERATOR_TYPE=v5litepod-1')),
    ({'COLAB_TPU_ADDR': '10.0.0.2:8470'}, devices(), ('TPU', 'COLAB_TPU_ADDR=10.0.0.2:8470')),
    ({}, devices('/dev/nvidia0', '/dev/nvidiactl', '/dev/nvidia-uvm'), ('GPU', '/dev/nvidia0')),
    ({}, devices('/dev/nvidiactl', '/dev/vfio/vfio'), ('CPU', 'no TPU or GPU device')),
    ({'TPU_NAME': ''}, devices(), ('CPU', 'no TPU or GPU device')),
])
def test_detect_accelerator(environ, dev, expected):
    assert detect_accelerator(environ, dev) == expected


@pytest.mark.parametrize('accelerator, environ, backend', [
    ('TPU', {}, 'jax'),
    ('GPU', {}, 'tensorflow'),
    ('CPU', {}, 'tensorflow'),
    ('CPU', {'KERAS_BACKEND': 'jax'}, 'jax'),
    ('TPU', {'KERAS_BACKEND': 'tensorflow'}, 'tensorflow'),
    ('GPU', {'KERAS_BACKEND': ' JAX '}, 'jax'),
])
def test_choose_backend(accelerator, environ, backend):
    assert choose_backend(accelerator, environ)[0] == backend


def test_an_unknown_backend_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="KERAS_BACKEND='torch'.*tensorflow or jax.*unset it"):
        choose_backend('CPU', {'KERAS_BACKEND': 'torch'})


def fake_keras(backend):
    return {'keras': types.SimpleNamespace(backend=types.SimpleNamespace(backend=lambda: backend))}


def test_keras_already_imported_with_another_backend_says_restart():
    with pytest.raises(RuntimeError, match='already imported, with the tensorflow backend.*Restart the runtime'):
        check_keras_not_imported_with_another_backend('jax', fake_keras('tensorflow'))
    check_keras_not_imported_with_another_backend('jax', fake_keras('jax'))
    check_keras_not_imported_with_another_backend('jax', {})


class FakePip:
    """Records the pip command and the constraints it was given."""

    def __init__(self, returncode=0, stderr=''):
        self.returncode, self.stderr, self.commands, self.constraints = returncode, stderr, [], []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        self.constraints.append(pathlib.Path(command[command.index('--constraint') + 1]).read_text().split())
        return subprocess.CompletedProcess(command, self.returncode, '', self.stderr)


def test_install_keeps_numpy_and_keras_as_installed(capsys):
    pip = FakePip()
    install_tensorflow(pip)
    command, = pip.commands
    assert command[1:4] == ['-m', 'pip', 'install'] and command[-1] == TENSORFLOW_FOR_DATA
    constraints, = pip.constraints
    assert f'numpy=={importlib.metadata.version("numpy")}' in constraints
    assert f'keras=={importlib.metadata.version("keras")}' in constraints
    assert 'installing tensorflow-cpu' in capsys.readouterr().out


def test_a_failed_install_says_how_to_do_it_by_hand():
    with pytest.raises(RuntimeError, match=r'(?s)exit code 1.*no matching distribution.*%pip install tensorflow-cpu'):
        install_tensorflow(FakePip(1, 'ERROR: no matching distribution'))


def test_set_up_runtime_on_a_tpu_without_tensorflow(monkeypatch, capsys):
    """A TPU runtime (mocked): JAX chosen, TensorFlow installed, the choice printed."""
    monkeypatch.setattr(runtime_setup, 'check_keras_not_imported_with_another_backend', lambda backend: None)
    real_find_spec = runtime_setup.importlib.util.find_spec
    monkeypatch.setattr(runtime_setup.importlib.util, 'find_spec',
                        lambda name, *args: None if name == 'tensorflow' else real_find_spec(name, *args))
    pip = FakePip()
    environ = {}
    assert set_up_runtime(environ, devices('/dev/accel0'), pip) == ('TPU', 'jax')
    assert environ['KERAS_BACKEND'] == 'jax'
    assert len(pip.commands) == 1
    out = capsys.readouterr().out
    assert 'Runtime: TPU (/dev/accel0).' in out and 'Keras backend: jax' in out
    assert 'TensorFlow for tf.data: ' in out


def test_set_up_runtime_with_tensorflow_installs_nothing(monkeypatch):
    monkeypatch.setattr(runtime_setup, 'check_keras_not_imported_with_another_backend', lambda backend: None)
    pip = FakePip()
    environ = {}
    assert set_up_runtime(environ, devices(), pip) == ('CPU', 'tensorflow')
    assert environ['KERAS_BACKEND'] == 'tensorflow' and pip.commands == []


@pytest.mark.parametrize('path', sorted((ROOT / 'notebooks').glob('0*.ipynb')), ids=lambda path: path.name)
def test_runtime_setup_is_the_first_code_cell(path):
    cells = json.loads(path.read_text())['cells']
    first = next(''.join(cell['source']) for cell in cells if cell['cell_type'] == 'code')
    assert first.startswith('#@title Runtime setup [RUN ME]\n# Generated from utils/runtime_setup.py')
    assert first.rstrip().endswith('ACCELERATOR, KERAS_BACKEND = set_up_runtime()')


def test_running_the_setup_again_says_it_kept_its_own_choice(monkeypatch, capsys):
    monkeypatch.setattr(runtime_setup, 'check_keras_not_imported_with_another_backend', lambda backend: None)
    environ = {}
    assert set_up_runtime(environ, devices(), FakePip()) == ('CPU', 'tensorflow')
    assert 'Keras backend: tensorflow (a CPU runtime' in capsys.readouterr().out
    assert set_up_runtime(environ, devices(), FakePip()) == ('CPU', 'tensorflow')
    assert 'Keras backend: tensorflow (kept: this cell chose it when it first ran).' in capsys.readouterr().out
    environ['KERAS_BACKEND'] = 'jax'  # the learner's own choice, with %env, before running the cell again
    assert set_up_runtime(environ, devices(), FakePip()) == ('CPU', 'jax')
    assert 'Keras backend: jax (KERAS_BACKEND was set).' in capsys.readouterr().out
