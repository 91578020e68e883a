"""Part 1's conversion of the flower photos to TFRecord shards, and the reader
that Parts 2-4 train from.

The functions for one photo (decode_jpeg_and_label, to_tfrecord, read_tfrecord)
are in utils/flower_records.py: in Part 1 the learner writes them, and the
pipeline here calls the learner's.

A TFRecord file is a sequence of serialized tf.train.Example records; each one
here holds a 192x192 JPEG and its label, so that a training run reads a few
large files instead of thousands of small ones. Beside the shards, a manifest
(manifest.json) lists what was written (each shard's size and sha256) and what
from (each photo's name, size, modification and change times), so that a
folder left incomplete, damaged, edited, by older code, or built from other
photos than those there now is noticed and rebuilt.
"""
import errno
import hashlib
import json
import numbers
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
    DiskFullError,
    cache_lock,
    data_cache_dir,
    disk_full_fix,
    disk_full_problem,
    find_flowers_photos,
    free_bytes,
    is_disk_full,
    local_flowers_photos,
    shown_path,
    unwritable_cache_error,
    writable_folder_problem,
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
FORMAT_VERSION = 2  # Written in the manifest; change it when the records or the manifest change.
MAX_LISTED_FILES = 20  # Photos that failed to decode, listed by name in the output.
MIN_RECORDS = 2  # The fewest records that split into training and validation files (one shard each).


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


def _glob_escaped(path):
    """path as a glob pattern that matches only itself: *, ? and [ between brackets."""
    return re.sub(r'([*?\[])', r'[\1]', path)


def _list_photos(photos_dir):
    """({class: sorted photo names}, [bytes paths of photos whose name is not UTF-8]) of photos_dir.

    A photo is any entry of a class folder named *.jpg or *.jpeg, in any case,
    as the glob patterns match them. Raises FileNotFoundError naming each class
    folder that is missing or holds no photo, and the fix.
    """
    photos_dir = pathlib.Path(photos_dir)
    listing, not_utf8, problems = {}, [], []
    for name in FLOWER_CLASSES:
        folder = photos_dir / name
        if not folder.is_dir():
            problems.append(f'class {name}: there is no folder {folder}')
            continue
        photos = sorted(entry for entry in os.listdir(folder) if entry.lower().endswith(PHOTO_SUFFIXES))
        not_utf8 += [os.fsencode(folder / entry) for entry in photos if shown_path(entry) != entry]
        listing[name] = [entry for entry in photos if shown_path(entry) == entry]
        if not listing[name]:
            problems.append(f'class {name}: the folder {folder} holds no .jpg or .jpeg file'
                            + (' whose name is valid UTF-8' if photos else ''))
    if problems:
        raise FileNotFoundError(
            'Photos missing:\n' + ''.join(f'  {problem}\n' for problem in problems)
            + f'Each class needs a folder named after it in {photos_dir}, holding its JPEG photos. Put the '
            'photos there and run this cell again. If this notebook downloaded the photos, you can instead '
            f'delete the folder {photos_dir} and run all the cells again (in Colab: Runtime > Run all): '
            'the photos are then downloaded again.')
    return listing, not_utf8


def _report_skipped_entries(photos_dir, not_utf8):
    """Prints the photos skipped for their name, and the folders skipped for not being a class."""
    for path in not_utf8:
        print(f'Skipping the photo {path}: its name is not valid UTF-8, which TensorFlow cannot read. '
              'To include it, rename it (in Python: os.rename(old_bytes_path, new_name)).')
    for folder in sorted(pathlib.Path(photos_dir).iterdir()):
        if folder.is_dir() and folder.name not in FLOWER_CLASSES:
            print(f'Skipping the folder {shown_path(folder)}: "{shown_path(folder.name)}" is not one of the '
                  f'classes {", ".join(FLOWER_CLASSES)}.')


def photo_patterns(photos_dir):
    """Glob patterns naming the photos of the 5 classes, two per class folder.

    `tf.data.Dataset.list_files(photo_patterns(photos_dir))` lists the photos.
    The folders are checked first: a class folder that is missing, or holds no
    .jpg or .jpeg file, raises FileNotFoundError naming it; a folder that is not
    one of the 5 classes is skipped, with a message. A photo whose name is not
    valid UTF-8 (TensorFlow cannot read such names) is skipped, with a message:
    its folder's patterns are then the names of its other photos.
    """
    photos_dir = pathlib.Path(photos_dir)
    listing, not_utf8 = _list_photos(photos_dir)
    _report_skipped_entries(photos_dir, not_utf8)
    patterns = []
    for name, photos in listing.items():
        folder = photos_dir / name
        if any(pathlib.Path(os.fsdecode(path)).parent == folder for path in not_utf8):
            patterns += [_glob_escaped(str(folder / photo)) for photo in photos]
        else:
            patterns += [str(folder / glob) for glob in PHOTO_GLOBS]
    return patterns


def photo_files(photos_dir):
    """The sorted paths of the photos of the 5 classes: what photo_patterns(photos_dir) matches."""
    listing, _ = _list_photos(photos_dir)
    return _listed_paths(photos_dir, listing)


def _listed_paths(photos_dir, listing):
    return [str(pathlib.Path(photos_dir) / name / photo) for name, photos in listing.items() for photo in photos]


def flowers_photos_dataset(photos_dir):
    """Lists the photos of the 5 classes in a fixed shuffled order, the same at every iteration."""
    listing, not_utf8 = _list_photos(photos_dir)
    _report_skipped_entries(photos_dir, not_utf8)
    files = _listed_paths(photos_dir, listing)
    return tf.data.Dataset.from_tensor_slices(files).shuffle(len(files), seed=SHUFFLE_SEED,
                                                             reshuffle_each_iteration=False)


def _photo_entry(path):
    """[class/name, bytes, modification time, change time (both in ns)] of a photo; None for each if it has none.

    The change time, which nobody can set, changes whenever the file is written,
    replaced or given other permissions: a photo overwritten with the same size
    and modification time, or made readable again, counts as changed.
    """
    path = pathlib.Path(path)
    try:
        stat = path.stat()
        details = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
    except OSError:  # A broken link, say: the build names it as a photo that cannot be read.
        details = [None, None, None]
    return [f'{path.parent.name}/{path.name}', *details]


def write_tfrecords(dataset, directory, shards=SHARDS, *, filenames):
    """Writes (jpeg_bytes, label, height, width) records as TFRecord shards.

    `filenames` is the dataset of photo file names that `dataset` was made
    from. Photos that fail to decode (a corrupt JPEG) are skipped, and named in
    the output; the records of the others are spread evenly over `shards` files
    (fewer if there are fewer records) named flowers{NN}-{count}.tfrec. Fewer
    than MIN_RECORDS records is an error naming the photos' folder. manifest.json
    lists each shard with its records, size and sha256, and each photo (name,
    size, modification and change times), with those skipped. The files are
    written into a staging folder beside `directory`, which replaces
    `directory` only when every shard is complete: an interrupted run leaves no partial shard behind,
    and the next run removes its staging folder. A lock file beside `directory`
    makes another notebook writing there wait its turn. A full disk is a
    DiskFullError saying how much space is needed and free. Returns the sorted
    list of shard paths.
    """
    directory = pathlib.Path(directory)
    if not isinstance(shards, numbers.Integral) or shards < 1:
        raise ValueError(f'shards={shards!r}: the records need at least 1 file. Set SHARDS to a whole number, '
                         '1 or more, then run this cell again.')
    names = [name.decode() for name in filenames.as_numpy_iterator()]
    photos = sorted(_photo_entry(name) for name in names)  # Before reading them: a later change is noticed.
    photos_dir = pathlib.Path(names[0]).parent.parent if names else directory
    with cache_lock(directory, 'building the TFRecords'):
        _remove_leftovers(directory)
        staging, needed = None, None
        try:
            staging = pathlib.Path(tempfile.mkdtemp(prefix=directory.name + '.partial-', dir=directory.parent))
            staging.chmod(0o755)
            records = [to_tfrecord(*record).SerializeToString()
                       for record in dataset.ignore_errors().as_numpy_iterator()]
            failures = undecodable_photos(filenames) if len(records) < len(names) else []
            if len(records) < MIN_RECORDS:
                raise ValueError(_too_few_records(records, names, failures, photos_dir))
            needed = sum(len(record) + 16 for record in records)  # 16 bytes of length and checksums per record.
            if needed > free_bytes(staging):
                raise OSError(errno.ENOSPC, 'No space left on device')
            shard_count, first, shard_list = min(shards, len(records)), 0, []
            for shard in range(shard_count):  # The first len(records) % shard_count shards get one more record.
                size = len(records) // shard_count + (shard < len(records) % shard_count)
                shard_list.append(_write_shard(staging, shard, records[first:first + size]))
                first += size
            _write_manifest(staging, shard_list, photos, skipped=sorted(_photo_entry(name)[0] for name, _ in failures))
            _replace_folder(staging, directory)
        except (OSError, tf.errors.OpError) as error:
            if not is_disk_full(error):
                raise
            shutil.rmtree(staging, ignore_errors=True)  # Before measuring the free space.
            raise DiskFullError(f'Cannot write the TFRecords: {disk_full_problem(directory.parent, needed)} '
                                f'(nothing was written). To fix it: {disk_full_fix(directory.parent)}') from None
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    if failures:
        print(f'Skipped {len(failures)} of {len(names)} photos that could not be decoded:\n'
              + failure_lines(failures)
              + '\nThe TFRecords hold the other photos. To include these, replace them by valid JPEG files '
              'and run this cell again.')
    return sorted(str(directory / shard['file']) for shard in shard_list)


def _too_few_records(records, names, failures, photos_dir):
    """The message of a build with fewer than MIN_RECORDS decodable photos."""
    if not names:
        return ('No photos to write: the dataset of file names is empty. Check the patterns it was listed with, '
                'then run this cell again.')
    if not records:
        start = f'No photo could be decoded: no TFRecord was written. The {len(names)} photos in {photos_dir} failed'
    else:
        start = (f'Only {len(records)} of the {len(names)} photos in {photos_dir} could be decoded: the '
                 f'TFRecords need at least {MIN_RECORDS}, one for training and one for validation; no TFRecord '
                 'was written. The photos that failed')
    apple_files = sum(pathlib.Path(name).name.startswith('._') for name, _ in failures)
    apple_hint = (f' ({apple_files} of them are named ._*: macOS leaves such files, which are not photos; '
                  'delete them)' if apple_files else '')
    return (f'{start}:\n{failure_lines(failures)}\nPut valid JPEG photos in {photos_dir}/<class>/{apple_hint}, '
            'then run this cell again.')


def _remove_leftovers(directory):
    """Removes the staging and .old folders that a killed run left beside `directory`.

    Called with the lock held, when no other run is writing there.
    """
    for leftover in [*directory.parent.glob(directory.name + '.partial-*'),
                     directory.with_name(directory.name + '.old')]:
        if leftover.exists() or leftover.is_symlink():
            print(f'Removing {leftover}, left behind by an interrupted run.')
            _remove(leftover)


def _remove(path):
    """Deletes a folder with its contents, or a file or link."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sha256(path):
    with open(path, 'rb') as file:
        return hashlib.file_digest(file, 'sha256').hexdigest()


def _write_shard(staging, shard, records):
    """Writes one shard, named with its record count; returns its manifest entry."""
    name = f'flowers{shard:02d}-{len(records)}.tfrec'
    with tf.io.TFRecordWriter(str(staging / name)) as out:
        for record in records:
            out.write(record)
    print(f'Wrote {name} with {len(records)} records.')
    return {'file': name, 'records': len(records), 'bytes': (staging / name).stat().st_size,
            'sha256': _sha256(staging / name)}


def undecodable_photos(filenames):
    """[(file name, why)] of the photos in the dataset `filenames` that tf.io.decode_jpeg rejects, sorted."""
    failures = []
    for filename in sorted(filenames.as_numpy_iterator()):
        try:
            tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
        except tf.errors.OpError as error:
            failures.append((filename.decode(), tf_error_text(error)))
    return failures



def failure_lines(failures):
    """Lines naming photos that failed to decode, and why: [(file name, why)] as undecodable_photos returns."""
    lines = [f'  {filename}: {why}' for filename, why in failures]
    if len(lines) > MAX_LISTED_FILES:
        lines[MAX_LISTED_FILES:] = [f'  ... and {len(lines) - MAX_LISTED_FILES} more']
    return '\n'.join(lines)


def tf_error_text(error):
    """A TensorFlow error's message, without the op and pipeline details around it."""
    text = re.sub(r'\{\{[^}]*\}\}\s*|\s*\[Op:.*|\s*\[\[.*?\]\]', '', error.message, flags=re.DOTALL)
    return re.sub(r'^Error in user-defined function .*?Iterator::[\w:]+: ', '', text, flags=re.DOTALL).strip()


def _manifest_digest(manifest):
    """sha256 of the manifest's contents, without its digest: a manifest edited by hand no longer matches."""
    contents = {key: value for key, value in manifest.items() if key != 'digest'}
    return hashlib.sha256(json.dumps(contents, sort_keys=True).encode()).hexdigest()


def _write_manifest(folder, shards, photos, skipped):
    """Writes manifest.json: format, image size, the photos read and skipped, each shard, and a digest of it all."""
    manifest = {'format_version': FORMAT_VERSION, 'image_size': TARGET_SIZE, 'photos': photos, 'skipped': skipped,
                'records': sum(shard['records'] for shard in shards), 'shard_count': len(shards), 'shards': shards}
    manifest['digest'] = _manifest_digest(manifest)
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1) + '\n')


def _replace_folder(new, old):
    """Moves folder `new` to `old`, removing what `old` held before."""
    trash = old.with_name(old.name + '.old')
    if old.exists() or old.is_symlink():
        os.replace(old, trash)
    os.replace(new, old)
    _remove(trash)


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
            raise DamagedTFRecordError(f'{name} is damaged: {tf_error_text(error)}',
                                       pathlib.Path(name).parent) from None
        if found != expected:
            raise DamagedTFRecordError(f'{name} holds {found} records, its name says {expected}',
                                       pathlib.Path(name).parent)


def _checked_manifest(directory):
    """(manifest, None) if the TFRecord folder matches its manifest; (None, why not, in words) if it does not.

    Checks the manifest's digest, then each shard's name, size and sha256: a
    shard missing, cut off, damaged, swapped or added, or a manifest edited by
    hand, is a problem.
    """
    manifest_path = directory / MANIFEST_NAME
    if not directory.is_dir():
        return None, f'No TFRecords in {directory}'
    try:
        manifest = json.loads(manifest_path.read_text())
        version, image_size = manifest['format_version'], manifest['image_size']
    except FileNotFoundError:
        return None, (f'{manifest_path} is missing: the folder was written by an older version of this code, '
                      'or is incomplete')
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f'{manifest_path} cannot be read ({type(error).__name__}: {error})'
    if version != FORMAT_VERSION:
        return None, f'{manifest_path} is for format version {version}, this code uses version {FORMAT_VERSION}'
    if image_size != TARGET_SIZE:
        return None, f'{manifest_path} is for images of {image_size} pixels, this code uses {TARGET_SIZE}'
    if manifest.get('digest') != _manifest_digest(manifest):
        return None, f'{manifest_path} was changed after it was written: its digest does not match its contents'
    try:
        shards = [(directory / shard['file'], shard['bytes'], shard['sha256']) for shard in manifest['shards']]
        manifest['photos'] = {entry[0]: list(entry[1:]) for entry in manifest['photos']}
    except (KeyError, TypeError, IndexError) as error:
        return None, f'{manifest_path} cannot be read ({type(error).__name__}: {error})'
    for path, size, sha256 in shards:
        if not path.is_file():
            return None, f'{path} is missing'
        if path.stat().st_size != size:
            return None, f'{path} has {path.stat().st_size} bytes, the manifest says {size}: the file was cut off'
        if _sha256(path) != sha256:
            try:
                check_tfrecord_files([str(path)])
            except DamagedTFRecordError as error:
                return None, error.problem
            return None, (f'{path} is not the file that was written there: its sha256 differs from the one in '
                          f'{manifest_path} (it was replaced by another)')
    for path in sorted(directory.glob('*.tfrec')):
        if path not in [shard_path for shard_path, _, _ in shards]:
            return None, f'{path} is not listed in {manifest_path}'
    manifest['shard_paths'] = sorted(str(path) for path, _, _ in shards)
    return manifest, None


def _photos_problem(built, photos_dir):
    """How the photos in photos_dir differ from `built` ({class/name: details}), in words; None if they don't."""
    try:
        current = {entry[0]: entry[1:] for entry in map(_photo_entry, photo_files(photos_dir))}
    except FileNotFoundError as error:
        return f'the photos in {photos_dir} are unusable: {error}'
    added = sorted(set(current) - set(built))
    removed = sorted(set(built) - set(current))
    changed = sorted(name for name in set(current) & set(built) if current[name] != built[name])
    if not (added or removed or changed):
        return None
    counts = [f'{len(names)} {what}' + (f' ({", ".join(names[:3])}{", ..." if len(names) > 3 else ""})'
                                        if names else '')
              for names, what in ((added, 'added'), (removed, 'removed'), (changed, 'changed'))]
    return f'The photos in {photos_dir} are not those the TFRecords were built from: {", ".join(counts)}'


def _usable_shards(directory, photos_dir):
    """(sorted shard paths, None) if the TFRecords in directory are usable with the photos in photos_dir
    (None: no photos on disk); (None, why not) otherwise."""
    manifest, problem = _checked_manifest(directory)
    if problem is None and photos_dir is not None:
        problem = _photos_problem(manifest['photos'], photos_dir)
    return (None, problem) if problem else (manifest['shard_paths'], None)


def flowers_tfrecord_files():
    """Returns the sorted paths of the flowers TFRecord shards.

    Checks the folder against its manifest (each shard's sha256) and the
    manifest against the photos on disk (their names, sizes, modification and
    change times). If something is missing, damaged, from older code or from other
    photos, says what, and builds the shards from the photos with Part 1's
    pipeline. Valid TFRecords are read without writing anything (a read-only
    cache will do); a build needs the cache to be writable (else
    UnwritableCacheError, naming CODELAB_CACHE_DIR). Another notebook building
    them at the same time is waited for. When no photos are on disk any more,
    valid TFRecords are used as they are.
    """
    directory = default_tfrecords_dir()
    photos_dir = local_flowers_photos()
    files, problem = _usable_shards(directory, photos_dir)
    if problem is None:
        if photos_dir is None:
            print(f'Using the TFRecords in {directory} as they are: no usable folder of photos is on this '
                  'machine to check them against.')
        return files
    unwritable = writable_folder_problem(directory.parent)
    if unwritable is not None:
        raise unwritable_cache_error(directory.parent, unwritable, f'{problem}. The TFRecords must be built again, '
                                     'but they cannot be written')
    with cache_lock(directory, 'building the TFRecords'):
        photos_dir = photos_dir if photos_dir is not None else find_flowers_photos()
        files, problem = _usable_shards(directory, photos_dir)  # Another notebook may have built them meanwhile.
        if problem is None:
            return files
        print(f'{problem}.\nBuilding the TFRecords from the photos (Part 1).')
        return convert_photos_to_tfrecords(photos_dir, directory)


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
