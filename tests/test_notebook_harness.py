import hashlib

import nbformat
import numpy as np

from tests import data_fixtures
from tests.notebook_harness import prepare_test_copy
from tools.notebook_parameters import assigned_names


def _notebook(*sources):
    notebook = nbformat.v4.new_notebook()
    notebook.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}
    notebook.metadata['papermill'] = {}
    for source in sources:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata['tags'] = []
        notebook.cells.append(cell)
    return notebook


def test_only_the_parameters_the_cell_assigns_are_injected():
    notebook = prepare_test_copy(_notebook('import os', '# Parameters\nEPOCHS = 20\nBATCH_SIZE = 32', 'train(EPOCHS)'),
                                 {'EPOCHS': 1, 'SPEED_TEST_IMAGES': 20})
    sources = [cell.source for cell in notebook.cells]
    assert '_codelab_warning_guard.start()' in sources[0]
    assert sources[2].startswith('# Parameters')
    assert 'EPOCHS = 1' in sources[3] and 'SPEED_TEST_IMAGES' not in sources[3]
    assert notebook.cells[3].metadata.tags == ['injected-parameters']
    assert sources[4] == 'train(EPOCHS)'
    assert sources[-1] == '_codelab_warning_guard.check()'


def test_a_notebook_without_parameters_cell_runs_unchanged():
    notebook = prepare_test_copy(_notebook('x = 1'), {'EPOCHS': 1})
    assert [cell.source for cell in notebook.cells][1:] == ['x = 1', '_codelab_warning_guard.check()']


def test_the_test_mnist_files_are_accepted_after_the_parameters(tmp_path):
    data_fixtures.synthetic_mnist(tmp_path, train=5, test=5)
    table = data_fixtures.mnist_file_table(tmp_path / 'mnist')
    assert table['test_labels'][0] == 't10k-labels-idx1-ubyte.gz'
    labels = (tmp_path / 'mnist' / 't10k-labels-idx1-ubyte.gz').read_bytes()
    assert table['test_labels'][1] == hashlib.md5(labels).hexdigest()
    notebook = prepare_test_copy(_notebook('# Parameters\nEPOCHS = 20', 'files = find_mnist_files()'),
                                 {'EPOCHS': 1}, table)
    sources = [cell.source for cell in notebook.cells]
    assert 'EPOCHS = 1' in sources[2]
    assert sources[3].startswith(f'MNIST_FILES = {table!r}')
    assert sources[4] == 'files = find_mnist_files()'
    # Notebooks without MNIST get no such cell.
    notebook = prepare_test_copy(_notebook('# Parameters\nEPOCHS = 20', 'x = 1'), {'EPOCHS': 1}, table)
    assert not any('MNIST_FILES' in cell.source for cell in notebook.cells)


def test_assigned_names():
    assert assigned_names('A = 1\nB: int = 2\nC, D = 3, 4\nE += 1\nprint(F)') == {'A', 'B', 'E'}


def test_subset_mnist_keeps_the_first_digits_and_fixes_the_header(tmp_path):
    data_fixtures.synthetic_mnist(tmp_path / 'full', train=50, test=20)
    data_fixtures.subset_mnist(tmp_path / 'full', tmp_path / 'small', train=10, test=5)
    for key, name in data_fixtures.MNIST_NAMES.items():
        full, magic = data_fixtures.read_idx(tmp_path / 'full' / 'mnist' / name)
        small, small_magic = data_fixtures.read_idx(tmp_path / 'small' / 'mnist' / name)
        assert small_magic == magic
        assert np.array_equal(small, full[:10 if key.startswith('train') else 5])


def test_subset_flowers_links_the_first_photos(tmp_path):
    data_fixtures.synthetic_flowers(tmp_path / 'full', per_class=4)
    folder = data_fixtures.subset_flowers(tmp_path / 'full', tmp_path / 'small', per_class=2)
    photos = sorted(folder.glob('*/*.jpg'))
    assert len(photos) == 10 and all(photo.is_symlink() for photo in photos)
