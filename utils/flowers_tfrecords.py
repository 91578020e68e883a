"""Part 1's conversion of the flower photos to TFRecord shards, and the reader
that Parts 2-4 train from.

The functions for one photo (decode_jpeg_and_label, to_tfrecord, read_tfrecord)
are in utils/flower_records.py: in Part 1 the learner writes them, and the
pipeline here calls the learner's.

A TFRecord file is a sequence of serialized tf.train.Example records; each one
here holds a 192x192 JPEG and its label, so that a training run reads a few
large files instead of thousands of small ones. Beside the shards, a manifest
(manifest.json) lists what was written, so that a folder left incomplete,
damaged or by older code is noticed and rebuilt.
"""
import json
import os
import pathlib
import re
import shutil
import tempfile

import tensorflow as tf

from utils.data_sources import (
    FLOWER_CLASSES,
    PHOTO_SUFFIXES,
    TARGET_SIZE,
    cache_lock,
    data_cache_dir,
    find_flowers_photos,
)
from utils.flower_records import decode_jpeg_and_label, read_tfrecord, to_tfrecord
from utils.strategy import rows_left_out

AUTOTUNE = tf.data.AUTOTUNE
SHUFFLE_BUFFER = 2048  # training images shuffled at a time: most of the training set
SHARDS = 16
SHUFFLE_SEED = 42  # Fixes which photos land in which shard, hence the validation split.
# Glob patterns of a class folder's photos, in upper or lower case: *.[jJ][pP][gG], *.[jJ][pP][eE][gG].
PHOTO_GLOBS = ['*.' + ''.join(f'[{letter}{letter.upper()}]' for letter in suffix[1:]) for suffix in PHOTO_SUFFIXES]
MANIFEST_NAME = 'manifest.json'
FORMAT_VERSION = 1  # Written in the manifest; change it when the records change.
MAX_LISTED_FILES = 20  # Photos that failed to decode, listed by name in the output.


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


def photo_patterns(photos_dir):
    """Glob patterns naming the photos of the 5 classes, two per class folder.

    `tf.data.Dataset.list_files(photo_patterns(photos_dir))` lists the photos.
    The folders are checked first: a class folder that is missing, or holds no
    .jpg or .jpeg file, raises FileNotFoundError naming it; a folder that is not
    one of the 5 classes is skipped, with a message.
    """
    photos_dir = pathlib.Path(photos_dir)
    patterns, problems = [], []
    for name in FLOWER_CLASSES:
        folder = photos_dir / name
        class_patterns = [str(folder / glob) for glob in PHOTO_GLOBS]
        if not folder.is_dir():
            problems.append(f'class {name}: there is no folder {folder}')
        elif not tf.io.gfile.glob(class_patterns):
            problems.append(f'class {name}: the folder {folder} holds no .jpg or .jpeg file')
        patterns += class_patterns
    if problems:
        raise FileNotFoundError(
            'Photos missing:\n' + ''.join(f'  {problem}\n' for problem in problems)
            + f'Each class needs a folder named after it in {photos_dir}, holding its JPEG photos. Put the '
            'photos there and run this cell again. If this notebook downloaded the photos, you can instead '
            f'delete the folder {photos_dir} and run all the cells again (in Colab: Runtime > Run all): '
            'the photos are then downloaded again.')
    for folder in sorted(photos_dir.iterdir()):
        if folder.is_dir() and folder.name not in FLOWER_CLASSES:
            print(f'Skipping the folder {folder}: "{folder.name}" is not one of the classes '
                  f'{", ".join(FLOWER_CLASSES)}.')
    return patterns


def flowers_photos_dataset(photos_dir):
    """Lists the photos of the 5 classes in a fixed shuffled order."""
    return tf.data.Dataset.list_files(photo_patterns(photos_dir), shuffle=True, seed=SHUFFLE_SEED)


def write_tfrecords(dataset, directory, shards=SHARDS, *, filenames):
    """Writes (jpeg_bytes, label, height, width) records as TFRecord shards.

    `filenames` is the dataset of photo file names that `dataset` was made
    from. The records are spread evenly over `shards` files named
    flowers{NN}-{count}.tfrec, listed with their sizes in manifest.json. They
    are written into a staging folder beside `directory`, which replaces
    `directory` only when every shard is complete: an interrupted run leaves no
    partial shard behind, and the next run removes its staging folder. A lock
    file beside `directory` makes another notebook writing there wait its turn.
    Photos that fail to decode (a corrupt JPEG) are skipped, and named in the
    output. Returns the sorted list of shard paths.
    """
    directory = pathlib.Path(directory)
    total = int(filenames.cardinality())
    # Shard k holds the records from total*k//shards to total*(k+1)//shards.
    ends = [total * (k + 1) // shards for k in range(shards)]
    with cache_lock(directory, 'building the TFRecords'):
        _remove_leftovers(directory)
        staging = pathlib.Path(tempfile.mkdtemp(prefix=directory.name + '.partial-', dir=directory.parent))
        staging.chmod(0o755)
        written, in_shard, shard_counts, out = 0, 0, [], None
        try:
            for record in dataset.ignore_errors().as_numpy_iterator():
                if out is None:
                    out = tf.io.TFRecordWriter(str(staging / 'shard.tmp'))
                out.write(to_tfrecord(*record).SerializeToString())
                written += 1
                in_shard += 1
                if len(shard_counts) < shards - 1 and written >= ends[len(shard_counts)]:
                    out.close()
                    shard_counts.append(_name_shard(staging, len(shard_counts), in_shard))
                    in_shard, out = 0, None
            if out is not None:
                out.close()
                out = None
                shard_counts.append(_name_shard(staging, len(shard_counts), in_shard))
            if written == 0:
                raise ValueError('No photo could be decoded: no TFRecord was written. The photos that failed:\n'
                                 + _undecodable_photos(filenames)
                                 + '\nCheck that the photo folders hold JPEG photos, then run this cell again.')
            _write_manifest(staging, shard_counts, photos=total)
            _replace_folder(staging, directory)
        finally:
            if out is not None:
                out.close()
            shutil.rmtree(staging, ignore_errors=True)
    if written < total:
        print(f'Skipped {total - written} of {total} photos that could not be decoded:\n'
              + _undecodable_photos(filenames)
              + '\nThe TFRecords hold the other photos. To include these, replace them by valid JPEG files '
              'and run this cell again.')
    return sorted(str(directory / name) for name, _ in shard_counts)


def _remove_leftovers(directory):
    """Removes the staging and .old folders that a killed run left beside `directory`.

    Called with the lock held, when no other run is writing there.
    """
    for leftover in [*directory.parent.glob(directory.name + '.partial-*'),
                     directory.with_name(directory.name + '.old')]:
        if leftover.exists():
            print(f'Removing {leftover}, left behind by an interrupted run.')
            shutil.rmtree(leftover)


def _name_shard(staging, shard, count):
    """Gives the shard just written its final name, with its record count; returns (name, count)."""
    name = f'flowers{shard:02d}-{count}.tfrec'
    os.replace(staging / 'shard.tmp', staging / name)
    print(f'Wrote {name} with {count} records.')
    return name, count


def _undecodable_photos(filenames):
    """Lines naming the listed photos that tf.io.decode_jpeg rejects, and why (the first MAX_LISTED_FILES)."""
    failures = []
    for filename in sorted(filenames.as_numpy_iterator()):
        try:
            tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
        except tf.errors.OpError as error:
            failures.append(f'  {filename.decode()}: {_error_text(error)}')
    if len(failures) > MAX_LISTED_FILES:
        failures[MAX_LISTED_FILES:] = [f'  ... and {len(failures) - MAX_LISTED_FILES} more']
    return '\n'.join(failures)


def _error_text(error):
    """A TensorFlow error's message, without the op details around it."""
    return re.sub(r'\{\{[^}]*\}\}\s*|\s*\[Op:.*', '', error.message, flags=re.DOTALL)


def _write_manifest(folder, shard_counts, photos):
    """Writes manifest.json: format version, image size, counts, each shard's name, records and bytes."""
    shards = [{'file': name, 'records': count, 'bytes': (folder / name).stat().st_size}
              for name, count in shard_counts]
    manifest = {'format_version': FORMAT_VERSION, 'image_size': TARGET_SIZE, 'photos': photos,
                'records': sum(count for _, count in shard_counts), 'shard_count': len(shards), 'shards': shards}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + '\n')


def _replace_folder(new, old):
    """Moves folder `new` to `old`, removing what `old` held before."""
    trash = old.with_name(old.name + '.old')
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
    return write_tfrecords(dataset, directory, shards, filenames=filenames)


def default_tfrecords_dir():
    """The folder where the flowers TFRecords are kept, in the data cache."""
    return data_cache_dir() / 'flowers-tfrecords-jpeg-{}x{}'.format(*TARGET_SIZE)


class DamagedTFRecordError(ValueError):
    """A TFRecord file cannot be read to its end, or holds another number of records than its name says."""

    def __init__(self, problem, folder):
        super().__init__(f'{problem}. Delete the folder {folder} and run all the cells again (in Colab: '
                         'Runtime > Run all): the TFRecords are then built again from the photos.')
        self.problem = problem


def check_tfrecord_files(files):
    """Reads every record of each TFRecord file once, and compares the count with the file's name.

    Reading checks each record's checksums, so a damaged or cut-off file is
    found. Raises DamagedTFRecordError naming the first bad file, and the fix.
    """
    for name in files:
        expected = count_records([name])
        try:
            found = sum(len(batch) for batch in tf.data.TFRecordDataset(name).batch(256))
        except tf.errors.OpError as error:
            raise DamagedTFRecordError(f'{name} is damaged: {_error_text(error)}', pathlib.Path(name).parent) from None
        if found != expected:
            raise DamagedTFRecordError(f'{name} holds {found} records, its name says {expected}',
                                       pathlib.Path(name).parent)


def _manifest_problem(directory):
    """Why the TFRecord folder does not match its manifest, in words; None if it does."""
    manifest_path = directory / MANIFEST_NAME
    if not directory.is_dir():
        return f'No TFRecords in {directory}'
    try:
        manifest = json.loads(manifest_path.read_text())
        version, image_size = manifest['format_version'], manifest['image_size']
        listed = {shard['file']: shard['bytes'] for shard in manifest['shards']}
    except FileNotFoundError:
        return f'{manifest_path} is missing: the folder was written by an older version of this code, or is incomplete'
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f'{manifest_path} cannot be read ({type(error).__name__}: {error})'
    if version != FORMAT_VERSION:
        return f'{manifest_path} is for format version {version}, this code uses version {FORMAT_VERSION}'
    if image_size != TARGET_SIZE:
        return f'{manifest_path} is for images of {image_size} pixels, this code uses {TARGET_SIZE}'
    for name, size in listed.items():
        path = directory / name
        if not path.is_file():
            return f'{path} is missing'
        if path.stat().st_size != size:
            return f'{path} has {path.stat().st_size} bytes, the manifest says {size}: the file was cut off'
    for path in sorted(directory.glob('*.tfrec')):
        if path.name not in listed:
            return f'{path} is not listed in {manifest_path}'
    return None


def flowers_tfrecord_files():
    """Returns the sorted paths of the flowers TFRecord shards.

    Checks the folder against its manifest and reads every record once. If
    something is missing, damaged or from older code, says what, and builds the
    shards from the photos with Part 1's pipeline. Another notebook building
    them at the same time is waited for.
    """
    directory = default_tfrecords_dir()
    with cache_lock(directory, 'building the TFRecords'):
        problem = _manifest_problem(directory)
        if problem is None:
            files = sorted(str(path) for path in directory.glob('*.tfrec'))
            try:
                check_tfrecord_files(files)
                return files
            except DamagedTFRecordError as error:
                problem = error.problem
        print(f'{problem}.\nBuilding the TFRecords from the photos (Part 1).')
        return convert_photos_to_tfrecords(find_flowers_photos(), directory)


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
    """Shuffled, repeated, batched training batches; `augment(image, label)` if given.

    The decoded photos are cached in memory, and the cache is filled here, by
    one complete pass: a pass that stops early would fill it only partly, and
    TensorFlow throws such a part away, with a warning. Keras stops early on
    the JAX backend: it reads one batch before training a new model.
    """
    dataset = load_dataset(filenames, one_hot_labels).cache()
    dataset.reduce(0, lambda count, _: count + 1)
    if augment is not None:
        dataset = dataset.map(augment, num_parallel_calls=AUTOTUNE)
    return dataset.shuffle(SHUFFLE_BUFFER).repeat().batch(batch_size, drop_remainder=True).prefetch(AUTOTUNE)


def get_validation_dataset(filenames, batch_size, one_hot_labels=False):
    """All validation records once, batched, cached after the first epoch.

    The dataset's length is declared from the counts in the file names, so that
    Keras knows where a validation pass ends (without it, Keras 3 warns that the
    input "ran out of data"); a file holding fewer records than its name says
    raises an error when read. Under a data-parallel distribution whose devices
    cannot share the last batch, its extra images are left out (and counted).
    """
    count = count_records(filenames)
    left_out = rows_left_out(count, batch_size)
    dataset = load_dataset(filenames, one_hot_labels)
    dataset = dataset.apply(tf.data.experimental.assert_cardinality(count))
    if left_out:
        print(f'{left_out} of the {count} validation images are left out of each validation pass: '
              'every batch must divide among the devices.')
        dataset = dataset.take(count - left_out)
    return dataset.batch(batch_size).cache().prefetch(AUTOTUNE)
