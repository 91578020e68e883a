"""tools/bench.py's pieces: the figures cell, --stop-at, --set and the backend environment."""
import argparse
import pathlib
import sys

import nbformat
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / 'tools'))
import bench  # noqa: E402 (tools/ is a folder of scripts)


def run_cell(source, namespace):
    exec(compile(source, '<cell>', 'exec'), namespace)


def test_figures_of_cells_not_run_are_reported_as_such(capsys):
    run_cell(bench.metrics_cell({'epochs': 'len(history)', 'speed': 'round(images_per_second, 1)'}),
             {'history': [1, 2, 3]})
    line = capsys.readouterr().out.strip()
    assert line == bench.MARKER + '{"epochs": 3, "speed": "not run"}'


def test_stop_at_keeps_the_cells_before_the_heading():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('a = 1'), nbformat.v4.new_markdown_cell('## Fine-tuning Xception\n\ntext'),
        nbformat.v4.new_code_cell('b = 2')])
    assert [cell.source for cell in bench.cells_before_heading(notebook, 'Fine-tuning').cells] == ['a = 1']
    with pytest.raises(SystemExit, match='no markdown cell starting with "## Nowhere"'):
        bench.cells_before_heading(notebook, 'Nowhere')


def test_parameter_values_are_python_literals():
    assert bench.parameter_value('EPOCHS=3') == ('EPOCHS', 3)
    assert bench.parameter_value("NAME='x'") == ('NAME', 'x')
    for text in ('EPOCHS', '3=EPOCHS', 'NAME=x'):
        with pytest.raises(argparse.ArgumentTypeError):
            bench.parameter_value(text)


def test_kernel_environment_names_backend_and_devices():
    assert bench.kernel_environment('jax', 8) == (
        {'KERAS_BACKEND': 'jax', 'XLA_FLAGS': '--xla_force_host_platform_device_count=8'},
        'backend jax, 8 simulated JAX devices')
    assert bench.kernel_environment(None, None) == ({}, 'backend default (tensorflow)')


def test_a_resumable_run_is_found_again_by_its_command_line():
    arguments = {'backend': 'jax', 'devices': 8, 'parameters': {'EPOCHS': 2}, 'stop_at': None}
    assert bench.resumable_folder('04', arguments) == bench.resumable_folder('04', dict(arguments))
    assert bench.resumable_folder('04', arguments) != bench.resumable_folder('04', {**arguments, 'devices': 4})
    assert bench.resumable_folder('04', arguments).parent == bench.RUNS


def test_resumable_training_is_installed_right_after_keras_is_imported(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('setup()'), nbformat.v4.new_code_cell('import time\nimport keras'),
        nbformat.v4.new_code_cell('model.fit()')])
    cells = bench.with_resumable_training(notebook, tmp_path).cells
    assert [cell.source.splitlines()[-1] for cell in cells] == [
        'setup()', 'import keras', f'resumable_fit.install({str(tmp_path)!r})', 'model.fit()']
    with pytest.raises(SystemExit, match='no cell with the line "import keras"'):
        bench.with_resumable_training(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')]), tmp_path)


def test_each_part_of_a_resumable_run_is_recorded(tmp_path):
    import datetime
    started = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
    bench.record_segment(tmp_path, started, 600.04, finished=False)
    segments = bench.record_segment(tmp_path, started + datetime.timedelta(days=1), 300, finished=True)
    assert [(segment['seconds'], segment['finished']) for segment in segments] == [(600.0, False), (300, True)]
    assert bench.read_segments(tmp_path) == segments


def test_replicas_make_the_notebook_see_that_many():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('strategy = get_strategy()'),
        nbformat.v4.new_code_cell('BATCH_SIZE = 16 * strategy.num_replicas_in_sync')])
    namespace = {'get_strategy': lambda: DefaultStrategy()}
    for cell in bench.with_replica_count(notebook, 8).cells:
        run_cell(cell.source, namespace)
    assert namespace['BATCH_SIZE'] == 128
    assert namespace['strategy'].scope() == 'the default scope'  # everything else is the wrapped strategy's
    with pytest.raises(SystemExit, match='strategy = get_strategy()'):
        bench.with_replica_count(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('a = 1')]), 8)


class DefaultStrategy:
    num_replicas_in_sync = 1

    def scope(self):
        return 'the default scope'


def test_replicas_are_for_tensorflow_only():
    with pytest.raises(SystemExit, match='--replicas is for the TensorFlow backend'):
        bench.main(['03', '--backend', 'jax', '--replicas', '8'])


def test_a_seeded_run_seeds_keras_right_after_it_is_imported():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('setup()'), nbformat.v4.new_code_cell('import numpy as np\nimport keras'),
        nbformat.v4.new_code_cell('model.fit()')])
    cells = bench.with_seed(notebook, 7).cells
    assert [cell.source for cell in cells][1:3] == ['import numpy as np\nimport keras',
                                                    'keras.utils.set_random_seed(7)']
    with pytest.raises(SystemExit, match='no cell with the line "import keras"'):
        bench.with_seed(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('x = 1')]), 7)
