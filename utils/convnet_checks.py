"""Checks of Part 3: the convnet the learner designs, and the accuracy its training reached.

The design is free: the check accepts any reasonable convnet, whatever its
spelling (utils/model_checks.py), and flags only what keeps it from learning
well: too few or too many weights, an oversized dense layer, linear layers in
a row, no shrinking of the image.
"""
from utils.answer_checks import never_raises, report
from utils.data_sources import FLOWER_CLASSES
from utils.model_checks import (
    FLOWER_IMAGE_SHAPE,
    activation_problems,
    classifier_computation,
    computation,
    describe,
    report_accuracy,
)

CONVOLUTIONS = ('Conv2D', 'SeparableConv2D', 'DepthwiseConv2D')
SHRINKING = ('MaxPooling2D', 'AveragePooling2D')
FEWEST_WEIGHTS, MOST_WEIGHTS, LARGEST_DENSE = 10_000, 1_000_000, 200_000
FEWEST_CONVOLUTIONS = 3
# The codelab's milestones, by design: (what the design is, milestone, reached from, what to try next).
TRAIN_LONGER = 'train for all the epochs (EPOCHS)'
DESIGN_MILESTONES = {
    'one convolution': (0.40, 0.35, f'{TRAIN_LONGER}; the next step: a stack of convolutions and max-poolings.'),
    'a Flatten head': (0.60, 0.55, f'{TRAIN_LONGER}; the next step: GlobalAveragePooling2D instead of Flatten and '
                                   'its large dense layer.'),
    'global average pooling': (0.60, 0.55, f'{TRAIN_LONGER}; the next step: 1x1 convolutions between the 3x3 ones.'),
    '1x1 convolutions': (0.70, 0.65, f'{TRAIN_LONGER}; the next step: batch normalization after the convolutions.'),
    'batch normalization and 1x1 convolutions': (
        0.75, 0.70, f'{TRAIN_LONGER}; if the validation accuracy stalls while the training accuracy climbs, the '
                    'model over-fits: fewer weights, or more augmentation.'),
}


def _convolutions(model_computation):
    return model_computation.of_kind(*CONVOLUTIONS)


def _shrinks(model_computation):
    """The Steps that make the image smaller: poolings and strided convolutions."""
    return [step for step in model_computation.steps if step.kind in SHRINKING or (
        step.kind in CONVOLUTIONS and max(step.operation.strides) > 1)]


@never_raises('Convnet')
def check_convnet(model):
    """Checks Part 3's convnet: a classifier of the photos, enough convolutions, a sensible size, activations."""
    model_computation = classifier_computation(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE, 'Convnet')
    if model_computation is None:
        return
    problems = []
    count, convolutions = model.count_params(), _convolutions(model_computation)
    if count < FEWEST_WEIGHTS:
        problems.append(f"{count:,} weights is too few to tell flowers apart: the codelab's design with global "
                        'average pooling had about 50,000, our solution has 294,661. Add convolutional layers, '
                        'with more filters.')
    if count > MOST_WEIGHTS:
        problems.append(f'{count:,} weights: over {MOST_WEIGHTS:,}, the network memorises the 3,000 training photos '
                        'instead of learning flowers. Shrink the image with max-pooling, or the filters.')
    for step in model_computation.of_kind('Dense'):
        if step.operation.count_params() > LARGEST_DENSE:
            problems.append(f'{describe(step.operation)} has {step.operation.count_params():,} weights, most of the '
                            'network: replace Flatten by GlobalAveragePooling2D (after a 1x1 convolution if needed).')
    if len(convolutions) < FEWEST_CONVOLUTIONS:
        problems.append(f'{len(convolutions)} convolutional layer(s): stack more (our solution has 7), with '
                        'max-pooling between some of them.')
    if not _shrinks(model_computation):
        problems.append('nothing shrinks the image: every layer computes on all 192x192 pixels, slowly, and each '
                        'neuron sees only a small patch. Put MaxPooling2D layers between the convolutions.')
    problems += activation_problems(model_computation)
    report('Convnet', problems, f'{count:,} weights, {len(convolutions)} convolutions, '
           f'{len(_shrinks(model_computation))} poolings, no oversized dense layer.')


def _design(model_computation):
    """Which of the codelab's steps the design is at (a key of DESIGN_MILESTONES)."""
    convolutions = _convolutions(model_computation)
    if len(convolutions) <= 1:
        return 'one convolution'
    if any(step.operation.count_params() > LARGEST_DENSE for step in model_computation.of_kind('Dense')) or \
            model_computation.of_kind('Flatten'):
        return 'a Flatten head'
    if not any(tuple(step.operation.kernel_size) == (1, 1) for step in convolutions):
        return 'global average pooling'
    if not model_computation.of_kind('BatchNormalization'):
        return '1x1 convolutions'
    return 'batch normalization and 1x1 convolutions'


@never_raises('Convnet')
def check_convnet_accuracy(history, model):
    """Prints one line comparing the validation accuracy reached with the codelab's milestone for this design."""
    model_computation = computation(model)
    design = _design(model_computation) if model_computation else 'batch normalization and 1x1 convolutions'
    milestone, reached_at, advice = DESIGN_MILESTONES[design]
    report_accuracy(f'Convnet ({design})', history, milestone, reached_at, advice)
