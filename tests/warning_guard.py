"""Injected into the test copy of each notebook: fail on the warnings our code causes.

The harness pastes this module's source into the notebook's first cell (the
notebook must run without this repository on its path, as in Colab), where
start() records every Python warning with the call stack that raised it and
every WARNING log record (TensorFlow and absl log through `logging`); the last
cell calls check(), which raises if any recorded warning is ours.

Which warnings are ours. Code is "installed" when its file is in the Python
installation (standard library, site-packages); everything else (notebook
cells, the helper code they define) is ours. A Python warning is ours when
  * it is attributed to our code (warnings.warn's stacklevel points there), or
  * it is raised inside the package that our code called: Keras complaining
    about the arguments a cell gave it.
It is third-party when it is raised in another package than the one our code
called (pyparsing complaining about how matplotlib calls it, gast about its
use of the ast module), with no cell on the stack at all (a background thread
of an installed package), or while a cell imports a package. Log records come
from the library our code drives (TensorFlow logs retracing, deprecated
arguments), so a WARNING record is ours unless it is logged while a cell
imports a package (matplotlib logging pyparsing's complaints about its style
files). KNOWN_THIRD_PARTY_NOISE lists the exceptions, with the reason.
"""
import logging
import re
import site
import sys
import sysconfig
import warnings

# Noise from third-party code that no notebook cell can avoid, with the reason.
KNOWN_THIRD_PARTY_NOISE = [
    # tf.data logs this when an iterator stops early (dataset.take, next(iter(...))).
    (r'Local rendezvous is aborting', 'tf.data, on early iterator stop'),
    # Keras's own LearningRateScheduler reads the optimizer's learning-rate variable with
    # np.array(variable), which NumPy 2 flags (in the TensorFlow or JAX backend's code, or
    # in Keras's common variable code); the callback is what the notebooks teach.
    (r"keras/src/backend/(tensorflow/core|jax/core|common/variables)\.py:\d+\): "
     r"__array__ implementation doesn't accept a copy keyword",
     'keras, LearningRateScheduler reading the learning rate'),
    # pyparsing 3.3 flags the old method names that matplotlib 3.10 (Colab's) calls; on
    # the TPU runtime's versions this happens at the first plot, not at import.
    (r"PyparsingDeprecationWarning \([^)]*/matplotlib/[^)]*\): '\w+' deprecated - use '\w+'",
     'matplotlib, calling pyparsing by its old method names'),
    # matplotlib 3.10 (Colab's) reads its own style files with pyparsing 3.3, which logs
    # its renamed methods; matplotlib logs that when a style is first loaded, import or not.
    (r"matplotlib\.style\.core: In .*\.mplstyle: '\w+' deprecated - use '\w+'",
     'matplotlib, reading its own style files with pyparsing'),
]

GUARD_FILENAME = '<codelab warning guard>'  # The file name this source is compiled under in a notebook.


def installed_roots():
    """The folders of the Python installation: standard library and site-packages."""
    paths = sysconfig.get_paths()
    roots = {paths[key] for key in ('stdlib', 'platstdlib', 'purelib', 'platlib') if key in paths}
    roots.update(getattr(site, 'getsitepackages', list)())
    roots.add(site.getusersitepackages())
    return sorted({root.rstrip('/') + '/' for root in roots}, key=len, reverse=True)


def package_of(filename, roots):
    """The top-level package an installed file belongs to ('stdlib' for the standard library), else None (ours)."""
    if filename.startswith('<frozen '):
        return 'stdlib'
    for root in roots:
        if filename.startswith(root):
            relative = filename[len(root):]
            if 'site-packages' in root or 'dist-packages' in root:
                return relative.split('/')[0].removesuffix('.py')
            return 'stdlib'
    return None


def is_ours(attributed_file, stack_files, roots, log_record=False):
    """Classifies a warning or a WARNING log record: True if our code caused it.

    `attributed_file` is the file the warning is attributed to (for a log
    record, the file that logged it); `stack_files` the files of the call stack
    when it was raised, innermost first, without the warnings machinery's frames.
    """
    if package_of(attributed_file, roots) is None:
        return True
    packages = [package_of(filename, roots) for filename in stack_files]
    if None not in packages:
        # No frame of ours: a background thread of an installed package. Log records
        # there still count (tf.data logs from its threads about the datasets we built).
        return log_record
    ours = packages.index(None)
    if ours == 0:
        return True
    if stack_files[ours - 1].startswith('<frozen importlib'):
        return False  # Raised while our cell imports a package: the package's own business.
    return log_record or packages[0] == packages[ours - 1]


_recorded = []
_roots = installed_roots()
_OWN_FILES = {GUARD_FILENAME, globals().get('__file__')}  # No __file__ when pasted into a notebook.


def _stack_files(frame):
    files = []
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename not in _OWN_FILES and not filename.endswith(('/warnings.py', '/_py_warnings.py')):
            files.append(filename)
        frame = frame.f_back
    return files


def _record_warning(message, category, filename, lineno, file=None, line=None):
    text = f'{category.__name__} ({filename}:{lineno}): {message}'
    _recorded.append((text, is_ours(filename, _stack_files(sys._getframe(1)), _roots)))


class _Recorder(logging.Handler):
    def emit(self, record):
        stack = [name for name in _stack_files(sys._getframe(1)) if not name.endswith('/logging/__init__.py')]
        _recorded.append((f'log {record.name}: {record.getMessage()}',
                          is_ours(record.pathname, stack, _roots, log_record=True)))


def start():
    """Starts recording; stays on for the rest of the kernel's life."""
    warnings.simplefilter('always')
    warnings.showwarning = _record_warning
    logging.getLogger().addHandler(_Recorder(level=logging.WARNING))


def recorded():
    """Every warning recorded so far, as (text, ours) pairs."""
    return list(_recorded)


def check():
    """Raises AssertionError listing the recorded warnings of ours that are not known noise."""
    ours = [text for text, caused_by_us in _recorded
            if caused_by_us and not any(re.search(pattern, text) for pattern, _ in KNOWN_THIRD_PARTY_NOISE)]
    assert not ours, 'Warnings while running the notebook:\n' + '\n'.join(ours)


def notebook_cells():
    """Sources of the first and last cells that the harness adds to a notebook's test copy."""
    import inspect
    source = inspect.getsource(sys.modules[__name__])
    start_cell = ('import types as _types\n'
                  "_codelab_warning_guard = _types.ModuleType('codelab_warning_guard')\n"
                  f'exec(compile({source!r}, {GUARD_FILENAME!r}, "exec"), _codelab_warning_guard.__dict__)\n'
                  '_codelab_warning_guard.start()')
    return start_cell, '_codelab_warning_guard.check()'
