"""Checks of the MNIST notebook: each stage's model and schedule, the data augmentation, each training's accuracy.

A stage's model is compared as the computation it performs with the layers
the codelab lists for that stage (utils/model_checks.py): Sequential or
functional, activations as arguments or as layers, blocks nested or not.
"""
import math

import keras
import numpy as np
import tensorflow as tf

from utils.answer_checks import never_raises, raised, report
from utils.model_checks import (
    ACTIVATION_LAYERS,
    PASS_THROUGH_LAYERS,
    activation_name,
    classifier_problems,
    computation,
    describe,
    is_weighted,
    measured_accuracy,
    output_activation,
    report_accuracy,
)

DIGIT_SHAPE = (28 * 28,)
DIGIT_CLASSES = list(range(10))
HIDDEN_SIZES = (200, 100, 60, 30)
CONVOLUTIONS = ["Conv2D(12, 3, activation='relu')", "Conv2D(24, 6, strides=2, activation='relu')",
                "Conv2D(32, 6, strides=2, activation='relu')"]
BATCH_NORM_RELU = ['BatchNormalization(center=True, scale=False)', "Activation('relu')"]
SOFTMAX_LAYER = "Dense(10, activation='softmax')"
# The layers of each stage, in the notation of model_checks.describe, as the codelab builds them.
STAGE_LAYERS = {
    2: [*(f"Dense({units}, activation='sigmoid')" for units in HIDDEN_SIZES), SOFTMAX_LAYER],
    3: [*(f"Dense({units}, activation='relu')" for units in HIDDEN_SIZES), SOFTMAX_LAYER],
    5: [*(layer for units in HIDDEN_SIZES for layer in (f"Dense({units}, activation='relu')", 'Dropout(0.25)')),
        SOFTMAX_LAYER],
    6: ['Reshape((28, 28, 1))', *CONVOLUTIONS, 'Flatten()', "Dense(200, activation='relu')", SOFTMAX_LAYER],
    7: ['Reshape((28, 28, 1))', *CONVOLUTIONS, 'Flatten()', "Dense(200, activation='relu')", 'Dropout(0.5)',
        SOFTMAX_LAYER],
    8: ['Reshape((28, 28, 1))',
        'Conv2D(12, 3, use_bias=False)', *BATCH_NORM_RELU,
        'Conv2D(24, 6, strides=2, use_bias=False)', *BATCH_NORM_RELU,
        'Conv2D(32, 6, strides=2, use_bias=False)', *BATCH_NORM_RELU,
        'Flatten()', 'Dense(200, use_bias=False)', *BATCH_NORM_RELU, 'Dropout(0.3)', SOFTMAX_LAYER],
}
STAGE_LAYERS[4] = STAGE_LAYERS[3]
# The optimizer and its learning rate at each stage (from stage 4 on: Adam at 0.01, then lr_decay).
STAGE_OPTIMIZERS = {2: ('SGD', 0.01), 3: ('Adam', 0.001)}
DECAYED_OPTIMIZER = ('Adam', 0.01)
# From stage 4 on, lr_decay(epoch) = 0.01 * decay**epoch.
STAGE_DECAY = {4: 0.6, 5: 0.6, 6: 0.6, 7: 0.6, 8: 0.666}
SCHEDULE_EPOCHS = 15
# Each training's milestone, the codelab's figure: (milestone, reached from, what to try below it).
TRAIN_LONGER = 'train for all the epochs (EPOCHS)'
STAGE_MILESTONES = {
    1: (0.90, 0.88, f'{TRAIN_LONGER}, running the model cell before the training cell.'),
    3: (0.97, 0.96, f'{TRAIN_LONGER}, and check the model: relu in the 4 hidden layers, the Adam optimizer.'),
    '4a': (0.97, 0.95, f'the noise is expected at this learning rate; {TRAIN_LONGER}.'),
    4: (0.98, 0.97, f'{TRAIN_LONGER}, and check the model: Adam at 0.01, lr_decay_callback in the callbacks of fit.'),
    5: (0.98, 0.965, f'{TRAIN_LONGER}, and check the model: a dropout of 0.25, not more.'),
    6: (0.99, 0.985, f'{TRAIN_LONGER}, and check the model: the 3 convolutions with padding="same" and their '
                     'strides.'),
    7: (0.99, 0.988, f'{TRAIN_LONGER}, and check the model: one Dropout(0.5), after the Dense(200) layer.'),
    8: (0.995, 0.992, 'train for all the epochs (BATCH_NORM_EPOCHS), and check the model: batch normalization '
                      'between each layer and its relu, batches of BATCH_NORM_BATCH_SIZE.'),
    9: (0.995, 0.992, 'train for all the epochs (AUGMENTATION_EPOCHS), and check augment above.'),
}
# Probe digits for check_augment: strokes in the middle, away from the border by MARGIN pixels.
MARGIN = 9
PROBE_DIGITS = 32
TRANSLATION = 0.1 * 28  # RandomTranslation(0.1, 0.1) moves a digit by at most this many pixels


def _layer_items(model_computation):
    """The model's layers as the stage lists them: [kind, what, activation] items, in order.

    An activation Step after a weighted layer without one is folded into it, a
    Dropout before a relu moves after it (the same computation), shapes that do
    not change are left out, and reshapes in a row count as the last one.
    """
    items = []
    for step in model_computation.steps:
        operation = step.operation
        if is_weighted(operation):
            items.append(['layer', operation, output_activation(operation)])
        elif step.kind == 'Dropout':
            if operation.rate:
                items.append(['dropout', operation, None])
        elif step.kind in ('Reshape', 'Flatten') or (step.kind == 'Lambda'
                                                     and step.output_shape != step.input_shapes[0]):
            if step.output_shape != step.input_shapes[0]:
                items.append(['reshape', step.output_shape[1:], None])
        elif step.kind == 'Activation' or step.kind in ACTIVATION_LAYERS or (
                step.kind not in PASS_THROUGH_LAYERS and len(step.input_shapes) == 1
                and step.output_shape == step.input_shapes[0] and not getattr(operation, 'weights', None)):
            name = activation_name(operation.activation if step.kind == 'Activation' else step)
            if name != 'linear':
                items.append(['activation', name or 'unknown', None])
        else:
            items.append(['other', operation, None])
    changed = True
    while changed:
        changed = False
        for index in range(len(items) - 1):
            first, second = items[index], items[index + 1]
            if first[0] == 'dropout' and second[:2] == ['activation', 'relu']:
                items[index], items[index + 1] = second, first
                changed = True
            elif first[0] == 'layer' and first[2] == 'linear' and second[0] == 'activation':
                items[index:index + 2] = [['layer', first[1], second[1]]]
                changed = True
            elif first[0] == 'reshape' and second[0] == 'reshape':
                del items[index]
                changed = True
            if changed:
                break
    return items


def _shown(item):
    kind, what, activation = item
    if kind == 'layer':
        return describe(what, activation)
    if kind == 'reshape':
        return 'Flatten()' if len(what) == 1 else f'Reshape({tuple(what)})'
    if kind == 'activation':
        return f"Activation('{what}')"
    if type(what).__name__ == 'BatchNormalization':  # its momentum is free
        return f'BatchNormalization(center={what.center}, scale={what.scale})'
    return describe(what)


def model_layers(model):
    """The model's layers in the notation of the stages (model_checks.describe), or None without a graph."""
    model_computation = computation(model)
    return None if model_computation is None else [_shown(item) for item in _layer_items(model_computation)]


def _layer_problems(found, expected):
    """The first difference between the model's layers and the stage's, as a hint."""
    for position, (want, have) in enumerate(zip(expected, found), start=1):
        if want != have:
            note = ''
            if position < len(expected) and expected[position].startswith('BatchNormalization') and \
                    'activation=' in have and 'activation=' not in want:
                note = (" Batch normalization goes between a layer and its activation: take the activation out "
                        "of the layer, and put Activation('relu') after the BatchNormalization.")
            return [f'layer {position} should be {want}, but it is {have}.{note} model.summary() lists the layers.']
    if len(found) < len(expected):
        return [f'{len(found)} layers instead of {len(expected)}: missing {", ".join(expected[len(found):])} '
                'at the end.']
    if len(found) > len(expected):
        return [f'{len(found)} layers instead of {len(expected)}: one too many at the end, '
                f'{", ".join(found[len(expected):])}.']
    return []


def _compile_problems(model, stage):
    """What is wrong with how the model is compiled for the stage: optimizer, learning rate, loss, metrics."""
    if not getattr(model, 'compiled', False) or getattr(model, 'optimizer', None) is None:
        return ['the model is not compiled: call model.compile(optimizer=..., loss=..., metrics=...) after '
                'building it.']
    problems = []
    name, learning_rate = STAGE_OPTIMIZERS.get(stage, DECAYED_OPTIMIZER)
    optimizer = model.optimizer
    try:
        have = float(optimizer.learning_rate)
    except Exception:  # a learning-rate schedule object
        have = math.nan
    if type(optimizer).__name__ != name or not math.isclose(have, learning_rate, rel_tol=1e-4):
        problems.append(f'compile with the {name} optimizer at learning rate {learning_rate:g} '
                        f'(keras.optimizers.{name}(learning_rate={learning_rate:g})); the model has '
                        f'{type(optimizer).__name__} at {have:g}.')
    problems += _loss_problems(model.loss)
    try:
        metrics = (model.get_compile_config() or {}).get('metrics') or []
    except Exception:  # compiled with objects Keras cannot describe: not judged
        return problems
    names = [metric if isinstance(metric, str) else (metric.get('config') or {}).get('name')
             for metric in metrics if isinstance(metric, (str, dict))]
    if 'accuracy' not in names:
        problems.append("compile with metrics=['accuracy']: the history then names it 'accuracy', which the live "
                        'chart and the table of the stages at the end read.')
    return problems


def _loss_problems(loss):
    """A problem unless the loss computes the categorical cross-entropy of one-hot labels and probabilities."""
    labels = np.eye(10, dtype=np.float32)[[3, 7]]
    probabilities = np.full([2, 10], 0.05, np.float32)
    probabilities[:, 3] = 0.55
    expected = float(np.mean(-np.log(np.sum(labels * probabilities, axis=-1))))
    try:
        value = float(np.mean(keras.ops.convert_to_numpy(keras.losses.get(loss)(labels, probabilities))))
    except Exception:  # a loss for other labels, or not a loss
        value = math.nan
    if not math.isclose(value, expected, rel_tol=1e-3):
        return ["the labels are one-hot vectors and the model outputs probabilities: compile with "
                "loss='categorical_crossentropy'."]
    return []


def _learning_rates(schedule, epochs):
    """schedule's learning rate at each epoch, called as keras.callbacks.LearningRateScheduler calls it."""
    rates, rate = [], DECAYED_OPTIMIZER[1]
    for epoch in range(epochs):
        try:
            rate = schedule(epoch, rate)
        except TypeError:  # a schedule of the epoch alone, as LearningRateScheduler allows
            rate = schedule(epoch)
        rates.append(float(rate))
    return rates


def _schedule_problems(lr_decay, decay):
    if lr_decay is None:
        return ['lr_decay is not defined yet.']
    try:
        rates = _learning_rates(lr_decay, SCHEDULE_EPOCHS)
    except Exception as error:  # the learner's function failed
        return [raised('lr_decay(epoch)', error, 'lr_decay(epoch) must return the learning rate, a number.')]
    for epoch, rate in enumerate(rates):
        want = 0.01 * decay ** epoch
        if not math.isclose(rate, want, rel_tol=0.02):
            return [f'lr_decay should return 0.01 * {decay}**epoch: at epoch {epoch} the learning rate should be '
                    f'{want:.4g}, but lr_decay gives {rate:.4g}. plot_learning_rate shows the whole curve.']
    return []


@never_raises('Stage')
def check_mnist_stage(stage, model, lr_decay=None):
    """Checks the model (and from stage 4 the learning-rate schedule) of an MNIST stage (2 to 8)."""
    expected = STAGE_LAYERS[stage]
    problems = classifier_problems(model, DIGIT_CLASSES, DIGIT_SHAPE)
    if not problems:
        problems = _layer_problems(model_layers(model), expected)
    problems += _compile_problems(model, stage)
    decay = STAGE_DECAY.get(stage)
    if decay is not None:
        problems += _schedule_problems(lr_decay, decay)
    schedule = f', learning rate 0.01 × {decay}^epoch' if decay is not None else ''
    report(f'Stage {stage}', problems, f'{len(expected)} layers as the codelab builds them, '
           f'{model.count_params():,} weights{schedule}.' if not problems else '')


def _probe_digits(count, seed):
    """`count` flat probe digits, each a different random pattern of strokes in the middle of the square."""
    rng = np.random.default_rng(seed)
    digits = np.zeros([count, 28, 28], np.float32)
    size = 28 - 2 * MARGIN
    digits[:, MARGIN:-MARGIN, MARGIN:-MARGIN] = rng.uniform(0.2, 1, [count, size, size]) * (
        rng.uniform(size=[count, size, size]) < 0.4)
    return digits.reshape(count, -1)


def _shifted(image, down, right):
    """The 28x28 image moved by (down, right) pixels, fractions interpolated linearly, zeros coming in."""
    result = image
    for axis, shift in ((0, down), (1, right)):
        whole, fraction = math.floor(shift), shift - math.floor(shift)
        moved = [np.roll(result, whole + extra, axis=axis) for extra in (0, 1)]
        for array, extra in zip(moved, (0, 1)):
            lost = whole + extra
            index = [slice(None)] * 2
            index[axis] = slice(0, lost) if lost > 0 else slice(28 + lost, 28)
            array[tuple(index)] = 0
        result = (1 - fraction) * moved[0] + fraction * moved[1]
    return result


def _centre(image):
    rows, columns = np.indices(image.shape)
    return np.array([np.sum(rows * image), np.sum(columns * image)]) / np.sum(image)


def _augmented(augment, digits):
    """augment applied to one batch of digits in a tf.data pipeline: (images, labels), or a problem."""
    labels = np.eye(10, dtype=np.float32)[np.arange(len(digits)) % 10]
    try:
        result = next(iter(tf.data.Dataset.from_tensors((digits, labels)).map(augment)))
    except Exception as error:  # the learner's function failed
        return None, raised('dataset.map(augment)', error,
                            'augment(digits, labels) gets a batch of flat digits and their labels, and returns '
                            'both, (images, labels).')
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        return None, ('augment must return the pair (images, labels): the training dataset gives both to the model; '
                      f'it returned {type(result).__name__}.')
    images, returned = (np.asarray(part) for part in result)
    if returned.shape != labels.shape or not np.array_equal(returned, labels):
        return None, 'augment must return the labels unchanged, as its second value: (images, labels).'
    if images.shape != digits.shape:
        return None, (f'augment must return the digits flat, as they came in, shape {digits.shape}: '
                      f'it returned shape {images.shape}. Reshape them back with tf.reshape(images, [-1, 28*28]).')
    return images, None


def _augment_problems(augment):
    if augment is None:
        return ['augment is None: no data augmentation yet. Write augment(digits, labels) with '
                "keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant').", ]
    digits = _probe_digits(PROBE_DIGITS, seed=7)
    moved, problem = _augmented(augment, digits)
    if problem:
        return [problem]
    if np.allclose(moved, digits, atol=1e-6):
        return ['augment returned the digits unchanged: the RandomTranslation layer moves them when called '
                'with training=True.']
    shifts, strangers = [], []
    for number, (digit, image) in enumerate(zip(digits, moved)):
        digit, image = digit.reshape(28, 28), image.reshape(28, 28)
        shift = _centre(image) - _centre(digit) if image.sum() > 0 else np.zeros(2)
        error = np.linalg.norm(_shifted(digit, *shift) - image) / np.linalg.norm(digit)
        if abs(image.sum() - digit.sum()) > 0.05 * digit.sum() or error > 0.25:
            strangers.append(number)
        else:
            shifts.append(shift)
    farthest = np.abs(shifts).max() if shifts else 0
    if farthest > 1.5 * TRANSLATION:
        return [f'a digit moved by {farthest:.1f} pixels: RandomTranslation(0.1, 0.1) moves them by at most 10% of '
                f'their 28 pixels, {TRANSLATION:.1f} (its factors are fractions of the height and width); shifted '
                'farther, digits leave the frame.']
    if strangers:
        return [f'augmented digit {strangers[0]} is not digit {strangers[0]} moved: reshape the batch to '
                '[-1, 28, 28, 1] (28x28 images with 1 channel, else RandomTranslation takes the batch for one image '
                'and mixes the digits), and move the digits with keras.layers.RandomTranslation only.']
    if np.ptp(np.array(shifts), axis=0).max() < 0.05:
        return ['all the digits of the batch moved together, by the same amount: each digit should move on its '
                'own. Reshape the batch to [-1, 28, 28, 1] (a batch of 28x28 images with 1 channel) for '
                'RandomTranslation.']
    gray, problem = _augmented(augment, np.full([16, 28 * 28], 0.5, np.float32))
    if problem:
        return [problem]
    if gray.min() > 0.1:
        return ["the pixels that come in at the border are not black, as around the digits: create the layer "
                "with RandomTranslation(0.1, 0.1, fill_mode='constant') (the default fill mode mirrors the image)."]
    return []


@never_raises('Data augmentation')
def check_augment(augment):
    """Checks MNIST's augment(digits, labels) in a tf.data pipeline, as training uses it, on probe digits.

    Each augmented digit must be its own digit moved by at most 10% of its size,
    each digit by its own shift, with black pixels coming in, and the labels
    unchanged.
    """
    report('Data augmentation', _augment_problems(augment), 'each digit moves on its own, by up to 10% of its size; '
           'the labels stay.')


@never_raises('Training result')
def check_stage_accuracy(stage, history):
    """Prints one line comparing the validation accuracy a stage reached with the codelab's figure for it."""
    if stage == 2:  # the stage that shows what does not work
        final, measured = measured_accuracy(history)
        print(f'✓ Stage 2: {measured}. The codelab expects no better than stage 1 here: in a deep network, the '
              'sigmoid and plain SGD learn very slowly. Stage 3 fixes both.' if final is not None
              else f'✗ Stage 2: {measured}')
        return
    milestone, reached_at, advice = STAGE_MILESTONES[stage]
    report_accuracy(f'Stage {stage}', history, milestone, reached_at, advice)
