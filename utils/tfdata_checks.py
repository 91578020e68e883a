"""Checks of Part 1's exercises: the file listing, decode_jpeg, the labels, to_tfrecord and read_tfrecord.

The learner's functions run as the notebook runs them, inside dataset.map (in
graph mode) for those that the pipeline maps, on probe photos, and their
results are compared with what the course's own versions give.
"""
import os
import pathlib
import tempfile

import numpy as np
import tensorflow as tf

from utils.answer_checks import map_in_pipeline, never_raises, raised, report
from utils.data_sources import FLOWER_CLASSES, TARGET_SIZE

# A record of to_tfrecord's check is of a photo resized to this size: not square, so that
# [height, width] and [width, height] differ.
RECORD_PROBE_SIZE = (150, 192)
# The most the mean rank of one class may stray from the middle in a shuffled listing, in standard deviations.
SHUFFLE_SIGMAS = 5


def _file_names(filenames_dataset, expected_count):
    """The names in the dataset, in its order (at most one more than expected): (names, problem)."""
    if not isinstance(filenames_dataset, tf.data.Dataset):
        return None, (f'filenames_dataset is a {type(filenames_dataset).__name__}, not a dataset: make it with '
                      'tf.data.Dataset.list_files(PHOTO_PATTERNS, seed=SHUFFLE_SEED).')
    if filenames_dataset.cardinality() == tf.data.INFINITE_CARDINALITY:
        return None, 'filenames_dataset repeats forever: list each file once, without .repeat().'
    spec = filenames_dataset.element_spec
    if not isinstance(spec, tf.TensorSpec) or spec.dtype != tf.string or spec.shape.rank != 0:
        return None, (f'filenames_dataset should hold file names, one string per element; its elements are {spec}.')
    try:
        return [name.numpy().decode('utf-8') for name in filenames_dataset.take(expected_count + 1)], None
    except Exception as error:  # the learner's dataset fails when read
        return None, raised('reading filenames_dataset', error)


def _grouped_by_class(names):
    """True if the names come class by class (all the daisies first...), not shuffled together.

    Grouped, or close to alphabetical order, or one class much earlier or
    later than the others on average: each, for a shuffled listing, at most a
    few standard deviations away.
    """
    classes = [pathlib.Path(name).parent.name for name in names]
    runs = 1 + sum(first != second for first, second in zip(classes, classes[1:]))
    if runs <= len(set(classes)):
        return True
    count = len(classes)
    order = np.argsort(np.argsort(names))  # each name's place in alphabetical order
    if count > 2 and np.corrcoef(order, np.arange(count))[0, 1] > min(0.75, SHUFFLE_SIGMAS / np.sqrt(count - 1)):
        return True  # close to alphabetical order, as after a small shuffle buffer
    for name in set(classes):
        ranks = [rank for rank, found in enumerate(classes) if found == name]
        spread = count / np.sqrt(12 * len(ranks)) * np.sqrt(max(1 - len(ranks) / count, 1e-9))
        if abs(np.mean(ranks) - (count - 1) / 2) > SHUFFLE_SIGMAS * spread:
            return True
    return False


@never_raises('File listing')
def check_file_listing(filenames_dataset, patterns):
    """Checks Part 1's listing: every photo matching the patterns, once, shuffled across the classes."""
    expected = sorted(os.path.normpath(name) for name in tf.io.gfile.glob(patterns))
    names, problem = _file_names(filenames_dataset, len(expected))
    problems = [problem] if problem else []
    if not problems and sorted(map(os.path.normpath, names)) != expected:
        problems.append(f'{len(names)} file names, but {len(expected)} files match PHOTO_PATTERNS, each to be listed '
                        'once: pass the whole list of patterns to tf.data.Dataset.list_files.')
    elif not problems and _grouped_by_class(names):
        problems.append('the files come class by class (all the daisies first...): a model trained in this order '
                        'would see one kind of flower at a time. tf.data.Dataset.list_files(PHOTO_PATTERNS, '
                        'seed=SHUFFLE_SEED) shuffles them all together, the same way at every run.')
    report('File listing', problems, f'{len(expected)} photos, shuffled across the {len(FLOWER_CLASSES)} classes.')


def _photos(filenames_dataset, count):
    """Up to `count` photos of the listing, of different classes (none if the listing fails: its check says why)."""
    try:
        names = sorted(name.numpy().decode('utf-8') for name in filenames_dataset.take(500))
    except Exception:  # the learner's listing is broken: check_file_listing says so
        names = []
    one_per_class = {}
    for name in names:
        one_per_class.setdefault(pathlib.Path(name).parent.name, name)
    return list(one_per_class.values())[:count]


NO_PHOTOS = 'filenames_dataset lists no photo: run the cells above, and see what check_file_listing says.'


def _photo(filename):
    return tf.io.decode_jpeg(tf.io.read_file(filename), channels=3).numpy()


def _grayscale_photo(filename, folder):
    """A grayscale JPEG copy of the photo, in `folder` (a subfolder named as the photo's class)."""
    path = pathlib.Path(folder) / pathlib.Path(filename).parent.name / ('gray-' + pathlib.Path(filename).name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tf.io.encode_jpeg(tf.image.rgb_to_grayscale(_photo(filename))).numpy())
    return str(path)


def _image_problem(image, filename, function):
    """What is wrong with the image a function made of a photo, compared with the photo's pixels."""
    expected, image, name = _photo(filename), np.asarray(image), pathlib.Path(filename).name
    if image.dtype != np.uint8:
        return (f'{function} returned {image.dtype} values: return the uint8 pixels that tf.io.decode_jpeg gives '
                '(the pipeline resizes and converts them later).')
    if image.ndim == 3 and image.shape[:2] == expected.shape[:2] and image.shape[2] != 3:
        return (f'{function} returned {image.shape[2]} channel(s) for {name}: '
                'tf.io.decode_jpeg(bits, channels=3) gives every photo 3 (red, green, blue), grayscale ones too.')
    if image.shape != expected.shape or not np.array_equal(image, expected):
        return (f'{name} is a {expected.shape[1]}x{expected.shape[0]} photo, but {function} returned an image of '
                f'shape {image.shape}, not its pixels: read the file with tf.io.read_file, then '
                'tf.io.decode_jpeg(bits, channels=3), without resizing (a later step does that).')
    return None


@never_raises('decode_jpeg')
def check_decode_jpeg(decode_jpeg, filenames_dataset):
    """Checks Part 1's decode_jpeg, in dataset.map, on photos of the listing and on a grayscale one."""
    files = _photos(filenames_dataset, 2)
    if not files:
        report('decode_jpeg', [NO_PHOTOS], '')
        return
    with tempfile.TemporaryDirectory() as folder:
        files.append(_grayscale_photo(files[0], folder))
        try:
            dataset = tf.data.Dataset.from_tensor_slices(files).map(decode_jpeg)
            images = list(dataset)
        except Exception as error:  # the learner's function failed
            report('decode_jpeg', [raised('dataset.map(decode_jpeg)', error,
                                          'decode_jpeg(filename) reads the file and returns the decoded image.')], '')
            return
        problems = []
        if not isinstance(dataset.element_spec, tf.TensorSpec):
            problems.append(f'decode_jpeg returned {dataset.element_spec}: it should return the image alone.')
        elif dataset.element_spec.shape.rank != 3:
            problems.append('in the pipeline, the image has no known rank (height, width, channels): use '
                            'tf.io.decode_jpeg (tf.io.decode_image needs expand_animations=False), or the resizing '
                            'step cannot work.')
        else:
            problems += [problem for problem in (_image_problem(image, filename, 'decode_jpeg')
                                                 for filename, image in zip(files, images)) if problem][:1]
    report('decode_jpeg', problems, f'{len(files)} photos decoded as tf.io.decode_jpeg(bits, channels=3) decodes '
           'them, in dataset.map.')


@never_raises('Labels')
def check_labels(decode_jpeg_and_label, filenames_dataset):
    """Checks Part 1's decode_jpeg_and_label, inside dataset.map, on one photo of each folder."""
    files = _photos(filenames_dataset, len(FLOWER_CLASSES))
    if not files:
        report('Labels', [NO_PHOTOS], '')
        return
    try:
        decoded = map_in_pipeline(decode_jpeg_and_label, files)
    except Exception as error:  # the learner's function failed
        report('Labels', [raised('dataset.map(decode_jpeg_and_label)', error,
                                 'decode_jpeg_and_label(filename) returns (image, label), the label being the folder '
                                 "name, the next-to-last part of tf.strings.split(filename, sep='/').")], '')
        return
    problems = []
    for filename, element in zip(files, decoded):
        folder, name = pathlib.Path(filename).parent.name, pathlib.Path(filename).name
        if not isinstance(element, tuple) or len(element) != 2:
            problems.append('decode_jpeg_and_label should return the pair (image, label).')
            break
        image, label = element
        if image.dtype == tf.string and label.dtype != tf.string:
            problems.append('decode_jpeg_and_label returns (label, image): return (image, label), in that order.')
            break
        if label.dtype != tf.string:
            problems.append(f'the label of {name} is a {label.dtype.name} tensor: it should be the name of the '
                            f'folder, the string "{folder}".')
            break
        if label.shape.rank != 0:
            problems.append(f'the label of {name} has shape {tuple(label.shape)}: it should be one string, the '
                            "next-to-last part of the path, tf.strings.split(filename, sep='/')[-2].")
            break
        found = label.numpy().decode('utf-8')
        if found != folder:
            problems.append(f'{name} is in the folder "{folder}", but its label is "{found}": take the '
                            "next-to-last part of tf.strings.split(filename, sep='/').")
            break
        image_problem = _image_problem(image, filename, 'decode_jpeg_and_label')
        if image_problem:
            problems.append(image_problem)
            break
    report('Labels', problems, f'one photo of each of the {len(files)} folders labelled with its folder name.')


def _record_probe(filenames_dataset, size):
    """(JPEG bytes, label, height, width) of one photo resized to `size`, not of the first class (None: no photo).

    The types are those the TFRecord writer passes: bytes, bytes, numpy int32.
    Made here, without the learner's functions, so that a check of one
    function does not depend on the others.
    """
    files = _photos(filenames_dataset, len(FLOWER_CLASSES))
    if not files:
        return None
    filename = next((name for name in files if pathlib.Path(name).parent.name != FLOWER_CLASSES[0]), files[0])
    image = tf.cast(tf.image.resize(_photo(filename), size), tf.uint8)
    label = pathlib.Path(filename).parent.name.encode('utf-8')
    return tf.io.encode_jpeg(image).numpy(), label, np.int32(size[0]), np.int32(size[1])


def _feature_values(example, name):
    """The values of one feature of a tf.train.Example, and their type: ('bytes'|'int64'|'float'|None, list)."""
    if name not in example.features.feature:
        return None, []
    feature = example.features.feature[name]
    kind = feature.WhichOneof('kind')
    return (kind.removesuffix('_list'), list(getattr(feature, kind).value)) if kind else (None, [])


@never_raises('to_tfrecord')
def check_to_tfrecord(to_tfrecord, filenames_dataset):
    """Checks the tf.train.Example that Part 1's to_tfrecord makes of one photo."""
    probe = _record_probe(filenames_dataset, RECORD_PROBE_SIZE)
    if probe is None:
        report('to_tfrecord', [NO_PHOTOS], '')
        return
    image_bytes, label, height, width = probe
    try:
        example = to_tfrecord(image_bytes, label, height, width)
    except Exception as error:  # the learner's function failed
        report('to_tfrecord', [raised('to_tfrecord(image_bytes, label, height, width)', error,
                                      'its arguments are numpy values: bytes, bytes, int, int.')], '')
        return
    if isinstance(example, bytes):
        report('to_tfrecord', ['to_tfrecord returned bytes: return the tf.train.Example itself '
                               '(write_tfrecords calls .SerializeToString() on it).'], '')
        return
    if not isinstance(example, tf.train.Example):
        report('to_tfrecord', [f'it should return a tf.train.Example, not a {type(example).__name__}.'], '')
        return
    class_number = FLOWER_CLASSES.index(label.decode('utf-8'))
    expected = {
        'image': ('bytes', [image_bytes], 'the JPEG bytes, in a BytesList'),
        'class': ('int64', [class_number], f'the class number ({class_number} for {label.decode()}), in an Int64List'),
        'label': ('bytes', [label], f'the label as bytes ({label!r}), in a BytesList'),
        'size': ('int64', [int(height), int(width)], f'[height, width] = [{height}, {width}], in an Int64List'),
        'one_hot_class': ('float', np.eye(len(FLOWER_CLASSES))[class_number].tolist(),
                          'the one-hot class, in a FloatList'),
    }
    problems = []
    for name, (kind, values, meaning) in expected.items():
        if _feature_values(example, name) != (kind, values):
            found = 'missing' if name not in example.features.feature else 'different'
            swapped = ' (not [width, height])' if name == 'size' and _feature_values(example, name) == (
                kind, values[::-1]) else ''
            problems.append(f'the feature "{name}" is {found}: it should hold {meaning}{swapped}.')
    report('to_tfrecord', problems, f'the 5 features of a {label.decode()} photo, {height}x{width}.')


def _reference_record(image_bytes, label, height, width):
    """The record the course's to_tfrecord writes (utils/flower_records.py), serialized."""
    class_number = FLOWER_CLASSES.index(label.decode('utf-8'))
    feature = {
        'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[image_bytes])),
        'class': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_number])),
        'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),
        'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[height, width])),
        'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(
            value=np.eye(len(FLOWER_CLASSES))[class_number].tolist())),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def _read_problems(read_tfrecord, record, image_bytes, label):
    """What is wrong with what read_tfrecord makes of a record, in dataset.map as load_dataset maps it."""
    try:
        dataset = tf.data.Dataset.from_tensors(record).map(read_tfrecord)
        element = next(iter(dataset))
    except Exception as error:  # the learner's function failed
        return [raised('dataset.map(read_tfrecord)', error,
                       'read_tfrecord(example) parses the record and returns (image, class).')]
    if not isinstance(element, tuple) or len(element) != 2:
        return ['read_tfrecord should return the pair (image, class): the training reads both.']
    (image, class_number), (image_spec, _) = element, dataset.element_spec
    expected = tf.io.decode_jpeg(image_bytes, channels=3).numpy().astype(np.float32) / 255.0
    true_class = FLOWER_CLASSES.index(label.decode('utf-8'))
    problems = []
    if image.dtype != tf.float32 or tuple(image.shape) != expected.shape:
        problems.append(f'read_tfrecord returned an image of shape {tuple(image.shape)} and type {image.dtype.name};'
                        f' the models expect {expected.shape}, float32.')
    elif not np.allclose(image.numpy(), expected, atol=1e-5):
        scale = 'in [0, 255]: divide by 255' if image.numpy().max() > 1.5 else 'not the photo written'
        problems.append(f'the image read back is {scale}. Decode the "image" feature with tf.io.decode_jpeg, '
                        'then scale the pixels to floats between 0 and 1: tf.cast(image, tf.float32) / 255.0.')
    elif tuple(image_spec.shape) != expected.shape:
        problems.append(f'in the pipeline, the image has shape {tuple(image_spec.shape)}, not known in advance: '
                        'tf.reshape(image, [*TARGET_SIZE, 3]) gives it, as batches and TPUs need.')
    if class_number.dtype == tf.string:
        problems.append('read_tfrecord returns the label text as the class: return the class number, the "class" '
                        'feature, which the models learn.')
    elif class_number.shape.rank != 0:
        problems.append(f'read_tfrecord returns a class of shape {tuple(class_number.shape)} (the one-hot vector?): '
                        'return the class number, the "class" feature, a single integer.')
    elif not class_number.dtype.is_integer:
        problems.append(f'read_tfrecord returns the class as {class_number.dtype.name}: return the "class" feature '
                        'as an integer, tf.cast(example["class"], tf.int32).')
    elif int(class_number) != true_class:
        problems.append(f'the photo is a {label.decode()}, class {true_class}, but read_tfrecord returned class '
                        f'{int(class_number)}: return the "class" feature.')
    return problems


@never_raises('TFRecord round trip')
def check_tfrecord_round_trip(to_tfrecord, read_tfrecord, filenames_dataset):
    """Reads a photo's record back with read_tfrecord (in dataset.map): the same photo and class?

    First a record as the course writes it, so that read_tfrecord is judged on
    its own, then one written by the learner's to_tfrecord.
    """
    probe = _record_probe(filenames_dataset, TARGET_SIZE)
    if probe is None:
        report('TFRecord round trip', [NO_PHOTOS], '')
        return
    image_bytes, label, height, width = probe
    problems = _read_problems(read_tfrecord, _reference_record(image_bytes, label, int(height), int(width)),
                              image_bytes, label)
    if not problems:
        try:
            record = to_tfrecord(image_bytes, label, height, width).SerializeToString()
        except Exception as error:  # the learner's to_tfrecord failed: its own check says more
            problems.append(raised('to_tfrecord', error, 'check_to_tfrecord above says more.'))
        else:
            problems += [f'a record written by to_tfrecord: {problem}'
                         for problem in _read_problems(read_tfrecord, record, image_bytes, label)]
    report('TFRecord round trip', problems, f'a {label.decode()} photo written and read back: same pixels, '
           f'class {FLOWER_CLASSES.index(label.decode())}.')
