"""Run a solution notebook at full size and record its figures in benchmarks/RESULTS.md.

    python tools/bench.py 03        (or: make bench NB=03)

The notebook runs as a learner would run it (all the data, its own epochs),
executed by papermill with a last cell added that prints the figures named in
METRICS below. The executed notebook is kept under benchmarks/runs/ (not
committed); one row per run is appended to benchmarks/RESULTS.md.
"""
import argparse
import datetime
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
        'epochs': 'len(history.epoch)',
        'final val accuracy %': "round(100 * history.history['val_accuracy'][-1], 1)",
        'best val accuracy %': "round(100 * max(history.history['val_accuracy']), 1)",
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
    body = ', '.join(f'{name!r}: {expression}' for name, expression in expressions.items())
    return f'import json\nprint({MARKER!r} + json.dumps({{{body}}}))'


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
    args = parser.parse_args(argv)
    if args.number not in METRICS:
        raise SystemExit(f'bench: no figures defined for notebook {args.number} in tools/bench.py METRICS.')
    source = solution_notebook(args.number)
    notebook, overrides = inject_parameters(load_notebook_node(str(source)),
                                            BENCH_PARAMETERS.get(args.number, {}))
    notebook.cells.append(nbformat.v4.new_code_cell(metrics_cell(METRICS[args.number])))
    started = datetime.datetime.now(datetime.UTC)
    RUNS.mkdir(parents=True, exist_ok=True)
    executed_path = RUNS / f'{source.stem}-{started:%Y%m%d-%H%M%S}.ipynb'
    prepared_path = executed_path.with_suffix('.input.ipynb')
    nbformat.write(notebook, prepared_path)
    print(f'Running {source.name} at full size; executed copy: {executed_path.relative_to(ROOT)}')
    start = time.perf_counter()
    try:
        papermill.execute_notebook(str(prepared_path), str(executed_path), cwd=str(source.parent),
                                   kernel_name='python3', progress_bar=False)
    finally:
        prepared_path.unlink()
    seconds = time.perf_counter() - start
    figures = read_metrics(nbformat.read(executed_path, as_version=4))
    data = os.environ.get('CODELAB_DATA_DIR', 'default lookup (cache or download)')
    figures_text = '; '.join(f'{name} {value}' for name, value in figures.items())
    if overrides:
        figures_text += ' (with ' + ', '.join(f'{name} = {value!r}' for name, value in overrides.items()) + ')'
    append_result(f'| {started:%Y-%m-%d %H:%M} | {source.name} | {figures_text} | {seconds / 60:.1f} min '
                  f'| {cpu_description()} | {data} |')
    print(f'{figures_text}; wall time {seconds / 60:.1f} min. Recorded in {RESULTS.relative_to(ROOT)}.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
