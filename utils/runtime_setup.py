"""Runtime setup, the first code cell of every notebook: run it before Keras is imported.

It finds what this runtime has (a TPU, a GPU or only a CPU) without importing
TensorFlow or JAX, and picks the Keras backend: JAX on a TPU (Colab's TPU
runtimes have JAX and no TensorFlow), TensorFlow elsewhere (faster than JAX on a
CPU), or the backend you asked for with the KERAS_BACKEND environment variable.
TensorFlow is used for the data pipelines (tf.data) on every backend: on a
runtime without it, `tensorflow-cpu` is installed, at a version that leaves the
runtime's NumPy, JAX and Keras as they are.
"""
import glob
import importlib
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
import tempfile

# Colab's CPU and GPU runtimes ship this TensorFlow: the TPU runtime gets the same.
TENSORFLOW_FOR_DATA = 'tensorflow-cpu==2.20.0'
# Installed packages that installing TensorFlow must not change.
KEEP_AS_INSTALLED = ('numpy', 'jax', 'jaxlib', 'keras', 'ml_dtypes', 'protobuf')
BACKENDS = ('tensorflow', 'jax')
# Set beside KERAS_BACKEND when this cell chooses the backend, so that running it again can tell its
# own choice from one the learner made.
CHOSEN_BACKEND_VARIABLE = 'CODELAB_CHOSEN_BACKEND'
RESTART_HINT = 'Restart the runtime (Colab: Runtime > Restart session), then run this cell first.'

# Signs of an accelerator that need no import: TPU VMs expose /dev/accel* (or
# VFIO devices on newer generations) and set TPU_ACCELERATOR_TYPE; NVIDIA GPUs
# appear as /dev/nvidia0, 1, ...
TPU_DEVICE_PATTERNS = ('/dev/accel[0-9]*', '/dev/vfio/[0-9]*')
TPU_ENVIRONMENT_VARIABLES = ('TPU_ACCELERATOR_TYPE', 'TPU_NAME', 'COLAB_TPU_ADDR')
GPU_DEVICE_PATTERNS = ('/dev/nvidia[0-9]*',)


def detect_accelerator(environ=None, find=glob.glob):
    """('TPU' | 'GPU' | 'CPU', what showed it), without importing TensorFlow or JAX."""
    environ = os.environ if environ is None else environ
    for name in TPU_ENVIRONMENT_VARIABLES:
        if environ.get(name):
            return 'TPU', f'{name}={environ[name]}'
    for kind, patterns in (('TPU', TPU_DEVICE_PATTERNS), ('GPU', GPU_DEVICE_PATTERNS)):
        for pattern in patterns:
            found = sorted(find(pattern))
            if found:
                return kind, ', '.join(found)
    return 'CPU', 'no TPU or GPU device'


def choose_backend(accelerator, environ=None):
    """(backend, why): KERAS_BACKEND if set, JAX on a TPU, TensorFlow otherwise."""
    environ = os.environ if environ is None else environ
    requested = environ.get('KERAS_BACKEND', '').strip().lower()
    if requested and requested == environ.get(CHOSEN_BACKEND_VARIABLE):
        return requested, 'kept: this cell chose it when it first ran'
    if requested:
        if requested not in BACKENDS:
            raise ValueError(f'KERAS_BACKEND={requested!r}: this course runs on {" or ".join(BACKENDS)}. '
                             'Set it to one of them, or unset it to let this cell choose.')
        return requested, 'KERAS_BACKEND was set'
    if accelerator == 'TPU':
        return 'jax', 'a TPU runtime: Keras runs on JAX there'
    return 'tensorflow', f'a {accelerator} runtime: TensorFlow is the faster backend there'


def check_keras_not_imported_with_another_backend(backend, modules=None):
    """Raises RuntimeError if Keras is already running on another backend (it cannot switch)."""
    modules = sys.modules if modules is None else modules
    keras = modules.get('keras')
    if keras is None:
        return
    current = keras.backend.backend()
    if current != backend:
        raise RuntimeError(f'Keras was already imported, with the {current} backend, before this cell chose '
                           f'{backend}. Keras cannot change its backend in a running Python. {RESTART_HINT}')


def kept_versions(names=KEEP_AS_INSTALLED):
    """'name==version' for each of `names` that is installed."""
    pins = []
    for name in names:
        try:
            pins.append(f'{name}=={importlib.metadata.version(name)}')
        except importlib.metadata.PackageNotFoundError:
            pass
    return pins


def tensorflow_install_command(constraints_file):
    """The pip command (as %pip would run it) that installs TensorFlow for tf.data."""
    return [sys.executable, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check',
            '--constraint', constraints_file, TENSORFLOW_FOR_DATA]


def install_tensorflow(run=subprocess.run):
    """Installs TENSORFLOW_FOR_DATA without changing the packages of KEEP_AS_INSTALLED."""
    pins = kept_versions()
    with tempfile.NamedTemporaryFile('w', suffix='-constraints.txt') as constraints:
        constraints.write('\n'.join(pins) + '\n')
        constraints.flush()
        command = tensorflow_install_command(constraints.name)
        print(f'TensorFlow is not installed: installing {TENSORFLOW_FOR_DATA} for tf.data, keeping '
              f'{", ".join(pins) or "the installed packages"} (a minute or two) ...')
        result = run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'Installing {TENSORFLOW_FOR_DATA} failed (pip exit code {result.returncode}):\n'
                           f'{result.stderr.strip()[-2000:]}\n'
                           f'Install it yourself in a cell: %pip install {TENSORFLOW_FOR_DATA}')
    importlib.invalidate_caches()


def set_up_runtime(environ=None, find=glob.glob, run=subprocess.run):
    """Chooses the Keras backend for this runtime and makes TensorFlow importable; says what it did.

    Returns (accelerator, backend). Must run before Keras is imported.
    """
    environ = os.environ if environ is None else environ
    accelerator, evidence = detect_accelerator(environ, find)
    backend, why = choose_backend(accelerator, environ)
    check_keras_not_imported_with_another_backend(backend)
    if 'KERAS_BACKEND' not in environ:
        environ[CHOSEN_BACKEND_VARIABLE] = backend
    environ['KERAS_BACKEND'] = backend
    print(f'Runtime: {accelerator} ({evidence}).')
    print(f'Keras backend: {backend} ({why}).')
    if importlib.util.find_spec('tensorflow') is None:
        install_tensorflow(run)
    print(f'TensorFlow for tf.data: {importlib.metadata.version(_tensorflow_distribution())}.')
    return accelerator, backend


def _tensorflow_distribution():
    """The installed package that provides `import tensorflow`."""
    for name in ('tensorflow', 'tensorflow-cpu', 'tensorflow-tpu', 'tf-nightly'):
        try:
            importlib.metadata.version(name)
            return name
        except importlib.metadata.PackageNotFoundError:
            continue
    raise RuntimeError(f'TensorFlow is importable but no package provides it. {RESTART_HINT}')


if __name__ == '__main__':  # in a notebook, where this module is the first code cell
    ACCELERATOR, KERAS_BACKEND = set_up_runtime()
