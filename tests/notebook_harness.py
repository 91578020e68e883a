"""pytest plugin: run every notebook in notebooks/ under nbval, small and offline.

For each notebook it writes a test copy in a folder of this test run in which
  * TEST_PARAMETERS are injected after the parameters cell, papermill-style
    (tools/notebook_parameters.py), for the names that cell assigns;
  * a cell after them accepts the small MNIST files' md5s (data_fixtures.mnist_file_table);
  * a first and a last cell record and then check warnings (warning_guard);
and each cell fails if its output shows a TensorFlow or XLA C++ warning
(native_log), as the learner would see it;
and the data helpers are pointed (CODELAB_DATA_DIR) at a small data folder: a
subset of the real data when CODELAB_DATA_DIR is set, else a synthetic one, and
at an empty cache (CODELAB_CACHE_DIR), so nothing is downloaded. The other
tier, tests/test_fresh_runtime.py, runs the notebooks as Colab does instead.
Outputs are not compared: this is nbval's lax mode.

Each notebook runs twice, once per Keras backend (BACKEND_PASSES): on TensorFlow,
as on a CPU or GPU runtime, and on JAX over 8 simulated devices, as on an 8-core
TPU. Select one with `pytest -k tensorflow` or `-k jax`.
"""
import os
import pathlib
import shutil
import tempfile

import nbformat
import pytest
from _pytest.compat import legacy_path
from nbval.plugin import IPyNbCell, IPyNbFile
from papermill.iorw import load_notebook_node

from tests import native_log, warning_guard
from tests.data_fixtures import mnist_file_table, small_data_dir
from tools.notebook_parameters import PARAMETERS_COMMENT, inject_parameters

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / 'notebooks'
BUILD = ROOT / 'build'

# Test-size values for the notebooks' parameters (injected only where assigned).
TEST_PARAMETERS = {
    'EPOCHS': 1,
    'SPEED_TEST_IMAGES': 20,
    'BATCH_NORM_EPOCHS': 1,
    'AUGMENTATION_EPOCHS': 1,
    'FINE_TUNING_EPOCHS': 2,  # two epochs: the schedule changes the learning rate once
}


# The kernel environment of each pass. The notebooks' runtime setup cell honours
# KERAS_BACKEND; XLA_FLAGS gives JAX 8 CPU devices, an 8-core TPU simulated.
BACKEND_PASSES = {
    'tensorflow': {'KERAS_BACKEND': 'tensorflow'},
    'jax': {'KERAS_BACKEND': 'jax', 'XLA_FLAGS': '--xla_force_host_platform_device_count=8'},
}
# The JAX pass plays a TPU: bfloat16 where a TPU would use it. Xception trains at well
# under 1 image/s under JAX on a CPU: one step per fine-tuning epoch.
JAX_TEST_PARAMETERS = {'MIXED_PRECISION': True, 'FINE_TUNING_STEPS': 1}
# On 8 devices, a batch of 16 images per core would be 128, more than the small
# data's training images: where the batch grows with the replicas, each core gets 2.
DATA_PARALLEL_TEST_PARAMETERS = {'BATCH_SIZE': 16}


def test_parameters(notebook, backend):
    """TEST_PARAMETERS, and on JAX the TPU's and, where the batch grows with the replicas, smaller batches."""
    parameters = dict(TEST_PARAMETERS)
    parameters_cell = next((cell.source for cell in notebook.cells
                            if cell.cell_type == 'code' and cell.source.startswith(PARAMETERS_COMMENT)), '')
    if backend == 'jax':
        parameters.update(JAX_TEST_PARAMETERS)
        if 'num_replicas_in_sync' in parameters_cell:
            parameters.update(DATA_PARALLEL_TEST_PARAMETERS)
    return parameters


def prepare_test_copy(notebook, parameters, mnist_files=None):
    """Returns the notebook (as read by papermill) parameterized and guarded for a test run.

    Adds the warning guard's first and last cells, injects `parameters` after the
    parameters cell, and, if the notebook reads MNIST and `mnist_files` is given,
    a cell after that rebinding MNIST_FILES (see data_fixtures.mnist_file_table).
    """
    notebook, _ = inject_parameters(notebook, parameters)
    if mnist_files and any('find_mnist_files(' in cell.source for cell in notebook.cells):
        position = next(index for index, cell in enumerate(notebook.cells)
                        if cell.cell_type == 'code' and cell.source.startswith(PARAMETERS_COMMENT))
        if 'injected-parameters' in notebook.cells[position + 1].metadata.get('tags', []):
            position += 1
        cell = nbformat.v4.new_code_cell(f'MNIST_FILES = {mnist_files!r}  # the test data\'s own md5s')
        cell.metadata['tags'] = ['injected-test-data']
        notebook.cells.insert(position + 1, cell)
    start_cell, check_cell = warning_guard.notebook_cells()
    notebook.cells.insert(0, nbformat.v4.new_code_cell(start_cell))
    notebook.cells.append(nbformat.v4.new_code_cell(check_cell))
    return notebook


def small_data_folder(config):
    """This test run's small data folder (a subset of $CODELAB_DATA_DIR, else synthetic), made once."""
    folder = _run_folder(config) / 'data'
    if not folder.exists():
        small_data_dir(folder, config._codelab_source_data)
    return folder


def _run_folder(config):
    """This test run's folder under build/ (small data, cache, notebook copies), made once."""
    if not hasattr(config, '_codelab_run_folder'):
        BUILD.mkdir(exist_ok=True)
        config._codelab_run_folder = pathlib.Path(tempfile.mkdtemp(prefix='test-run-', dir=BUILD))
        config._codelab_source_data = os.environ.get('CODELAB_DATA_DIR')
    return config._codelab_run_folder


def _point_helpers_at_small_data(config):
    """Sets CODELAB_DATA_DIR to the small data and CODELAB_CACHE_DIR to an empty cache, for nbval's kernels."""
    folder = _run_folder(config)
    os.environ['CODELAB_DATA_DIR'] = str(small_data_folder(config))
    (folder / 'cache').mkdir(exist_ok=True)
    os.environ['CODELAB_CACHE_DIR'] = str(folder / 'cache')


def pytest_unconfigure(config):
    if hasattr(config, '_codelab_run_folder'):
        shutil.rmtree(config._codelab_run_folder, ignore_errors=True)


class NativeLogCheckedCell(IPyNbCell):
    """nbval's cell test, failing also when the cell's output shows a TensorFlow or XLA C++ warning."""

    def runtest(self):
        super().runtest()
        lines = native_log.native_log_lines_in_outputs(self.test_outputs or [])
        if lines:
            self.raise_cell_error('TensorFlow or XLA logged a warning in the output of this cell:\n'
                                  + '\n'.join(lines))


class LaxNotebook(IPyNbFile):
    """nbval's notebook collector for one backend pass, not comparing outputs (as with --nbval-lax).

    The collector keeps the notebook's own path, so that `pytest notebooks/x.ipynb`
    selects it; nbval reads the notebook, and starts the kernel in its folder,
    through `fspath`, which points at the prepared test copy. The kernel starts
    with the pass's environment variables.
    """

    test_copy = None
    environment = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False

    @property
    def fspath(self):
        return legacy_path(self.test_copy)

    def collect(self):
        for cell in super().collect():
            yield NativeLogCheckedCell.from_parent(self, name=cell.name, cell_num=cell.cell_num, cell=cell.cell,
                                                   options=cell.options)

    def setup(self):
        """Starts the kernel with the pass's environment, as warning_guard.kernel_environment has it."""
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(native_log.kernel_environment({**saved, **self.environment}))
        try:
            super().setup()
        finally:
            os.environ.clear()
            os.environ.update(saved)


class NotebookPasses(pytest.File):
    """A notebook, collected once per backend pass (BACKEND_PASSES)."""

    def collect(self):
        config = self.config
        _point_helpers_at_small_data(config)
        mnist_files = mnist_file_table(small_data_folder(config) / 'mnist')
        for backend, environment in BACKEND_PASSES.items():
            # Each notebook in a folder of its own, its kernel's working folder: what one writes
            # there (Part 1's TFRecords) is not read by another running beside it.
            copy_path = _run_folder(config) / f'notebooks-{backend}' / self.path.stem / self.path.name
            copy_path.parent.mkdir(parents=True, exist_ok=True)
            notebook = load_notebook_node(str(self.path))  # Read as papermill does: every cell gets tags.
            parameters = test_parameters(notebook, backend)
            nbformat.write(prepare_test_copy(notebook, parameters, mnist_files), copy_path)
            # The node id names the pass: pytest would otherwise give both passes the file's id.
            collector = LaxNotebook.from_parent(self, name=backend, path=self.path,
                                                nodeid=f'{self.nodeid}::{backend}')
            collector.test_copy, collector.environment = copy_path, environment
            yield collector


def pytest_collect_file(file_path, parent):
    if file_path.suffix != '.ipynb' or file_path.parent != NOTEBOOKS:
        return None
    return NotebookPasses.from_parent(parent, path=file_path)
