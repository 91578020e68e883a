"""Checks of Part 2: the transfer-learning model, and the accuracy its training reached.

The model is judged by what it computes (utils/model_checks.py): what the
pretrained network receives from the images, which weights train, and what
comes after it.
"""
import numpy as np

from utils.answer_checks import never_raises, raised, report
from utils.data_sources import FLOWER_CLASSES
from utils.model_checks import (
    FLOWER_IMAGE_SHAPE,
    activation_problems,
    classifier_problems,
    computation,
    describe,
    is_backbone,
    measured_accuracy,
    report_accuracy,
    trainable_weight_count,
)

# Pretrained networks that expect their pixels in [-1, 1] (Keras's "tf" preprocessing), by name prefix.
MINUS_ONE_TO_ONE_NETWORKS = ('mobilenet', 'xception', 'inception', 'nasnet')
TRANSFER_MILESTONE = (0.75, 0.70)  # the codelab's figure after 10 epochs, and from where a run reaches it
RANDOM_WEIGHTS_ACCURACY = 0.25  # a network with random weights: about the share of the most common class


def _pretrained_step(model_computation):
    return next((step for step in model_computation.steps if is_backbone(step.operation)), None)


def _preprocessing_problems(model_computation, backbone):
    """A problem unless the pretrained network receives the [0, 1] images scaled to [-1, 1], as it expects."""
    if not backbone.operation.name.lower().startswith(MINUS_ONE_TO_ONE_NETWORKS):
        return []
    images = np.random.default_rng(0).uniform(size=(2, *FLOWER_IMAGE_SHAPE)).astype(np.float32)
    try:
        [received] = model_computation.inputs_of(backbone, [images])
        received = np.asarray(received, dtype=np.float32)
    except Exception as error:  # the learner's layers before the pretrained network fail
        return [raised('the layers before the pretrained network', error)]
    if received.shape == images.shape and np.allclose(received, 2 * images - 1, atol=1e-3):
        return []
    how = 'unchanged, in [0, 1]' if received.shape == images.shape and np.allclose(received, images, atol=1e-6) \
        else f'in [{received.min():.3g}, {received.max():.3g}]'
    return [f'{backbone.operation.name} expects its pixels in [-1, 1], but it receives the images {how} (they '
            'come in [0, 1]): put keras.layers.Rescaling(2.0, offset=-1.0) right before it.']


@never_raises('Transfer learning')
def check_transfer_model(model):
    """Checks Part 2's model: the images scaled for the frozen pretrained network, then a classifier that trains."""
    problems = classifier_problems(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE)
    model_computation = computation(model) if not problems else None
    backbone = _pretrained_step(model_computation) if model_computation else None
    if not problems and backbone is None:
        problems.append('there is no pretrained model inside yet: build mobilenet = pretrained_model(...), freeze '
                        'it, and put it in the model after the Rescaling layer.')
    if problems:
        report('Transfer learning', problems, '')
        return
    network, trainable = backbone.operation, trainable_weight_count(model)
    if trainable == 0:
        problems.append('0 weights train: nothing would learn. Freeze the pretrained model only '
                        '(mobilenet.trainable = False), not the whole model: the layers after it must train.')
    elif trainable_weight_count(network):
        problems.append(f'{network.name} is trainable: set mobilenet.trainable = False before compile, so that only '
                        'your layers train (and its weights are not wrecked by the first, large updates).')
    problems += _preprocessing_problems(model_computation, backbone)
    after = model_computation.steps[model_computation.steps.index(backbone) + 1:]
    problems += activation_problems(model_computation)
    report('Transfer learning', problems, f'{network.name} frozen, the images scaled to [-1, 1], then '
           f'{", ".join(describe(step.operation) for step in after)}: {trainable:,} weights train.')


@never_raises('Transfer learning')
def check_transfer_accuracy(history, model):
    """Prints one line comparing the validation accuracy reached with the codelab's figure (with ImageNet weights)."""
    model_computation = computation(model)
    backbone = _pretrained_step(model_computation) if model_computation else None
    if backbone is not None and getattr(backbone.operation, 'imagenet_weights', True) is False:
        final, measured = measured_accuracy(history)
        print(f'✗ Transfer learning: {measured}. The pretrained network has random weights here (its ImageNet '
              f'weights could not be loaded): about {RANDOM_WEIGHTS_ACCURACY:.0%} is all it can give. On Colab the '
              "weights load, and the codelab's milestone is 75%." if final is not None
              else f'✗ Transfer learning: {measured}')
        return
    report_accuracy('Transfer learning', history, *TRANSFER_MILESTONE,
                    'train for all the epochs (EPOCHS = 10), and check the model above: the pretrained network '
                    'frozen, with Rescaling(2.0, offset=-1.0) before it.')
