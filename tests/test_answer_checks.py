"""utils/answer_checks.py: each check passes on the solution's answer and flags the playground's as shipped.

The answers are taken from the notebook sources themselves. For each WORK REQUIRED
cell, the notebook's cells from its first exercise down to that exercise's check
run once as the solution shows them and once as the playground does, in a
namespace holding what the hidden cells, the parameters and the cells before the
first exercise would have defined (DATA_NAMES), with small synthetic photos.
Cells that train, or time or use a training, are left out (SKIPPED).
"""
import contextlib
import importlib
import io
import json
import pathlib
import re

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from tests.data_fixtures import synthetic_flowers
from tools import helper_cells, playground
from utils import answer_checks, flowers_tfrecords, mnist_checks, model_checks, modern_convnet_checks, strategy
from utils.data_sources import FLOWER_CLASSES
from utils.model_checks import classifier_problems

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / 'notebooks' / 'source').glob('*.ipynb'))
# Names that cells before a notebook's first exercise define from its data, and that the exercises read.
DATA_NAMES = {
    '01_tfdata_tfrecords': lambda folder: {
        'PHOTO_PATTERNS': flowers_tfrecords.photo_patterns(synthetic_flowers(folder / 'flower_photos', per_class=3))},
    '03_convnets': lambda folder: {'steps_per_epoch': 20},
}
SKIPPED = re.compile(r'\.fit\(|\.predict\(|\.evaluate\(|history|images_per_second\(|show_predictions\(')


def hidden_cell_modules(path):
    """The utils modules whose hidden cells the notebook has, imported."""
    sources = [''.join(cell['source']) for cell in json.loads(path.read_text())['cells']]
    return [importlib.import_module(module.removesuffix('.py').replace('/', '.'))
            for module in map(helper_cells.generated_module, sources) if module]


def _code_cells(path):
    """The notebook's code cells, but the hidden ones (their code is the utils modules)."""
    cells = json.loads(path.read_text())['cells']
    return [''.join(cell['source']) for cell in cells
            if cell['cell_type'] == 'code' and not ''.join(cell['source']).startswith('#@title')]


def is_check(source):
    return source.startswith('check_') and len(source.splitlines()) == 1


def exercises(path):
    """(index of the WORK REQUIRED cell, index of the check cell after it) in the notebook's code cells."""
    cells = _code_cells(path)
    starts = [index for index, source in enumerate(cells) if playground.has_solution(source)]
    pairs = []
    for start in starts:
        check = next((index for index in range(start + 1, len(cells)) if is_check(cells[index])), None)
        pairs.append((start, check))
    return pairs


EXERCISES = [(path, start, check) for path in SOURCES for start, check in exercises(path)]


def test_every_work_required_cell_is_followed_by_its_check_before_training():
    for path in SOURCES:
        cells, pairs = _code_cells(path), exercises(path)
        starts = [start for start, _ in pairs]
        for start, check in pairs:
            assert check is not None, f'{path.name}: no check after code cell {start}'
            between = cells[start + 1:check]
            assert not any('.fit(' in source for source in between), f'{path.name}: training before the check'
            assert not any(index in starts for index in range(start + 1, check)), \
                f'{path.name}: the exercise in code cell {start} shares its check with the next one'


def notebook_namespace(path, folder):
    """The names the notebook's hidden cells, imports, parameters and data cells define."""
    namespace = {'keras': keras, 'layers': keras.layers, 'tf': tf, 'np': np, 'ACCELERATOR': 'CPU'}
    for module in hidden_cell_modules(path):
        namespace.update({name: value for name, value in vars(module).items() if not name.startswith('_')})
    namespace['strategy'] = strategy.get_strategy()
    parameters = next(source for source in _code_cells(path) if source.startswith('# Parameters'))
    exec(parameters, namespace)
    return {**namespace, **DATA_NAMES.get(path.stem, lambda folder: {})(folder)}


def run_exercise(path, start, check, variant, folder):
    """What the exercise's cells print, run after the cells from the notebook's first exercise on."""
    namespace, cells = notebook_namespace(path, folder), _code_cells(path)
    first = exercises(path)[0][0]
    output = io.StringIO()
    for index in range(first, check + 1):
        if index < start and SKIPPED.search(cells[index]) and not playground.has_solution(cells[index]):
            continue
        with contextlib.redirect_stdout(output if index >= start else io.StringIO()):
            exec(compile(variant(cells[index]), f'<{path.name}>', 'exec'), namespace)
        plt.close('all')  # as Jupyter's inline backend does after each cell
    return output.getvalue()


@pytest.mark.parametrize('path, start, check', EXERCISES,
                         ids=[f'{path.stem}-cell{start}' for path, start, _ in EXERCISES])
def test_the_check_passes_the_solution_and_flags_the_playground(path, start, check, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # Part 1 writes its TFRecords beside the notebook
    monkeypatch.setenv('CODELAB_CACHE_DIR', str(tmp_path / 'cache'))
    solution = run_exercise(path, start, check, playground.solution_source, tmp_path / 'solution')
    checked = [line for line in solution.splitlines() if line.startswith(('✓', '✗'))]
    assert checked and all(line.startswith('✓') for line in checked), solution[-2000:]
    shipped = run_exercise(path, start, check, playground.playground_source, tmp_path / 'playground')
    assert any(line.startswith('✗') for line in shipped.splitlines()), shipped[-2000:]


def _model(*layers, shape=(8, 8, 3)):
    return keras.Sequential([keras.Input(shape=shape), *layers])


def test_a_good_classifier_has_no_problem():
    assert classifier_problems(_model(keras.layers.Flatten(), keras.layers.Dense(5, activation='softmax')),
                               FLOWER_CLASSES, (8, 8, 3)) == []


@pytest.mark.parametrize('layers, message', [
    ([keras.layers.Flatten(), keras.layers.Dense(10)], r'outputs shape \(None, 10\)'),
    ([keras.layers.Dense(5)], r'outputs shape \(None, 8, 8, 5\)'),
    ([keras.layers.Flatten(), keras.layers.Dense(5)], 'does not output probabilities: give it activation="softmax"'),
    ([keras.layers.Flatten(), keras.layers.Dense(5, activation='sigmoid')], 'does not output probabilities'),
])
def test_a_wrong_output_says_what_to_fix(layers, message):
    [problem] = classifier_problems(_model(*layers), FLOWER_CLASSES, (8, 8, 3))
    assert re.search(message, problem)


def test_a_wrong_input_shape_says_what_to_fix():
    [problem] = classifier_problems(_model(keras.layers.Flatten(), keras.layers.Dense(5, activation='softmax'),
                                           shape=(4, 4, 3)), FLOWER_CLASSES, (8, 8, 3))
    assert re.search(r'takes inputs of shape \(4, 4, 3\), but the data has shape \(8, 8, 3\)', problem)


def test_a_model_without_input_is_explained():
    [problem] = classifier_problems(keras.Sequential([keras.layers.Dense(5)]), FLOWER_CLASSES, (8, 8, 3))
    assert re.search(r'start it with keras\.Input', problem)


def test_a_failing_answer_is_reported_not_raised(capsys):
    def broken_fire(x, squeeze, expand):
        raise TypeError('unsupported operand')
    modern_convnet_checks.check_fire_module(broken_fire)
    assert capsys.readouterr().out.startswith('✗ Fire module: with squeeze=4, expand=24: fire(x, 4, 24) raised '
                                              'TypeError: unsupported operand.')


def test_an_error_in_dataset_map_gets_its_usual_cause(capsys):
    def numpy_inside(digits, labels):
        return digits.numpy(), labels
    mnist_checks.check_augment(numpy_inside)
    output = capsys.readouterr().out
    assert output.startswith("✗ Data augmentation: dataset.map(augment) raised AttributeError: 'SymbolicTensor' "
                             "object has no attribute 'numpy'. inside dataset.map, the function runs in graph mode")
    assert 'in user code' not in output


def test_tensorflow_details_are_left_out_of_error_messages():
    error = tf.errors.InvalidArgumentError(None, None, '{{function_node __wrapped__IteratorGetNext}} Error in '
                                           'user-defined function passed to MapDataset:3 transformation with iterator:'
                                           ' Iterator::Root::ParallelMapV2: Unknown image file format.\n\t '
                                           '[[{{node DecodeJpeg}}]] [Op:IteratorGetNext] name: ')
    assert answer_checks.error_message(error) == 'Unknown image file format.'
    assert 'read the file first' in answer_checks.raised('decode_jpeg', error)


@pytest.mark.parametrize('activation', ['relu', keras.activations.relu, tf.nn.relu, keras.ops.relu,
                                        keras.layers.ReLU(), keras.layers.Activation('relu')])
def test_an_activation_is_recognised_by_what_it_computes(activation):
    assert model_checks.activation_name(activation if not isinstance(activation, str) else
                                        keras.activations.get(activation)) == 'relu'


def test_a_model_is_followed_through_nested_blocks_and_activation_layers():
    block = keras.Sequential([keras.layers.Conv2D(4, 3, padding='same'), keras.layers.Activation('relu')])
    inputs = keras.Input((8, 8, 3))
    outputs = keras.layers.Dense(5, activation='softmax')(keras.layers.GlobalAveragePooling2D()(block(inputs)))
    steps = model_checks.computation(keras.Model(inputs, outputs)).steps
    assert [step.kind for step in steps] == ['Conv2D', 'Activation', 'GlobalAveragePooling2D', 'Dense']
    assert model_checks.unseparated_layers(model_checks.computation(keras.Model(inputs, outputs))) == []


def test_two_linear_layers_in_a_row_are_found():
    model = _model(keras.layers.Conv2D(4, 3), keras.layers.MaxPooling2D(), keras.layers.BatchNormalization(),
                   keras.layers.Conv2D(4, 3, activation='relu'), keras.layers.Flatten(),
                   keras.layers.Dense(5, activation='softmax'))
    pairs = model_checks.unseparated_layers(model_checks.computation(model))
    assert [(first.kind, second.kind) for first, second in pairs] == [('Conv2D', 'Conv2D')]


@pytest.mark.parametrize('accuracies, line', [
    ([0.5, 0.97], "✓ Stage 3: validation accuracy 97% after 2 epochs (best 97%), the codelab's milestone is about "
                  '97%.'),
    ([0.42], "✗ Stage 3: validation accuracy 42% after 1 epoch (best 42%), below the codelab's milestone of about "
             '97%: train for all the epochs (EPOCHS), and check the model'),
])
def test_a_result_check_compares_with_the_milestone_in_one_line(accuracies, line, capsys):
    history = keras.callbacks.History()
    history.history = {'val_accuracy': accuracies}
    mnist_checks.check_stage_accuracy(3, history)
    output = capsys.readouterr().out
    assert output.startswith(line) and output.count('\n') == 1


def test_a_check_that_fails_on_an_unforeseen_answer_says_so_without_a_traceback(capsys):
    @answer_checks.never_raises('Fire module')
    def check_with_a_limit(answer):
        raise KeyError(answer)
    check_with_a_limit('an answer')
    assert capsys.readouterr().out.startswith("✗ Fire module: the check could not judge this answer (KeyError: "
                                              "'an answer').")
