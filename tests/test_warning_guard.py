"""tests/warning_guard.py: the warnings our code causes fail a notebook, installed packages' noise does not.

The guard runs as the harness injects it: its source pasted into a first cell,
in a subprocess (it changes global warning and logging state). Two fake
installed packages play the roles of matplotlib and pyparsing: `caller`, which
our "cell" calls, and `callee`, which `caller` calls in turn.
"""
import subprocess
import sys

from tests import warning_guard

SITE = '/venv/lib/python3.13/site-packages/'
STDLIB = '/usr/lib/python3.13/'
ROOTS = [SITE, STDLIB]
CELL = '/tmp/ipykernel_123/456.py'


def test_package_of():
    assert warning_guard.package_of(SITE + 'keras/src/layers/layer.py', ROOTS) == 'keras'
    assert warning_guard.package_of(SITE + 'six.py', ROOTS) == 'six'
    assert warning_guard.package_of(STDLIB + 'ast.py', ROOTS) == 'stdlib'
    assert warning_guard.package_of('<frozen importlib._bootstrap>', ROOTS) == 'stdlib'
    assert warning_guard.package_of(CELL, ROOTS) is None


def test_classification():
    matplotlib, pyparsing = SITE + 'matplotlib/text.py', SITE + 'pyparsing/util.py'
    keras = SITE + 'keras/src/layers/layer.py'
    ipython = SITE + 'IPython/core/interactiveshell.py'
    # A cell's own warning.
    assert warning_guard.is_ours(CELL, [CELL, ipython], ROOTS)
    # Keras warning about the arguments a cell passed to it.
    assert warning_guard.is_ours(keras, [keras, keras, CELL, ipython], ROOTS)
    # pyparsing warning about how matplotlib calls it, while a cell draws a plot.
    assert not warning_guard.is_ours(matplotlib, [pyparsing, matplotlib, CELL, ipython], ROOTS)
    # The ast module's deprecation, raised for gast while Keras traces a function.
    assert not warning_guard.is_ours(SITE + 'gast/ast3.py', [STDLIB + 'ast.py', SITE + 'gast/ast3.py',
                                                              keras, CELL, ipython], ROOTS)
    # A background thread of an installed package: no cell on the stack.
    assert not warning_guard.is_ours(keras, [keras, STDLIB + 'threading.py'], ROOTS)
    # A package's warning about itself while a cell imports it.
    importing = '<frozen importlib._bootstrap>'
    assert not warning_guard.is_ours(keras, [keras, importing, CELL, ipython], ROOTS)


def test_classification_of_log_records():
    tensorflow, keras = SITE + 'tensorflow/python/eager/polymorphic_function.py', SITE + 'keras/src/trainer.py'
    ipython = SITE + 'IPython/core/interactiveshell.py'
    # TensorFlow logging retracing while a cell trains a Keras model: ours.
    assert warning_guard.is_ours(tensorflow, [tensorflow, keras, CELL, ipython], ROOTS, log_record=True)
    # matplotlib logging pyparsing's complaints about its style files, while a cell imports matplotlib.
    matplotlib = SITE + 'matplotlib/__init__.py'
    assert not warning_guard.is_ours(matplotlib, [matplotlib, SITE + 'matplotlib/style/core.py',
                                                  '<frozen importlib._bootstrap>', CELL, ipython],
                                     ROOTS, log_record=True)
    # Logged from a background thread of an installed package: ours (tf.data about our datasets).
    assert warning_guard.is_ours(tensorflow, [tensorflow, STDLIB + 'threading.py'], ROOTS, log_record=True)


GUARDED_RUN = '''
import logging, pathlib, sys, warnings
site = pathlib.Path(sys.argv[1])
(site / 'callee').mkdir()
(site / 'callee' / '__init__.py').write_text(
    'import warnings\\n'
    'def old_name():\\n'
    '    warnings.warn("old_name is deprecated", DeprecationWarning, stacklevel=2)\\n')
(site / 'caller').mkdir()
(site / 'caller' / '__init__.py').write_text(
    'import warnings, callee\\n'
    'def plot():\\n'
    '    callee.old_name()\\n'
    'def layer(input_shape=None):\\n'
    '    if input_shape is not None:\\n'
    '        warnings.warn("do not pass input_shape", UserWarning, stacklevel=2)\\n')
sys.path.insert(0, str(site))
exec(START_CELL)
_codelab_warning_guard._roots.insert(0, str(site) + '/')

def run_cell(source):
    exec(compile(source, '/tmp/ipykernel_1/cell.py', 'exec'), {})

run_cell('import caller\\ncaller.plot()')                      # third-party: callee about caller
(site / 'noisy.py').write_text('import logging\\nlogging.getLogger("noisy").warning("style file is old")\\n')
run_cell('import noisy')                                        # third-party: logged while imported
logging.getLogger('tensorflow').warning('Local rendezvous is aborting')  # known noise
try:
    exec(CHECK_CELL)
    print('clean so far')
except AssertionError as error:
    print('UNEXPECTED', error)
run_cell('import caller\\ncaller.layer(input_shape=[28, 28])')  # ours: the cell's argument
run_cell('import warnings\\nwarnings.warn("my own warning")')  # ours: the cell's own
logging.getLogger('tensorflow').warning('5 calls triggered tf.function retracing')  # ours: a log record
logging.getLogger('tensorflow').info('not a warning')
try:
    exec(CHECK_CELL)
except AssertionError as error:
    print(error)
'''


def test_guard_in_a_notebook_fails_on_ours_only(tmp_path):
    start_cell, check_cell = warning_guard.notebook_cells()
    (tmp_path / 'site-packages').mkdir()
    script = f'START_CELL = {start_cell!r}\nCHECK_CELL = {check_cell!r}\n' + GUARDED_RUN
    result = subprocess.run([sys.executable, '-c', script, str(tmp_path / 'site-packages')], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert 'clean so far' in output and 'UNEXPECTED' not in output
    failures = output.split('Warnings while running the notebook:\n', 1)[1].splitlines()
    assert len(failures) == 3, output
    assert 'UserWarning' in failures[0] and 'do not pass input_shape' in failures[0]
    assert 'UserWarning (/tmp/ipykernel_1/cell.py:2): my own warning' == failures[1]
    assert failures[2] == 'log tensorflow: 5 calls triggered tf.function retracing'
    assert 'old_name is deprecated' not in output and 'not a warning' not in output
    assert 'style file is old' not in output
