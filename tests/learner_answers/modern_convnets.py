"""Learner answers to Part 4's exercises: the fire module, the squeezenet, the learning-rate ramp, fine-tuning."""
from tests.learner_answers import answer

NOTEBOOK = '04_modern_convnets'
EXERCISES = {
    'fire_module': r'def fire\(',
    'squeezenet': r'def create_squeezenet',
    'lr_fn': r'def lr_fn',
    'fine_tuning': r'xception\.trainable',
}

FIRE_MODULE = '''

def fire_module(squeeze, expand):
    """A fire module used like a Keras layer: fire_module(24, 48)(y)."""
    return lambda x: fire(x, squeeze, expand)
'''


def fire_with(**changes):
    """The solution's fire module, some of its lines changed."""
    lines = {
        'squeeze': "y = layers.Conv2D(filters=squeeze, kernel_size=1, padding='same', activation='relu')(x)",
        'squeeze_bn': 'y = layers.BatchNormalization(momentum=0.9)(y)',
        'y1': "y1 = layers.Conv2D(filters=expand // 2, kernel_size=1, padding='same', activation='relu')(y)",
        'y1_bn': 'y1 = layers.BatchNormalization(momentum=0.9)(y1)',
        'y3': "y3 = layers.Conv2D(filters=expand // 2, kernel_size=3, padding='same', activation='relu')(y)",
        'y3_bn': 'y3 = layers.BatchNormalization(momentum=0.9)(y3)',
        'return': 'return layers.concatenate([y1, y3])',
    }
    lines.update(changes)
    body = ''.join(f'    {line}\n' for line in lines.values() if line)
    return 'def fire(x, squeeze, expand):\n' + body + FIRE_MODULE


SQUEEZENET_END = '''

with strategy.scope():
    squeezenet = create_squeezenet()
    squeezenet.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                       loss='sparse_categorical_crossentropy',
                       metrics=['accuracy'])

squeezenet.summary()
'''


def squeezenet(body):
    """The exercise cell, create_squeezenet's body (indented by 4) replaced."""
    return 'def create_squeezenet():\n' + body.strip('\n') + '\n' + SQUEEZENET_END


STEM = '''    x = keras.Input(shape=[*TARGET_SIZE, 3])
    y = layers.Conv2D(filters=32, kernel_size=3, padding='same', activation='relu')(x)
    y = layers.BatchNormalization(momentum=0.9)(y)
'''
HEAD = '''    y = layers.GlobalAveragePooling2D()(y)
    y = layers.Dense(len(FLOWER_CLASSES), activation='softmax')(y)
    return keras.Model(x, y)
'''
MODULES = '''    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(24, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 96)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(64, 128)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 96)(y)
'''

LR_PARAMETERS = '''LR_START = 0.00001
LR_MIN = 0.00001
LR_MAX = 0.00005 * strategy.num_replicas_in_sync
LR_RAMPUP_EPOCHS = 5
LR_SUSTAIN_EPOCHS = 0
LR_EXP_DECAY = 0.8

'''
LR_END = '''

plot_learning_rate(lr_fn, FINE_TUNING_EPOCHS)
fine_tuning_lr_callback = keras.callbacks.LearningRateScheduler(lr_fn)
'''


def lr_cell(code):
    return LR_PARAMETERS + code.strip('\n') + '\n' + LR_END


RAMP = 'return LR_START + (LR_MAX - LR_START) * epoch / LR_RAMPUP_EPOCHS'
DECAY = 'return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS) + LR_MIN'


def lr_fn_with(ramp=RAMP, decay=DECAY):
    return lr_cell(f'''
def lr_fn(epoch):
    if epoch < LR_RAMPUP_EPOCHS:
        {ramp}
    if epoch < LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS:
        return LR_MAX
    {decay}
''')


def fine_tuning(code):
    """The fine-tuning cell with `code` (indented by 4) where the exercise is."""
    return '''keras.mixed_precision.set_global_policy('mixed_bfloat16' if MIXED_PRECISION else 'float32')
with strategy.scope():
    xception = pretrained_model(keras.applications.Xception, include_top=False, input_shape=[*TARGET_SIZE, 3])
''' + code.strip('\n') + '''
    fine_tuned_model = keras.Sequential([
        keras.Input(shape=[*TARGET_SIZE, 3]),
        layers.Rescaling(scale=2.0, offset=-1.0),  # [0, 1] -> [-1, 1]
        xception,
        layers.GlobalAveragePooling2D(),
        layers.Dense(len(FLOWER_CLASSES), activation='softmax', dtype='float32'),
    ])
    fine_tuned_model.compile(optimizer=keras.optimizers.Adam(learning_rate=LR_START),
                             loss='sparse_categorical_crossentropy',
                             metrics=['accuracy'])

fine_tuned_model.summary()
keras.mixed_precision.set_global_policy('float32')
'''


ANSWERS = [
    # ---------------------------------------------------------------- the fire module
    answer('fire_module', 'batch-norm-before-relu', 'pass', '''
def conv_bn_relu(x, filters, size):
    x = layers.Conv2D(filters, size, padding='same', use_bias=False)(x)
    x = layers.BatchNormalization(momentum=0.9)(x)
    return layers.Activation('relu')(x)


def fire(x, squeeze, expand):
    y = conv_bn_relu(x, squeeze, 1)
    y1 = conv_bn_relu(y, expand // 2, 1)
    y3 = conv_bn_relu(y, expand // 2, 3)
    return layers.concatenate([y1, y3])
''' + FIRE_MODULE, 'convolution, batch normalization, then relu, in a helper function'),
    answer('fire_module', 'concatenate-layer', 'pass', fire_with(
        **{'return': 'return layers.Concatenate(axis=-1)([y1, y3])'}), 'the Concatenate layer class, axis=-1'),
    answer('fire_module', 'branches-in-a-loop', 'pass', '''
def fire(x, squeeze, expand):
    y = layers.Conv2D(squeeze, 1, activation='relu')(x)
    y = layers.BatchNormalization(momentum=0.9)(y)
    branches = []
    for size in (1, 3):
        branch = layers.Conv2D(expand // 2, size, padding='same', activation='relu')(y)
        branches.append(layers.BatchNormalization(momentum=0.9)(branch))
    return layers.concatenate(branches)
''' + FIRE_MODULE, 'the two expand branches built in a loop'),
    answer('fire_module', 'keras-layers-and-tuples', 'pass', '''
def fire(x, squeeze, expand):
    half = int(expand / 2)
    y = keras.layers.Conv2D(squeeze, (1, 1), padding='same', activation='relu')(x)
    y = keras.layers.BatchNormalization(momentum=0.9, epsilon=0.001)(y)
    left = keras.layers.Conv2D(half, (1, 1), padding='same', activation='relu')(y)
    left = keras.layers.BatchNormalization(momentum=0.9)(left)
    right = keras.layers.Conv2D(half, (3, 3), padding='same', activation='relu')(y)
    right = keras.layers.BatchNormalization(momentum=0.9)(right)
    return keras.layers.concatenate([left, right], axis=3)
''' + FIRE_MODULE, 'keras.layers spelled out, tuple kernel sizes, int(expand / 2), axis=3'),
    answer('fire_module', 'bn-after-concatenation', 'pass', '''
def fire(x, squeeze, expand):
    y = layers.Conv2D(squeeze, 1, padding='same', activation='relu')(x)
    y = layers.BatchNormalization(momentum=0.9)(y)
    y1 = layers.Conv2D(expand // 2, 1, padding='same', activation='relu')(y)
    y3 = layers.Conv2D(expand // 2, 3, padding='same', activation='relu')(y)
    return layers.BatchNormalization(momentum=0.9)(layers.concatenate([y1, y3]))
''' + FIRE_MODULE, 'one batch normalization after the concatenation: it normalizes each channel on its own, '
                   'so it is the same as one after each expand convolution'),
    answer('fire_module', 'chained-branches', 'fail', fire_with(
        y3="y3 = layers.Conv2D(filters=expand // 2, kernel_size=3, padding='same', activation='relu')(y1)"),
           'the 3x3 expand convolution after the 1x1 one, not beside it', hint=r'parallel|side by side|branch|both'),
    answer('fire_module', 'squeeze-and-expand-swapped', 'fail', '''
def fire(x, squeeze, expand):
    y1 = layers.Conv2D(filters=expand // 2, kernel_size=1, padding='same', activation='relu')(x)
    y1 = layers.BatchNormalization(momentum=0.9)(y1)
    y3 = layers.Conv2D(filters=expand // 2, kernel_size=3, padding='same', activation='relu')(x)
    y3 = layers.BatchNormalization(momentum=0.9)(y3)
    y = layers.concatenate([y1, y3])
    y = layers.Conv2D(filters=squeeze, kernel_size=1, padding='same', activation='relu')(y)
    return layers.BatchNormalization(momentum=0.9)(y)
''' + FIRE_MODULE, 'expand first, squeeze last', hint=r'squeeze'),
    answer('fire_module', 'expand-3x3-on-the-input', 'fail', fire_with(
        y3="y3 = layers.Conv2D(filters=expand // 2, kernel_size=3, padding='same', activation='relu')(x)"),
           'the 3x3 expand convolution takes x, not the squeezed y', hint=r'squeeze'),
    answer('fire_module', 'same-branch-twice', 'fail', fire_with(**{'return': 'return layers.concatenate([y1, y1])'}),
           'y1 concatenated with itself: the 3x3 branch is left out', hint=r'3×3|3x3|branch'),
    answer('fire_module', 'returns-the-squeeze', 'fail', fire_with(**{'return': 'return y'}),
           'returns y, the squeezed tensor: the expand branches are left out of the model', hint=r'concatenat|expand'),
    answer('fire_module', 'default-momentum', 'fail', fire_with(
        squeeze_bn='y = layers.BatchNormalization()(y)', y1_bn='y1 = layers.BatchNormalization()(y1)',
        y3_bn='y3 = layers.BatchNormalization()(y3)'),
           'BatchNormalization() at the default momentum, 0.99', hint=r'momentum'),
    answer('fire_module', 'no-batch-norm', 'fail', fire_with(squeeze_bn='', y1_bn='', y3_bn=''),
           'no batch normalization', hint=r'batch ?norm'),
    answer('fire_module', 'expand-filters-each', 'fail', fire_with(
        y1="y1 = layers.Conv2D(filters=expand, kernel_size=1, padding='same', activation='relu')(y)",
        y3="y3 = layers.Conv2D(filters=expand, kernel_size=3, padding='same', activation='relu')(y)"),
           'expand filters in each branch: twice the channels', hint=r'expand ?// ?2|channels|filters'),
    answer('fire_module', 'added-not-concatenated', 'fail', fire_with(**{'return': 'return layers.add([y1, y3])'}),
           'the branches added instead of concatenated', hint=r'concatenat'),
    answer('fire_module', 'squeeze-3x3', 'fail', fire_with(
        squeeze="y = layers.Conv2D(filters=squeeze, kernel_size=3, padding='same', activation='relu')(x)"),
           'a 3x3 squeeze convolution', hint=r'1×1|1x1|kernel'),
    answer('fire_module', 'valid-padding', 'fail', fire_with(
        y3="y3 = layers.Conv2D(filters=expand // 2, kernel_size=3, activation='relu')(y)"),
           "the 3x3 convolution with padding 'valid': its output is smaller, the concatenation fails",
           hint=r'padding|same'),
    answer('fire_module', 'squeeze-concatenated-too', 'fail', fire_with(
        **{'return': 'return layers.concatenate([y, y1, y3])'}), 'the squeezed tensor concatenated as well',
           hint=r'concatenat|channels|branches'),
    answer('fire_module', 'squeeze-with-expand-filters', 'fail', fire_with(
        squeeze="y = layers.Conv2D(filters=expand, kernel_size=1, padding='same', activation='relu')(x)"),
           'the squeeze convolution with expand filters: nothing is squeezed', hint=r'squeeze'),
    answer('fire_module', 'branches-not-normalised', 'fail', fire_with(y1_bn='', y3_bn=''),
           'batch normalization after the squeeze only', hint=r'batch ?norm'),

    # ---------------------------------------------------------------- the squeezenet
    answer('squeezenet', 'loop-of-modules', 'pass', squeezenet(STEM + '''
    for squeeze, expand in [(24, 48), (48, 96), (64, 128), (48, 96)]:
        y = layers.MaxPooling2D(pool_size=2)(y)
        y = fire_module(squeeze, expand)(y)
''' + HEAD), 'the modules and poolings in a loop'),
    answer('squeezenet', 'fire-called-directly', 'pass', squeezenet(STEM + '''
    y = layers.MaxPooling2D()(y)
    y = fire(y, 16, 32)
    y = layers.MaxPooling2D()(y)
    y = fire(y, 32, 64)
    y = layers.MaxPooling2D()(y)
    y = fire(y, 48, 96)
''' + HEAD), 'fire(y, squeeze, expand) called directly; 3 modules, as few as the codelab suggests'),
    answer('squeezenet', 'bn-relu-stem-and-softmax-layer', 'pass', squeezenet('''
    x = keras.Input(shape=[*TARGET_SIZE, 3])
    y = layers.Conv2D(32, 3, padding='same', use_bias=False)(x)
    y = layers.BatchNormalization(momentum=0.9)(y)
    y = layers.Activation('relu')(y)
''' + MODULES + '''    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(24, 48)(y)
    y = layers.GlobalAveragePooling2D()(y)
    y = layers.Dense(len(FLOWER_CLASSES))(y)
    y = layers.Activation('softmax')(y)
    return keras.Model(inputs=x, outputs=y)
'''), 'a conv-bn-relu first layer, the softmax as an Activation layer'),
    answer('squeezenet', 'six-modules-dropout', 'pass', squeezenet(STEM + '''
    y = fire_module(16, 32)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(24, 48)(y)
    y = fire_module(32, 64)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 96)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(64, 128)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 96)(y)
    y = layers.GlobalAveragePooling2D()(y)
    y = layers.Dropout(0.2)(y)
    y = layers.Dense(len(FLOWER_CLASSES), activation='softmax')(y)
    return keras.Model(x, y)
'''), 'six modules, two of them in a row, dropout before the last layer'),
    answer('squeezenet', 'flatten-after-pooling', 'pass', squeezenet(STEM + MODULES + '''
    y = layers.GlobalAveragePooling2D()(y)
    y = layers.Flatten()(y)
    y = layers.Dense(len(FLOWER_CLASSES), activation='softmax')(y)
    return keras.Model(x, y)
'''), 'a Flatten after the global pooling: it changes nothing, the features are flat already'),
    answer('squeezenet', 'inline-modules', 'pass', squeezenet('''
    x = keras.Input(shape=[*TARGET_SIZE, 3])
    y = layers.Conv2D(32, 3, padding='same', activation='relu')(x)
    y = layers.BatchNormalization(momentum=0.9)(y)
    for squeeze, expand in [(24, 48), (48, 96), (64, 128)]:
        y = layers.MaxPooling2D(pool_size=2)(y)
        y = layers.BatchNormalization(momentum=0.9)(layers.Conv2D(squeeze, 1, activation='relu')(y))
        left = layers.BatchNormalization(momentum=0.9)(layers.Conv2D(expand // 2, 1, activation='relu')(y))
        right = layers.BatchNormalization(momentum=0.9)(
            layers.Conv2D(expand // 2, 3, padding='same', activation='relu')(y))
        y = layers.concatenate([left, right])
''' + HEAD), 'the fire modules written inline in a loop, without calling fire'),
    answer('squeezenet', 'no-max-pooling', 'fail', squeezenet(STEM + '''
    y = fire_module(24, 48)(y)
    y = fire_module(48, 96)(y)
    y = fire_module(64, 128)(y)
    y = fire_module(48, 96)(y)
''' + HEAD), 'no max-pooling: every module works on the full 192x192 image', hint=r'pool'),
    answer('squeezenet', 'flatten-head', 'fail', squeezenet(STEM + MODULES + '''
    y = layers.Flatten()(y)
    y = layers.Dense(len(FLOWER_CLASSES), activation='softmax')(y)
    return keras.Model(x, y)
'''), 'Flatten instead of global average pooling', hint=r'globalaveragepooling|flatten'),
    answer('squeezenet', 'first-conv-not-normalised', 'fail', squeezenet('''
    x = keras.Input(shape=[*TARGET_SIZE, 3])
    y = layers.Conv2D(filters=32, kernel_size=3, padding='same', activation='relu')(x)
''' + MODULES + HEAD), 'the first convolution without batch normalization', hint=r'batch ?norm|first'),
    answer('squeezenet', 'two-modules-two-poolings', 'pass', squeezenet(STEM + '''
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(24, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 96)(y)
''' + HEAD), "two max-poolings with a fire module after each: the low end of the notebook's suggestions "
             '(2 to 4 max-poolings, 1 to 3 modules between them)'),
    answer('squeezenet', 'one-module-many-poolings', 'fail', squeezenet(STEM + '''
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(24, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
''' + HEAD), 'a single fire module, the max-poolings stacked around it', hint=r'fire module'),
    answer('squeezenet', 'modules-not-assigned', 'fail', squeezenet(STEM + '''
    y = layers.MaxPooling2D(pool_size=2)(y)
    fire_module(24, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    fire_module(48, 96)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    fire_module(64, 128)(y)
''' + HEAD), 'the fire modules called, their output not kept: they are not in the model', hint=r'fire module'),
    answer('squeezenet', 'no-softmax', 'fail', squeezenet(STEM + MODULES + '''
    y = layers.GlobalAveragePooling2D()(y)
    y = layers.Dense(len(FLOWER_CLASSES))(y)
    return keras.Model(x, y)
'''), 'the last layer without softmax', hint=r'softmax'),
    answer('squeezenet', 'squeeze-wider-than-expand', 'fail', squeezenet(STEM + '''
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 24)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(96, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(128, 64)(y)
''' + HEAD), 'fire_module(expand, squeeze): the arguments swapped, the squeeze is wider than the module',
           hint=r'squeeze'),
    answer('squeezenet', 'squeeze-as-wide-as-expand', 'fail', squeezenet(STEM + '''
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(48, 48)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(96, 96)(y)
    y = layers.MaxPooling2D(pool_size=2)(y)
    y = fire_module(64, 64)(y)
''' + HEAD), 'squeeze = expand: nothing is squeezed', hint=r'squeeze'),
    answer('squeezenet', 'sequential-of-modules', 'fail', squeezenet('''
    return keras.Sequential([
        keras.Input(shape=[*TARGET_SIZE, 3]),
        layers.Conv2D(filters=32, kernel_size=3, padding='same', activation='relu'),
        layers.BatchNormalization(momentum=0.9),
        layers.MaxPooling2D(pool_size=2),
        layers.Conv2D(filters=48, kernel_size=3, padding='same', activation='relu'),
        layers.BatchNormalization(momentum=0.9),
        layers.MaxPooling2D(pool_size=2),
        layers.Conv2D(filters=96, kernel_size=3, padding='same', activation='relu'),
        layers.BatchNormalization(momentum=0.9),
        layers.GlobalAveragePooling2D(),
        layers.Dense(len(FLOWER_CLASSES), activation='softmax'),
    ])
'''), 'a plain Sequential convnet: no fire modules at all', hint=r'fire module'),

    # ---------------------------------------------------------------- the learning-rate function
    answer('lr_fn', 'elif-chain', 'pass', lr_cell('''
def lr_fn(epoch):
    if epoch < LR_RAMPUP_EPOCHS:
        lr = (LR_MAX - LR_START) / LR_RAMPUP_EPOCHS * epoch + LR_START
    elif epoch < LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS:
        lr = LR_MAX
    else:
        lr = (LR_MAX - LR_MIN) * LR_EXP_DECAY**(epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS) + LR_MIN
    return lr
'''), "the original notebook's if/elif/else"),
    answer('lr_fn', 'less-or-equal', 'pass', lr_fn_with().replace('if epoch < LR_RAMPUP_EPOCHS:',
                                                                  'if epoch <= LR_RAMPUP_EPOCHS:'),
           'epoch <= LR_RAMPUP_EPOCHS: at epoch 5 the ramp and the decay both give LR_MAX'),
    answer('lr_fn', 'math-pow-and-max', 'pass', lr_cell('''
import math

def lr_fn(epoch):
    ramp_end = LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS
    if epoch >= ramp_end:
        return LR_MIN + (LR_MAX - LR_MIN) * math.pow(LR_EXP_DECAY, epoch - ramp_end)
    return min(LR_MAX, LR_START + epoch * (LR_MAX - LR_START) / LR_RAMPUP_EPOCHS)
'''), 'the decay first, math.pow, min() for the ramp and the sustain'),
    answer('lr_fn', 'numpy-interp', 'pass', lr_cell('''
def lr_fn(epoch):
    if epoch < LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS:
        return float(np.interp(epoch, [0, LR_RAMPUP_EPOCHS], [LR_START, LR_MAX]))
    decay_epochs = epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS
    return float(LR_MIN + (LR_MAX - LR_MIN) * np.power(LR_EXP_DECAY, decay_epochs))
'''), 'np.interp for the ramp and the sustain'),
    answer('lr_fn', 'recursive-decay', 'pass', lr_cell('''
def lr_fn(epoch):
    if epoch < LR_RAMPUP_EPOCHS:
        return LR_START + (LR_MAX - LR_START) * epoch / LR_RAMPUP_EPOCHS
    if epoch < LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS or epoch == 0:
        return LR_MAX
    if epoch == LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS:
        return LR_MAX
    return (lr_fn(epoch - 1) - LR_MIN) * LR_EXP_DECAY + LR_MIN
'''), 'the decay one epoch at a time, from the previous epoch'),
    answer('lr_fn', 'exp-and-log', 'pass', lr_cell('''
import math

def lr_fn(epoch):
    if epoch < LR_RAMPUP_EPOCHS:
        return LR_START + (LR_MAX - LR_START) * epoch / LR_RAMPUP_EPOCHS
    if epoch < LR_RAMPUP_EPOCHS + LR_SUSTAIN_EPOCHS:
        return LR_MAX
    decay_epochs = epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS
    return (LR_MAX - LR_MIN) * math.exp(decay_epochs * math.log(LR_EXP_DECAY)) + LR_MIN
'''), 'the decay as exp(n log d)'),
    answer('lr_fn', 'ramp-one-epoch-short', 'fail', lr_fn_with(
        ramp='return LR_START + (LR_MAX - LR_START) * epoch / (LR_RAMPUP_EPOCHS - 1)'),
           'divides by LR_RAMPUP_EPOCHS - 1: the ramp overshoots LR_MAX', hint=r'epoch|learning rate'),
    answer('lr_fn', 'decay-times-not-power', 'fail', lr_fn_with(
        decay='return (LR_MAX - LR_MIN) * LR_EXP_DECAY * (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS) + LR_MIN'),
           'LR_EXP_DECAY * epochs instead of LR_EXP_DECAY ** epochs', hint=r'epoch|learning rate'),
    answer('lr_fn', 'max-during-the-ramp', 'fail', lr_fn_with(ramp='return LR_MAX'),
           'LR_MAX from the first epoch: no ramp-up', hint=r'epoch|learning rate'),
    answer('lr_fn', 'decay-off-by-one', 'fail', lr_fn_with(
        decay='return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS + 1) + LR_MIN'),
           'the decay one epoch ahead', hint=r'epoch|learning rate'),
    answer('lr_fn', 'minimum-forgotten', 'fail', lr_fn_with(
        decay='return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS)'),
           'the decay without + LR_MIN: it tends to 0', hint=r'epoch|learning rate'),
    answer('lr_fn', 'decay-from-the-maximum', 'fail', lr_fn_with(
        decay='return LR_MAX * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS - LR_SUSTAIN_EPOCHS)'),
           'LR_MAX × decay^epochs: the minimum ignored', hint=r'epoch|learning rate'),
    answer('lr_fn', 'ramp-from-zero', 'fail', lr_fn_with(ramp='return LR_MAX * epoch / LR_RAMPUP_EPOCHS'),
           'the ramp from 0, not from LR_START: a learning rate of 0 at the first epoch', hint=r'epoch|learning rate'),
    answer('lr_fn', 'integer-division', 'fail', lr_fn_with(
        ramp='return LR_START + (LR_MAX - LR_START) * (epoch // LR_RAMPUP_EPOCHS)'),
           'epoch // LR_RAMPUP_EPOCHS: the ramp stays flat', hint=r'epoch|learning rate'),
    answer('lr_fn', 'decay-from-epoch-zero', 'fail', lr_fn_with(
        decay='return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** epoch + LR_MIN'),
           'the decay counted from epoch 0, not from the end of the ramp', hint=r'epoch|learning rate'),
    answer('lr_fn', 'no-ramp', 'fail', lr_cell('''
def lr_fn(epoch):
    return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** epoch + LR_MIN
'''), 'the decay alone: the ramp-up forgotten', hint=r'epoch|learning rate'),
    answer('lr_fn', 'decay-multiplies-the-minimum', 'fail', lr_fn_with(
        decay='return (LR_MAX - LR_MIN) * LR_EXP_DECAY ** (epoch - LR_RAMPUP_EPOCHS) * LR_MIN'),
           '× LR_MIN instead of + LR_MIN', hint=r'epoch|learning rate'),

    # ---------------------------------------------------------------- fine-tuning
    answer('fine_tuning', 'nothing-frozen', 'pass', fine_tuning('''
    pass  # a pretrained model is trainable until you freeze it
'''), "the playground's freezing line deleted: the model is trainable as loaded"),
    answer('fine_tuning', 'every-layer', 'pass', fine_tuning('''
    xception.trainable = True
    for layer in xception.layers:
        layer.trainable = True
'''), 'the model and each of its layers made trainable'),
    answer('fine_tuning', 'frozen-then-unfrozen', 'pass', fine_tuning('''
    xception.trainable = False  # transfer learning, as in Part 2
    xception.trainable = True   # no: fine-tuning
'''), "the playground's line kept, then undone"),
    answer('fine_tuning', 'each-layer-only', 'pass', fine_tuning('''
    for layer in xception.layers:
        layer.trainable = True
'''), 'every layer made trainable (the model itself is, as loaded)'),
    answer('fine_tuning', 'baseline-kept-after', 'fail', fine_tuning('''
    xception.trainable = True
    xception.trainable = False  # frozen: transfer learning, as in Part 2
'''), "trainable = True written above the playground's line, which freezes it again", hint=r'frozen|trainable'),
    answer('fine_tuning', 'top-layers-only', 'fail', fine_tuning('''
    xception.trainable = True
    for layer in xception.layers[:-20]:
        layer.trainable = False
'''), 'only the last 20 layers trainable: the exercise fine-tunes all of Xception', hint=r'all|frozen|trainable'),
    answer('fine_tuning', 'comparison', 'fail', fine_tuning('''
    xception.trainable = False
    xception.trainable == True
'''), '== instead of =: nothing changes', hint=r'frozen|trainable'),
    answer('fine_tuning', 'layers-unfrozen-under-a-frozen-model', 'fail', fine_tuning('''
    xception.trainable = False
    for layer in xception.layers:
        layer.trainable = True
'''), 'each layer made trainable, but the model itself stays frozen: none of its weights train',
           hint=r'frozen|trainable'),
    answer('fine_tuning', 'last-layer-only', 'fail', fine_tuning('''
    xception.trainable = False
    xception.layers[-1].trainable = True
'''), 'one layer made trainable in a frozen model', hint=r'frozen|trainable'),
    answer('fine_tuning', 'batch-norm-only', 'fail', fine_tuning('''
    for layer in xception.layers:
        layer.trainable = isinstance(layer, layers.BatchNormalization)
'''), 'only the batch normalization layers trainable', hint=r'all|frozen|trainable'),
]
