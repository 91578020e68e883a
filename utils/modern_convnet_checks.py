"""Checks of Part 4: the fire module, the squeezenet, the fine-tuning schedule and model, and the accuracies reached.

fire(x, squeeze, expand) is built at several sizes and judged on the
computation it performs (utils/model_checks.py); lr_fn is called with the
notebook's schedule settings and with others, a sustain among them.
"""
import math

import keras
import numpy as np

from utils.answer_checks import never_raises, raised, report
from utils.data_sources import FLOWER_CLASSES
from utils.model_checks import (
    FLOWER_IMAGE_SHAPE,
    activation_problems,
    classifier_computation,
    computation,
    describe,
    is_weighted,
    measured_accuracy,
    passes_linear_signal,
    report_accuracy,
    trainable_weight_count,
)

CONVOLUTIONS = ('Conv2D', 'SeparableConv2D')
ACTIVATIONS = ('Activation', 'ReLU', 'Relu')
# (squeeze, expand) sizes at which fire is built: squeeze smaller, equal to expand / 2, larger.
FIRE_SIZES = ((4, 24), (8, 16), (12, 8))
FIRE_INPUT_SHAPE = (12, 12, 10)
BATCH_NORM_MOMENTUM = 0.9  # the codelab's, for every batch normalization of the squeezenet
FEWEST_FIRE_MODULES, FEWEST_POOLINGS = 2, 2
SQUEEZENET_MILESTONE = (0.80, 0.77)  # the codelab's goal within 35 epochs, and from where a run reaches it
FINE_TUNING_MILESTONE = (0.95, 0.93)  # the codelab's figure after 12 epochs on a TPU
FINE_TUNING_EPOCHS = 12
LR_NAMES = ('LR_START', 'LR_MIN', 'LR_MAX', 'LR_RAMPUP_EPOCHS', 'LR_SUSTAIN_EPOCHS', 'LR_EXP_DECAY')


def _convolution_sources(step):
    """The convolutions (or None, the module's input) whose outputs reach `step` through no other convolution."""
    found, stack, seen = [], [(source, index) for source, index in step.sources], set()
    while stack:
        source, _ = stack.pop()
        if source is None or source.kind in CONVOLUTIONS:
            if all(source is not other for other in found):
                found.append(source)
        elif id(source) not in seen:
            seen.add(id(source))
            stack.extend(source.sources)
    return found


def _normalised_after(model_computation, step):
    """The BatchNormalization Step that follows a convolution (through its activation, or a concatenation), or None.

    Batch normalization works channel by channel: after a concatenation, it is
    the same as after each of the branches.
    """
    current = step
    while True:
        consumers = model_computation.consumers(current)
        if len(consumers) != 1:
            return None
        current = consumers[0]
        if current.kind == 'BatchNormalization':
            return current
        if is_weighted(current.operation) or current.kind == 'Add' or \
                not passes_linear_signal(current) and current.kind not in ACTIVATIONS:
            return None


def _batch_norm_problems(model_computation):
    """Problems with the batch normalization after each convolution: missing, or not at momentum 0.9."""
    convolutions = model_computation.of_kind(*CONVOLUTIONS)
    missing = [step for step in convolutions if _normalised_after(model_computation, step) is None]
    problems = []
    if missing:
        problems.append(f'{len(missing)} of the {len(convolutions)} convolutions are not followed by '
                        f'layers.BatchNormalization(momentum={BATCH_NORM_MOMENTUM}), {describe(missing[0].operation)} '
                        'among them.')
    momentums = sorted({step.operation.momentum for step in model_computation.of_kind('BatchNormalization')
                        if not math.isclose(step.operation.momentum, BATCH_NORM_MOMENTUM)})
    if momentums:
        problems.append(f'batch normalization at momentum {", ".join(f"{value:g}" for value in momentums)}: the '
                        f'codelab uses layers.BatchNormalization(momentum={BATCH_NORM_MOMENTUM}), whose averages '
                        'follow the training faster, as this short training needs.')
    return problems


def _joining_step(step):
    """The Step that joins the branches of a module ending with `step`: back through batch norm and activations."""
    while step is not None and len(step.sources) == 1 and step.kind != 'Concatenate' and (
            step.kind in ACTIVATIONS or step.kind == 'BatchNormalization'):
        step = step.sources[0][0]
    return step


def _fire_problems(fire, squeeze, expand):
    """What is wrong with fire(x, squeeze, expand), built on a small input."""
    x = keras.Input(shape=FIRE_INPUT_SHAPE)
    try:
        module = keras.Model(x, fire(x, squeeze, expand))
    except Exception as error:  # the learner's function failed
        return [raised(f'fire(x, {squeeze}, {expand})', error,
                       'fire(x, squeeze, expand) returns layers.concatenate of the two expand branches.')]
    if len(module.outputs) != 1:
        return [f'fire returns {len(module.outputs)} tensors: return one, layers.concatenate([y1, y3]).']
    model_computation = computation(module)
    convolutions = model_computation.of_kind(*CONVOLUTIONS)
    squeezes = [step for step in convolutions if _convolution_sources(step) == [None]]
    if len(squeezes) != 1 or tuple(squeezes[0].operation.kernel_size) != (1, 1) or \
            squeezes[0].operation.filters != squeeze:
        first = ', '.join(describe(step.operation) for step in squeezes) or 'no convolution'
        return [f'the input should go through one 1x1 convolution of squeeze = {squeeze} filters first; it goes '
                f'through {first}.']
    expands = [step for step in convolutions if _convolution_sources(step) == squeezes]
    chained = [step for step in convolutions if step not in squeezes + expands]
    problems = []
    if chained:
        problems.append(f'{describe(chained[0].operation)} takes the output of another expand convolution: the two '
                        'expand convolutions must be side by side, both taking the squeeze convolution\'s output.')
    found = sorted((tuple(step.operation.kernel_size), step.operation.filters) for step in expands + chained)
    if found != [((1, 1), expand // 2), ((3, 3), expand // 2)]:
        problems.append(f'after the squeeze, a 1x1 and a 3x3 convolution of expand // 2 = {expand // 2} filters '
                        'each, side by side; found ' + (', '.join(f'{size[0]}x{size[1]} with {filters}'
                                                                  for size, filters in found) or 'none') + '.')
    shape, last = tuple(module.outputs[0].shape), _joining_step(model_computation.outputs[0][0])
    if shape != (None, *FIRE_INPUT_SHAPE[:2], expand) or last is None or last.kind != 'Concatenate':
        problems.append('the module should end with layers.concatenate of the two expand branches, '
                        f'{expand} channels; it ends with {describe(last.operation) if last else "its input"}, '
                        f'output shape {shape}.')
    problems += _batch_norm_problems(model_computation)
    problems += activation_problems(model_computation)
    return problems


@never_raises('Fire module')
def check_fire_module(fire):
    """Builds fire(x, squeeze, expand) at several sizes and checks the computation of each."""
    for squeeze, expand in FIRE_SIZES:
        problems = _fire_problems(fire, squeeze, expand)
        if problems:
            report('Fire module', [f'with squeeze={squeeze}, expand={expand}: {problem}' for problem in problems], '')
            return
    report('Fire module', [], 'a 1x1 squeeze convolution, then 1x1 and 3x3 expand convolutions side by side, '
           'concatenated, batch normalization after every convolution (tried at '
           f'{", ".join(f"{squeeze}/{expand}" for squeeze, expand in FIRE_SIZES)}).')


def _fire_sizes(concatenation):
    """(squeeze, expand) of a fire module, from its concatenation Step ((0, 1) if it has no single squeeze)."""
    expands = [step for step in _convolution_sources(concatenation) if step is not None]
    squeezes = {id(step): step for expand in expands for step in _convolution_sources(expand) if step is not None}
    if len(squeezes) != 1:
        return 0, 1
    return next(iter(squeezes.values())).operation.filters, concatenation.output_shape[-1]


@never_raises('Squeezenet')
def check_squeezenet(model):
    """Checks a squeezenet: a classifier of the photos, fire modules and poolings, batch norm, activations."""
    model_computation = classifier_computation(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE, 'Squeezenet')
    if model_computation is None:
        return
    problems = []
    fire_modules = [step for step in model_computation.of_kind('Concatenate') if len(step.sources) > 1]
    poolings = [step for step in model_computation.steps if step.kind in ('MaxPooling2D', 'AveragePooling2D') or (
        step.kind in CONVOLUTIONS and max(step.operation.strides) > 1)]
    if len(fire_modules) < FEWEST_FIRE_MODULES:
        problems.append(f'{len(fire_modules)} fire module(s): the codelab suggests several, 1 to 3 between '
                        'max-poolings.')
    if len(poolings) < FEWEST_POOLINGS:
        problems.append(f'{len(poolings)} max-pooling layer(s): use 2 to 4, so that the later modules see smaller '
                        'images (and compute faster).')
    if not model_computation.of_kind('GlobalAveragePooling2D', 'GlobalMaxPooling2D'):
        problems.append('end with GlobalAveragePooling2D, then the Dense softmax layer: it averages each channel '
                        'of the last module into one value, with no weights (Flatten would feed every position to '
                        'the dense layer).')
    wide = [(squeeze, expand) for squeeze, expand in map(_fire_sizes, fire_modules) if squeeze >= expand]
    if wide:
        problems.append(f'a fire module squeezes to {wide[0][0]} channels and expands to {wide[0][1]}: the squeeze '
                        'layer is the narrow one, squeeze smaller than expand, as in fire_module(24, 48).')
    problems += _batch_norm_problems(model_computation)
    problems += activation_problems(model_computation)
    report('Squeezenet', problems, f'{len(fire_modules)} fire modules, {len(poolings)} max-poolings, '
           f'{model.count_params():,} weights.')


@never_raises('Squeezenet')
def check_squeezenet_accuracy(history):
    """Prints one line comparing the squeezenet's validation accuracy with the codelab's goal, 80%."""
    report_accuracy('Squeezenet', history, *SQUEEZENET_MILESTONE,
                    'train for all the epochs (EPOCHS = 35) with AUGMENT = True, and check the squeezenet above: '
                    'batch normalization (momentum=0.9) after every convolution.')


def _expected_rate(epoch, start, minimum, maximum, rampup_epochs, sustain_epochs, decay):
    if epoch < rampup_epochs:
        return start + (maximum - start) * epoch / rampup_epochs
    if epoch < rampup_epochs + sustain_epochs:
        return maximum
    return (maximum - minimum) * decay ** (epoch - rampup_epochs - sustain_epochs) + minimum


def _schedule_problem(lr_fn, settings):
    """The first epoch at which lr_fn, with the LR_ settings of `settings`, differs from the formula: a problem."""
    rampup_epochs, sustain_epochs = settings[3], settings[4]
    for epoch in range(rampup_epochs + sustain_epochs + 8):
        want = _expected_rate(epoch, *settings)
        try:
            have = float(lr_fn(epoch))
        except Exception as error:  # the learner's function failed
            return raised(f'lr_fn({epoch})', error, 'lr_fn(epoch) must return the learning rate, a number.')
        if not math.isclose(have, want, rel_tol=1e-6, abs_tol=1e-12):
            phase = ('the ramp-up: LR_START + (LR_MAX - LR_START) * epoch / LR_RAMPUP_EPOCHS' if epoch < rampup_epochs
                     else 'the sustain: LR_MAX for LR_SUSTAIN_EPOCHS epochs after the ramp-up'
                     if epoch < rampup_epochs + sustain_epochs else
                     'the decay: (LR_MAX - LR_MIN) * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS)'
                     ' + LR_MIN')
            given = ', '.join(f'{name} = {value:g}' for name, value in zip(LR_NAMES, settings))
            return (f'with {given}, lr_fn({epoch}) should be {want:.4g}, but it is {have:.4g}: epoch {epoch} is in '
                    f'{phase}. plot_learning_rate shows the whole curve.')
    return None


@never_raises('Learning-rate function')
def check_lr_fn(lr_fn, start, minimum, maximum, rampup_epochs, sustain_epochs, decay):
    """Checks lr_fn against the ramp-up, sustain and exponential-decay formula, with these settings and others.

    The other settings (a sustain of 3 epochs; another start, minimum, maximum,
    ramp-up and decay) are set in the LR_ variables that lr_fn reads, then
    restored.
    """
    variants = [(start, minimum, maximum, rampup_epochs, sustain_epochs, decay),
                (start, minimum, maximum, rampup_epochs, 3, decay),
                (start * 2, minimum / 2, maximum * 3, 3, 2, 0.7)]
    names = getattr(lr_fn, '__globals__', {})
    saved = {name: names[name] for name in LR_NAMES if name in names}
    problem = None
    try:
        for settings in variants:
            names.update({name: value for name, value in zip(LR_NAMES, settings) if name in saved})
            problem = _schedule_problem(lr_fn, settings)
            if problem:
                break
    finally:
        names.update(saved)
    report('Learning-rate function', [problem] if problem else [],
           f'ramp-up to {maximum:g} in {rampup_epochs} epochs, then decay by {decay} per epoch (and right with a '
           'sustain, and with other settings).')


def _trainable_capable(network):
    """The number of the network's weights that can train: all but batch normalization's moving averages."""
    return sum(int(np.prod(weight.shape)) for weight in network.weights
               if not weight.path.endswith(('moving_mean', 'moving_variance')))


@never_raises('Fine-tuning')
def check_fine_tuning(pretrained):
    """Checks that all of a pretrained network's weights train: fine-tuning."""
    trainable, capable = trainable_weight_count(pretrained), _trainable_capable(pretrained)
    problems = []
    if not trainable:
        problems.append(f'{pretrained.name} is frozen: set xception.trainable = True to fine-tune it.')
    elif trainable < 0.99 * capable:
        problems.append(f'only {trainable:,} of the {capable:,} weights of {pretrained.name} train: set '
                        'xception.trainable = True, for all of them.')
    report('Fine-tuning', problems, f'{trainable:,} weights of {pretrained.name} train.')


@never_raises('Fine-tuning')
def check_fine_tuning_accuracy(history, pretrained):
    """Prints one line comparing the fine-tuned model's validation accuracy with the codelab's, above 95%."""
    final, measured = measured_accuracy(history)
    epochs, steps = len(getattr(history, 'epoch', [])), (getattr(history, 'params', None) or {}).get('steps')
    if final is not None and getattr(pretrained, 'imagenet_weights', True) is False:
        print(f'✗ Fine-tuning: {measured}. Xception has random weights here (its ImageNet weights could not be '
              "loaded): there is nothing to fine-tune. On Colab they load, and the codelab's figure is above 95%.")
    elif final is not None and final < FINE_TUNING_MILESTONE[1] and epochs < FINE_TUNING_EPOCHS:
        print(f'✗ Fine-tuning: {measured}, in a short run of {epochs} epoch(s) of {steps} steps: the codelab '
              f'reached above 95% in {FINE_TUNING_EPOCHS} full epochs, on a TPU. Run it on a GPU or TPU runtime, or '
              'set FULL_FINE_TUNING_ON_CPU = True (hours).')
    else:
        report_accuracy('Fine-tuning', history, *FINE_TUNING_MILESTONE,
                        f'train for all {FINE_TUNING_EPOCHS} epochs, with lr_fn as the learning-rate schedule.')
