"""The fresh-runtime tier: every solution notebook run the way Colab runs it.

Each notebook is copied alone into an empty folder outside the repository (so
neither `utils` nor this checkout is importable) and run top to bottom in a
fresh kernel of Colab's own package versions (COLAB_RUNTIME, built by
`make test` from tests/colab_cpu_runtime.txt), with CODELAB_DATA_DIR and
CODELAB_CACHE_DIR unset and an empty KERAS_HOME: the data must be downloaded.
Downloads come from a server on 127.0.0.1 (CODELAB_DOWNLOAD_MIRROR) that this
module starts, serving a flower_photos.tgz in the original archive's layout
and the four MNIST files, made from the run's small test data. The notebooks
get the same test-size parameters and warning guard as in the nbval tier, and
fail on TensorFlow or XLA C++ warnings in their outputs (tests/native_log.py).
"""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from papermill.iorw import load_notebook_node

from tests.data_fixtures import mnist_file_table, write_flowers_archive
from tests.loopback_server import serve_folder
from tests.native_log import check_notebook_outputs, kernel_environment
from tests.notebook_harness import (
    NOTEBOOKS,
    ROOT,
    TEST_PARAMETERS,
    prepare_test_copy,
    small_data_folder,
)

# The Python of a virtual environment holding the versions of Colab's CPU runtime.
COLAB_RUNTIME = ROOT / '.venv-colab' / 'bin' / 'python'
KERNEL_NAME = 'colab-cpu-runtime'
SOLUTIONS = sorted(path.name for path in NOTEBOOKS.glob('*_solution.ipynb'))
CELL_TIMEOUT_SECONDS = 900


def require_runtime(python, built_from):
    """Skips (fails under CI) when the simulated runtime's Python is missing."""
    if not python.exists():
        reason = (f'{python} is missing: `make test` builds it from {built_from} when a Python 3.13 interpreter '
                  '(Colab\'s) is installed.')
        if os.environ.get('CI'):
            pytest.fail(reason)
        pytest.skip(reason)


def kernel_spec_path(folder, name, python, display_name):
    """Writes a Jupyter kernel spec `name` running `python` under folder; returns the JUPYTER_PATH that holds it."""
    spec_folder = folder / 'kernels' / name
    spec_folder.mkdir(parents=True)
    spec = {'argv': [str(python), '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
            'display_name': display_name, 'language': 'python'}
    (spec_folder / 'kernel.json').write_text(json.dumps(spec))
    return str(folder)


@pytest.fixture(scope='session')
def colab_kernel(tmp_path_factory):
    """A Jupyter kernel spec named KERNEL_NAME running COLAB_RUNTIME; returns the JUPYTER_PATH that holds it."""
    require_runtime(COLAB_RUNTIME, 'tests/colab_cpu_runtime.txt')
    return kernel_spec_path(tmp_path_factory.mktemp('jupyter'), KERNEL_NAME, COLAB_RUNTIME,
                            'Colab CPU runtime (simulated)')


@pytest.fixture(scope='session')
def download_mirror(request, tmp_path_factory):
    """Serves the run's small data as the download URLs lay it out; yields (base URL, MNIST_FILES of it)."""
    data = small_data_folder(request.config)
    mirror = tmp_path_factory.mktemp('mirror')
    write_flowers_archive(data / 'flowers' / 'flower_photos', mirror / 'flower_photos.tgz')
    shutil.copytree(data / 'mnist', mirror / 'mnist')
    with serve_folder(mirror) as url:
        yield url, mnist_file_table(mirror / 'mnist')


def _colab_environment(folder, mirror_url):
    """The kernel's environment: this one without the data, cache and path variables; the mirror set."""
    environment = {name: value for name, value in kernel_environment(os.environ).items()
                   if name not in ('CODELAB_DATA_DIR', 'CODELAB_CACHE_DIR', 'PYTHONPATH', 'VIRTUAL_ENV')}
    environment.update(CODELAB_DOWNLOAD_MIRROR=mirror_url, KERAS_HOME=str(folder / 'keras_home'),
                       PYDEVD_DISABLE_FILE_VALIDATION='1')  # ipykernel's debugger notice on stderr
    return environment


def test_colab_runtime_has_colab_versions(colab_kernel):
    """The kernel really is the simulated Colab runtime, not our pinned environment."""
    wanted = dict(line.split('==') for line in (ROOT / 'tests' / 'colab_cpu_runtime.txt').read_text().splitlines()
                  if '==' in line and not line.startswith('#'))
    script = ('import importlib.metadata as m, sys; '
              'print(sys.version_info[0], sys.version_info[1]); '
              f'[print(name, m.version(name)) for name in {sorted(wanted)!r}]')
    output = subprocess.run([str(COLAB_RUNTIME), '-c', script], capture_output=True, text=True, check=True).stdout
    lines = output.splitlines()
    assert lines[0] == '3 13'
    assert dict(line.split() for line in lines[1:]) == wanted


def run_in_fresh_runtime(name, folder, kernel_path, mirror, monkeypatch, *, kernel_name=KERNEL_NAME,
                         parameters=TEST_PARAMETERS, environment=None):
    """Runs notebooks/<name> in `folder` as Colab would.

    Returns the paths it requested from the mirror and the executed notebook.
    `environment` adds variables to the kernel's.
    """
    mirror_url, mnist_files = mirror
    notebook = prepare_test_copy(load_notebook_node(str(NOTEBOOKS / name)), parameters, mnist_files)
    notebook.nbformat_minor = max(notebook.nbformat_minor, 5)  # Its cells have ids.
    nbformat.write(notebook, folder / name)
    requests_before = len(mirror_url.requests)
    monkeypatch.setenv('JUPYTER_PATH', kernel_path)
    client = NotebookClient(notebook, kernel_name=kernel_name, timeout=CELL_TIMEOUT_SECONDS,
                            resources={'metadata': {'path': str(folder)}})
    try:
        client.execute(env={**_colab_environment(folder, mirror_url), **(environment or {})})
    except CellExecutionError as error:
        pytest.fail(f'{name} failed in a fresh Colab-like runtime:\n{error}', pytrace=False)
    check_notebook_outputs(notebook)
    return set(mirror_url.requests[requests_before:]), notebook


@pytest.fixture
def empty_folder():
    """An empty folder outside the repository (the helpers look for a checkout above the current folder)."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix='fresh-runtime-'))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize('name', SOLUTIONS)
def test_notebook_in_a_fresh_colab_runtime(name, empty_folder, colab_kernel, download_mirror, monkeypatch):
    requested, _ = run_in_fresh_runtime(name, empty_folder, colab_kernel, download_mirror, monkeypatch)
    mnist_names = [file for file, _ in download_mirror[1].values()]
    if 'mnist' in name:
        assert requested == {f'/mnist/{file}' for file in mnist_names}
        assert all((empty_folder / 'data' / 'mnist' / file).is_file() for file in mnist_names)
    else:
        assert requested == {'/flower_photos.tgz'}
        assert len(list((empty_folder / 'data' / 'flowers' / 'flower_photos').glob('*/*.jpg'))) > 0
    assert not (empty_folder / 'keras_home' / 'datasets').exists(), "a download went to Keras's own cache"


def test_a_rerun_uses_what_the_first_run_downloaded(empty_folder, colab_kernel, download_mirror, monkeypatch):
    name = '01_tfdata_tfrecords_solution.ipynb'
    assert run_in_fresh_runtime(name, empty_folder, colab_kernel, download_mirror, monkeypatch)[0] == {
        '/flower_photos.tgz'}
    assert run_in_fresh_runtime(name, empty_folder, colab_kernel, download_mirror, monkeypatch)[0] == set()
