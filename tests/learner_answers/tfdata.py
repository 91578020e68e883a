"""Learner answers to Part 1's exercises: listing, decoding and labelling the photos; writing and reading TFRecords."""
from tests.learner_answers import answer

NOTEBOOK = '01_tfdata_tfrecords'
EXERCISES = {
    'file_listing': r'filenames_dataset =',
    'decode_jpeg': r'def decode_jpeg\(',
    'decode_jpeg_and_label': r'decode_jpeg_and_label',
    'to_tfrecord': r'to_tfrecord',
    'read_tfrecord': r'read_tfrecord',
}

SHOW_FILES = """
for filename in filenames_dataset.take(10):
    print(filename.numpy().decode('utf-8'))
print('Number of files:', int(filenames_dataset.cardinality()))
"""
SHOW_IMAGES = """
image_dataset = filenames_dataset.map(decode_jpeg)
for image in image_dataset.take(10):
    print(image.shape)
"""
SHOW_LABELS = """
dataset = filenames_dataset.map(decode_jpeg_and_label)
for image, label in dataset.take(10):
    print(label.numpy().decode('utf-8'), image.shape)
"""
SHOW_CLASSES = '\nprint(FLOWER_CLASSES)\n'
SHOW_RECORDS = '\ntfrecord_dataset = load_dataset(tfrecord_files)\ndisplay_9_images_from_dataset(tfrecord_dataset)\n'


def to_tfrecord_with(**changes):
    """A to_tfrecord cell in the codelab's style, with some lines changed."""
    lines = {
        'class_num': "class_num = FLOWER_CLASSES.index(label.decode('utf-8'))",
        'one_hot': 'one_hot_class = np.eye(len(FLOWER_CLASSES))[class_num]',
        'image': "'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[image_bytes])),",
        'class': "'class': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_num])),",
        'label': "'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),",
        'size': "'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[height, width])),",
        'one_hot_class': ("'one_hot_class': "
                          'tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class.tolist())),'),
        'return': 'return tf.train.Example(features=tf.train.Features(feature=feature))',
    }
    lines.update(changes)
    return f"""
def to_tfrecord(image_bytes, label, height, width):
    {lines['class_num']}
    {lines['one_hot']}
    feature = {{
        {lines['image']}
        {lines['class']}
        {lines['label']}
        {lines['size']}
        {lines['one_hot_class']}
    }}
    {lines['return']}
""" + SHOW_CLASSES


def read_tfrecord_with(**changes):
    """A read_tfrecord cell in the codelab's style, with some lines changed."""
    lines = {
        'class_feature': "'class': tf.io.FixedLenFeature([], tf.int64),",
        'image': "image = tf.io.decode_jpeg(example['image'], channels=3)",
        'scale': 'image = tf.cast(image, tf.float32) / 255.0',
        'reshape': 'image = tf.reshape(image, [*TARGET_SIZE, 3])',
        'return': "return image, tf.cast(example['class'], tf.int32)",
    }
    lines.update(changes)
    return f"""
def read_tfrecord(example):
    features = {{
        'image': tf.io.FixedLenFeature([], tf.string),
        {lines['class_feature']}
        'label': tf.io.FixedLenFeature([], tf.string),
        'one_hot_class': tf.io.VarLenFeature(tf.float32),
    }}
    example = tf.io.parse_single_example(example, features)
    {lines['image']}
    {lines['scale']}
    {lines['reshape']}
    {lines['return']}
""" + SHOW_RECORDS


ANSWERS = [
    # ---------------------------------------------------------------- listing the files
    answer('file_listing', 'no-seed', 'pass', 'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS)\n'
           + SHOW_FILES, 'list_files without the seed: shuffled, only not the same order at every run'),
    answer('file_listing', 'explicit-shuffle', 'pass',
           'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS, shuffle=True, seed=SHUFFLE_SEED)\n'
           + SHOW_FILES, 'shuffle=True spelled out'),
    answer('file_listing', 'glob-then-dataset-shuffle', 'pass', """
photo_paths = tf.io.gfile.glob(PHOTO_PATTERNS)
filenames_dataset = tf.data.Dataset.from_tensor_slices(photo_paths).shuffle(len(photo_paths), seed=SHUFFLE_SEED)
""" + SHOW_FILES, 'glob, then Dataset.shuffle with a buffer of all the files'),
    answer('file_listing', 'python-shuffle', 'pass', """
import random

photo_paths = tf.io.gfile.glob(PHOTO_PATTERNS)
random.Random(SHUFFLE_SEED).shuffle(photo_paths)
filenames_dataset = tf.data.Dataset.from_tensor_slices(photo_paths)
""" + SHOW_FILES, 'the list shuffled in Python, then made a dataset'),
    answer('file_listing', 'no-shuffle', 'fail',
           'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS, shuffle=False)\n' + SHOW_FILES,
           'shuffle=False: alphabetical order, all the daisies first', hint=r'order|shuffl'),
    answer('file_listing', 'shuffled-within-each-class', 'fail', """
import random

photo_paths = []
for pattern in PHOTO_PATTERNS:
    paths = tf.io.gfile.glob(pattern)
    random.shuffle(paths)
    photo_paths += paths
filenames_dataset = tf.data.Dataset.from_tensor_slices(photo_paths)
""" + SHOW_FILES, 'each folder shuffled, but the folders one after the other: all the daisies first',
           hint=r'order|shuffl|daisies|class'),
    answer('file_listing', 'small-shuffle-buffer', 'fail', """
photo_paths = sorted(tf.io.gfile.glob(PHOTO_PATTERNS))
filenames_dataset = tf.data.Dataset.from_tensor_slices(photo_paths).shuffle(3, seed=SHUFFLE_SEED)
""" + SHOW_FILES, 'a shuffle buffer of 3 on a sorted list: the flowers still come class by class',
           hint=r'order|shuffl|buffer|daisies|class'),
    answer('file_listing', 'daisies-only', 'fail',
           'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS[0], seed=SHUFFLE_SEED)\n' + SHOW_FILES,
           'only the first pattern: the daisies', hint=r'pattern|files'),
    answer('file_listing', 'python-list', 'fail', """
filenames_dataset = tf.io.gfile.glob(PHOTO_PATTERNS)
print('Number of files:', len(filenames_dataset))
""", 'a Python list of names, not a tf.data.Dataset', hint=r'dataset'),
    answer('file_listing', 'ten-files', 'fail',
           'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS, seed=SHUFFLE_SEED).take(10)\n'
           + SHOW_FILES, '.take(10) kept in the dataset: only 10 photos', hint=r'files|patterns|10'),
    answer('file_listing', 'repeated', 'fail',
           'filenames_dataset = tf.data.Dataset.list_files(PHOTO_PATTERNS, seed=SHUFFLE_SEED).repeat()\n' + SHOW_FILES,
           '.repeat() on the file names: an endless list, and writing the TFRecords would never end',
           hint=r'repeat|infinite|endless|never'),
    answer('file_listing', 'sorted-dataset', 'fail', """
photo_paths = sorted(tf.io.gfile.glob(PHOTO_PATTERNS))
filenames_dataset = tf.data.Dataset.from_tensor_slices(photo_paths)
""" + SHOW_FILES, "the playground's sorted glob kept", hint=r'order|shuffl'),

    answer('file_listing', 'shuffled-once-and-cached', 'pass', """
photo_paths = tf.io.gfile.glob(PHOTO_PATTERNS)
filenames_dataset = (tf.data.Dataset.from_tensor_slices(photo_paths)
                     .shuffle(10000, seed=SHUFFLE_SEED, reshuffle_each_iteration=False)
                     .cache())
""" + SHOW_FILES, 'one shuffle with a buffer larger than the list, kept for every pass, cached'),
    # ---------------------------------------------------------------- decode_jpeg
    answer('decode_jpeg', 'one-line-tf-image', 'pass', """
def decode_jpeg(filename):
    return tf.image.decode_jpeg(tf.io.read_file(filename), channels=3)
""" + SHOW_IMAGES, 'tf.image.decode_jpeg, the older name, in one line'),
    answer('decode_jpeg', 'decode-image', 'pass', """
def decode_jpeg(filename):
    bits = tf.io.read_file(filename)
    return tf.io.decode_image(bits, channels=3, expand_animations=False)
""" + SHOW_IMAGES, 'tf.io.decode_image, which decodes JPEGs too'),
    answer('decode_jpeg', 'keyword-arguments', 'pass', """
def decode_jpeg(filename):
    contents = tf.io.read_file(filename=filename)
    image = tf.io.decode_jpeg(contents=contents, channels=3)
    return image
""" + SHOW_IMAGES, 'keyword arguments and an intermediate variable'),
    answer('decode_jpeg', 'no-read-file', 'fail', """
def decode_jpeg(filename):
    return tf.io.decode_jpeg(filename, channels=3)
""" + SHOW_IMAGES, 'the file name decoded as if it were the JPEG bytes', hint=r'read_file'),
    answer('decode_jpeg', 'bytes-not-decoded', 'fail', """
def decode_jpeg(filename):
    return tf.io.read_file(filename)
""" + SHOW_IMAGES, 'the bytes of the file returned, not decoded', hint=r'decode'),
    answer('decode_jpeg', 'python-open', 'fail', """
def decode_jpeg(filename):
    with open(filename.numpy(), 'rb') as file:
        bits = file.read()
    return tf.io.decode_jpeg(bits, channels=3)
""" + SHOW_IMAGES, "Python's open() on the name: works on one eager tensor, fails in dataset.map",
           hint=r'map|numpy|read_file|tensor'),
    answer('decode_jpeg', 'grayscale', 'fail', """
def decode_jpeg(filename):
    return tf.io.decode_jpeg(tf.io.read_file(filename), channels=1)
""" + SHOW_IMAGES, 'channels=1: grey images', hint=r'channels|shape'),
    answer('decode_jpeg', 'resized-already', 'fail', """
def decode_jpeg(filename):
    image = tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
    return tf.image.resize(image, [192, 192])
""" + SHOW_IMAGES, 'resized to a square: distorted photos, float pixels; resizing is the next step',
           hint=r'shape|resiz|pixels'),
    answer('decode_jpeg', 'tuple-returned', 'fail', """
def decode_jpeg(filename):
    bits = tf.io.read_file(filename)
    return tf.io.decode_jpeg(bits, channels=3), filename
""" + SHOW_IMAGES, 'returns (image, filename): the next exercise adds the label, this one returns the image',
           hint=r'image|shape|tuple'),

    answer('decode_jpeg', 'positional-channels', 'pass', """
def decode_jpeg(filename):
    return tf.io.decode_jpeg(tf.io.read_file(filename), 3)
""" + SHOW_IMAGES, 'channels as a positional argument'),
    answer('decode_jpeg', 'scaled-to-0-1', 'fail', """
def decode_jpeg(filename):
    image = tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
    return tf.cast(image, tf.float32) / 255.0
""" + SHOW_IMAGES, 'pixels scaled to [0, 1] already: recompress_image expects [0, 255] and would write black JPEGs',
           hint=r'pixels|uint8|255|float'),
    # ---------------------------------------------------------------- decode_jpeg_and_label
    answer('decode_jpeg_and_label', 'reuse-decode-jpeg', 'pass', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, '/')[-2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, "the previous exercise's decode_jpeg, the separator as a positional argument"),
    answer('decode_jpeg_and_label', 'regex', 'pass', r"""
def decode_jpeg_and_label(filename):
    image = tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
    label = tf.strings.regex_replace(filename, r'^.*/([^/]+)/[^/]+$', r'\1')
    return image, label
""" + SHOW_LABELS, 'tf.strings.regex_replace'),
    answer('decode_jpeg_and_label', 'parts-length', 'pass', """
def decode_jpeg_and_label(filename):
    parts = tf.strings.split(filename, sep='/')
    label = parts[tf.size(parts) - 2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, 'the next-to-last part indexed from the length'),
    answer('decode_jpeg_and_label', 'python-split', 'fail', """
def decode_jpeg_and_label(filename):
    label = filename.split('/')[-2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, "Python's str.split on a string tensor", hint=r'tf\.strings'),
    answer('decode_jpeg_and_label', 'numpy-in-map', 'fail', """
def decode_jpeg_and_label(filename):
    label = filename.numpy().decode('utf-8').split('/')[-2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, '.numpy() inside dataset.map', hint=r'tf\.strings|numpy'),
    answer('decode_jpeg_and_label', 'file-name-as-label', 'fail', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, sep='/')[-1]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, 'the last part of the path: the file name', hint=r'next-to-last|-2|folder'),
    answer('decode_jpeg_and_label', 'counted-from-the-start', 'fail', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, sep='/')[2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, 'the third part from the start: depends on where the photos are', hint=r'next-to-last|-2|folder'),
    answer('decode_jpeg_and_label', 'label-first', 'fail', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, sep='/')[-2]
    return label, decode_jpeg(filename)
""" + SHOW_LABELS, 'returns (label, image): the order is (image, label)', hint=r'order|\(image, label\)|image'),
    answer('decode_jpeg_and_label', 'label-only', 'fail', """
def decode_jpeg_and_label(filename):
    return tf.strings.split(filename, sep='/')[-2]
""" + SHOW_LABELS, 'the image forgotten', hint=r'image|\(image, label\)|tuple|pair'),
    answer('decode_jpeg_and_label', 'class-number', 'fail', """
def decode_jpeg_and_label(filename):
    name = tf.strings.split(filename, sep='/')[-2]
    label = tf.argmax(tf.cast(tf.equal(FLOWER_CLASSES, name), tf.int32))
    return decode_jpeg(filename), label
""" + SHOW_LABELS, 'the class number instead of the folder name: to_tfrecord and the display expect the name',
           hint=r'name|string|folder'),
    answer('decode_jpeg_and_label', 'backslash', 'fail', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, sep='\\\\')[-2]
    return decode_jpeg(filename), label
""" + SHOW_LABELS, "split on Windows' backslash: one part only, the index fails", hint=r"sep='/'|/|folder"),

    answer('decode_jpeg_and_label', 'gather', 'pass', """
def decode_jpeg_and_label(filename):
    bits = tf.io.read_file(filename)
    image = tf.io.decode_jpeg(bits, channels=3)
    parts = tf.strings.split(filename, sep='/')
    return image, tf.gather(parts, tf.shape(parts)[0] - 2)
""" + SHOW_LABELS, 'tf.gather of the next-to-last part'),
    answer('decode_jpeg_and_label', 'slice-not-index', 'fail', """
def decode_jpeg_and_label(filename):
    label = tf.strings.split(filename, sep='/')[-2:-1]
    return decode_jpeg(filename), label
""", 'a slice [-2:-1]: a one-element vector, not a string', hint=r'shape|scalar|\[-2\]|vector|one string'),
    # ---------------------------------------------------------------- to_tfrecord
    answer('to_tfrecord', 'feature-helpers', 'pass', """
def _bytestring_feature(list_of_bytestrings):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=list_of_bytestrings))

def _int_feature(list_of_ints):
    return tf.train.Feature(int64_list=tf.train.Int64List(value=list_of_ints))

def _float_feature(list_of_floats):
    return tf.train.Feature(float_list=tf.train.FloatList(value=list_of_floats))

def to_tfrecord(image_bytes, label, height, width):
    class_num = np.argmax(np.array(FLOWER_CLASSES) == label.decode('utf-8'))
    one_hot_class = np.eye(len(FLOWER_CLASSES))[class_num]
    feature = {
        'image': _bytestring_feature([image_bytes]),
        'class': _int_feature([class_num]),
        'label': _bytestring_feature([label]),
        'size': _int_feature([height, width]),
        'one_hot_class': _float_feature(one_hot_class.tolist()),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))
""" + SHOW_CLASSES, "the original codelab's helper functions, the class by np.argmax"),
    answer('to_tfrecord', 'list-comprehension-one-hot', 'pass', """
def to_tfrecord(image_bytes, label, height, width):
    class_num = FLOWER_CLASSES.index(label.decode())
    one_hot = [1.0 if index == class_num else 0.0 for index in range(len(FLOWER_CLASSES))]
    return tf.train.Example(features=tf.train.Features(feature={
        'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot)),
        'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[height, width])),
        'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),
        'class': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_num])),
        'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[image_bytes])),
    }))
""" + SHOW_CLASSES, 'a one-hot list comprehension, the features in another order, one expression'),
    answer('to_tfrecord', 'numpy-one-hot-and-encode', 'pass', to_tfrecord_with(
        one_hot='one_hot_class = np.zeros(len(FLOWER_CLASSES), np.float32); one_hot_class[class_num] = 1',
        label="'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label.decode().encode('utf-8')])),",
        size="'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[int(height), int(width)])),"),
        'np.zeros one-hot, the label decoded and encoded again, int() sizes'),
    answer('to_tfrecord', 'int-one-hot-in-float-list', 'pass', to_tfrecord_with(
        one_hot='one_hot_class = [int(index == class_num) for index in range(len(FLOWER_CLASSES))]',
        one_hot_class="'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class)),"),
           'the one-hot class as 0/1 ints in a FloatList: stored as floats all the same'),
    answer('to_tfrecord', 'tf-one-hot-numpy', 'pass', to_tfrecord_with(
        one_hot='one_hot_class = tf.one_hot(class_num, len(FLOWER_CLASSES)).numpy()'),
           'tf.one_hot, made a numpy array'),
    answer('to_tfrecord', 'tf-one-hot-tensor', 'pass', to_tfrecord_with(
        one_hot='one_hot_class = tf.one_hot(class_num, len(FLOWER_CLASSES))',
        one_hot_class="'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class)),"),
           'the tf.one_hot tensor itself in the FloatList, which takes its values'),
    answer('to_tfrecord', 'class-from-a-dict', 'pass', """
CLASS_NUMBERS = {name.encode('utf-8'): number for number, name in enumerate(FLOWER_CLASSES)}

def to_tfrecord(image_bytes, label, height, width):
    class_num = CLASS_NUMBERS[label]
    one_hot_class = [0.0] * len(FLOWER_CLASSES)
    one_hot_class[class_num] = 1.0
    feature = {
        'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[image_bytes])),
        'class': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_num])),
        'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),
        'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[height, width])),
        'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class)),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))
""" + SHOW_CLASSES, 'the class number from a dictionary keyed by the label bytes'),
    answer('to_tfrecord', 'class-off-by-one', 'fail',
           to_tfrecord_with(class_num="class_num = FLOWER_CLASSES.index(label.decode('utf-8')) + 1",
                            one_hot='one_hot_class = np.eye(len(FLOWER_CLASSES) + 1)[class_num][1:]'),
           'classes counted from 1', hint=r'class'),
    answer('to_tfrecord', 'one-hot-as-ints', 'fail', to_tfrecord_with(
        one_hot_class="'one_hot_class': tf.train.Feature(int64_list=tf.train.Int64List("
                      "value=one_hot_class.astype(int).tolist())),"),
           'the one-hot class in an Int64List', hint=r'one_hot_class|float'),
    answer('to_tfrecord', 'width-first', 'fail', to_tfrecord_with(
        size="'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[width, height])),"),
           'size as [width, height]', hint=r'size|height'),
    answer('to_tfrecord', 'label-as-class-number', 'fail', to_tfrecord_with(
        label="'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_num])),"),
           'the label feature holds the class number', hint=r'label'),
    answer('to_tfrecord', 'one-hot-misnamed', 'fail', to_tfrecord_with(
        one_hot_class="'one_hot': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class.tolist())),"),
           "the feature named 'one_hot'", hint=r'one_hot_class'),
    answer('to_tfrecord', 'serialized', 'fail', to_tfrecord_with(
        **{'return': 'return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()'}),
           'returns the serialized bytes: write_tfrecords serializes it', hint=r'Example'),
    answer('to_tfrecord', 'label-as-str', 'fail', to_tfrecord_with(
        label="'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label.decode('utf-8')])),"),
           'the label as a str in a BytesList', hint=r'bytes|label'),
    answer('to_tfrecord', 'index-of-bytes', 'fail',
           to_tfrecord_with(class_num='class_num = FLOWER_CLASSES.index(label)'),
           "FLOWER_CLASSES.index(label) with label as bytes: b'roses' is not in the list", hint=r'decode|bytes'),
    answer('to_tfrecord', 'scalar-not-list', 'fail', to_tfrecord_with(
        **{'class': "'class': tf.train.Feature(int64_list=tf.train.Int64List(value=class_num)),"}),
           'Int64List(value=class_num): a list is needed', hint=r'class|list'),
    answer('to_tfrecord', 'size-missing', 'fail', to_tfrecord_with(size=''),
           'the size feature forgotten', hint=r'size'),

    answer('to_tfrecord', 'to-categorical', 'pass', to_tfrecord_with(
        one_hot='one_hot_class = keras.utils.to_categorical(class_num, num_classes=len(FLOWER_CLASSES))'),
           'keras.utils.to_categorical for the one-hot class'),
    # ---------------------------------------------------------------- read_tfrecord
    answer('read_tfrecord', 'two-features', 'pass', """
def read_tfrecord(example):
    features = {
        'image': tf.io.FixedLenFeature([], tf.string),
        'class': tf.io.FixedLenFeature([], tf.int64),
    }
    example = tf.io.parse_single_example(example, features)
    image = tf.io.decode_jpeg(example['image'], channels=3)
    image = tf.cast(image, tf.float32) / 255.0
    image = tf.reshape(image, [*TARGET_SIZE, 3])
    return image, tf.cast(example['class'], tf.int32)
""" + SHOW_RECORDS, 'only the two features it needs parsed'),
    answer('read_tfrecord', 'convert-image-dtype', 'pass', read_tfrecord_with(
        scale='image = tf.image.convert_image_dtype(image, tf.float32)'),
           'tf.image.convert_image_dtype, which scales to [0, 1]'),
    answer('read_tfrecord', 'int64-class', 'pass', read_tfrecord_with(
        **{'return': "return image, example['class']"}), 'the class returned as int64'),
    answer('read_tfrecord', 'keyword-parse-and-ensure-shape', 'pass', """
def read_tfrecord(example):
    parsed = tf.io.parse_single_example(serialized=example, features={
        'image': tf.io.FixedLenFeature(shape=[], dtype=tf.string),
        'class': tf.io.FixedLenFeature(shape=[], dtype=tf.int64),
        'size': tf.io.FixedLenFeature(shape=[2], dtype=tf.int64),
    })
    image = tf.io.decode_jpeg(parsed['image'], channels=3)
    image = tf.ensure_shape(tf.cast(image, tf.float32) * (1 / 255), [*TARGET_SIZE, 3])
    return image, parsed['class']
""" + SHOW_RECORDS, 'keyword arguments, the size parsed too, tf.ensure_shape, × 1/255'),
    answer('read_tfrecord', 'resize-instead-of-reshape', 'pass', read_tfrecord_with(
        reshape='image = tf.image.resize(image, TARGET_SIZE)'),
           'tf.image.resize to TARGET_SIZE, which the images already have, instead of tf.reshape'),
    answer('read_tfrecord', 'one-hot-spec-wrong', 'fail', """
def read_tfrecord(example):
    features = {
        'image': tf.io.FixedLenFeature([], tf.string),
        'class': tf.io.FixedLenFeature([], tf.int64),
        'one_hot_class': tf.io.FixedLenFeature([], tf.float32),
    }
    example = tf.io.parse_single_example(example, features)
    image = tf.io.decode_jpeg(example['image'], channels=3)
    image = tf.reshape(tf.cast(image, tf.float32) / 255.0, [*TARGET_SIZE, 3])
    return image, example['class']
""" + SHOW_RECORDS, 'one_hot_class described as a single float: it holds 5, parsing fails',
           hint=r'one_hot_class|5|shape'),
    answer('read_tfrecord', 'one-hot-parsed-as-five-floats', 'pass', """
def read_tfrecord(example):
    features = {
        'image': tf.io.FixedLenFeature([], tf.string),
        'class': tf.io.FixedLenFeature([], tf.int64),
        'one_hot_class': tf.io.FixedLenFeature([len(FLOWER_CLASSES)], tf.float32),
    }
    example = tf.io.parse_single_example(example, features)
    image = tf.io.decode_jpeg(example['image'], channels=3)
    image = tf.reshape(tf.cast(image, tf.float32) / 255.0, [*TARGET_SIZE, 3])
    return image, tf.cast(tf.argmax(example['one_hot_class']), tf.int32)
""" + SHOW_RECORDS, 'the class number taken back from the one-hot feature, parsed as 5 floats'),
    answer('read_tfrecord', 'one-hot', 'fail', read_tfrecord_with(
        **{'return': "return image, tf.sparse.to_dense(example['one_hot_class'])"}),
           'returns the one-hot class, not the class number', hint=r'class'),
    answer('read_tfrecord', 'label-name', 'fail', read_tfrecord_with(**{'return': "return image, example['label']"}),
           'returns the label (the flower name), not the class number', hint=r'class'),
    answer('read_tfrecord', 'not-scaled', 'fail', read_tfrecord_with(scale='image = tf.cast(image, tf.float32)'),
           'pixels left in [0, 255]', hint=r'255|\[0, ?1\]|scale'),
    answer('read_tfrecord', 'integer-division', 'fail', read_tfrecord_with(
        scale='image = tf.cast(image // 255, tf.float32)'), 'integer division by 255: almost all black',
           hint=r'255|\[0, ?1\]|scale'),
    answer('read_tfrecord', 'uint8-image', 'fail', read_tfrecord_with(scale=''),
           'the decoded uint8 pixels returned', hint=r'float|255|\[0, ?1\]'),
    answer('read_tfrecord', 'class-first', 'fail', read_tfrecord_with(
        **{'return': "return tf.cast(example['class'], tf.int32), image"}), 'returns (class, image)',
           hint=r'order|\(image, class\)|image'),
    answer('read_tfrecord', 'not-decoded', 'fail', """
def read_tfrecord(example):
    features = {
        'image': tf.io.FixedLenFeature([], tf.string),
        'class': tf.io.FixedLenFeature([], tf.int64),
    }
    example = tf.io.parse_single_example(example, features)
    return example['image'], example['class']
""" + SHOW_RECORDS, 'the JPEG bytes returned, not decoded', hint=r'decode|image'),
    answer('read_tfrecord', 'class-as-float', 'fail', read_tfrecord_with(
        class_feature="'class': tf.io.FixedLenFeature([], tf.float32),",
        **{'return': "return image, example['class']"}),
           'the class parsed as a float feature: parsing fails, it is an Int64List', hint=r'int64|class'),
    answer('read_tfrecord', 'three-values', 'fail', read_tfrecord_with(
        **{'return': "return image, example['class'], example['label']"}),
           'returns (image, class, label): the models take (image, class) pairs',
           hint=r'\(image, class\)|two|pair|tuple|3'),
    answer('read_tfrecord', 'float64-pixels', 'fail', read_tfrecord_with(
        scale='image = tf.cast(image, tf.float64) / 255.0'), 'float64 pixels: the models take float32',
           hint=r'float32'),
    answer('read_tfrecord', 'whole-example', 'fail', read_tfrecord_with(**{'return': 'return example'}),
           'the parsed dictionary returned', hint=r'\(image, class\)|image|class|tuple|pair'),
]
