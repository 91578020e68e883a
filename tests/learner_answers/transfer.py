"""Learner answers to Part 2's exercise: a frozen pretrained MobileNetV2 under a softmax layer."""
from tests.learner_answers import answer

NOTEBOOK = '02_transfer_learning'
EXERCISES = {'transfer_model': r'mobilenet'}

MOBILENET = ('    mobilenet = pretrained_model(keras.applications.MobileNetV2, input_shape=[*TARGET_SIZE, 3], '
             'include_top=False)\n')
COMPILE = ("    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
           '\nmodel.summary()\n')


def sequential(*layers, freeze='    mobilenet.trainable = False\n'):
    """The exercise cell with this Sequential model; `layers` between keras.Input and the end."""
    body = ''.join(f'        {layer},\n' for layer in layers)
    return ('with strategy.scope():\n' + MOBILENET + freeze + '    model = keras.Sequential([\n'
            '        keras.Input(shape=[*TARGET_SIZE, 3]),\n' + body + '    ])\n' + COMPILE)


RESCALE = 'keras.layers.Rescaling(2.0, offset=-1.0)'
SOFTMAX = "keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax')"

ANSWERS = [
    answer('transfer_model', 'global-average-pooling', 'pass',
           sequential(RESCALE, 'mobilenet', 'keras.layers.GlobalAveragePooling2D()', SOFTMAX),
           'GlobalAveragePooling2D instead of Flatten'),
    answer('transfer_model', 'second-dense-layer', 'pass',
           sequential(RESCALE, 'mobilenet', 'keras.layers.Flatten()', "keras.layers.Dense(64, activation='relu')",
                      'keras.layers.Dense(5, activation="softmax")'),
           'the optional relu dense layer, 5 classes written out'),
    answer('transfer_model', 'functional-api', 'pass', """
with strategy.scope():
    mobilenet = pretrained_model(keras.applications.MobileNetV2, input_shape=[*TARGET_SIZE, 3], include_top=False)
    mobilenet.trainable = False
    inputs = keras.Input(shape=[*TARGET_SIZE, 3])
    x = keras.layers.Rescaling(scale=2.0, offset=-1.0)(inputs)
    x = mobilenet(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax')(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

model.summary()
""", 'the functional API, as in the Keras guide to transfer learning'),
    answer('transfer_model', 'layers-frozen-one-by-one', 'pass', sequential(
        RESCALE, 'mobilenet', 'keras.layers.Flatten()', SOFTMAX,
        freeze='    for layer in mobilenet.layers:\n        layer.trainable = False\n'),
           'every layer of MobileNetV2 frozen in a loop: no weight of it trains'),
    answer('transfer_model', 'lambda-rescaling-and-softmax-layer', 'pass', sequential(
        'keras.layers.Lambda(lambda images: images * 2.0 - 1.0)', 'mobilenet', 'keras.layers.Flatten()',
        'keras.layers.Dense(len(FLOWER_CLASSES))', 'keras.layers.Softmax()'),
           'the [-1, 1] rescaling as a Lambda, the softmax as its own layer'),
    answer('transfer_model', 'frozen-after-building', 'pass', """
with strategy.scope():
    mobilenet = pretrained_model(keras.applications.MobileNetV2, input_shape=[*TARGET_SIZE, 3], include_top=False)
    model = keras.Sequential([
        keras.Input(shape=[*TARGET_SIZE, 3]),
        keras.layers.Rescaling(1 / 127.5 * 255, offset=-1),
        mobilenet,
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(len(FLOWER_CLASSES)),
        keras.layers.Activation('softmax'),
    ])
    mobilenet.trainable = False
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

model.summary()
""", 'frozen after building the model, before compile; the scale written 255/127.5; an Activation layer'),
    answer('transfer_model', 'model-add', 'pass', """
with strategy.scope():
    mobilenet = pretrained_model(keras.applications.MobileNetV2, input_shape=[*TARGET_SIZE, 3], include_top=False)
    mobilenet.trainable = False
    model = keras.Sequential()
    model.add(keras.Input(shape=[*TARGET_SIZE, 3]))
    model.add(keras.layers.Rescaling(scale=2, offset=-1))
    model.add(mobilenet)
    model.add(keras.layers.GlobalAveragePooling2D())
    model.add(keras.layers.Dropout(0.2))
    model.add(keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax'))
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

model.summary()
""", 'model.add, integer scale and offset, dropout before the last layer'),
    answer('transfer_model', 'wide-dense-head', 'pass', sequential(
        RESCALE, 'mobilenet', 'keras.layers.GlobalAveragePooling2D()', "keras.layers.Dense(256, activation='relu')",
        'keras.layers.Dropout(0.5)', SOFTMAX), 'global average pooling, a relu dense layer of 256, dropout, softmax'),
    answer('transfer_model', 'frozen-by-index', 'pass', sequential(
        RESCALE, 'mobilenet', 'keras.layers.GlobalAveragePooling2D()', 'keras.layers.Flatten()', SOFTMAX, freeze='')
        .replace('    model.compile(', '    model.layers[1].trainable = False  # MobileNetV2\n    model.compile(', 1),
           'MobileNetV2 frozen as model.layers[1]; a harmless Flatten after the pooling'),
    answer('transfer_model', 'no-rescaling', 'fail', sequential('mobilenet', 'keras.layers.Flatten()', SOFTMAX),
           'no Rescaling: MobileNetV2 gets [0, 1] pixels, it was trained on [-1, 1]',
           hint=r'rescal|\[-1, 1\]|-1'),
    answer('transfer_model', 'rescaling-1-over-255', 'fail',
           sequential('keras.layers.Rescaling(1./255)', 'mobilenet', 'keras.layers.Flatten()', SOFTMAX),
           'Rescaling(1./255) on pixels already in [0, 1]', hint=r'rescal|\[-1, 1\]|-1'),
    answer('transfer_model', 'preprocess-input-on-0-1', 'fail', sequential(
        'keras.layers.Lambda(keras.applications.mobilenet_v2.preprocess_input)', 'mobilenet',
        'keras.layers.Flatten()', SOFTMAX),
           "MobileNetV2's preprocess_input expects [0, 255]: on [0, 1] pixels it gives about -1 everywhere",
           hint=r'rescal|\[-1, 1\]|-1'),
    answer('transfer_model', 'rescaling-for-0-255', 'fail', sequential(
        'keras.layers.Rescaling(1./127.5, offset=-1)', 'mobilenet', 'keras.layers.Flatten()', SOFTMAX),
           'Rescaling(1./127.5, offset=-1), as for [0, 255] pixels: ours are in [0, 1], they end up near -1',
           hint=r'rescal|\[-1, 1\]|-1'),
    answer('transfer_model', 'whole-model-frozen', 'fail', """
with strategy.scope():
    mobilenet = pretrained_model(keras.applications.MobileNetV2, input_shape=[*TARGET_SIZE, 3], include_top=False)
    model = keras.Sequential([
        keras.Input(shape=[*TARGET_SIZE, 3]),
        keras.layers.Rescaling(2.0, offset=-1.0),
        mobilenet,
        keras.layers.Flatten(),
        keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax'),
    ])
    model.trainable = False
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])

model.summary()
""", 'model.trainable = False: the new layer is frozen too, nothing trains', hint=r'trainable|train'),
    answer('transfer_model', 'not-frozen', 'fail', sequential(RESCALE, 'mobilenet', 'keras.layers.Flatten()', SOFTMAX,
                                                              freeze=''),
           'MobileNetV2 left trainable', hint=r'trainable|frozen|freeze'),
    answer('transfer_model', 'wrong-layer-frozen', 'fail', sequential(
        RESCALE, 'mobilenet', 'keras.layers.Flatten()', SOFTMAX, freeze='')
        .replace('    model.compile(', '    model.layers[0].trainable = False\n    model.compile(', 1),
           'model.layers[0] frozen: that is the Rescaling layer, MobileNetV2 still trains',
           hint=r'trainable|frozen|freeze'),
    answer('transfer_model', 'no-flatten', 'fail', sequential(RESCALE, 'mobilenet', SOFTMAX),
           'the Dense layer right after MobileNetV2: one prediction per 6x6 position',
           hint=r'flatten|globalaveragepooling|shape'),
    answer('transfer_model', 'no-softmax', 'fail',
           sequential(RESCALE, 'mobilenet', 'keras.layers.Flatten()', 'keras.layers.Dense(len(FLOWER_CLASSES))'),
           'the last layer without softmax', hint=r'softmax'),
    answer('transfer_model', 'rescaling-after-mobilenet', 'fail',
           sequential('mobilenet', RESCALE, 'keras.layers.Flatten()', SOFTMAX),
           "the Rescaling after MobileNetV2: it rescales MobileNetV2's output, not the pixels",
           hint=r'rescal|\[-1, 1\]|-1|before'),
    answer('transfer_model', 'ten-classes', 'fail',
           sequential(RESCALE, 'mobilenet', 'keras.layers.Flatten()', "keras.layers.Dense(10, activation='softmax')"),
           "MNIST's 10 classes", hint=r'5|classes'),
    answer('transfer_model', 'sigmoid-output', 'fail', sequential(
        RESCALE, 'mobilenet', 'keras.layers.GlobalAveragePooling2D()',
        "keras.layers.Dense(len(FLOWER_CLASSES), activation='sigmoid')"),
           'sigmoid outputs: not probabilities that add up to 1', hint=r'softmax'),
    answer('transfer_model', 'relu-output', 'fail', sequential(
        RESCALE, 'mobilenet', 'keras.layers.Flatten()', "keras.layers.Dense(len(FLOWER_CLASSES), activation='relu')"),
           'relu on the last layer: no probabilities', hint=r'softmax'),
]
