"""tests/native_log.py: a TensorFlow C++ warning in a cell's output fails the notebook, in a real kernel."""
import os

import nbformat
import pytest
from nbclient import NotebookClient

from tests import native_log


def test_native_log_lines():
    output = ('I0000 00:00:1796174819.055875   12664 cpu_feature_guard.cc:227] oneDNN custom operations are on.\n'
              'W0000 00:00:1796174770.008715   12100 cache_dataset_ops.cc:912] The calling iterator did not '
              'fully read the dataset being cached.\n'
              'E1202 01:02:03.456789  77 tpu/runtime.cc:45] out of memory\n'
              'Epoch 1/2 - W0000 is not at the start of this line\n')
    assert native_log.native_log_lines(output) == [
        'W0000 00:00:1796174770.008715   12100 cache_dataset_ops.cc:912] The calling iterator did not fully read '
        'the dataset being cached.',
        'E1202 01:02:03.456789  77 tpu/runtime.cc:45] out of memory']


def test_kernel_environment_drops_only_pytests_marker():
    assert native_log.kernel_environment({'PYTEST_CURRENT_TEST': 'x', 'KERAS_BACKEND': 'jax'}) == {
        'KERAS_BACKEND': 'jax'}


def _executed(tmp_path, cell_source):
    """A notebook of one cell, run in a Jupyter kernel started as the harnesses start theirs."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell_source)])
    NotebookClient(notebook, timeout=300, kernel_name='python3',
                   resources={'metadata': {'path': str(tmp_path)}}).execute(
        env=native_log.kernel_environment(os.environ))
    return notebook


def test_a_tensorflow_warning_in_a_cell_output_fails_the_notebook(tmp_path):
    """TensorFlow's C++ warning about an unfinished cache reaches the cell's output, and fails the check."""
    notebook = _executed(tmp_path, 'import tensorflow as tf\n'
                                   'iterator = iter(tf.data.Dataset.range(100).cache())\n'
                                   'next(iterator)\n'
                                   'del iterator')
    with pytest.raises(AssertionError, match=r'cell 0 \(import tensorflow as tf\): W\d{4} .*cache_dataset_ops'):
        native_log.check_notebook_outputs(notebook)


def test_a_cache_read_to_the_end_passes(tmp_path):
    notebook = _executed(tmp_path, 'import tensorflow as tf\n'
                                   'dataset = tf.data.Dataset.range(100).cache()\n'
                                   'print(sum(int(value) for value in dataset))')
    assert '4950' in notebook.cells[0].outputs[-1]['text']
    native_log.check_notebook_outputs(notebook)
