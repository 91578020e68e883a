"""What a Keras model computes, for the checks of the notebooks that build models.

A learner's model is judged as the computation it performs, whatever its
spelling: `computation(model)` follows the graph of a Sequential or functional
model, nested models and Sequential blocks included, down to its layers and
keras.ops functions (Steps). An activation counts the same as a layer argument,
an Activation layer, a ReLU or Softmax layer or a function, as it is
recognised by what it computes on probe values (`activation_name`); Input
layers do not count. A pretrained network inside the model stays one Step.
"""
import functools
import inspect

import keras
import numpy as np

from utils.answer_checks import raised, report
from utils.data_sources import TARGET_SIZE

FLOWER_IMAGE_SHAPE = (*TARGET_SIZE, 3)  # the flower photos that Parts 2 to 4 classify

# A nested model with more layers than this is a pretrained network: one Step, not expanded.
BACKBONE_LAYERS = 30
# Layers that pass a "linear" signal on as linear (or, for max-pooling, are no activation function).
PASS_THROUGH_LAYERS = {'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'GaussianNoise', 'GaussianDropout',
                       'AlphaDropout', 'Reshape', 'Flatten', 'Permute', 'BatchNormalization', 'Rescaling',
                       'Normalization', 'ZeroPadding2D', 'Cropping2D', 'GlobalAveragePooling2D',
                       'AveragePooling2D', 'MaxPooling2D', 'GlobalMaxPooling2D', 'Concatenate', 'Add',
                       'Average', 'Identity', 'UpSampling2D', 'InputLayer'}
ACTIVATION_LAYERS = {'ReLU', 'LeakyReLU', 'PReLU', 'ELU', 'Softmax'}
WEIGHT_NAMES = ('kernel', 'depthwise_kernel', 'pointwise_kernel')
# Probe values on which activation functions are recognised (softmax over the last axis).
ACTIVATION_PROBE = np.array([[-3.0, -1.0, -0.25, 0.0, 0.5, 2.0]], np.float32)
KNOWN_ACTIVATIONS = ('linear', 'relu', 'sigmoid', 'softmax', 'tanh', 'elu', 'selu', 'gelu', 'silu', 'softplus',
                     'leaky_relu', 'relu6', 'hard_sigmoid', 'softsign', 'exponential')


class Step:
    """One operation of a model's computation: a layer or a keras.ops function, and what it takes.

    `sources` has, for each input tensor, the (Step, output index) that makes
    it, or (None, index) for the model's input of that index.
    """

    def __init__(self, operation, node, sources):
        self.operation, self.node, self.sources = operation, node, sources
        self.input_shapes = [tuple(tensor.shape) for tensor in node.input_tensors]
        self.output_shape = tuple(node.output_tensors[0].shape)

    @property
    def kind(self):
        """The class name of the operation: 'Dense', 'Conv2D', 'Relu' (keras.ops.relu)..."""
        return type(self.operation).__name__

    @property
    def parents(self):
        """The Steps whose outputs this one takes (not the model's input)."""
        return [step for step, _ in self.sources if step is not None]

    def __call__(self, *inputs):
        """The operation applied to concrete inputs, one per input tensor, in inference mode."""
        values = {id(tensor): value for tensor, value in zip(self.node.input_tensors, inputs)}
        args, kwargs = self.node.arguments.fill_in(values)
        call = getattr(self.operation, 'call', None)
        if call is not None and 'training' in inspect.signature(call).parameters:
            kwargs = {**kwargs, 'training': False}
        outputs = self.operation(*args, **kwargs)
        return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


class Computation:
    """A model's Steps in the order they compute, and the (Step, index) pairs of its outputs."""

    def __init__(self, steps, outputs):
        self.steps, self.outputs = steps, outputs

    def consumers(self, step):
        """The Steps that take an output of `step`."""
        return [other for other in self.steps if any(source is step for source, _ in other.sources)]

    def of_kind(self, *kinds):
        """The Steps of these kinds ('Conv2D', 'Dense'...), in order."""
        return [step for step in self.steps if step.kind in kinds]

    def ancestors(self, step):
        """The Steps that `step` depends on."""
        found, stack = {}, list(step.parents)
        while stack:
            parent = stack.pop()
            if id(parent) not in found:
                found[id(parent)] = parent
                stack.extend(parent.parents)
        return list(found.values())

    def inputs_of(self, step, model_inputs):
        """The values that `step` gets when the model runs, in inference mode, on `model_inputs` (one per input)."""
        needed, values = {id(ancestor) for ancestor in self.ancestors(step)}, {}

        def value(source, index):
            return model_inputs[index] if source is None else values[id(source)]
        for current in self.steps:
            if id(current) in needed:
                values[id(current)] = current(*(value(*source) for source in current.sources))
        return [value(*source) for source in step.sources]


def _functional_graph(model):
    """The functional graph Keras keeps for a model (a Sequential's inner one), or None."""
    if isinstance(model, keras.Sequential):
        return getattr(model, '_functional', None)
    return model if isinstance(model, keras.Model) and hasattr(model, '_nodes_by_depth') else None


def is_backbone(operation):
    """True for a large nested network, such as a pretrained one: judged as one Step."""
    return _functional_graph(operation) is not None and len(operation.layers) > BACKBONE_LAYERS


def _expand(graph, input_sources, steps):
    """Appends the Steps of a functional graph to `steps`; returns the sources of its outputs."""
    known = {id(tensor): source for tensor, source in zip(graph.inputs, input_sources)}
    for depth in sorted(graph._nodes_by_depth, reverse=True):
        for node in graph._nodes_by_depth[depth]:
            operation = node.operation
            if isinstance(operation, keras.layers.InputLayer):
                continue
            sources = [known[id(tensor)] for tensor in node.input_tensors]
            inner = _functional_graph(operation)
            if inner is not None and not is_backbone(operation) and len(inner.inputs) == len(sources):
                outputs = _expand(inner, sources, steps)
            else:
                steps.append(Step(operation, node, sources))
                outputs = [(steps[-1], index) for index in range(len(node.output_tensors))]
            for tensor, source in zip(node.output_tensors, outputs):
                known[id(tensor)] = source
    return [known[id(tensor)] for tensor in graph.outputs]


def computation(model):
    """The model's Computation, or None when Keras keeps no graph of it (no keras.Input yet, or subclassed)."""
    graph = _functional_graph(model)
    if graph is None:
        return None
    steps = []
    outputs = _expand(graph, [(None, index) for index in range(len(graph.inputs))], steps)
    return Computation(steps, outputs)


@functools.cache
def _reference_activations():
    """{name: the activation's values on ACTIVATION_PROBE} for the activations Keras has."""
    values = {}
    for name in KNOWN_ACTIVATIONS:
        function = getattr(keras.activations, name, None)
        if function is not None:
            values[name] = keras.ops.convert_to_numpy(function(keras.ops.convert_to_tensor(ACTIVATION_PROBE)))
    return values


def activation_name(function):
    """The name of the activation that `function` computes ('relu', 'softmax', 'linear'...), or None.

    Recognised by its values on probe inputs: keras.activations.relu, tf.nn.relu,
    'relu', ReLU() and Activation('relu') are all 'relu'. None for a function not
    recognised, or that fails on a small 2-D input.
    """
    if function is None:
        return 'linear'
    try:
        values = keras.ops.convert_to_numpy(function(keras.ops.convert_to_tensor(ACTIVATION_PROBE)))
    except Exception:  # a function for other shapes: not recognised
        return None
    for name, reference in _reference_activations().items():
        if np.shape(values) == reference.shape and np.allclose(values, reference, atol=1e-3):
            return name
    return None


def is_weighted(operation):
    """True for a layer that multiplies by a weight matrix or kernel: Dense, Conv2D, SeparableConv2D..."""
    for name in WEIGHT_NAMES:
        try:
            if getattr(operation, name, None) is not None:
                return True
        except Exception:  # a kernel property of a layer not built
            continue
    return False


def output_activation(operation):
    """The name of the activation a weighted layer applies to its output ('linear' if none)."""
    return activation_name(getattr(operation, 'activation', None))


def _probe_inputs(step, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=[2, *[size or 8 for size in shape[1:]]]).astype(np.float32)
            for shape in step.input_shapes]


def is_affine(step):
    """True if the Step computes an affine function of its inputs (at inference), by probing it; None if it fails."""
    try:
        x, y = _probe_inputs(step, 1), _probe_inputs(step, 2)
        fx, fy = (keras.ops.convert_to_numpy(step(*inputs)) for inputs in (x, y))
        for weight in (0.3, 2.5):
            mixed = keras.ops.convert_to_numpy(step(*[weight * a + (1 - weight) * b for a, b in zip(x, y)]))
            expected = weight * fx + (1 - weight) * fy
            if not np.allclose(mixed, expected, rtol=1e-3, atol=1e-3 * (1 + np.abs(expected).max())):
                return False
        return True
    except Exception:  # an operation that does not take such inputs: not known to be affine
        return None


def passes_linear_signal(step):
    """True if a Step between two weighted layers leaves them with no activation function between them."""
    if step.kind in PASS_THROUGH_LAYERS or step.kind.startswith(('MaxPool', 'GlobalMaxPool')):
        return True
    if is_weighted(step.operation) or step.kind in ACTIVATION_LAYERS or is_backbone(step.operation):
        return False
    if step.kind == 'Activation':
        return activation_name(step.operation.activation) == 'linear'
    if getattr(step.operation, '_layers', None):  # a layer of the learner's, made of layers: not looked into
        return False
    return bool(is_affine(step))


def unseparated_layers(model_computation):
    """Pairs (earlier, later) of weighted Steps with no activation function between them, on some path.

    Two linear layers in a row compute no more than one. A depthwise
    convolution followed by a 1x1 convolution (a separable convolution) is
    not counted.
    """
    pairs = []
    for step in model_computation.steps:
        if not is_weighted(step.operation):
            continue
        stack, seen = list(step.parents), set()
        while stack:
            parent = stack.pop()
            if id(parent) in seen:
                continue
            seen.add(id(parent))
            if is_weighted(parent.operation):
                separable = parent.kind == 'DepthwiseConv2D' and tuple(getattr(step.operation, 'kernel_size', ())) \
                    == (1, 1)
                if output_activation(parent.operation) == 'linear' and not separable:
                    pairs.append((parent, step))
            elif passes_linear_signal(parent):
                stack.extend(parent.parents)
    return pairs


def _size(value):
    """A kernel size or stride as the codelab writes it: 3 for (3, 3)."""
    value = tuple(value)
    return str(value[0]) if len(set(value)) == 1 else str(value)


def describe(operation, activation=None):
    """A layer in the codelab's notation, e.g. "Dense(200, activation='relu')".

    `activation` overrides the layer's own (for a layer and the activation Step after it).
    """
    name = type(operation).__name__
    if activation is None and is_weighted(operation):
        activation = output_activation(operation)
    shown_activation = f", activation='{activation or 'unknown'}'" if activation != 'linear' and \
        is_weighted(operation) else ''
    no_bias = ', use_bias=False' if getattr(operation, 'use_bias', True) is False else ''
    if name == 'Dense':
        return f'Dense({operation.units}{shown_activation}{no_bias})'
    if name in ('Conv2D', 'SeparableConv2D', 'DepthwiseConv2D'):
        filters = f'{operation.filters}, ' if name != 'DepthwiseConv2D' else ''
        strides = f', strides={_size(operation.strides)}' if tuple(operation.strides) != (1, 1) else ''
        padding = '' if operation.padding == 'same' else f", padding='{operation.padding}'"
        return f'{name}({filters}{_size(operation.kernel_size)}{strides}{padding}{shown_activation}{no_bias})'
    if name == 'Dropout':
        return f'Dropout({operation.rate:g})'
    if name == 'BatchNormalization':
        momentum = f', momentum={operation.momentum:g}' if operation.momentum != 0.99 else ''
        return f'BatchNormalization(center={operation.center}, scale={operation.scale}{momentum})'
    if name == 'Activation':
        return f"Activation('{activation_name(operation.activation) or 'unknown'}')"
    if name == 'Reshape':
        return f'Reshape({tuple(operation.target_shape)})'
    if name in ('MaxPooling2D', 'AveragePooling2D'):
        pool = _size(operation.pool_size)
        return f'{name}({pool})' if pool != '2' else f'{name}()'
    return f'{name}()'


def classifier_problems(model, classes, input_shape):
    """What keeps `model` from classifying inputs of `input_shape` into the classes, as a list of problems.

    Without this check, a wrong first or last layer only fails inside
    model.fit, with a message about tensor shapes, and a missing softmax does
    not fail at all: the loss is then computed on numbers that are not
    probabilities. The model runs once on two random inputs.
    """
    try:
        inputs, outputs = model.inputs, model.outputs
    except (AttributeError, ValueError):  # a Sequential not built yet, or a subclassed model
        inputs = outputs = None
    if not outputs:
        return ['the model has no defined input yet: start it with keras.Input(shape=...), so that Keras knows '
                'the shape of its input.']
    given = tuple(inputs[0].shape[1:])
    if len(inputs) != 1 or given != tuple(input_shape):
        return [f'the model takes inputs of shape {given}, but the data has shape {tuple(input_shape)}: start it '
                f'with keras.Input(shape={list(input_shape)}).']
    shape = tuple(outputs[0].shape)
    if len(outputs) != 1 or len(shape) != 2 or shape[-1] != len(classes):
        return [f'the model outputs shape {shape}, but there are {len(classes)} classes: its last layer should be '
                f'Dense({len(classes)}, activation="softmax"), giving shape (None, {len(classes)}) (and a 3-D '
                'block of features needs Flatten() or GlobalAveragePooling2D() before it).']
    probe = np.random.default_rng(0).uniform(size=(2, *input_shape)).astype(np.float32)
    try:
        probabilities = keras.ops.convert_to_numpy(model(probe, training=False)).astype(np.float32)
    except Exception as error:  # the learner's model fails on an input of the right shape
        return [raised('the model, on two random inputs,', error)]
    if not (np.all(probabilities >= -1e-6) and np.allclose(probabilities.sum(axis=-1), 1, atol=1e-2)):
        steps = computation(model)
        last = describe(steps.outputs[0][0].operation) if steps and steps.outputs[0][0] else 'the last layer'
        return [f'the last layer, {last}, does not output probabilities: give it activation="softmax", so that '
                f'the {len(classes)} outputs are positive and add up to 1.']
    return []


def classifier_computation(model, classes, input_shape, topic):
    """The model's computation (see `computation`), or None after reporting under `topic` why it cannot classify."""
    problems = classifier_problems(model, classes, input_shape)
    model_computation = computation(model) if not problems else None
    if problems or model_computation is None:
        report(topic, problems, '')
    return model_computation


def _softmax_inside(model_computation):
    """The Steps that apply a softmax but do not make the model's output."""
    outputs = [step for step, _ in model_computation.outputs]
    found = []
    for step in model_computation.steps:
        if any(step is output for output in outputs):
            continue
        if is_weighted(step.operation):
            name = output_activation(step.operation)
        elif step.kind == 'Activation':
            name = activation_name(step.operation.activation)
        else:
            name = 'softmax' if step.kind == 'Softmax' else None
        if name == 'softmax':
            found.append(step)
    return found


def activation_problems(model_computation):
    """Problems with the activation functions: none between two weighted layers, or a softmax inside the model."""
    pairs, problems = unseparated_layers(model_computation), []
    for earlier in {id(earlier): earlier for earlier, _ in pairs}.values():
        later = ', '.join(describe(step.operation) for first, step in pairs if first is earlier)
        problems.append(f'no activation function between {describe(earlier.operation)} and {later}: two linear '
                        "layers in a row compute no more than one. Give the first one activation='relu' (or follow "
                        "it with an Activation('relu') layer).")
    inside = _softmax_inside(model_computation)
    if inside:
        problems.append(f'{describe(inside[0].operation)}{f" and {len(inside) - 1} more" if len(inside) > 1 else ""}'
                        " apply a softmax inside the network: softmax belongs to the last layer only, where it turns "
                        "the outputs into probabilities. Use activation='relu' inside.")
    return problems


def trainable_weight_count(model):
    """The number of weights that training changes."""
    return sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)


def _percent(value):
    return f'{100 * value:.1f}%'.replace('.0%', '%')


def measured_accuracy(history):
    """(final validation accuracy, what was measured, in words) of a training, or (None, why there is none).

    `history` is what model.fit returned.
    """
    accuracies = (getattr(history, 'history', None) or {}).get('val_accuracy')
    if not accuracies:
        return None, ('no validation accuracy was measured: compile with metrics=["accuracy"] and train with '
                      'validation_data.')
    epochs = len(accuracies)
    return accuracies[-1], (f'validation accuracy {_percent(accuracies[-1])} after {epochs} '
                            f'epoch{"s" if epochs > 1 else ""} (best {_percent(max(accuracies))})')


def report_accuracy(topic, history, milestone, reached_at, advice):
    """Prints one line comparing a training's validation accuracy with the codelab's milestone for it.

    `reached_at` is the validation accuracy from which the run counts as
    reaching the milestone; `advice` what to try when it does not.
    """
    final, measured = measured_accuracy(history)
    if final is None:
        print(f'✗ {topic}: {measured}')
    elif final >= reached_at:
        print(f"✓ {topic}: {measured}, the codelab's milestone is about {_percent(milestone)}.")
    else:
        print(f"✗ {topic}: {measured}, below the codelab's milestone of about {_percent(milestone)}: {advice}")
