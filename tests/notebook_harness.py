"""pytest plugin: run every notebook in notebooks/ under nbval, small and offline.

For each notebook it writes a test copy in a folder of this test run in which
  * TEST_PARAMETERS are injected after the parameters cell, papermill-style
    (tools/notebook_parameters.py), for the names that cell assigns;
  * a first and a last cell record and then check warnings (warning_guard);
and the data helpers are pointed (CODELAB_DATA_DIR) at a small data folder: a
subset of the real data when CODELAB_DATA_DIR is set, else a synthetic one, and
at an empty cache (CODELAB_CACHE_DIR), so nothing is downloaded.
Outputs are not compared: this is nbval's lax mode.
"""
import os
import pathlib
import shutil
import tempfile

import nbformat
from _pytest.compat import legacy_path
from nbval.plugin import IPyNbFile
from papermill.iorw import load_notebook_node

from tests.data_fixtures import small_data_dir
from tools.notebook_parameters import inject_parameters

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / 'notebooks'
BUILD = ROOT / 'build'

# Test-size values for the notebooks' parameters (injected only where assigned).
TEST_PARAMETERS = {
    'EPOCHS': 1,
    'SPEED_TEST_IMAGES': 20,
    'BATCH_NORM_EPOCHS': 1,
    'FINE_TUNING_EPOCHS': 2,  # two epochs: the schedule changes the learning rate once
}

WARNING_GUARD_START = (f'import sys\nsys.path.insert(0, {str(ROOT)!r})\n'
                       'import tests.warning_guard\ntests.warning_guard.start()')
WARNING_GUARD_CHECK = 'tests.warning_guard.check()'


def prepare_test_copy(notebook, parameters):
    """Returns the notebook (as read by papermill) parameterized and guarded for a test run."""
    notebook, _ = inject_parameters(notebook, parameters)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(WARNING_GUARD_START))
    notebook.cells.append(nbformat.v4.new_code_cell(WARNING_GUARD_CHECK))
    return notebook


def _run_folder(config):
    """This test run's folder under build/ (small data, cache, notebook copies), made once."""
    if not hasattr(config, '_codelab_run_folder'):
        BUILD.mkdir(exist_ok=True)
        folder = pathlib.Path(tempfile.mkdtemp(prefix='test-run-', dir=BUILD))
        small_data_dir(folder / 'data', os.environ.get('CODELAB_DATA_DIR'))
        (folder / 'cache').mkdir()
        os.environ['CODELAB_DATA_DIR'] = str(folder / 'data')
        os.environ['CODELAB_CACHE_DIR'] = str(folder / 'cache')
        config._codelab_run_folder = folder
    return config._codelab_run_folder


def pytest_unconfigure(config):
    if hasattr(config, '_codelab_run_folder'):
        shutil.rmtree(config._codelab_run_folder, ignore_errors=True)


class LaxNotebook(IPyNbFile):
    """nbval's notebook collector, not comparing outputs (as with --nbval-lax).

    The collector keeps the notebook's own path, so that `pytest notebooks/x.ipynb`
    selects it; nbval reads the notebook, and starts the kernel in its folder,
    through `fspath`, which points at the prepared test copy.
    """

    test_copy = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False

    @property
    def fspath(self):
        return legacy_path(self.test_copy)


def pytest_collect_file(file_path, parent):
    if file_path.suffix != '.ipynb' or file_path.parent != NOTEBOOKS:
        return None
    copy_path = _run_folder(parent.config) / 'notebooks' / file_path.name
    copy_path.parent.mkdir(exist_ok=True)
    notebook = load_notebook_node(str(file_path))  # Read as papermill does: every cell gets tags.
    nbformat.write(prepare_test_copy(notebook, TEST_PARAMETERS), copy_path)
    collector = LaxNotebook.from_parent(parent, path=file_path)
    collector.test_copy = copy_path
    return collector
