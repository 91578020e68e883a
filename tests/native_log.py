"""TensorFlow's and XLA's C++ log lines in a notebook's outputs: a warning there fails the notebook.

Their C++ code logs past Python, straight to the process's standard error, in
glog's format ("W0000 00:00:1796174770.008715   12100 cache_dataset_ops.cc:912]
..."): the warning guard (tests/warning_guard.py), which records Python
warnings and log records, cannot see these lines. ipykernel forwards that file
descriptor into the output of the cell that runs, where a learner sees the line
in red, so the harnesses read the executed cells' outputs instead: a warning
(W), error (E) or fatal (F) line fails the notebook. ipykernel forwards it only
when it does not run under pytest (it looks for PYTEST_CURRENT_TEST): the
harnesses start kernels with kernel_environment().
"""
import re

# A glog line of level warning, error or fatal: level letter, MMDD, time, thread id, file:line].
NATIVE_LOG_LINE = re.compile(r'^[WEF]\d{4} \d\d:\d\d:\d+\.\d+\s+\d+\s+[^\s:\]]+:\d+\]')


def kernel_environment(environ):
    """A notebook kernel's environment: `environ` without pytest's marker, so output is forwarded as in Colab.

    Under pytest ipykernel leaves the process's own standard output and error
    alone, and TensorFlow's C++ log lines would not reach the cells' outputs.
    """
    return {name: value for name, value in environ.items() if name != 'PYTEST_CURRENT_TEST'}


def native_log_lines(text):
    """The glog warning, error and fatal lines in a piece of output."""
    return [line.strip() for line in text.splitlines() if NATIVE_LOG_LINE.match(line)]


def native_log_lines_in_outputs(outputs):
    """The glog warning, error and fatal lines in a cell's outputs (nbformat output dicts)."""
    return native_log_lines(''.join(output.get('text', '') for output in outputs
                                    if output.get('output_type') == 'stream'))


def check_notebook_outputs(notebook):
    """Raises AssertionError naming each code cell whose output shows a native warning or error line."""
    problems = [f'cell {number} ({cell.source.splitlines()[0] if cell.source else "empty"}): {line}'
                for number, cell in enumerate(notebook.cells) if cell.cell_type == 'code'
                for line in native_log_lines_in_outputs(cell.get('outputs', []))]
    assert not problems, 'TensorFlow or XLA logged warnings in the cell outputs:\n' + '\n'.join(problems)
