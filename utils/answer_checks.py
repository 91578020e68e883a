"""Check the learner's answers: one short call after each exercise, printing ✓ or a hint.

A check prints "✓ ..." when the answer does what the exercise asks, and
"✗ ..." with what is wrong and how to see it otherwise. It judges what the
answer does, not how it is spelled: it calls the learner's functions on probe
inputs, or follows the computation of the learner's model. It never raises:
when the learner's own code raises, the check says so in a ✗ line, with a hint
for the usual causes, so that a playground as shipped runs to the end.

This module holds what every notebook's checks share; each notebook's checks
are in their own module (utils/*_checks.py), so that a notebook's hidden cells
carry only the checks it calls.
"""
import functools
import re

import tensorflow as tf

# Hints for the usual causes of an exception in the learner's code: (pattern searched in
# "Type: message", hint). The first match gives the hint.
ERROR_HINTS = [
    (r"no attribute 'numpy'|numpy\(\) is only available",
     'inside dataset.map, the function runs in graph mode, on symbolic tensors: .numpy() is not available '
     'there. Use TensorFlow operations (tf.strings, tf.io, tf.image, tf.reshape) instead.'),
    (r"no attribute '(split|rsplit|decode|encode|startswith|endswith|replace|lower|upper|strip)'"
     r"|expected str, bytes or os\.PathLike",
     'inside dataset.map, the file name is a string tensor, not a Python string: use TensorFlow string '
     "operations, such as tf.strings.split(filename, sep='/'), and tf.io.read_file to read a file."),
    (r'Unknown image file format|Invalid JPEG data|Not a JPEG file',
     "tf.io.decode_jpeg decodes the file's bytes, not its name: read the file first, with "
     'bits = tf.io.read_file(filename).'),
    (r'only supports singleton tf\.Variables|variables? (on|outside).*(first call|tf\.function)',
     'create the Keras layer once, outside the function (the cell defines it, the function uses it): '
     'tf.data traces the function into a graph, where a new layer cannot create its variables.'),
    (r'as a Python `?bool`? is not allowed|OperatorNotAllowedInGraphError',
     'a Python `if` or `for` on a tensor: in graph mode, compute with TensorFlow operations instead '
     '(tf.where, tf.cond).'),
    (r'KerasTensor cannot be used as input to a TensorFlow function|KerasTensor.*TensorFlow',
     'in a Keras model, combine layers with Keras layers or keras.ops (layers.concatenate, not tf.concat).'),
    (r'Concatenate.*matching shapes|requires inputs with matching shapes',
     "the branches have different sizes: give every convolution padding='same', so that it keeps the "
     "image's size."),
    (r'Input to reshape is a tensor with \d+ values|Cannot reshape|cannot reshape',
     'the function gets a whole batch at once: keep the batch size free with -1 in the shape, '
     'e.g. tf.reshape(digits, [-1, 28, 28, 1]).'),
    (r'expected (min_)?ndim|is incompatible with the layer',
     'a layer got a tensor of the wrong rank: a Dense layer needs Flatten() before it, a Conv2D layer images '
     'of shape (height, width, channels).'),
    (r'must assign iterable|object is not iterable',
     'a BytesList, Int64List or FloatList takes a list of values: value=[class_num], even for a single value.'),
    (r"has type str, but expected one of: bytes",
     "a BytesList holds bytes: the label arrives as bytes already (don't decode it there), and text "
     "becomes bytes with .encode('utf-8')."),
    (r"b'\w+' is not in list",
     "the label arrives as bytes, b'roses': decode it before looking it up, "
     "FLOWER_CLASSES.index(label.decode('utf-8'))."),
    (r'but expected one of: int',
     'an Int64List holds whole numbers: convert with int(...), and store floats in a FloatList.'),
    (r"name '(\w+)' is not defined",
     'a name the function uses is not defined: run the cell that defines it, or check its spelling.'),
]


def report(topic, problems, success):
    """Prints '✓ topic: success', or one '✗ topic: problem' line per problem."""
    for problem in problems:
        print(f'✗ {topic}: {problem}')
    if not problems:
        print(f'✓ {topic}: {success}')


def never_raises(topic):
    """Decorates a check so that an exception in the check itself is a ✗ line, not a traceback.

    The checks catch the learner's exceptions themselves, with a hint; this is
    for an answer written in a way the check did not foresee.
    """
    def decorate(check):
        @functools.wraps(check)
        def guarded(*args, **kwargs):
            try:
                return check(*args, **kwargs)
            except Exception as error:  # the check's own limit: say so, do not stop the notebook
                report(topic, [f'the check could not judge this answer ({type(error).__name__}: '
                               f'{error_message(error)}). Compare your code with the instructions of the exercise: '
                               'if it does what they ask, it is right.'], '')
        return guarded
    return decorate


def error_message(error):
    """The useful part of an exception's message: TensorFlow's graph and op details removed."""
    text = str(error)
    if 'in user code:' in text:  # a traced function's error: its last line is the message
        text = [line for line in text.splitlines() if line.strip()][-1].strip()
        text = re.sub(r'^\w+(Error|Exception): ', '', text)
    text = re.sub(r'\{\{[^}]*\}\}|\[\[.*?\]\]|\[Op:[^\]]*\]|\s*name: ?$', '', text, flags=re.DOTALL)
    text = re.sub(r'^.*?transformation with iterator: [\w:]+: ', '', text)
    text = ' '.join(text.split())
    return text if len(text) <= 300 else text[:297] + '...'


def raised(what, error, hint=None):
    """The problem to report when the learner's code raised `error` while doing `what`.

    `hint` is what to do for this exercise, used when no usual cause (ERROR_HINTS) matches.
    """
    described = f'{type(error).__name__}: {error_message(error).rstrip(".")}'
    usual = next((text for pattern, text in ERROR_HINTS if re.search(pattern, f'{type(error).__name__}: {error}')),
                 None)
    return f'{what} raised {described}. ' + (usual or hint or 'Read the message, fix the cell and run it again.')


def map_in_pipeline(function, elements):
    """The elements that dataset.map(function) gives, for a dataset of `elements`, as the notebooks map it.

    The function runs in graph mode, as in training. `elements` is what
    tf.data.Dataset.from_tensor_slices takes; the exceptions are the learner's.
    """
    return list(tf.data.Dataset.from_tensor_slices(elements).map(function))
