"""Learner answers to Part 3's exercise: a convolutional network designed from scratch."""
from tests.learner_answers import answer

NOTEBOOK = '03_convnets'
EXERCISES = {'convnet': r'def create_model'}


def sequential(*layers):
    """create_model() returning a Sequential model of these layers after keras.Input."""
    body = ''.join(f'        {layer},\n' for layer in layers)
    return ('def create_model():\n    return keras.Sequential([\n        keras.Input(shape=[*TARGET_SIZE, 3]),\n'
            + body + '    ])\n')


def conv(filters, size=3, activation="'relu'"):
    activation = f', activation={activation}' if activation else ''
    return f"keras.layers.Conv2D({filters}, {size}, padding='same'{activation})"


POOL = 'keras.layers.MaxPooling2D(pool_size=2)'
GAP = 'keras.layers.GlobalAveragePooling2D()'
SOFTMAX = "keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax')"
# The codelab's design: 3x3 convolutions, max-pooling, a 1x1 convolution, global average pooling.
CODELAB = (conv(16), conv(30), POOL, conv(60), POOL, conv(90), POOL, conv(110), POOL, conv(130), conv(40, 1), GAP,
           SOFTMAX)

ANSWERS = [
    answer('convnet', 'nested-sequential-blocks', 'pass', """
def conv_block(filters):
    return keras.Sequential([
        keras.layers.Conv2D(filters, 3, padding='same', activation='relu'),
        keras.layers.Conv2D(filters, 3, padding='same', activation='relu'),
        keras.layers.MaxPooling2D(2),
    ])


def create_model():
    return keras.Sequential([
        keras.Input(shape=[*TARGET_SIZE, 3]),
        conv_block(16),
        conv_block(32),
        conv_block(64),
        conv_block(128),
        keras.layers.Conv2D(64, 1, activation='relu'),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax'),
    ])
""", 'a good design written as nested Sequential blocks'),
    answer('convnet', 'functional-api', 'pass', """
def create_model():
    inputs = keras.Input(shape=[*TARGET_SIZE, 3])
    x = inputs
    for filters in (16, 32, 64, 96):
        x = keras.layers.Conv2D(filters, 3, padding='same', activation='relu')(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.Conv2D(128, 3, padding='same', activation='relu')(x)
    x = keras.layers.Conv2D(48, 1, activation='relu')(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax')(x)
    return keras.Model(inputs, outputs)
""", 'the functional API, layers in a loop'),
    answer('convnet', 'codelab-design', 'pass', sequential(*CODELAB),
           "the codelab's own design, without batch normalization"),
    answer('convnet', 'bn-relu-layers-added-in-a-loop', 'pass', """
def create_model():
    model = keras.Sequential([keras.Input(shape=[*TARGET_SIZE, 3])])
    for filters in [24, 48, 64, 96, 128]:
        model.add(keras.layers.Conv2D(filters, kernel_size=3, padding='same', use_bias=False))
        model.add(keras.layers.BatchNormalization())
        model.add(keras.layers.ReLU())
        model.add(keras.layers.MaxPooling2D(pool_size=2))
    model.add(keras.layers.Conv2D(32, kernel_size=1, activation='relu'))
    model.add(keras.layers.GlobalAveragePooling2D())
    model.add(keras.layers.Dense(len(FLOWER_CLASSES)))
    model.add(keras.layers.Activation('softmax'))
    return model
""", 'conv, batch norm, ReLU layer, added in a loop; the softmax as an Activation layer'),
    answer('convnet', 'dense-hidden-layer', 'pass', sequential(
        conv(32), POOL, conv(64), POOL, conv(96), POOL, conv(128), POOL, conv(64, 1), GAP,
        "keras.layers.Dense(64, activation='relu')", 'keras.layers.Dropout(0.3)', SOFTMAX),
           'a small relu dense layer and dropout after the global average pooling'),
    answer('convnet', 'activation-functions', 'pass', sequential(
        *(conv(filters, activation='keras.activations.relu') for filters in (16, 32)), POOL,
        conv(64, activation='keras.activations.relu'), POOL, conv(128, activation='keras.activations.relu'), POOL,
        conv(40, 1, activation='keras.activations.relu'), GAP, SOFTMAX),
           'activation=keras.activations.relu'),
    answer('convnet', 'strided-first-layer', 'pass', sequential(
        "keras.layers.Conv2D(32, 3, strides=2, padding='same', activation='relu')", conv(32), POOL, conv(64), POOL,
        conv(128), POOL, conv(64, 1), GAP, SOFTMAX),
           'a strided first convolution, then max-pooling between the others'),
    answer('convnet', 'bn-after-relu-and-dropout', 'pass', sequential(
        conv(16), 'keras.layers.BatchNormalization()', conv(32), 'keras.layers.BatchNormalization()', POOL,
        conv(64), 'keras.layers.BatchNormalization()', POOL, 'keras.layers.Dropout(0.2)',
        conv(96), 'keras.layers.BatchNormalization()', POOL, conv(128), 'keras.layers.BatchNormalization()', POOL,
        conv(48, 1), GAP, 'keras.layers.Dropout(0.3)', SOFTMAX),
           'batch normalization after each relu convolution, dropout here and there'),
    answer('convnet', 'valid-padding', 'pass', sequential(
        "keras.layers.Conv2D(16, 3, activation='relu')", "keras.layers.Conv2D(32, 3, activation='relu')", POOL,
        "keras.layers.Conv2D(64, 3, activation='relu')", POOL, "keras.layers.Conv2D(96, 3, activation='relu')", POOL,
        "keras.layers.Conv2D(128, 3, activation='relu')", POOL, "keras.layers.Conv2D(48, 1, activation='relu')", GAP,
        SOFTMAX), "padding left at 'valid': the images shrink by 2 pixels per convolution, which is fine"),
    answer('convnet', 'flatten-after-pooling', 'pass', sequential(*CODELAB[:-1], 'keras.layers.Flatten()', SOFTMAX),
           'a Flatten after the global average pooling: harmless, the features are flat already'),
    answer('convnet', 'softmax-layer', 'pass', sequential(
        *CODELAB[:-1], 'keras.layers.Dense(len(FLOWER_CLASSES))', 'keras.layers.Softmax()'),
           'the softmax as a keras.layers.Softmax layer'),
    answer('convnet', 'no-activation-anywhere', 'fail', sequential(
        *(conv(filters, activation=None) for filters in (16, 30)), POOL, conv(60, activation=None), POOL,
        conv(90, activation=None), POOL, conv(110, activation=None), POOL, conv(130, activation=None),
        conv(40, 1, activation=None), GAP, SOFTMAX),
           'no activation anywhere: the whole network is one linear function', hint=r'activation|relu|linear'),
    answer('convnet', 'linear-convolutions', 'fail', sequential(
        *(conv(filters, activation=None) for filters in (16, 32)), POOL, conv(64, activation=None), POOL,
        conv(128, activation=None), POOL, GAP, "keras.layers.Dense(64, activation='relu')", SOFTMAX),
           'the convolutions without activation: a stack of linear filters', hint=r'activation|relu|linear'),
    answer('convnet', 'flatten-and-big-dense', 'fail', sequential(
        conv(16), POOL, conv(32), POOL, 'keras.layers.Flatten()', "keras.layers.Dense(128, activation='relu')",
        SOFTMAX),
           'Flatten into a dense layer of millions of weights', hint=r'flatten|globalaveragepooling|dense'),
    answer('convnet', 'no-pooling', 'fail', sequential(conv(16), conv(32), conv(64), GAP, SOFTMAX),
           'no max-pooling: 3x3 convolutions at full size see only a few pixels each', hint=r'pool'),
    answer('convnet', 'two-convolutions', 'fail', sequential(conv(32), POOL, conv(64), GAP, SOFTMAX),
           'two convolutional layers only', hint=r'convolution'),
    answer('convnet', 'no-softmax', 'fail', sequential(*CODELAB[:-1], 'keras.layers.Dense(len(FLOWER_CLASSES))'),
           'the last layer without softmax', hint=r'softmax'),
    answer('convnet', 'sigmoid-output', 'fail',
           sequential(*CODELAB[:-1], "keras.layers.Dense(len(FLOWER_CLASSES), activation='sigmoid')"),
           'sigmoid outputs', hint=r'softmax'),
    answer('convnet', 'grey-input', 'fail', sequential(*CODELAB).replace('[*TARGET_SIZE, 3]', '[*TARGET_SIZE, 1]'),
           'one channel in: the photos have 3', hint=r'shape|input|3'),
    answer('convnet', 'far-too-big', 'fail', sequential(
        conv(64), conv(128), POOL, conv(256), POOL, conv(512), POOL, conv(512), conv(128, 1), GAP, SOFTMAX),
           'about 4 million weights for 3,000 training photos', hint=r'weights|overfit|memoris|smaller|shrink'),
    answer('convnet', 'ten-classes', 'fail', sequential(*CODELAB[:-1], "keras.layers.Dense(10, activation='softmax')"),
           "MNIST's 10 outputs", hint=r'5|classes'),
    answer('convnet', 'softmax-everywhere', 'fail', sequential(
        *(conv(filters, activation="'softmax'") for filters in (16, 32)), POOL, conv(64, activation="'softmax'"), POOL,
        conv(128, activation="'softmax'"), POOL, conv(40, 1, activation="'softmax'"), GAP, SOFTMAX),
           "activation='softmax' in every convolution: relu belongs there, softmax only at the end",
           hint=r'relu|softmax|activation'),
    answer('convnet', 'softmax-before-pooling', 'fail', sequential(
        *CODELAB[:-2], "keras.layers.Dense(len(FLOWER_CLASSES), activation='softmax')", GAP),
           'the softmax layer before the global pooling: the model outputs averages of probabilities per position',
           hint=r'softmax|last'),
]
