"""Check the learner's answers: one short call after each exercise, printing ✓ or a hint.

A check prints "✓ ..." when the answer does what the exercise asks, and
"✗ ..." with what is wrong and how to see it otherwise. It raises only when
the next cells could not run at all (a model whose output does not fit the
labels: `check_classifier`), so a playground as shipped runs to the end.
"""
import math
import pathlib

import keras
import numpy as np
import tensorflow as tf

from utils.data_sources import FLOWER_CLASSES, TARGET_SIZE

FLOWER_IMAGE_SHAPE = (*TARGET_SIZE, 3)


def report(topic, problems, success):
    """Prints '✓ topic: success', or one '✗ topic: problem' line per problem."""
    for problem in problems:
        print(f'✗ {topic}: {problem}')
    if not problems:
        print(f'✓ {topic}: {success}')


def describe(layer):
    """A layer in the codelab's notation, e.g. "Dense(200, activation='relu')"."""
    config = layer.get_config()
    name = type(layer).__name__
    activation = f", activation='{config['activation']}'" if config.get('activation') not in (None, 'linear') else ''
    no_bias = ', use_bias=False' if config.get('use_bias') is False else ''
    if name == 'Dense':
        return f"Dense({config['units']}{activation}{no_bias})"
    if name == 'Conv2D':
        strides = f", strides={config['strides'][0]}" if tuple(config['strides']) != (1, 1) else ''
        padding = '' if config['padding'] == 'same' else f", padding='{config['padding']}'"
        return f"Conv2D({config['filters']}, {config['kernel_size'][0]}{strides}{padding}{activation}{no_bias})"
    if name == 'Dropout':
        return f"Dropout({config['rate']:g})"
    if name == 'BatchNormalization':
        return f"BatchNormalization(center={config['center']}, scale={config['scale']})"
    if name == 'Activation':
        return f"Activation('{config['activation']}')"
    if name == 'Reshape':
        return f"Reshape({tuple(config['target_shape'])})"
    return f'{name}()'


def _outputs_probabilities(model):
    """True if the model's last layer ends with a softmax."""
    last = model.layers[-1] if model.layers else None
    activation = getattr(last, 'activation', None)
    return type(last).__name__ == 'Softmax' or getattr(activation, '__name__', None) == 'softmax'


def check_classifier(model, classes, input_shape):
    """Raises ValueError unless the model takes `input_shape` and outputs one probability per class.

    Without this check, a wrong first or last layer only fails inside
    model.fit, with a message about tensor shapes, and a missing softmax does
    not fail at all: the loss is then computed on numbers that are not
    probabilities.
    """
    inputs, outputs = getattr(model, 'inputs', None), getattr(model, 'outputs', None)
    if not outputs:
        raise ValueError('The model has no defined output yet: start it with keras.Input(shape=...) '
                         'so that Keras knows the shape of its input.')
    given = tuple(inputs[0].shape[1:])
    if len(inputs) != 1 or given != tuple(input_shape):
        raise ValueError(f'The model takes inputs of shape {given}, but the data has shape {tuple(input_shape)}: '
                         f'start it with keras.Input(shape={list(input_shape)}).')
    shape = tuple(outputs[0].shape)
    if len(outputs) != 1 or len(shape) != 2 or shape[-1] != len(classes):
        raise ValueError(
            f'The model outputs shape {shape}, but there are {len(classes)} classes: its last layer '
            f'should be Dense({len(classes)}, activation="softmax"), giving shape (None, {len(classes)}).')
    if not _outputs_probabilities(model):
        raise ValueError(
            f'The last layer, {describe(model.layers[-1])}, does not output probabilities: give it '
            f'activation="softmax", so that the {len(classes)} outputs are positive and add up to 1.')
    print(f'The model outputs {len(classes)} class probabilities: good.')


def _file_names(filenames_dataset):
    return [name.numpy().decode('utf-8') for name in filenames_dataset]


def _reference_image(filename):
    return tf.io.decode_jpeg(tf.io.read_file(filename), channels=3).numpy()


def check_file_listing(filenames_dataset, patterns):
    """Checks Part 1's listing: every photo matching the patterns, once, in a shuffled order."""
    names, expected = _file_names(filenames_dataset), sorted(tf.io.gfile.glob(patterns))
    problems = []
    if sorted(names) != expected:
        problems.append(f'{len(names)} file names, but {len(expected)} files match PHOTO_PATTERNS: pass all the '
                        'patterns to tf.data.Dataset.list_files.')
    elif names == expected:
        problems.append('the files are in alphabetical order, all the daisies first: a model trained on them in '
                        'this order would see one kind of flower at a time. tf.data.Dataset.list_files shuffles '
                        'them (and seed=SHUFFLE_SEED gives the same order at every run).')
    report('File listing', problems, f'{len(names)} photos, shuffled.')


def check_decode_jpeg(decode_jpeg, filenames_dataset):
    """Checks Part 1's decode_jpeg on the first photo listed."""
    filename = next(iter(filenames_dataset)).numpy().decode('utf-8')
    expected = _reference_image(filename)
    try:
        image = np.asarray(decode_jpeg(tf.constant(filename)))
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        report('decode_jpeg', [f'decode_jpeg failed on {filename}: {error}'], '')
        return
    problems = []
    if image.shape != expected.shape or not np.array_equal(image, expected):
        problems.append(f'{pathlib.Path(filename).name} is a {expected.shape[1]}×{expected.shape[0]} photo, '
                        f'but decode_jpeg returned an image of shape {image.shape}, not its pixels: read the '
                        'file with tf.io.read_file, then tf.io.decode_jpeg(bits, channels=3).')
    report('decode_jpeg', problems, f'{pathlib.Path(filename).name} decoded, {expected.shape[1]}×{expected.shape[0]} '
           'pixels.')


def check_labels(decode_jpeg_and_label, filenames_dataset):
    """Checks Part 1's decode_jpeg_and_label, inside Dataset.map, on one photo of each folder."""
    one_per_folder = {}
    for name in _file_names(filenames_dataset):
        one_per_folder.setdefault(pathlib.Path(name).parent.name, name)
    files = list(one_per_folder.values())
    try:
        decoded = list(tf.data.Dataset.from_tensor_slices(files).map(decode_jpeg_and_label))
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        report('Labels', [f'dataset.map(decode_jpeg_and_label) failed: {error}'], '')
        return
    problems = []
    for filename, (image, label) in zip(files, decoded):
        folder, found = pathlib.Path(filename).parent.name, label.numpy().decode('utf-8')
        if found != folder:
            problems.append(f'{pathlib.Path(filename).name} is in the folder "{folder}", but its label is "{found}": '
                            "take the next-to-last part of tf.strings.split(filename, sep='/').")
        elif image.shape != _reference_image(filename).shape:
            problems.append(f'the image of {pathlib.Path(filename).name} has shape {tuple(image.shape)}, not that of '
                            'the photo: decode the file as decode_jpeg does.')
    report('Labels', problems[:2], f'one photo of each of the {len(files)} folders labelled with its folder name.')


def _feature_values(example, name):
    """The values of one feature of a tf.train.Example, and their type: ('bytes'|'int64'|'float'|None, list)."""
    if name not in example.features.feature:
        return None, []
    feature = example.features.feature[name]
    kind = feature.WhichOneof('kind')
    return kind.removesuffix('_list'), list(getattr(feature, kind).value)


def _sample_record(filenames_dataset):
    """(JPEG bytes, label, height, width) of one photo resized to TARGET_SIZE, not of the first class.

    Made here, without the learner's functions, so that a check of one
    function does not depend on the others.
    """
    filename = next(name for name in _file_names(filenames_dataset)
                    if pathlib.Path(name).parent.name != FLOWER_CLASSES[0])
    image = tf.cast(tf.image.resize(_reference_image(filename), TARGET_SIZE), tf.uint8)
    label = pathlib.Path(filename).parent.name.encode('utf-8')
    return tf.io.encode_jpeg(image).numpy(), label, *TARGET_SIZE


def check_to_tfrecord(to_tfrecord, filenames_dataset):
    """Checks the tf.train.Example that Part 1's to_tfrecord makes of one photo."""
    image_bytes, label, height, width = _sample_record(filenames_dataset)
    try:
        example = to_tfrecord(image_bytes, label, height, width)
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        report('to_tfrecord', [f'to_tfrecord failed on one photo: {error}'], '')
        return
    if not isinstance(example, tf.train.Example):
        report('to_tfrecord', [f'it should return a tf.train.Example, not a {type(example).__name__}.'], '')
        return
    class_number = FLOWER_CLASSES.index(label.decode('utf-8'))
    expected = {
        'image': ('bytes', [image_bytes], 'the JPEG bytes, in a BytesList'),
        'class': ('int64', [class_number], f'the class number ({class_number} for {label.decode()}), in an Int64List'),
        'label': ('bytes', [label], 'the label as bytes, in a BytesList'),
        'size': ('int64', [height, width], '[height, width], in an Int64List'),
        'one_hot_class': ('float', np.eye(len(FLOWER_CLASSES))[class_number].tolist(),
                          'the one-hot class, in a FloatList'),
    }
    problems = []
    for name, (kind, values, meaning) in expected.items():
        if _feature_values(example, name) != (kind, values):
            found = 'missing' if name not in example.features.feature else 'different'
            problems.append(f'the feature "{name}" is {found}: it should hold {meaning}.')
    report('to_tfrecord', problems, f'the 5 features of a {label.decode()} photo, {height}×{width}.')


def check_tfrecord_round_trip(to_tfrecord, read_tfrecord, filenames_dataset):
    """Writes one photo with to_tfrecord, reads it back with read_tfrecord (in Dataset.map): the same photo?"""
    image_bytes, label, height, width = _sample_record(filenames_dataset)
    try:
        record = to_tfrecord(image_bytes, label, height, width).SerializeToString()
        image, class_number = next(iter(tf.data.Dataset.from_tensors(record).map(read_tfrecord)))
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        report('TFRecord round trip', [f'to_tfrecord, then read_tfrecord failed: {error}'], '')
        return
    expected = tf.io.decode_jpeg(image_bytes, channels=3).numpy().astype(np.float32) / 255.0
    image, class_number = np.asarray(image), int(class_number)
    problems = []
    if image.shape != expected.shape or image.dtype != np.float32:
        problems.append(f'read_tfrecord returned an image of shape {image.shape} and type {image.dtype}; the models '
                        f'expect {expected.shape}, float32.')
    elif not np.allclose(image, expected, atol=1e-6):
        problems.append('the image read back is not the photo written, scaled to [0, 1]: decode the "image" feature '
                        'with tf.io.decode_jpeg, then divide by 255.')
    if class_number != FLOWER_CLASSES.index(label.decode('utf-8')):
        problems.append(f'the photo is a {label.decode()}, class {FLOWER_CLASSES.index(label.decode())}, but '
                        f'read_tfrecord returned class {class_number}: return the "class" feature.')
    report('TFRecord round trip', problems, f'a {label.decode()} photo written and read back: same pixels, '
           f'class {class_number}.')


# The MNIST stages, as the codelab builds them: the layers, and the learning rate at each epoch.
_HIDDEN_SIZES = (200, 100, 60, 30)
_DENSE_STAGES = {
    2: ([f"Dense({units}, activation='sigmoid')" for units in _HIDDEN_SIZES], None),
    3: ([f"Dense({units}, activation='relu')" for units in _HIDDEN_SIZES], None),
    4: ([f"Dense({units}, activation='relu')" for units in _HIDDEN_SIZES], 0.6),
    5: ([layer for units in _HIDDEN_SIZES for layer in (f"Dense({units}, activation='relu')", 'Dropout(0.25)')], 0.6),
}
_CONVOLUTIONS = ["Conv2D(12, 3, activation='relu')", "Conv2D(24, 6, strides=2, activation='relu')",
                 "Conv2D(32, 6, strides=2, activation='relu')"]
_BATCH_NORM_RELU = ['BatchNormalization(center=True, scale=False)', "Activation('relu')"]
MNIST_STAGES = {
    **{stage: ([*hidden, "Dense(10, activation='softmax')"], decay)
       for stage, (hidden, decay) in _DENSE_STAGES.items()},
    6: (['Reshape((28, 28, 1))', *_CONVOLUTIONS, 'Flatten()', "Dense(200, activation='relu')",
         "Dense(10, activation='softmax')"], 0.6),
    7: (['Reshape((28, 28, 1))', *_CONVOLUTIONS, 'Flatten()', "Dense(200, activation='relu')", 'Dropout(0.5)',
         "Dense(10, activation='softmax')"], 0.6),
    8: (['Reshape((28, 28, 1))',
         'Conv2D(12, 3, use_bias=False)', *_BATCH_NORM_RELU,
         'Conv2D(24, 6, strides=2, use_bias=False)', *_BATCH_NORM_RELU,
         'Conv2D(32, 6, strides=2, use_bias=False)', *_BATCH_NORM_RELU,
         'Flatten()', 'Dense(200, use_bias=False)', *_BATCH_NORM_RELU, 'Dropout(0.3)',
         "Dense(10, activation='softmax')"], 0.666),
}
MNIST_PARAMETERS = {2: 185_300, 3: 185_300, 4: 185_300, 5: 185_300, 6: 354_002, 7: 354_002, 8: 354_538}
MNIST_OPTIMIZERS = {2: ('SGD', 0.01), 3: ('Adam', 0.001)}  # from stage 4 on: Adam at 0.01, then lr_decay


def _layer_problems(model, expected):
    """The first difference between the model's layers and the expected ones, as a hint."""
    found = [describe(layer) for layer in model.layers]
    for position, (want, have) in enumerate(zip(expected, found), start=1):
        if want != have:
            return [f'layer {position} should be {want}, but it is {have}. Print model.summary() to see them all.']
    if len(found) != len(expected):
        missing_or_extra = 'missing: ' + ', '.join(expected[len(found):]) if len(found) < len(expected) else (
            'one too many: ' + ', '.join(found[len(expected):]))
        return [f'{len(found)} layers instead of {len(expected)}; {missing_or_extra}.']
    return []


def _optimizer_problems(model, stage):
    optimizer = getattr(model, 'optimizer', None)
    if optimizer is None:
        return ['the model is not compiled: call model.compile(...) after building it.']
    name, learning_rate = MNIST_OPTIMIZERS.get(stage, ('Adam', 0.01))
    have = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    if type(optimizer).__name__ != name or not math.isclose(have, learning_rate, rel_tol=1e-4):
        return [f'compile with the {name} optimizer at learning rate {learning_rate:g}; the model has '
                f'{type(optimizer).__name__} at {have:g}.']
    return []


def _schedule_problems(schedule, expected, epochs=(0, 1, 2, 5, 10)):
    """Differences between schedule(epoch) and expected(epoch) at a few epochs."""
    for epoch in epochs:
        want, have = expected(epoch), schedule(epoch)
        if not math.isclose(have, want, rel_tol=1e-6, abs_tol=1e-12):
            return [f'at epoch {epoch} the learning rate should be {want:.6g}, but it is {have:.6g}. '
                    'plot_learning_rate shows the whole curve.']
    return []


def check_augment(augment):
    """Checks MNIST's augment(digits, labels) on a batch of 8 digits, in a tf.data pipeline as training uses it."""
    report('Data augmentation', _augment_problems(augment), 'the digits move, the labels stay.')


def _augment_problems(augment):
    if augment is None:
        return ['augment is None: no data augmentation yet. Write augment(digits, labels) with '
                'keras.layers.RandomTranslation.']
    digits = np.zeros([8, 28 * 28], np.float32)
    digits[:, 13 * 28 + 12:13 * 28 + 16] = 1.0  # a short stroke in the middle of each digit
    labels = np.eye(10, dtype=np.float32)[:8]
    try:
        moved, moved_labels = next(iter(tf.data.Dataset.from_tensors((digits, labels)).map(augment)))
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        return [f'augment failed on a batch of 8 digits in a tf.data pipeline: {error}']
    moved, moved_labels = np.asarray(moved), np.asarray(moved_labels)
    if moved.shape != digits.shape or not np.array_equal(moved_labels, labels):
        return [f'augment must return the digits as they came in, shape {digits.shape}, and the labels unchanged; '
                f'it returned shapes {moved.shape} and {moved_labels.shape}.']
    if np.array_equal(moved, digits):
        return ['augment returned the digits unchanged: call the RandomTranslation layer with training=True.']
    return []


def check_mnist_stage(stage, model, lr_decay=None):
    """Checks the model (and from stage 4 the learning-rate schedule) of an MNIST stage (2 to 8)."""
    layers, decay = MNIST_STAGES[stage]
    problems = _layer_problems(model, layers)
    if not problems and model.count_params() != MNIST_PARAMETERS[stage]:
        problems.append(f'{model.count_params():,} weights instead of {MNIST_PARAMETERS[stage]:,}.')
    problems += _optimizer_problems(model, stage)
    if decay is not None:
        problems += (['lr_decay is not defined yet.'] if lr_decay is None else
                     _schedule_problems(lr_decay, lambda epoch: 0.01 * decay ** epoch))
    schedule = f', learning rate 0.01 × {decay}^epoch' if decay is not None else ''
    report(f'Stage {stage}', problems, f'{len(layers)} layers, {MNIST_PARAMETERS[stage]:,} weights{schedule}.')


def _consumers(model, tensor):
    """The layers of a functional model that take `tensor` as (one of) their inputs."""
    consumers = []
    for layer in model.layers:
        inputs = layer.input if isinstance(layer.input, (list, tuple)) else [layer.input]
        if any(candidate is tensor for candidate in inputs):
            consumers.append(layer)
    return consumers


def _convolutions_without_batch_norm(model):
    return [layer for layer in model.layers if type(layer).__name__ == 'Conv2D'
            and not any(type(consumer).__name__ == 'BatchNormalization'
                        for consumer in _consumers(model, layer.output))]


def check_fire_module(fire, squeeze=8, expand=16):
    """Builds fire(x, squeeze, expand) on a small input and checks its structure."""
    x = keras.Input(shape=[12, 12, 4])
    try:
        module = keras.Model(x, fire(x, squeeze, expand))
    except Exception as error:  # the learner's code failed: say so, do not stop the notebook
        report('Fire module', [f'fire(x, {squeeze}, {expand}) failed: {error}'], '')
        return
    convolutions = [layer for layer in module.layers if type(layer).__name__ == 'Conv2D']
    problems = []
    first_layers = _consumers(module, x)
    squeezes = [layer for layer in first_layers if type(layer).__name__ == 'Conv2D']
    if len(squeezes) != 1 or squeezes[0].filters != squeeze or squeezes[0].kernel_size != (1, 1):
        problems.append(f'the input should go through one 1×1 convolution with squeeze = {squeeze} filters first; '
                        f'it goes to {", ".join(describe(layer) for layer in first_layers)}.')
    expands = sorted((layer.kernel_size[0], layer.filters) for layer in convolutions if layer not in squeezes)
    if expands != [(1, expand // 2), (3, expand // 2)]:
        problems.append(f'after the squeeze, a 1×1 and a 3×3 convolution of expand // 2 = {expand // 2} filters '
                        'each, side by side; found ' + (', '.join(f'{size}×{size} with {filters}'
                                                                  for size, filters in expands) or 'none') + '.')
    unnormalised = _convolutions_without_batch_norm(module)
    if unnormalised:
        problems.append(f'{len(unnormalised)} of the {len(convolutions)} convolutions '
                        'are not followed by layers.BatchNormalization(momentum=0.9).')
    last = module.layers[-1]
    if type(last).__name__ != 'Concatenate' or module.outputs[0].shape[-1] != expand:
        problems.append(f'the module should end with layers.concatenate of the two expand branches, '
                        f'{expand} channels; it ends with {describe(last)}, {module.outputs[0].shape[-1]} channels.')
    report('Fire module', problems, f'squeeze 1×1 ({squeeze}), expand 1×1 and 3×3 ({expand // 2} each), '
                  'concatenated, batch normalization after every convolution.')


def _count(model, name):
    return sum(type(layer).__name__ == name for layer in model.layers)


def check_squeezenet(model):
    """Checks a squeezenet: classifier in and out, several fire modules, pooling between them."""
    check_classifier(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE)
    problems = []
    fire_modules, poolings = _count(model, 'Concatenate'), _count(model, 'MaxPooling2D')
    if fire_modules < 3:
        problems.append(f'{fire_modules} fire module(s): the codelab suggests 3 to 6, with max-pooling between them.')
    if poolings < 2:
        problems.append(f'{poolings} max-pooling layer(s): use 2 to 5, so that the later modules see smaller images.')
    if _count(model, 'GlobalAveragePooling2D') != 1:
        problems.append('end with GlobalAveragePooling2D, then the Dense softmax layer.')
    unnormalised = _convolutions_without_batch_norm(model)
    if unnormalised:
        problems.append(f'{len(unnormalised)} convolutions are not followed by '
                        'BatchNormalization(momentum=0.9): the first convolution needs one too.')
    report('Squeezenet', problems, f'{fire_modules} fire modules, {poolings} max-poolings, '
                  f'{model.count_params():,} weights.')


def check_transfer_model(model):
    """Checks Part 2's model: a frozen pretrained network, then pooling or Flatten, then the softmax layer."""
    check_classifier(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE)
    pretrained = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if not pretrained:
        report('Transfer learning', ['there is no pretrained model inside yet: build mobilenet = '
                                     'pretrained_model(...) and put it in the keras.Sequential list, after the '
                                     'Rescaling layer.'], '')
        return
    backbone = pretrained[0]
    problems = []
    if backbone.trainable or backbone.trainable_weights:
        problems.append(f'{backbone.name} is trainable: set mobilenet.trainable = False before compile, so that only '
                        'your layers train (and its weights are not wrecked by the first, large updates).')
    after = model.layers[model.layers.index(backbone) + 1:]
    if not after or type(after[0]).__name__ not in ('Flatten', 'GlobalAveragePooling2D'):
        problems.append(f'{backbone.name} outputs a 3-D block of features per image: put Flatten() or '
                        'GlobalAveragePooling2D() right after it.')
    trainable = sum(int(np.prod(weight.shape)) for weight in model.trainable_weights)
    report('Transfer learning', problems, f'{backbone.name} frozen, then '
                  f'{", ".join(describe(layer) for layer in after)}: {trainable:,} weights train.')


def check_convnet(model, fewest=20_000, most=1_000_000, largest_dense=200_000):
    """Checks Part 3's convnet: input and output, a sensible size, no oversized dense layer."""
    check_classifier(model, FLOWER_CLASSES, FLOWER_IMAGE_SHAPE)
    count = model.count_params()
    problems = []
    if count < fewest:
        problems.append(f'{count:,} weights is too few to tell flowers apart: the codelab\'s design with global '
                        'average pooling had about 50,000, our solution has 294,523. Add convolutional layers, '
                        'with more filters.')
    if count > most:
        problems.append(f'{count:,} weights: over {most:,}, the network memorises the 3,000 training photos '
                        'instead of learning flowers. Shrink the image with max-pooling, or the filters.')
    for layer in model.layers:
        if type(layer).__name__ == 'Dense' and layer.count_params() > largest_dense:
            problems.append(f'{describe(layer)} has {layer.count_params():,} weights, most of the network: '
                            'replace Flatten by GlobalAveragePooling2D (after a 1×1 convolution if needed).')
    if _count(model, 'Conv2D') < 3:
        problems.append(f'{_count(model, "Conv2D")} convolutional layer(s): stack more (our solution has 7), '
                        'with max-pooling between some of them.')
    report('Convnet', problems, f'{count:,} weights, {_count(model, "Conv2D")} convolutions, no oversized '
                  'dense layer.')


def check_lr_fn(lr_fn, start, minimum, maximum, rampup_epochs, sustain_epochs, decay):
    """Checks lr_fn against the ramp-up, sustain and exponential-decay formula."""
    def expected(epoch):
        if epoch < rampup_epochs:
            return start + (maximum - start) * epoch / rampup_epochs
        if epoch < rampup_epochs + sustain_epochs:
            return maximum
        return (maximum - minimum) * decay ** (epoch - rampup_epochs - sustain_epochs) + minimum
    epochs = (0, rampup_epochs // 2, rampup_epochs, rampup_epochs + sustain_epochs + 1,
              rampup_epochs + sustain_epochs + 6)
    report('Learning-rate function', _schedule_problems(lr_fn, expected, epochs),
                  f'ramp-up to {maximum:g} in {rampup_epochs} epochs, then decay by {decay} per epoch.')


def check_fine_tuning(pretrained):
    """Checks that a pretrained network's weights train: fine-tuning."""
    trainable = sum(int(np.prod(weight.shape)) for weight in pretrained.trainable_weights)
    problems = [] if trainable else [f'{pretrained.name} is frozen: set xception.trainable = True to fine-tune it.']
    report('Fine-tuning', problems, f'{trainable:,} weights of {pretrained.name} train.')
