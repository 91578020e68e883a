"""Run a solution notebook at full size and record its figures in benchmarks/RESULTS.md.

    python tools/bench.py 03        (or: make bench NB=03)
    python tools/bench.py 04 --backend jax --devices 8 --stop-at 'Depthwise-separable convolutions'
    python tools/bench.py 03 --backend jax --devices 8 --set EPOCHS=3
    python tools/bench.py 04 --backend jax --devices 8 --resumable   (run it again to continue)
    python tools/bench.py 03 --replicas 8   (TensorFlow, one device, as on 8 replicas)
    python tools/bench.py 03 --replicas 8 --seed 1 --set EPOCHS=2   (a short run to compare with JAX's)

The notebook runs as a learner would run it (all the data, its own epochs),
executed by papermill with a last cell added that prints the figures named in
METRICS below. The executed notebook is kept under benchmarks/runs/ (not
committed); one row per run is appended to benchmarks/RESULTS.md, stating the
Keras backend, the device count and every parameter that differs from the
notebook's own.

--backend sets KERAS_BACKEND for the notebook's kernel; --devices N gives JAX N
simulated CPU devices (XLA_FLAGS=--xla_force_host_platform_device_count=N), the
way the tests simulate an 8-core TPU. --stop-at HEADING runs the notebook up to
the markdown cell starting with "## HEADING"; figures of the cells left out are
reported as not run.

--replicas N runs the notebook on TensorFlow as if on N replicas: it sees
strategy.num_replicas_in_sync == N, so its batch and learning rate are those of
N cores, computed whole on one device (tools/replica_count.py).

--seed N makes a run repeatable: right after Keras is imported, the notebook
calls keras.utils.set_random_seed(N), which seeds Python, NumPy, TensorFlow
(so the tf.data shuffles) and the Keras backend (so the initial weights and the
dropout). Two backends draw different numbers from the same seed.

--resumable is for a run longer than one sitting. Every `fit` of the notebook
backs up its training after each epoch (tools/resumable_fit.py) in a folder of
benchmarks/runs/ named after the command line; stop the run (Ctrl-C, or
`timeout --signal=INT`) and run the same command again: it continues from the
last finished epoch. The row is written when a run gets to the end: its date is
that of the first run, its wall time the sum of all runs', and it adds the
training minutes of all runs, from the per-epoch log (figures that the notebook
times itself cover the last run only).
"""
import argparse
import ast
import datetime
import hashlib
import json
import os
import pathlib
import platform
import sys
import time

import nbformat
import papermill
from papermill.iorw import load_notebook_node

from notebook_parameters import inject_parameters

ROOT = pathlib.Path(__file__).resolve().parents[1]
RESULTS = ROOT / 'benchmarks' / 'RESULTS.md'
RUNS = ROOT / 'benchmarks' / 'runs'
MARKER = 'BENCH_METRICS '

# For each notebook number: figure name -> Python expression evaluated in the
# executed notebook's namespace after its last cell.
METRICS = {
    '01': {
        'TFRecord files': 'len(tfrecord_files)',
        'records read back': 'records_read_back',
        'JPEG images/s': 'round(jpeg_images_per_second, 1)',
        'TFRecord images/s': 'round(tfrecord_images_per_second, 1)',
        'TFRecord/JPEG ratio': 'round(tfrecord_images_per_second / jpeg_images_per_second, 2)',
    },
    '00': {
        'final stage': 'list(histories)[-1]',
        'epochs': 'len(history.epoch)',
        'final val accuracy %': "round(100 * history.history['val_accuracy'][-1], 2)",
        'best val accuracy %': "round(100 * max(history.history['val_accuracy']), 2)",
        'final val accuracy % by stage': (
            "', '.join(f\"{name.split(':')[0]}: {100 * h.history['val_accuracy'][-1]:.2f}\" "
            "for name, h in histories.items())"),
    },
    '02': {
        'validation accuracy %': 'round(100 * validation_accuracy, 1)',
        'epochs': 'len(history.epoch)',
        'ImageNet weights': 'mobilenet.imagenet_weights',
    },
    '03': {
        'batch size': 'BATCH_SIZE',
        'learning rate by epoch': "', '.join(f'{rate:.5f}' for rate in history.history['learning_rate'])",
        'batch-norm momentum': 'round(BATCH_NORM_MOMENTUM, 4)',
        'epochs': 'len(history.epoch)',
        'final val accuracy %': "round(100 * history.history['val_accuracy'][-1], 1)",
        'best val accuracy %': "round(100 * max(history.history['val_accuracy']), 1)",
        'val accuracy % by epoch': "', '.join(f'{100 * a:.1f}' for a in history.history['val_accuracy'])",
        'training accuracy % by epoch': "', '.join(f'{100 * a:.1f}' for a in history.history['accuracy'])",
        'parameters': 'model.count_params()',
    },
    '04': {
        'squeezenet parameters': 'squeezenet.count_params()',
        'squeezenet epochs': 'len(squeezenet_history.epoch)',
        'squeezenet final val accuracy %': "round(100 * squeezenet_history.history['val_accuracy'][-1], 1)",
        'squeezenet best val accuracy %': "round(100 * max(squeezenet_history.history['val_accuracy']), 1)",
        'squeezenet best epoch': "1 + int(np.argmax(squeezenet_history.history['val_accuracy']))",
        'squeezenet training min': 'round(squeezenet_minutes, 1)',
        'Xception training images/s': 'round(fine_tuning_images_per_second, 1)',
        'Xception reloaded val accuracy %': 'round(100 * reloaded_accuracy, 1)',
        'Xception ImageNet weights': 'xception.imagenet_weights',
    },
}

# For each notebook number: parameter values for the full-size run that differ
# from the notebook's own (for a section too slow for this CPU); stated in the row.
BENCH_PARAMETERS = {
    # Xception fine-tuning trains at a few images/s on a CPU: one epoch of 5 steps, to
    # check that it runs, saves and reloads; its accuracy is not the codelab's.
    '04': {'FINE_TUNING_EPOCHS': 1, 'FINE_TUNING_STEPS': 5},
}

TOOLS = pathlib.Path(__file__).resolve().parent
SEGMENTS_FILE = 'runs.json'

RESULTS_HEADER = """# Benchmark results

Measured by `make bench NB=<number>` (tools/bench.py): the solution notebook run
at full size on the machine named in the row. Rows are appended, never edited.

| date (UTC) | notebook | figures | wall time | machine | data |
|---|---|---|---|---|---|
"""


def solution_notebook(number):
    matches = sorted((ROOT / 'notebooks').glob(f'{number}_*_solution.ipynb'))
    if len(matches) != 1:
        raise SystemExit(f'bench: no single notebooks/{number}_*_solution.ipynb (found {len(matches)}).')
    return matches[0]


def cpu_description():
    model = platform.processor() or platform.machine()
    try:
        for line in pathlib.Path('/proc/cpuinfo').read_text().splitlines():
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    return f'{os.cpu_count()} cores, {model}'


def metrics_cell(expressions):
    """A cell printing the figures as JSON; a figure whose names are undefined is 'not run'."""
    lines = ['import json', '_bench_figures = {}']
    for name, expression in expressions.items():
        lines += ['try:', f'    _bench_figures[{name!r}] = {expression}',
                  'except NameError:', f'    _bench_figures[{name!r}] = "not run"']
    lines.append(f'print({MARKER!r} + json.dumps(_bench_figures))')
    return '\n'.join(lines)


def cells_before_heading(notebook, heading):
    """The notebook without the cells from the markdown cell starting with '## heading' on."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == 'markdown' and cell.source.startswith(f'## {heading}'):
            notebook.cells = notebook.cells[:index]
            return notebook
    raise SystemExit(f'bench: no markdown cell starting with "## {heading}".')


def parameter_value(text):
    """NAME=VALUE from the command line, VALUE a Python literal."""
    name, separator, value = text.partition('=')
    if not separator or not name.isidentifier():
        raise argparse.ArgumentTypeError(f'expected NAME=VALUE, got {text!r}')
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise argparse.ArgumentTypeError(f'{value!r} is not a Python literal (quote strings)') from None


def kernel_environment(backend, devices):
    """Environment variables for the notebook's kernel, and how the row describes them."""
    environment = {}
    if backend:
        environment['KERAS_BACKEND'] = backend
    if devices:
        environment['XLA_FLAGS'] = f'--xla_force_host_platform_device_count={devices}'
    description = f'backend {backend or "default (tensorflow)"}'
    if devices:
        description += f', {devices} simulated JAX devices'
    return environment, description


def resumable_folder(number, arguments):
    """The folder of a resumable run: the same command line finds the same folder."""
    key = hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:10]
    return RUNS / f'resumable-{number}-{key}'


def with_cell_after(notebook, line, source, option):
    """The notebook with a code cell of `source` inserted after the first code cell holding `line`."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == 'code' and line in cell.source.splitlines():
            notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
            return notebook
    raise SystemExit(f'bench: no cell with the line "{line}", after which {option} adds its cell.')


def with_tool_cell(notebook, line, module, call, option):
    """The notebook with a cell, after the one holding `line`, that imports tools/<module> and runs `call`."""
    return with_cell_after(notebook, line, f'import sys\nsys.path.insert(0, {str(TOOLS)!r})\nimport {module}\n{call}',
                           option)


def with_seed(notebook, seed):
    """The notebook with a cell, right after the one importing keras, that seeds every random generator."""
    return with_cell_after(notebook, 'import keras', f'keras.utils.set_random_seed({seed})', '--seed')


def with_resumable_training(notebook, folder):
    """The notebook with a cell, after the one importing keras, that makes every fit resumable."""
    return with_tool_cell(notebook, 'import keras', 'resumable_fit', f'resumable_fit.install({str(folder)!r})',
                          '--resumable')


def with_replica_count(notebook, replicas):
    """The notebook with a cell, after the one calling get_strategy(), making it report `replicas` replicas."""
    return with_tool_cell(notebook, 'strategy = get_strategy()', 'replica_count',
                          f'strategy = replica_count.AsIfReplicas(strategy, {replicas})', '--replicas')


def read_segments(folder):
    path = folder / SEGMENTS_FILE
    return json.loads(path.read_text()) if path.exists() else []


def record_segment(folder, started, seconds, finished):
    segments = read_segments(folder) + [{'started': started.isoformat(), 'seconds': round(seconds, 1),
                                         'finished': finished}]
    (folder / SEGMENTS_FILE).write_text(json.dumps(segments, indent=1))
    return segments


def read_metrics(notebook):
    for output in notebook.cells[-1].get('outputs', []):
        for line in output.get('text', '').splitlines():
            if line.startswith(MARKER):
                return json.loads(line[len(MARKER):])
    raise SystemExit('bench: the notebook ran, but its figures were not printed.')


def append_result(row):
    if not RESULTS.exists():
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(RESULTS_HEADER)
    with RESULTS.open('a') as file:
        file.write(row + '\n')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('number', help='notebook number, e.g. 03')
    parser.add_argument('--backend', choices=['tensorflow', 'jax'], help='KERAS_BACKEND for the notebook')
    parser.add_argument('--devices', type=int, help='number of simulated JAX CPU devices')
    parser.add_argument('--set', type=parameter_value, action='append', default=[], metavar='NAME=VALUE',
                        help='a parameter of the notebook to change (repeatable)')
    parser.add_argument('--stop-at', metavar='HEADING', help='run the notebook up to this "## " heading')
    parser.add_argument('--replicas', type=int, metavar='N',
                        help='on TensorFlow, run as if on N replicas (their global batch, on one device)')
    parser.add_argument('--seed', type=int, help='seed every random generator with this number, for a repeatable run')
    parser.add_argument('--resumable', action='store_true',
                        help='back up the training after each epoch; the same command continues a stopped run')
    args = parser.parse_args(argv)
    if args.replicas and (args.backend == 'jax' or args.devices):
        raise SystemExit('bench: --replicas is for the TensorFlow backend; on JAX, --devices N gives N devices.')
    if args.number not in METRICS:
        raise SystemExit(f'bench: no figures defined for notebook {args.number} in tools/bench.py METRICS.')
    source = solution_notebook(args.number)
    values = {**BENCH_PARAMETERS.get(args.number, {}), **dict(args.set)}
    notebook, overrides = inject_parameters(load_notebook_node(str(source)), values)
    unknown = set(dict(args.set)) - set(overrides)
    if unknown:
        raise SystemExit(f'bench: {source.name} has no parameter {", ".join(sorted(unknown))}.')
    if args.stop_at:
        notebook = cells_before_heading(notebook, args.stop_at)
    if args.replicas:
        notebook = with_replica_count(notebook, args.replicas)
    if args.seed is not None:
        notebook = with_seed(notebook, args.seed)
    folder = None
    if args.resumable:
        folder = resumable_folder(args.number, {'backend': args.backend, 'devices': args.devices,
                                                'parameters': overrides, 'stop_at': args.stop_at,
                                                **({'seed': args.seed} if args.seed is not None else {}),
                                                **({'replicas': args.replicas} if args.replicas else {})})
        folder.mkdir(parents=True, exist_ok=True)
        notebook = with_resumable_training(notebook, folder)
        earlier = read_segments(folder)
        print(f'Resumable run, backed up in {folder.relative_to(ROOT)}: '
              + (f'continuing after {len(earlier)} earlier run(s).' if earlier else 'first run.'))
    environment, setup = kernel_environment(args.backend, args.devices)
    os.environ.update(environment)
    notebook.cells.append(nbformat.v4.new_code_cell(metrics_cell(METRICS[args.number])))
    started = datetime.datetime.now(datetime.UTC)
    RUNS.mkdir(parents=True, exist_ok=True)
    executed_path = RUNS / f'{source.stem}-{started:%Y%m%d-%H%M%S}.ipynb'
    prepared_path = executed_path.with_suffix('.input.ipynb')
    nbformat.write(notebook, prepared_path)
    print(f'Running {source.name} at full size; executed copy: {executed_path.relative_to(ROOT)}')
    start = time.perf_counter()
    finished = False
    try:
        papermill.execute_notebook(str(prepared_path), str(executed_path), cwd=str(source.parent),
                                   kernel_name='python3', progress_bar=False)
        finished = True
    finally:
        prepared_path.unlink()
        seconds = time.perf_counter() - start
        if folder:
            segments = record_segment(folder, started, seconds, finished)
    figures = read_metrics(nbformat.read(executed_path, as_version=4))
    data = os.environ.get('CODELAB_DATA_DIR', 'default lookup (cache or download)')
    figures_text = '; '.join(f'{name} {value}' for name, value in figures.items())
    if overrides:
        figures_text += ' (with ' + ', '.join(f'{name} = {value!r}' for name, value in overrides.items()) + ')'
    if args.stop_at:
        figures_text += f' (run up to "## {args.stop_at}")'
    figures_text += f'; {setup}'
    if args.replicas:
        figures_text += (f', as on {args.replicas} replicas (num_replicas_in_sync = {args.replicas}, each global '
                         'batch computed whole on one device)')
    if args.seed is not None:
        figures_text += f', seed {args.seed}'
    if folder:
        started = datetime.datetime.fromisoformat(segments[0]['started'])
        seconds = sum(segment['seconds'] for segment in segments)
        import resumable_fit  # imports Keras: only here, once the notebook has run
        figures_text += (f'; resumable run in {len(segments)} part(s), training min of all parts '
                         f'{resumable_fit.training_seconds(folder) / 60:.1f} (figures the notebook times '
                         'itself cover the last part only)')
        folder.rename(folder.with_name(f'{folder.name}-done-{started:%Y%m%d-%H%M%S}'))
    append_result(f'| {started:%Y-%m-%d %H:%M} | {source.name} | {figures_text} | {seconds / 60:.1f} min '
                  f'| {cpu_description()} | {data} |')
    print(f'{figures_text}; wall time {seconds / 60:.1f} min. Recorded in {RESULTS.relative_to(ROOT)}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
