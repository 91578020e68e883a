"""The TPU-runtime simulation: a notebook on Colab's TPU runtime, which has JAX and no TensorFlow.

The runtime is TPU_RUNTIME, a virtual environment of the TPU runtime's versions
(tests/colab_tpu_runtime.txt, built by `make test` as .venv-tpu), without
TensorFlow. Each test layers a throwaway virtual environment on it (a .pth file
adds its packages), so that what the notebook installs goes into the throwaway
one. The kernel's environment says "TPU" the way a TPU VM does
(TPU_ACCELERATOR_TYPE), and JAX gets 8 CPU devices in place of the TPU's 8 cores.
The notebook's runtime setup cell must then choose JAX and install
tensorflow-cpu from the package index, leaving NumPy, JAX and Keras as they
were; the notebook must run to the end, data-parallel over the 8 devices, as in
the fresh-runtime tier (alone in an empty folder, downloads from 127.0.0.1).
"""
import pathlib
import subprocess

import pytest

from tests.notebook_harness import ROOT, TEST_PARAMETERS
from tests.test_fresh_runtime import (  # noqa: F401 (fixtures)
    download_mirror,
    empty_folder,
    kernel_spec_path,
    require_runtime,
    run_in_fresh_runtime,
)
from utils.runtime_setup import TENSORFLOW_FOR_DATA

TPU_RUNTIME = ROOT / '.venv-tpu'
KERNEL_NAME = 'colab-tpu-runtime'
SIMULATED_TPU = {'TPU_ACCELERATOR_TYPE': 'v2-8', 'XLA_FLAGS': '--xla_force_host_platform_device_count=8'}
# Part 3: the flowers downloaded and converted, a convnet trained and used on 8 devices.
NOTEBOOK = '03_convnets_solution.ipynb'


def runtime_versions():
    """The TPU runtime's pinned versions, from tests/colab_tpu_runtime.txt."""
    lines = (ROOT / 'tests' / 'colab_tpu_runtime.txt').read_text().splitlines()
    return dict(line.split('==') for line in lines if '==' in line and not line.startswith('#'))


def site_packages(python):
    """The site-packages folder of a Python interpreter."""
    script = 'import sysconfig; print(sysconfig.get_paths()["purelib"])'
    return pathlib.Path(subprocess.run([str(python), '-c', script], capture_output=True, text=True,
                                       check=True).stdout.strip())


@pytest.fixture
def tpu_runtime(tmp_path):
    """(python, JUPYTER_PATH) of a throwaway environment over TPU_RUNTIME, with no TensorFlow."""
    base = TPU_RUNTIME / 'bin' / 'python'
    require_runtime(base, 'tests/colab_tpu_runtime.txt')
    runtime = tmp_path / 'runtime'
    subprocess.run([str(base), '-m', 'venv', str(runtime)], check=True)
    python = runtime / 'bin' / 'python'
    (site_packages(python) / 'colab_tpu_runtime.pth').write_text(f'{site_packages(base)}\n')
    return python, kernel_spec_path(tmp_path / 'jupyter', KERNEL_NAME, python, 'Colab TPU runtime (simulated)')


def installed(python, names):
    script = ('import importlib.metadata as m\n'
              f'for name in {sorted(names)!r}:\n'
              '    try: print(name, m.version(name))\n'
              '    except m.PackageNotFoundError: print(name, None)')
    output = subprocess.run([str(python), '-c', script], capture_output=True, text=True, check=True).stdout
    return dict(line.split() for line in output.splitlines())


def outputs(notebook):
    return '\n'.join(output.get('text', '') for cell in notebook.cells for output in cell.get('outputs', []))


def test_notebook_on_a_tpu_runtime_without_tensorflow(tpu_runtime, empty_folder, download_mirror,  # noqa: F811
                                                      monkeypatch):
    python, kernel_path = tpu_runtime
    kept = {name: version for name, version in runtime_versions().items()
            if name in ('jax', 'jaxlib', 'keras', 'numpy', 'protobuf', 'ml_dtypes')}
    assert installed(python, [*kept, 'tensorflow', 'tensorflow-cpu']) == {
        **kept, 'tensorflow': 'None', 'tensorflow-cpu': 'None'}

    parameters = {**TEST_PARAMETERS, 'BATCH_SIZE': 16}  # 2 images per device: the test data is small
    requested, notebook = run_in_fresh_runtime(NOTEBOOK, empty_folder, kernel_path, download_mirror, monkeypatch,
                                               kernel_name=KERNEL_NAME, parameters=parameters,
                                               environment=SIMULATED_TPU)
    assert requested == {'/flower_photos.tgz'}
    text = outputs(notebook)
    assert 'Runtime: TPU (TPU_ACCELERATOR_TYPE=v2-8).' in text
    assert 'Keras backend: jax (a TPU runtime' in text
    assert f'installing {TENSORFLOW_FOR_DATA} for tf.data' in text
    assert 'Running on 8 CPU devices with JAX, data-parallel.' in text
    name, version = TENSORFLOW_FOR_DATA.split('==')
    assert installed(python, [*kept, name]) == {**kept, name: version}
