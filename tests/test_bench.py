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
