"""pytest plugin: run every notebook in notebooks/ under nbval, small and offline.

For each notebook it writes a test copy under build/test-notebooks/ in which
  * papermill's parameterize_notebook injects TEST_PARAMETERS after the
    parameters cell (the code cell starting with "# Parameters"), only for
    names that cell assigns;
  * a first and a last cell record and then check warnings (warning_guard);
and the data helpers are pointed (CODELAB_DATA_DIR) at a small data folder: a
subset of the real data when CODELAB_DATA_DIR is set, else a synthetic one, and
at an empty cache (CODELAB_CACHE_DIR), so nothing is downloaded.
Outputs are not compared: this is nbval's lax mode.
"""
import ast
import os
import pathlib
import shutil

import nbformat
from nbval.plugin import IPyNbFile
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from tests.data_fixtures import small_data_dir

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / 'notebooks'
BUILD = ROOT / 'build'
PARAMETERS_COMMENT = '# Parameters'

# Test-size values for the notebooks' parameters (injected only where assigned).
TEST_PARAMETERS = {
    'EPOCHS': 1,
    'SPEED_TEST_IMAGES': 20,
}

WARNING_GUARD_START = (f'import sys\nsys.path.insert(0, {str(ROOT)!r})\n'
                       'import tests.warning_guard\ntests.warning_guard.start()')
WARNING_GUARD_CHECK = 'tests.warning_guard.check()'


def assigned_names(source):
    """Names assigned at the top level of a cell's source."""
    names = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, 'target', None)]
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def test_copy(notebook, parameters):
    """Returns the notebook (as read by papermill) parameterized and guarded for a test run."""
    cells = [cell for cell in notebook.cells
             if cell.cell_type == 'code' and cell.source.startswith(PARAMETERS_COMMENT)]
    if cells:
        cells[0].metadata.tags.append('parameters')
        wanted = {name: value for name, value in parameters.items() if name in assigned_names(cells[0].source)}
        if wanted:
            notebook = parameterize_notebook(notebook, wanted, kernel_name='python3', language='python')
    notebook.cells.insert(0, nbformat.v4.new_code_cell(WARNING_GUARD_START))
    notebook.cells.append(nbformat.v4.new_code_cell(WARNING_GUARD_CHECK))
    return notebook


def prepare_test_data():
    """Makes the small data folder and an empty cache; points the environment at them."""
    data = BUILD / 'test-data'
    cache = BUILD / 'test-cache'
    for folder in (data, cache):
        shutil.rmtree(folder, ignore_errors=True)
    small_data_dir(data, os.environ.get('CODELAB_DATA_DIR'))
    cache.mkdir(parents=True)
    os.environ['CODELAB_DATA_DIR'] = str(data)
    os.environ['CODELAB_CACHE_DIR'] = str(cache)


class LaxNotebook(IPyNbFile):
    """nbval's notebook collector, not comparing outputs (as with --nbval-lax)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.compare_outputs = False


def pytest_collect_file(file_path, parent):
    if file_path.suffix != '.ipynb' or file_path.parent != NOTEBOOKS:
        return None
    config = parent.config
    if not getattr(config, '_codelab_test_data', False):
        prepare_test_data()
        config._codelab_test_data = True
    copy_path = BUILD / 'test-notebooks' / file_path.name
    copy_path.parent.mkdir(parents=True, exist_ok=True)
    notebook = load_notebook_node(str(file_path))  # Read as papermill does: every cell gets tags.
    nbformat.write(test_copy(notebook, TEST_PARAMETERS), copy_path)
    return LaxNotebook.from_parent(parent, path=copy_path)
