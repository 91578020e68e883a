"""Learner answers to the MNIST prequel's exercises: stages 2 to 8 and the data augmentation."""
from tests.learner_answers import answer

NOTEBOOK = '00_mnist'
EXERCISES = {
    'stage2': r'WORK REQUIRED: add 4 hidden dense layers',
    'stage3': r'WORK REQUIRED: use the relu activation',
    'stage4': r'WORK REQUIRED: compile with keras\.optimizers\.Adam',
    'stage5': r'WORK REQUIRED: add keras\.layers\.Dropout\(0\.25\)',
    'stage6': r'WORK REQUIRED: replace the dense layers by a convolutional network',
    'stage7': r'WORK REQUIRED: add keras\.layers\.Dropout\(0\.5\)',
    'stage8': r'BatchNormalization',
    'augment': r'def augment',
}

COMPILE_SGD = "model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])\n"
COMPILE_ADAM = "model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])\n"
COMPILE_ADAM_001 = ("model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),\n"
                    "              loss='categorical_crossentropy', metrics=['accuracy'])\n")
LR_DECAY = '\ndef lr_decay(epoch):\n    return 0.01 * 0.6**epoch\n'
LR_DECAY_BN = '\ndef lr_decay(epoch):\n    return 0.01 * 0.666**epoch\n'
# What the exercise cells of stages 4 to 8 run after the learner's code.
TAIL = ('\nlr_decay_callback = keras.callbacks.LearningRateScheduler(lr_decay)\n'
        'plot_learning_rate(lr_decay, EPOCHS)\nmodel.summary()\n')
TAIL_BN = TAIL.replace('EPOCHS', 'BATCH_NORM_EPOCHS')


def dense_stack(activation, extra='', last="keras.layers.Dense(10, activation='softmax')"):
    """The Sequential model of the dense stages, hidden layers of `activation`, `extra` after each."""
    hidden = ''.join(f"    keras.layers.Dense({units}, activation='{activation}'),\n{extra}"
                     for units in (200, 100, 60, 30))
    return f"model = keras.Sequential([\n    keras.Input(shape=(28*28,)),\n{hidden}    {last},\n])\n"


CONVNET = """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', activation='relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', activation='relu', strides=2),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', activation='relu', strides=2),
    keras.layers.Flatten(),
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
"""
CONVNET_DROPOUT = CONVNET.replace("Dense(200, activation='relu'),\n",
                                  "Dense(200, activation='relu'),\n    keras.layers.Dropout(0.5),\n")

ANSWERS = [
    # ---------------------------------------------------------------- stage 2: sigmoid, SGD
    answer('stage2', 'functional-api', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = keras.layers.Dense(200, activation='sigmoid')(inputs)
x = keras.layers.Dense(100, activation='sigmoid')(x)
x = keras.layers.Dense(60, activation='sigmoid')(x)
x = keras.layers.Dense(30, activation='sigmoid')(x)
outputs = keras.layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
model.summary()
""", 'the functional API instead of Sequential'),
    answer('stage2', 'layers-in-a-loop', 'pass', """
model = keras.Sequential()
model.add(keras.Input(shape=(784,)))
for units in [200, 100, 60, 30]:
    model.add(keras.layers.Dense(units, activation='sigmoid'))
model.add(keras.layers.Dense(10, activation='softmax'))
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
model.summary()
""", 'model.add in a Python loop'),
    answer('stage2', 'activation-layers', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200), keras.layers.Activation('sigmoid'),
    keras.layers.Dense(100), keras.layers.Activation('sigmoid'),
    keras.layers.Dense(60), keras.layers.Activation('sigmoid'),
    keras.layers.Dense(30), keras.layers.Activation('sigmoid'),
    keras.layers.Dense(10), keras.layers.Activation('softmax'),
])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'Dense layers without activation, each followed by an Activation layer'),
    answer('stage2', 'activation-functions-and-optimizer-object', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200, activation=keras.activations.sigmoid),
    keras.layers.Dense(100, activation=keras.activations.sigmoid),
    keras.layers.Dense(60, activation=keras.activations.sigmoid),
    keras.layers.Dense(30, activation=keras.activations.sigmoid),
    keras.layers.Dense(10, activation=keras.activations.softmax),
])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss=keras.losses.CategoricalCrossentropy(),
              metrics=['accuracy'])
""", 'activations as functions, the optimizer and loss as objects'),
    answer('stage2', 'extra-flatten-tf-nn', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Flatten(),
    keras.layers.Dense(200, activation=tf.nn.sigmoid),
    keras.layers.Dense(100, activation=tf.nn.sigmoid),
    keras.layers.Dense(60, activation=tf.nn.sigmoid),
    keras.layers.Dense(30, activation=tf.nn.sigmoid),
    keras.layers.Dense(10, activation=tf.nn.softmax),
])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
""", "a harmless Flatten of the already flat digits; TensorFlow's tf.nn.sigmoid and tf.nn.softmax"),
    answer('stage2', 'input-shape-argument', 'pass', """
model = keras.Sequential([
    keras.layers.Dense(200, activation='sigmoid', input_shape=(28*28,)),
    keras.layers.Dense(100, activation='sigmoid'),
    keras.layers.Dense(60, activation='sigmoid'),
    keras.layers.Dense(30, activation='sigmoid'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
""", "input_shape on the first layer, the older Keras way, instead of keras.Input"),
    answer('stage2', 'no-input', 'fail', """
model = keras.Sequential([
    keras.layers.Dense(200, activation='sigmoid'),
    keras.layers.Dense(100, activation='sigmoid'),
    keras.layers.Dense(60, activation='sigmoid'),
    keras.layers.Dense(30, activation='sigmoid'),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
model.summary()
""", 'no keras.Input: the model has no input shape, no weights yet, and model.summary() fails',
           hint=r'input|built'),
    answer('stage2', 'relu-instead-of-sigmoid', 'fail', dense_stack('relu') + COMPILE_SGD,
           'relu already: the stage asks for sigmoid', hint=r'sigmoid'),
    answer('stage2', 'sizes-reversed', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(30, activation='sigmoid'),
    keras.layers.Dense(60, activation='sigmoid'),
    keras.layers.Dense(100, activation='sigmoid'),
    keras.layers.Dense(200, activation='sigmoid'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_SGD, 'layer sizes in the wrong order', hint=r'200'),
    answer('stage2', 'three-hidden-layers', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200, activation='sigmoid'),
    keras.layers.Dense(100, activation='sigmoid'),
    keras.layers.Dense(60, activation='sigmoid'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_SGD, 'the 30-neuron layer is missing', hint=r'30'),
    answer('stage2', 'no-softmax', 'fail', dense_stack('sigmoid', last='keras.layers.Dense(10)') + COMPILE_SGD,
           'the last layer outputs logits, not probabilities', hint=r'softmax'),
    answer('stage2', 'sigmoid-output', 'fail',
           dense_stack('sigmoid', last="keras.layers.Dense(10, activation='sigmoid')") + COMPILE_SGD,
           'sigmoid on the last layer too', hint=r'softmax'),
    answer('stage2', 'adam-optimizer', 'fail', dense_stack('sigmoid') + COMPILE_ADAM,
           'the stage keeps SGD; adam is the next stage', hint=r'sgd'),
    answer('stage2', 'not-compiled', 'fail', dense_stack('sigmoid') + 'model.summary()\n',
           'compile forgotten', hint=r'compile'),
    answer('stage2', 'no-activation', 'fail',
           dense_stack('linear').replace(", activation='linear'", '') + COMPILE_SGD,
           'hidden layers without activation: a linear model', hint=r'sigmoid'),
    answer('stage2', 'output-layer-forgotten', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200, activation='sigmoid'),
    keras.layers.Dense(100, activation='sigmoid'),
    keras.layers.Dense(60, activation='sigmoid'),
    keras.layers.Dense(30, activation='softmax'),
])
""" + COMPILE_SGD, 'the 10-class softmax layer replaced by the last hidden layer', hint=r'10'),

    answer('stage2', 'named-layers-default-sgd', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,), name='digits'),
    keras.layers.Dense(200, activation='sigmoid', name='hidden_1'),
    keras.layers.Dense(100, activation='sigmoid', name='hidden_2'),
    keras.layers.Dense(60, activation='sigmoid', name='hidden_3'),
    keras.layers.Dense(30, activation='sigmoid', name='hidden_4'),
    keras.layers.Dense(10, activation='softmax', name='probabilities'),
], name='five_layers')
model.compile(optimizer=keras.optimizers.SGD(), loss='categorical_crossentropy', metrics=['accuracy'])
""", "named layers and model, SGD() at its default learning rate, 0.01, the same as 'sgd'"),
    answer('stage2', 'nested-sequential-hidden-block', 'pass', """
hidden = keras.Sequential([keras.layers.Dense(units, activation='sigmoid') for units in (200, 100, 60, 30)])
model = keras.Sequential([keras.Input(shape=(28*28,)), hidden, keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer='sgd', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'the 4 hidden layers as a nested Sequential'),
    # ---------------------------------------------------------------- stage 3: relu, adam
    answer('stage3', 'relu-layers', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200), keras.layers.ReLU(),
    keras.layers.Dense(100), keras.layers.ReLU(),
    keras.layers.Dense(60), keras.layers.ReLU(),
    keras.layers.Dense(30), keras.layers.ReLU(),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'keras.layers.ReLU() layers after activation-less Dense layers'),
    answer('stage3', 'functional-loop', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = inputs
for units in (200, 100, 60, 30):
    x = keras.layers.Dense(units, activation='relu')(x)
model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'functional API, layers in a loop'),
    answer('stage3', 'adam-object', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200, activation=keras.activations.relu),
    keras.layers.Dense(100, activation=keras.activations.relu),
    keras.layers.Dense(60, activation=keras.activations.relu),
    keras.layers.Dense(30, activation=keras.activations.relu),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer=keras.optimizers.Adam(), loss='categorical_crossentropy', metrics=['accuracy'])
""", "keras.activations.relu and keras.optimizers.Adam() (its default learning rate is 'adam')"),
    answer('stage3', 'activation-relu-layers', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,))])
for units in (200, 100, 60, 30):
    model.add(keras.layers.Dense(units))
    model.add(keras.layers.Activation('relu'))
model.add(keras.layers.Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
""", "Activation('relu') layers, added in a loop"),
    answer('stage3', 'nested-hidden-block', 'pass', """
hidden_layers = keras.Sequential(name='hidden')
for units in (200, 100, 60, 30):
    hidden_layers.add(keras.layers.Dense(units, activation='relu'))
model = keras.Sequential([keras.Input(shape=(28*28,)), hidden_layers, keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'the hidden layers in a nested Sequential'),
    answer('stage3', 'still-sgd', 'fail', dense_stack('relu') + COMPILE_SGD,
           'relu, but the SGD optimizer kept', hint=r'adam'),
    answer('stage3', 'still-sigmoid', 'fail', dense_stack('sigmoid') + COMPILE_ADAM,
           'adam, but the sigmoid kept', hint=r'relu'),
    answer('stage3', 'relu-output', 'fail',
           dense_stack('relu', last="keras.layers.Dense(10, activation='relu')") + COMPILE_ADAM,
           'relu on the output layer too: no probabilities', hint=r'softmax'),
    answer('stage3', 'first-layer-still-sigmoid', 'fail',
           dense_stack('relu').replace("Dense(200, activation='relu')", "Dense(200, activation='sigmoid')")
           + COMPILE_ADAM, 'one hidden layer left with sigmoid', hint=r'relu'),
    answer('stage3', 'tanh', 'fail', dense_stack('tanh') + COMPILE_ADAM,
           'tanh instead of the relu the stage asks for', hint=r'relu'),
    answer('stage3', 'relu-layer-on-output', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dense(200), keras.layers.ReLU(),
    keras.layers.Dense(100), keras.layers.ReLU(),
    keras.layers.Dense(60), keras.layers.ReLU(),
    keras.layers.Dense(30), keras.layers.ReLU(),
    keras.layers.Dense(10), keras.layers.ReLU(),
])
model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
""", 'a ReLU layer after every Dense, the last one included: no softmax', hint=r'softmax'),
    answer('stage3', 'wrong-units', 'fail', dense_stack('relu').replace('Dense(60,', 'Dense(50,') + COMPILE_ADAM,
           'a 50-neuron layer instead of 60', hint=r'60'),

    answer('stage3', 'capitalised-optimizer-name', 'pass', dense_stack('relu')
           + "model.compile(optimizer='Adam', loss='categorical_crossentropy', metrics=['accuracy'])\n",
           "optimizer='Adam', capitalised: Keras accepts either"),
    # ---------------------------------------------------------------- stage 4: Adam 0.01, lr_decay
    answer('stage4', 'lambda-schedule', 'pass', dense_stack('relu') + """
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='categorical_crossentropy', metrics=['accuracy'])

lr_decay = lambda epoch: 0.01 * 0.6 ** epoch
""" + TAIL, 'a lambda, the learning rate as a positional argument'),
    answer('stage4', 'math-pow', 'pass', dense_stack('relu') + COMPILE_ADAM_001 + """
import math

def lr_decay(epoch):
    return 0.01 * math.pow(0.6, epoch)
""" + TAIL, 'math.pow'),
    answer('stage4', 'loop-and-lr-argument', 'pass', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch, lr=None):
    rate = 0.01
    for _ in range(epoch):
        rate *= 0.6
    return rate
""" + TAIL, 'a loop of multiplications; the optional lr argument LearningRateScheduler may pass'),
    answer('stage4', 'numpy-power', 'pass', dense_stack('relu') + """
model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-2), loss='categorical_crossentropy',
              metrics=['accuracy'])

def lr_decay(epoch):
    return float(1e-2 * np.power(0.6, epoch))
""" + TAIL, 'np.power and 1e-2'),
    answer('stage4', 'rate-from-the-schedule', 'pass', dense_stack('relu') + """
def lr_decay(epoch):
    return 0.01 * 0.6**epoch

model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr_decay(0)), loss='categorical_crossentropy',
              metrics=['accuracy'])
""" + TAIL, 'lr_decay defined first, the optimizer compiled with lr_decay(0)'),
    answer('stage4', 'times-instead-of-power', 'fail', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch):
    return 0.01 * 0.6 * epoch
""" + TAIL, '0.6 * epoch instead of 0.6 ** epoch', hint=r'learning rate|lr_decay'),
    answer('stage4', 'off-by-one', 'fail', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch):
    return 0.01 * 0.6 ** (epoch + 1)
""" + TAIL, 'starts at 0.006 instead of 0.01', hint=r'learning rate|lr_decay'),
    answer('stage4', 'constant-rate', 'fail', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch):
    return 0.01
""" + TAIL, 'the learning rate never decays', hint=r'learning rate|lr_decay'),
    answer('stage4', 'forgot-the-start-rate', 'fail', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch):
    return 0.6 ** epoch
""" + TAIL, 'the decay factor without the 0.01: a learning rate of 1 at first', hint=r'learning rate|lr_decay'),
    answer('stage4', 'sgd-at-001', 'fail', dense_stack('relu') + """
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='categorical_crossentropy',
              metrics=['accuracy'])
""" + LR_DECAY + TAIL, 'SGD instead of Adam', hint=r'adam'),
    answer('stage4', 'decay-exponent-as-factor', 'fail', dense_stack('relu') + COMPILE_ADAM_001 + """
def lr_decay(epoch):
    return 0.01 * epoch ** 0.6
""" + TAIL, 'epoch ** 0.6: base and exponent swapped', hint=r'learning rate|lr_decay'),

    answer('stage4', 'functional-builtin-pow', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = inputs
for units in (200, 100, 60, 30):
    x = keras.layers.Dense(units, activation='relu')(x)
model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='categorical_crossentropy',
              metrics=['accuracy'])

def lr_decay(epoch):
    return 0.01 * pow(0.6, epoch)
""" + TAIL, "functional API, Python's pow"),
    answer('stage4', 'decay-per-step-confusion', 'fail', dense_stack('relu') + """
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='categorical_crossentropy',
              metrics=['accuracy'])

def lr_decay(epoch):
    return 0.01 * 0.6 ** (epoch / 10)
""" + TAIL, 'the exponent divided by 10: the rate falls 10 times slower than asked', hint=r'learning rate|lr_decay'),
    # ---------------------------------------------------------------- stage 5: dropout 0.25
    answer('stage5', 'loop', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,))])
for units in (200, 100, 60, 30):
    model.add(keras.layers.Dense(units, activation='relu'))
    model.add(keras.layers.Dropout(rate=0.25))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dropout(rate=0.25), layers added in a loop'),
    answer('stage5', 'functional', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = inputs
for units in (200, 100, 60, 30):
    x = keras.layers.Dense(units, activation='relu')(x)
    x = keras.layers.Dropout(0.25)(x)
outputs = keras.layers.Dense(10, activation='softmax')(x)
model = keras.Model(inputs=inputs, outputs=outputs)
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'functional API'),
    answer('stage5', 'list-comprehension', 'pass', """
hidden = [layer for units in (200, 100, 60, 30)
          for layer in (keras.layers.Dense(units, activation='relu'), keras.layers.Dropout(1 / 4))]
model = keras.Sequential([keras.Input(shape=(28*28,)), *hidden, keras.layers.Dense(10, activation='softmax')])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'layers from a list comprehension, rate 1/4'),
    answer('stage5', 'seeded-dropout', 'pass', dense_stack('relu', '    keras.layers.Dropout(0.25, seed=1),\n')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dropout(0.25, seed=1)'),
    answer('stage5', 'keep-probability', 'fail', dense_stack('relu', '    keras.layers.Dropout(0.75),\n')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dropout(0.75), as if it were the keep probability',
           hint=r'0\.25'),
    answer('stage5', 'only-one-dropout', 'fail', dense_stack('relu').replace(
        "Dense(200, activation='relu'),\n", "Dense(200, activation='relu'),\n    keras.layers.Dropout(0.25),\n")
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'dropout after the first hidden layer only', hint=r'dropout'),
    answer('stage5', 'dropout-after-softmax', 'fail', dense_stack('relu', '    keras.layers.Dropout(0.25),\n')
           .replace("activation='softmax'),\n", "activation='softmax'),\n    keras.layers.Dropout(0.25),\n")
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'a Dropout after the softmax layer too: the outputs are no '
           'longer probabilities in training', hint=r'dropout|softmax|last'),
    answer('stage5', 'dropout-before-dense', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Dropout(0.25),
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dropout(0.25),
    keras.layers.Dense(100, activation='relu'),
    keras.layers.Dropout(0.25),
    keras.layers.Dense(60, activation='relu'),
    keras.layers.Dropout(0.25),
    keras.layers.Dense(30, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'dropout before each dense layer: on the input pixels, not after the 30',
           hint=r'dropout|dense'),
    answer('stage5', 'rate-half', 'fail', dense_stack('relu', '    keras.layers.Dropout(0.5),\n')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dropout(0.5) instead of 0.25', hint=r'0\.25'),
    answer('stage5', 'lost-the-schedule', 'fail', dense_stack('relu', '    keras.layers.Dropout(0.25),\n')
           + COMPILE_ADAM + '\ndef lr_decay(epoch):\n    return 0.001\n' + TAIL,
           "dropout right, but back to 'adam' at a constant 0.001", hint=r'0\.01|learning rate'),

    answer('stage5', 'nested-blocks', 'pass', """
def dense_dropout(units):
    return keras.Sequential([keras.layers.Dense(units, activation='relu'), keras.layers.Dropout(0.25)])

model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    dense_dropout(200),
    dense_dropout(100),
    dense_dropout(60),
    dense_dropout(30),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'each dense layer and its dropout a nested Sequential'),
    answer('stage5', 'relu-layers-then-dropout', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,))])
for units in (200, 100, 60, 30):
    model.add(keras.layers.Dense(units))
    model.add(keras.layers.ReLU())
    model.add(keras.layers.Dropout(0.25))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dense, ReLU layer, Dropout'),
    answer('stage5', 'gaussian-dropout', 'fail', dense_stack('relu', '    keras.layers.GaussianDropout(0.25),\n')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'GaussianDropout instead of Dropout', hint=r'dropout'),
    # ---------------------------------------------------------------- stage 6: convolutions
    answer('stage6', 'functional', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = keras.layers.Reshape((28, 28, 1))(inputs)
x = keras.layers.Conv2D(12, 3, padding='same', activation='relu')(x)
x = keras.layers.Conv2D(24, 6, strides=2, padding='same', activation='relu')(x)
x = keras.layers.Conv2D(32, 6, strides=2, padding='same', activation='relu')(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(200, activation='relu')(x)
model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'functional API, positional filters and kernel size'),
    answer('stage6', 'tuples-and-activation-layers', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Reshape([28, 28, 1]),
    keras.layers.Conv2D(filters=12, kernel_size=(3, 3), strides=(1, 1), padding='same'),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(filters=24, kernel_size=(6, 6), strides=(2, 2), padding='same'),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(filters=32, kernel_size=(6, 6), strides=(2, 2), padding='same'),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200),
    keras.layers.ReLU(),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'tuples for sizes, Activation and ReLU layers'),
    answer('stage6', 'loop', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,)), keras.layers.Reshape((28, 28, 1))])
for filters, size, stride in [(12, 3, 1), (24, 6, 2), (32, 6, 2)]:
    model.add(keras.layers.Conv2D(filters, size, strides=stride, padding='same', activation='relu'))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(200, activation='relu'))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'convolutions added in a loop'),
    answer('stage6', 'softmax-activation-layer', 'pass', CONVNET.replace(
        "keras.layers.Dense(10, activation='softmax')",
        "keras.layers.Dense(10),\n    keras.layers.Activation('softmax')")
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, "the softmax as an Activation('softmax') layer"),
    answer('stage6', 'reshape-takes-the-input-shape', 'pass', CONVNET.replace(
        "    keras.Input(shape=(28*28,)),\n    keras.layers.Reshape(target_shape=(28, 28, 1)),",
        "    keras.layers.Reshape(target_shape=(28, 28, 1), input_shape=(28*28,)),")
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'no keras.Input: the Reshape layer takes input_shape, the older way'),
    answer('stage6', 'valid-padding', 'fail', CONVNET.replace(", padding='same'", '') + COMPILE_ADAM_001
           + LR_DECAY + TAIL, "padding left at its default, 'valid'", hint=r'padding|same'),
    answer('stage6', 'no-strides', 'fail', CONVNET.replace(', strides=2', '') + COMPILE_ADAM_001 + LR_DECAY + TAIL,
           'no strides: the image never shrinks, and the Dense layer gets 25,088 × 200 weights', hint=r'strides'),
    answer('stage6', 'no-conv-activation', 'fail', CONVNET.replace(", activation='relu'),\n    keras.layers.Conv",
                                                                   '),\n    keras.layers.Conv')
           .replace("padding='same', activation='relu', strides=2),\n    keras.layers.Flatten",
                    "padding='same', strides=2),\n    keras.layers.Flatten") + COMPILE_ADAM_001 + LR_DECAY + TAIL,
           'convolutions without activation', hint=r'relu'),
    answer('stage6', 'no-flatten', 'fail', CONVNET.replace('    keras.layers.Flatten(),\n', '') + COMPILE_ADAM_001
           + LR_DECAY + TAIL, 'no Flatten: the Dense layers apply to every pixel', hint=r'flatten'),
    answer('stage6', 'filters-swapped', 'fail', CONVNET
           .replace('kernel_size=3, filters=12', 'kernel_size=3, filters=32')
           .replace('kernel_size=6, filters=32', 'kernel_size=6, filters=12') + COMPILE_ADAM_001 + LR_DECAY + TAIL,
           '32 filters first and 12 last', hint=r'12|32'),
    answer('stage6', 'pooling-instead-of-strides', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', activation='relu'),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', activation='relu'),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', activation='relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'max-pooling instead of the strides the stage asks for',
           hint=r'strid|pooling'),
    answer('stage6', 'no-dense-200', 'fail', CONVNET.replace("    keras.layers.Dense(200, activation='relu'),\n", '')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'the Dense(200) layer forgotten', hint=r'200'),
    answer('stage6', 'kernel-6-first', 'fail', CONVNET.replace('kernel_size=3, filters=12', 'kernel_size=6, filters=12')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'a 6x6 kernel in the first convolution', hint=r'3|kernel'),

    answer('stage6', 'nested-conv-block', 'pass', """
features = keras.Sequential([
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', activation='relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', activation='relu', strides=2),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', activation='relu', strides=2),
    keras.layers.Flatten(),
], name='features')
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    features,
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'the convolutional part as a nested Sequential'),
    # ---------------------------------------------------------------- stage 7: dropout 0.5 after Dense(200)
    answer('stage7', 'functional', 'pass', """
inputs = keras.Input(shape=(28*28,))
x = keras.layers.Reshape(target_shape=(28, 28, 1))(inputs)
x = keras.layers.Conv2D(12, 3, padding='same', activation='relu')(x)
x = keras.layers.Conv2D(24, 6, strides=2, padding='same', activation='relu')(x)
x = keras.layers.Conv2D(32, 6, strides=2, padding='same', activation='relu')(x)
x = keras.layers.Flatten()(x)
x = keras.layers.Dense(200, activation='relu')(x)
x = keras.layers.Dropout(rate=0.5)(x)
model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'functional API'),
    answer('stage7', 'add-to-the-model', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', activation='relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', activation='relu', strides=2),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', activation='relu', strides=2),
    keras.layers.Flatten(),
])
model.add(keras.layers.Dense(200, activation='relu'))
model.add(keras.layers.Dropout(0.5))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'the head added with model.add'),
    answer('stage7', 'relu-layer-then-dropout', 'pass', CONVNET_DROPOUT.replace(
        "keras.layers.Dense(200, activation='relu'),", 'keras.layers.Dense(200),\n    keras.layers.ReLU(),')
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'Dense(200), a ReLU layer, then the dropout'),
    answer('stage7', 'dropout-before-dense', 'fail', CONVNET.replace(
        '    keras.layers.Flatten(),\n', '    keras.layers.Flatten(),\n    keras.layers.Dropout(0.5),\n')
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'the dropout before the Dense(200) layer, not after', hint=r'dropout'),
    answer('stage7', 'dropout-after-softmax', 'fail', CONVNET.replace(
        "Dense(10, activation='softmax'),\n", "Dense(10, activation='softmax'),\n    keras.layers.Dropout(0.5),\n")
        + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'dropout after the softmax layer', hint=r'dropout|softmax|last'),
    answer('stage7', 'quarter-rate', 'fail', CONVNET_DROPOUT.replace('Dropout(0.5)', 'Dropout(0.25)')
           + COMPILE_ADAM_001 + LR_DECAY + TAIL, "stage 5's rate, 0.25", hint=r'0\.5'),
    answer('stage7', 'no-dropout', 'fail', CONVNET + COMPILE_ADAM_001 + LR_DECAY + TAIL,
           'the dropout forgotten', hint=r'dropout'),
    answer('stage7', 'dense-without-relu', 'fail', CONVNET_DROPOUT.replace(
        "Dense(200, activation='relu')", 'Dense(200)') + COMPILE_ADAM_001 + LR_DECAY + TAIL,
           'the relu of Dense(200) lost while adding the dropout', hint=r'relu'),
    answer('stage7', 'schedule-lost', 'fail', CONVNET_DROPOUT + COMPILE_ADAM_001
           + '\ndef lr_decay(epoch):\n    return 0.01 * 0.6\n' + TAIL,
           'lr_decay returns the same 0.006 at every epoch', hint=r'learning rate|lr_decay'),

    answer('stage7', 'loop', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,)), keras.layers.Reshape((28, 28, 1))])
for filters, size, strides in ((12, 3, 1), (24, 6, 2), (32, 6, 2)):
    model.add(keras.layers.Conv2D(filters, size, strides=strides, padding='same', activation='relu'))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(200, activation='relu'))
model.add(keras.layers.Dropout(rate=0.5))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'convolutions in a loop, Dropout(rate=0.5)'),
    answer('stage7', 'dropout-on-convolutions-instead', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', activation='relu'),
    keras.layers.Dropout(0.5),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', activation='relu', strides=2),
    keras.layers.Dropout(0.5),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', activation='relu', strides=2),
    keras.layers.Flatten(),
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL, 'dropout after the convolutions, none after Dense(200)', hint=r'dropout'),
    # ---------------------------------------------------------------- stage 8: batch normalization
    answer('stage8', 'helper-function', 'pass', """
def conv_bn(filters, size, strides=1):
    return [keras.layers.Conv2D(filters, size, strides=strides, padding='same', use_bias=False),
            keras.layers.BatchNormalization(center=True, scale=False),
            keras.layers.Activation('relu')]

model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape((28, 28, 1)),
    *conv_bn(12, 3),
    *conv_bn(24, 6, strides=2),
    *conv_bn(32, 6, strides=2),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(center=True, scale=False),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'a helper function returning the 3 layers of each block'),
    answer('stage8', 'functional-relu-layers', 'pass', """
def bn_relu(x):
    x = keras.layers.BatchNormalization(scale=False)(x)
    return keras.layers.ReLU()(x)

inputs = keras.Input(shape=(28*28,))
x = keras.layers.Reshape((28, 28, 1))(inputs)
x = bn_relu(keras.layers.Conv2D(12, 3, padding='same', use_bias=False)(x))
x = bn_relu(keras.layers.Conv2D(24, 6, strides=2, padding='same', use_bias=False)(x))
x = bn_relu(keras.layers.Conv2D(32, 6, strides=2, padding='same', use_bias=False)(x))
x = keras.layers.Flatten()(x)
x = bn_relu(keras.layers.Dense(200, use_bias=False)(x))
x = keras.layers.Dropout(0.3)(x)
model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'functional API, ReLU layers, center left at its default True'),
    answer('stage8', 'nested-sequential-blocks', 'pass', """
def block(layer):
    return keras.Sequential([layer, keras.layers.BatchNormalization(center=True, scale=False),
                             keras.layers.Activation('relu')])

model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    block(keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False)),
    block(keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2)),
    block(keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2)),
    keras.layers.Flatten(),
    block(keras.layers.Dense(200, use_bias=False)),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'each block a nested Sequential'),
    answer('stage8', 'loop-and-lambda', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,)), keras.layers.Reshape((28, 28, 1))])
for filters, size, strides in ((12, 3, 1), (24, 6, 2), (32, 6, 2)):
    model.add(keras.layers.Conv2D(filters, size, strides=strides, padding='same', use_bias=False))
    model.add(keras.layers.BatchNormalization(scale=False, center=True))
    model.add(keras.layers.Activation(keras.activations.relu))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(200, use_bias=False))
model.add(keras.layers.BatchNormalization(scale=False, center=True))
model.add(keras.layers.Activation('relu'))
model.add(keras.layers.Dropout(0.3))
model.add(keras.layers.Dense(10, activation='softmax'))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss='categorical_crossentropy',
              metrics=['accuracy'])

lr_decay = lambda epoch: 0.01 * 0.666 ** epoch
""" + TAIL_BN, 'a loop, Activation(keras.activations.relu), a lambda schedule'),
    answer('stage8', 'momentum-given', 'pass', """
model = keras.Sequential([keras.Input(shape=(28*28,)), keras.layers.Reshape((28, 28, 1))])
for filters, size, strides in ((12, 3, 1), (24, 6, 2), (32, 6, 2)):
    model.add(keras.layers.Conv2D(filters, size, strides=strides, padding='same', use_bias=False))
    model.add(keras.layers.BatchNormalization(center=True, scale=False, momentum=0.9))
    model.add(keras.layers.Activation('relu'))
model.add(keras.layers.Flatten())
model.add(keras.layers.Dense(200, use_bias=False))
model.add(keras.layers.BatchNormalization(center=True, scale=False, momentum=0.9))
model.add(keras.layers.Activation('relu'))
model.add(keras.layers.Dropout(0.3))
model.add(keras.layers.Dense(10, activation='softmax'))
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'batch normalization with momentum=0.9, as in Part 4'),
    answer('stage8', 'bn-after-relu', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'batch normalization after the activation, not before',
           hint=r'activation|relu|before|after'),
    answer('stage8', 'biases-kept', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'use_bias left True: the biases duplicate the batch norm offset',
           hint=r'bias'),
    answer('stage8', 'scale-kept', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False),
    keras.layers.BatchNormalization(),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'BatchNormalization() with scale=True, which the stage turns off '
           'before a relu', hint=r'scale'),
    answer('stage8', 'activation-twice', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False, activation='relu'),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, "the layers' relu kept as well as the Activation layers",
           hint=r'activation|relu'),
    answer('stage8', 'old-dropout-and-decay', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.5),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, "stage 7's Dropout(0.5) kept", hint=r'0\.3|dropout'),
    answer('stage8', 'old-decay', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY + TAIL_BN, "stage 7's decay of 0.6 per epoch kept, not 0.666",
           hint=r'learning rate|lr_decay|0\.666'),
    answer('stage8', 'dense-not-normalised', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, activation='relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, 'the Dense(200) layer left without batch normalization',
           hint=r'dense|batch ?norm'),
    answer('stage8', 'bn-on-output', 'fail', """
model = keras.Sequential([
    keras.Input(shape=(28*28,)),
    keras.layers.Reshape(target_shape=(28, 28, 1)),
    keras.layers.Conv2D(kernel_size=3, filters=12, padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=24, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Conv2D(kernel_size=6, filters=32, padding='same', use_bias=False, strides=2),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('relu'),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, use_bias=False),
    keras.layers.BatchNormalization(scale=False, center=True),
    keras.layers.Activation('softmax'),
])
""" + COMPILE_ADAM_001 + LR_DECAY_BN + TAIL_BN, "'every layer but the last': the softmax layer normalized too",
           hint=r'last|softmax'),

    answer('stage8', 'conv-bn-relu-keyword-order', 'pass', """
model = keras.Sequential([
    keras.Input(shape=(784,)),
    keras.layers.Reshape((28, 28, 1)),
    keras.layers.Conv2D(12, (3, 3), padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False),
    keras.layers.ReLU(),
    keras.layers.Conv2D(24, (6, 6), strides=(2, 2), padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False),
    keras.layers.ReLU(),
    keras.layers.Conv2D(32, (6, 6), strides=(2, 2), padding='same', use_bias=False),
    keras.layers.BatchNormalization(scale=False),
    keras.layers.ReLU(),
    keras.layers.Flatten(),
    keras.layers.Dense(200, use_bias=False),
    keras.layers.BatchNormalization(scale=False),
    keras.layers.ReLU(),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(10, activation='softmax'),
])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss='categorical_crossentropy', metrics=['accuracy'])

def lr_decay(epoch):
    return 0.01 * pow(0.666, epoch)
""" + TAIL_BN, 'tuples, ReLU layers, center at its default, Adam(0.01), pow'),
    # ---------------------------------------------------------------- stage 9: data augmentation
    answer('augment', 'no-training-argument', 'pass', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images)  # Keras 3's preprocessing layers are random by default
    return tf.reshape(images, [-1, 28*28]), labels
""", 'no training=True: RandomTranslation is random by default in Keras 3'),
    answer('augment', 'keras-ops-and-keywords', 'pass', """
shift = keras.layers.RandomTranslation(height_factor=0.1, width_factor=0.1, fill_mode='constant')

def augment(digits, labels):
    images = keras.ops.reshape(digits, (-1, 28, 28, 1))
    images = shift(images, training=True)
    return keras.ops.reshape(images, (-1, 784)), labels
""", 'keras.ops.reshape and keyword arguments'),
    answer('augment', 'sequential-augmenter', 'pass', """
augmenter = keras.Sequential([
    keras.layers.Reshape((28, 28, 1)),
    keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant'),
    keras.layers.Reshape((28 * 28,)),
])

def augment(digits, labels):
    return augmenter(digits, training=True), labels
""", 'a small Sequential model of the reshapes and the translation'),
    answer('augment', 'explicit-batch-size', 'pass', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    batch = tf.shape(digits)[0]
    images = random_shift(tf.reshape(digits, [batch, 28, 28, 1]), training=True)
    return tf.reshape(images, [batch, 28 * 28]), labels
""", 'the batch size from tf.shape instead of -1'),
    answer('augment', 'factor-ranges', 'pass', """
random_shift = keras.layers.RandomTranslation(height_factor=(-0.1, 0.1), width_factor=(-0.1, 0.1),
                                              fill_mode='constant', fill_value=0.0)

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'the factors as (-0.1, 0.1) ranges, fill_value=0 spelled out'),
    answer('augment', 'seeded-layer', 'pass', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant', seed=42)

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'a seed for the random shifts'),
    answer('augment', 'tf-function', 'pass', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

@tf.function
def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'augment decorated with @tf.function'),
    answer('augment', 'half-the-image', 'fail', """
random_shift = keras.layers.RandomTranslation(0.5, 0.5, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'shifts of up to half the image: many digits leave the frame', hint=r'0\.1|factor|far|much|shift'),
    answer('augment', 'no-channel-axis', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'reshaped to [-1, 28, 28]: the batch is taken for one 8x28 image with 28 channels', hint=r'28, ?28, ?1|channel'),
    answer('augment', 'not-flattened-back', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    return random_shift(images, training=True), labels
""", 'returns 28x28x1 images: the model takes flat digits', hint=r'shape|784|28'),
    answer('augment', 'training-false', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=False)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'training=False: the layer does nothing', hint=r'training|unchanged'),
    answer('augment', 'images-only', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28])
""", 'the labels are not returned', hint=r'label'),
    answer('augment', 'layer-inside-the-function', 'fail', """
def augment(digits, labels):
    random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')
    images = random_shift(tf.reshape(digits, [-1, 28, 28, 1]), training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'the layer created inside augment: tf.data traces it, and a new layer cannot make its variables there',
           hint=r'outside|once|variable'),
    answer('augment', 'numpy-in-the-pipeline', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits, labels):
    images = digits.numpy().reshape(-1, 28, 28, 1)
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", '.numpy() inside a tf.data map: the digits are symbolic there', hint=r'numpy'),
    answer('augment', 'reflect-fill', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1)

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_shift(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", "fill_mode left at 'reflect': the digits get mirrored strokes at the border", hint=r'fill_mode|constant'),
    answer('augment', 'rotation', 'fail', """
random_turn = keras.layers.RandomRotation(0.1, fill_mode='constant')

def augment(digits, labels):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    images = random_turn(images, training=True)
    return tf.reshape(images, [-1, 28*28]), labels
""", 'RandomRotation, not the RandomTranslation the exercise asks for', hint=r'translat'),
    answer('augment', 'one-argument', 'fail', """
random_shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='constant')

def augment(digits):
    images = tf.reshape(digits, [-1, 28, 28, 1])
    return tf.reshape(random_shift(images, training=True), [-1, 28*28])
""", 'augment(digits): the dataset gives (digits, labels)', hint=r'label|argument'),
]
