"""Part 1's conversion of the flower photos to TFRecord shards, and the reader
that Parts 2-4 train from.

A TFRecord file is a sequence of serialized tf.train.Example records; each one
here holds a 192x192 JPEG and its label, so that a training run reads a few
large files instead of thousands of small ones.
"""
import os
import pathlib
import shutil
import tempfile

import numpy as np
import tensorflow as tf

from utils.data_sources import FLOWER_CLASSES, data_cache_dir, find_flowers_photos

AUTOTUNE = tf.data.AUTOTUNE
TARGET_SIZE = [192, 192]
SHARDS = 16
SHUFFLE_SEED = 42  # Fixes which photos land in which shard, hence the validation split.


def decode_jpeg_and_label(filename):
    """Reads a JPEG file; the label is the name of the folder it is in."""
    bits = tf.io.read_file(filename)
    image = tf.io.decode_jpeg(bits, channels=3)
    label = tf.strings.split(filename, sep='/')[-2]
    return image, label


def resize_and_crop_image(image, label):
    """Resizes so that the image fills TARGET_SIZE, then crops the centre.

    "Fill" means the smaller side is scaled to the target: the aspect ratio is
    kept and nothing is padded; what sticks out of the target is cut off.
    """
    height, width = tf.shape(image)[0], tf.shape(image)[1]
    target_height, target_width = TARGET_SIZE
    scale = tf.maximum(target_height / height, target_width / width)
    new_size = [tf.cast(tf.math.ceil(tf.cast(height, tf.float64) * scale), tf.int32),
                tf.cast(tf.math.ceil(tf.cast(width, tf.float64) * scale), tf.int32)]
    image = tf.image.resize(image, new_size)
    image = tf.image.resize_with_crop_or_pad(image, target_height, target_width)
    return image, label


def recompress_image(image, label):
    """Encodes the image back to JPEG bytes; returns (bytes, label, height, width)."""
    height, width = tf.shape(image)[0], tf.shape(image)[1]
    image = tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)
    image = tf.io.encode_jpeg(image, optimize_size=True, chroma_downsampling=False)
    return image, label, height, width


def to_tfrecord(image_bytes, label, height, width):
    """Builds one tf.train.Example from numpy values (bytes, bytes, int, int)."""
    class_num = FLOWER_CLASSES.index(label.decode('utf-8'))
    one_hot_class = np.eye(len(FLOWER_CLASSES))[class_num]
    feature = {
        'image': tf.train.Feature(bytes_list=tf.train.BytesList(value=[image_bytes])),
        'class': tf.train.Feature(int64_list=tf.train.Int64List(value=[class_num])),
        'label': tf.train.Feature(bytes_list=tf.train.BytesList(value=[label])),
        'size': tf.train.Feature(int64_list=tf.train.Int64List(value=[height, width])),
        'one_hot_class': tf.train.Feature(float_list=tf.train.FloatList(value=one_hot_class.tolist())),
    }
    return tf.train.Example(features=tf.train.Features(feature=feature))


def flowers_photos_dataset(photos_dir):
    """Lists the JPEGs of the 5 classes in a fixed shuffled order."""
    patterns = [str(pathlib.Path(photos_dir) / name / '*.jpg') for name in FLOWER_CLASSES]
    return tf.data.Dataset.list_files(patterns, shuffle=True, seed=SHUFFLE_SEED)


def write_tfrecords(dataset, directory, shards=SHARDS, total=None):
    """Writes (jpeg_bytes, label, height, width) records as TFRecord shards.

    The records are spread evenly over `shards` files named
    flowers{NN}-{count}.tfrec. They are written into a temporary folder beside
    `directory`, which replaces `directory` only when every shard is complete:
    an interrupted run leaves no partial shard behind. Records that fail to
    decode (a corrupt JPEG) are skipped; if `total` (the number of photos
    listed) is given, the skipped ones are counted and reported.
    Returns the sorted list of shard paths.
    """
    directory = pathlib.Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    if total is None:
        total = int(dataset.cardinality())
    # Shard k holds the records from total*k//shards to total*(k+1)//shards.
    ends = [total * (k + 1) // shards for k in range(shards)]
    staging = pathlib.Path(tempfile.mkdtemp(prefix=directory.name + '.partial-', dir=directory.parent))
    staging.chmod(0o755)
    written, shard, in_shard, out = 0, 0, 0, None
    try:
        for record in dataset.ignore_errors(log_warning=True).as_numpy_iterator():
            if out is None:
                out = tf.io.TFRecordWriter(str(staging / 'shard.tmp'))
            out.write(to_tfrecord(*record).SerializeToString())
            written += 1
            in_shard += 1
            if shard < shards - 1 and written >= ends[shard]:
                out.close()
                _name_shard(staging, shard, in_shard)
                shard, in_shard, out = shard + 1, 0, None
        if out is not None:
            out.close()
            out = None
            _name_shard(staging, shard, in_shard)
        if written == 0:
            raise ValueError('No image could be decoded: no TFRecord was written.')
        _replace_folder(staging, directory)
    finally:
        if out is not None:
            out.close()
        shutil.rmtree(staging, ignore_errors=True)
    if total > 0 and written < total:
        print(f'Skipped {total - written} of {total} images that could not be decoded.')
    return sorted(str(path) for path in directory.glob('*.tfrec'))


def _name_shard(staging, shard, count):
    """Gives the shard just written its final name, with its record count."""
    name = f'flowers{shard:02d}-{count}.tfrec'
    os.replace(staging / 'shard.tmp', staging / name)
    print(f'Wrote {name} with {count} records.')


def _replace_folder(new, old):
    """Moves folder `new` to `old`, removing what `old` held before."""
    trash = old.with_name(old.name + '.old')
    shutil.rmtree(trash, ignore_errors=True)
    if old.exists():
        os.replace(old, trash)
    os.replace(new, old)
    shutil.rmtree(trash, ignore_errors=True)


def convert_photos_to_tfrecords(photos_dir, directory, shards=SHARDS):
    """Part 1's whole pipeline: list, decode, label, resize and crop, recompress, write."""
    filenames = flowers_photos_dataset(photos_dir)
    dataset = (filenames.map(decode_jpeg_and_label, num_parallel_calls=AUTOTUNE)
               .map(resize_and_crop_image, num_parallel_calls=AUTOTUNE)
               .map(recompress_image, num_parallel_calls=AUTOTUNE))
    return write_tfrecords(dataset, directory, shards, total=int(filenames.cardinality()))


def default_tfrecords_dir():
    """The folder where the flowers TFRecords are kept, in the data cache."""
    return data_cache_dir() / 'flowers-tfrecords-jpeg-{}x{}'.format(*TARGET_SIZE)


def flowers_tfrecord_files():
    """Returns the sorted paths of the flowers TFRecord shards.

    Builds them from the photos with Part 1's pipeline if they are missing.
    """
    directory = default_tfrecords_dir()
    files = sorted(str(path) for path in directory.glob('*.tfrec'))
    if not files:
        print(f'No TFRecords in {directory}: building them from the photos (Part 1).')
        files = convert_photos_to_tfrecords(find_flowers_photos(), directory)
    return files


def read_tfrecord(example):
    """Parses one record into (image, class): a float32 image in [0, 1] and an int class."""
    features = {
        'image': tf.io.FixedLenFeature([], tf.string),
        'class': tf.io.FixedLenFeature([], tf.int64),
        'label': tf.io.FixedLenFeature([], tf.string),
        'size': tf.io.FixedLenFeature([2], tf.int64),
        'one_hot_class': tf.io.VarLenFeature(tf.float32),
    }
    example = tf.io.parse_single_example(example, features)
    image = tf.io.decode_jpeg(example['image'], channels=3)
    image = tf.reshape(tf.cast(image, tf.float32) / 255.0, [*TARGET_SIZE, 3])
    return image, tf.cast(example['class'], tf.int32)


def load_dataset(filenames, one_hot_labels=False):
    """Reads TFRecord files in parallel into a dataset of (image, label).

    Labels are class numbers, or one-hot vectors with one_hot_labels=True. The
    order of records is not deterministic: that lets the files be read in
    parallel, and training shuffles anyway.
    """
    options = tf.data.Options()
    options.deterministic = False
    dataset = tf.data.TFRecordDataset(filenames, num_parallel_reads=AUTOTUNE).with_options(options)
    dataset = dataset.map(read_tfrecord, num_parallel_calls=AUTOTUNE)
    if one_hot_labels:
        dataset = dataset.map(lambda image, label: (image, tf.one_hot(label, len(FLOWER_CLASSES))),
                              num_parallel_calls=AUTOTUNE)
    return dataset


def count_records(filenames):
    """Number of records in shards named *-{count}.tfrec."""
    return sum(int(pathlib.Path(name).stem.split('-')[-1]) for name in filenames)


def split_by_files(filenames, validation_split):
    """Splits shard files into (training, validation) lists, at least one of each."""
    if len(filenames) < 2:
        raise ValueError(f'Need at least 2 TFRecord files to split, got {len(filenames)}.')
    validation_count = min(max(1, int(len(filenames) * validation_split)), len(filenames) - 1)
    return filenames[validation_count:], filenames[:validation_count]


def get_training_dataset(filenames, batch_size, one_hot_labels=False, augment=None):
    """Shuffled, repeated, batched training batches; `augment(image, label)` if given."""
    dataset = load_dataset(filenames, one_hot_labels).cache()
    if augment is not None:
        dataset = dataset.map(augment, num_parallel_calls=AUTOTUNE)
    return dataset.shuffle(2048).repeat().batch(batch_size, drop_remainder=True).prefetch(AUTOTUNE)


def get_validation_dataset(filenames, batch_size, one_hot_labels=False):
    """All validation records once, batched, cached after the first epoch.

    The dataset's length is declared from the counts in the file names, so that
    Keras knows where a validation pass ends (without it, Keras 3 warns that the
    input "ran out of data"); a file holding fewer records than its name says
    raises an error when read.
    """
    dataset = load_dataset(filenames, one_hot_labels)
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(count_records(filenames)))
    return dataset.batch(batch_size).cache().prefetch(AUTOTUNE)
