import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from tests.data_fixtures import FLOWER_CLASSES, synthetic_flowers
from tests.native_log import native_log_lines
from utils import flowers_tfrecords
from utils.flowers_tfrecords import (
    DamagedTFRecordError,
    check_tfrecord_files,
    convert_photos_to_tfrecords,
    count_records,
    default_tfrecords_dir,
    flowers_tfrecord_files,
    get_training_dataset,
    get_validation_dataset,
    load_dataset,
    photo_patterns,
    resize_and_crop_image,
    split_by_files,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture
def photos(tmp_path):
    """3 synthetic photos per class, plus one corrupt JPEG among the roses."""
    folder = synthetic_flowers(tmp_path / 'data', per_class=3)
    (folder / 'roses' / 'corrupt.jpg').write_bytes(b'\xff\xd8\xff\xe0 not really a JPEG')
    return folder


def test_round_trip_skips_and_counts_the_corrupt_jpeg(photos, tmp_path, capsys):
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=4)
    assert 'Skipped 1 of 16 photos that could not be decoded' in capsys.readouterr().out
    assert [name.rsplit('/', 1)[1] for name in files] == [
        'flowers00-4.tfrec', 'flowers01-4.tfrec', 'flowers02-4.tfrec', 'flowers03-3.tfrec']
    assert count_records(files) == 15
    records = list(load_dataset(files).as_numpy_iterator())
    assert len(records) == 15
    counts = np.bincount([label for _, label in records], minlength=5)
    assert counts.tolist() == [3, 3, 3, 3, 3]
    for image, label in records:
        assert image.shape == (192, 192, 3) and image.dtype == np.float32
        assert 0.0 <= image.min() and image.max() <= 1.0
        # Each synthetic class has its own colour: the label must match the pixels.
        expected = np.array([(label * 53) % 256, (label * 101 + 60) % 256, (label * 31 + 120) % 256]) / 255
        assert np.abs(image.mean(axis=(0, 1)) - expected).max() < 0.06


def test_every_feature_is_written(photos, tmp_path):
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=2)
    example = tf.train.Example.FromString(next(iter(tf.data.TFRecordDataset(files[:1]))).numpy())
    feature = example.features.feature
    label = feature['label'].bytes_list.value[0].decode()
    class_num = feature['class'].int64_list.value[0]
    assert FLOWER_CLASSES[class_num] == label
    assert list(feature['size'].int64_list.value) == [192, 192]
    assert list(feature['one_hot_class'].float_list.value) == np.eye(5)[class_num].tolist()
    assert tf.io.decode_jpeg(feature['image'].bytes_list.value[0]).shape == (192, 192, 3)


def test_one_hot_labels(photos, tmp_path):
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=2)
    for _, label in load_dataset(files, one_hot_labels=True).take(3):
        assert label.shape == (5,) and float(tf.reduce_sum(label)) == 1.0


def test_interrupted_write_keeps_the_previous_shards_and_leaves_no_partial_one(photos, tmp_path, monkeypatch):
    target = tmp_path / 'records'
    convert_photos_to_tfrecords(photos, target, shards=4)
    before = sorted(str(path) for path in target.glob('*'))  # The shards and their manifest.
    contents = {name: open(name, 'rb').read() for name in before}
    calls = []
    real_to_tfrecord = flowers_tfrecords.to_tfrecord

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 6:
            raise KeyboardInterrupt
        return real_to_tfrecord(*args)
    monkeypatch.setattr(flowers_tfrecords, 'to_tfrecord', interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert_photos_to_tfrecords(photos, target, shards=8)
    assert sorted(str(path) for path in target.glob('*')) == before
    assert all(open(name, 'rb').read() == content for name, content in contents.items())
    assert sorted(path.name for path in tmp_path.iterdir()) == ['data', 'records', 'records.lock']


def test_no_decodable_image_is_an_error_and_writes_nothing(tmp_path):
    folder = tmp_path / 'flower_photos'
    for name in FLOWER_CLASSES:
        (folder / name).mkdir(parents=True)
        (folder / name / 'broken.jpg').write_bytes(b'garbage')
    with pytest.raises(ValueError, match='No photo could be decoded') as error:
        convert_photos_to_tfrecords(folder, tmp_path / 'records')
    assert str(folder / 'tulips' / 'broken.jpg') in str(error.value)
    assert not (tmp_path / 'records').exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ['flower_photos', 'records.lock']


def test_resize_and_crop_fills_the_target_keeping_the_centre():
    image = np.zeros([100, 300, 3], np.float32)
    image[:, 100:200] = 255.0  # The middle third is white.
    resized, _ = resize_and_crop_image(tf.constant(image), 'label')
    assert resized.shape == (192, 192, 3)
    assert float(tf.reduce_min(resized[:, 10:180])) > 250  # Only the white centre is kept.


def test_tfrecords_are_built_once_when_missing(isolated_data, monkeypatch, capsys):
    synthetic_flowers(isolated_data / 'shared', per_class=4)
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    files = flowers_tfrecord_files()
    assert len(files) == 16 and count_records(files) == 20
    assert all(name.startswith(str(default_tfrecords_dir())) for name in files)
    assert 'Building the TFRecords from the photos (Part 1).' in capsys.readouterr().out

    def must_not_rebuild(*args):
        raise AssertionError('rebuilt although the TFRecords exist')
    monkeypatch.setattr(flowers_tfrecords, 'convert_photos_to_tfrecords', must_not_rebuild)
    assert flowers_tfrecord_files() == files


def test_split_by_files():
    files = [f'flowers{i:02d}-230.tfrec' for i in range(16)]
    training, validation = split_by_files(files, 0.19)
    assert validation == files[:3] and training == files[3:]
    assert split_by_files(files[:2], 0.19) == (files[1:2], files[:1])
    with pytest.raises(ValueError, match='at least 2'):
        split_by_files(files[:1], 0.19)


def test_training_and_validation_pipelines(photos, tmp_path):
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=4)
    flipped = []

    def augment(image, label):
        flipped.append(1)  # Traced once: proves the function is part of the pipeline.
        return tf.image.flip_left_right(image), label
    images, labels = next(iter(get_training_dataset(files, 4, one_hot_labels=True, augment=augment)))
    assert images.shape == (4, 192, 192, 3) and labels.shape == (4, 5) and flipped
    batches = list(get_validation_dataset(files, 4))
    assert sum(len(labels) for _, labels in batches) == 15
    assert batches[0][1].dtype == tf.int32


def test_validation_dataset_declares_its_length(photos, tmp_path):
    """Keras reads the number of validation batches from it (no "ran out of data" warning)."""
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=4)
    assert int(get_validation_dataset(files, 4).cardinality()) == 4  # 15 records in batches of 4.
    mislabelled = tmp_path / 'records' / 'flowers09-5.tfrec'  # holds 4 records, says 5
    mislabelled.write_bytes(open(files[0], 'rb').read())
    with pytest.raises(tf.errors.FailedPreconditionError, match='expected to contain'):
        list(get_validation_dataset([str(mislabelled)], 4))


# Part 1 on real folders.

def test_a_corrupt_jpeg_is_named_in_the_output(photos, tmp_path, capsys):
    convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=2)
    out = capsys.readouterr().out
    assert f'{photos / "roses" / "corrupt.jpg"}: ' in out
    assert 'Invalid JPEG data' in out and 'replace them by valid JPEG files' in out


def test_photos_count_whatever_the_case_of_their_extension(tmp_path):
    folder = synthetic_flowers(tmp_path / 'data', per_class=3)
    for name, extension in [('daisy_000', '.JPG'), ('dandelion_001', '.jpeg'), ('roses_002', '.JPEG'),
                            ('tulips_000', '.Jpg')]:
        old = folder / name.split('_')[0] / f'{name}.jpg'
        old.rename(old.with_suffix(extension))
    (folder / 'daisy' / 'notes.txt').write_text('not a photo')
    assert int(tf.data.Dataset.list_files(photo_patterns(folder)).cardinality()) == 15
    files = convert_photos_to_tfrecords(folder, tmp_path / 'records', shards=2)
    assert count_records(files) == 15


def test_a_folder_that_is_not_a_class_is_skipped_with_a_message(photos, tmp_path, capsys):
    (photos / 'lilies').mkdir()
    shutil.copy(photos / 'daisy' / 'daisy_000.jpg', photos / 'lilies' / 'lily_000.jpg')
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=2)
    out = capsys.readouterr().out
    assert f'Skipping the folder {photos / "lilies"}: "lilies" is not one of the classes' in out
    assert count_records(files) == 15  # The 15 good photos of the 5 classes; no lily.


def test_a_missing_or_empty_class_folder_is_named(photos, tmp_path):
    shutil.rmtree(photos / 'tulips')
    for photo in (photos / 'daisy').iterdir():
        photo.unlink()
    with pytest.raises(FileNotFoundError) as error:
        convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=2)
    message = str(error.value)
    assert f'class tulips: there is no folder {photos / "tulips"}' in message
    assert f'class daisy: the folder {photos / "daisy"} holds no .jpg or .jpeg file' in message
    assert 'Put the photos there and run this cell again' in message
    assert not (tmp_path / 'records').exists()


# The TFRecord folder that Parts 2-4 use: checked against its manifest, rebuilt when unusable.

@pytest.fixture
def shared_photos(isolated_data, monkeypatch):
    """4 synthetic photos per class in CODELAB_DATA_DIR, and an empty cache."""
    synthetic_flowers(isolated_data / 'shared', per_class=4)
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    return isolated_data


@pytest.fixture
def builds(monkeypatch):
    """Records every build of the TFRecords from the photos."""
    calls = []
    real_convert = flowers_tfrecords.convert_photos_to_tfrecords

    def counted(*args, **kwargs):
        calls.append(args)
        return real_convert(*args, **kwargs)
    monkeypatch.setattr(flowers_tfrecords, 'convert_photos_to_tfrecords', counted)
    return calls


def _edit_manifest(directory, **changes):
    manifest = json.loads((directory / 'manifest.json').read_text())
    (directory / 'manifest.json').write_text(json.dumps({**manifest, **changes}))


def _remove_manifest(directory, files):
    (directory / 'manifest.json').unlink(missing_ok=True)  # As in a folder written by older code.
    return f'{directory / "manifest.json"} is missing'


def _other_format_version(directory, files):
    _edit_manifest(directory, format_version=0)
    return 'is for format version 0'


def _other_image_size(directory, files):
    _edit_manifest(directory, image_size=[224, 224])
    return 'is for images of [224, 224] pixels'


def _remove_shard(directory, files):
    os.remove(files[3])
    return f'{files[3]} is missing'


def _cut_shard(directory, files):
    data = open(files[3], 'rb').read()
    open(files[3], 'wb').write(data[:len(data) // 2])
    return f'{files[3]} has {len(data) // 2} bytes'


def _add_shard(directory, files):
    shutil.copy(files[0], directory / 'flowers99-1.tfrec')
    return f'{directory / "flowers99-1.tfrec"} is not listed in'


@pytest.mark.parametrize('damage', [_remove_manifest, _other_format_version, _other_image_size,
                                    _remove_shard, _cut_shard, _add_shard])
def test_an_unusable_folder_is_rebuilt_saying_why(shared_photos, builds, capsys, damage):
    files = flowers_tfrecord_files()
    directory = default_tfrecords_dir()
    expected = damage(directory, files)
    capsys.readouterr()
    assert flowers_tfrecord_files() == files
    assert len(builds) == 2
    out = capsys.readouterr().out
    assert expected in out and 'Building the TFRecords from the photos (Part 1).' in out
    assert sorted(path.name for path in directory.iterdir()) == sorted(
        [os.path.basename(name) for name in files] + ['manifest.json'])
    manifest = json.loads((directory / 'manifest.json').read_text())
    assert manifest['format_version'] == flowers_tfrecords.FORMAT_VERSION
    assert manifest['image_size'] == [192, 192] and len(manifest['photos']) == manifest['records'] == 20
    assert manifest['shard_count'] == 16 and manifest['skipped'] == []
    assert [(shard['file'], shard['records'], shard['bytes']) for shard in manifest['shards']] == [
        (os.path.basename(name), count_records([name]), os.path.getsize(name)) for name in files]
    photo = shared_photos / 'shared' / 'flowers' / 'flower_photos' / 'roses' / 'roses_001.jpg'
    assert ['roses/roses_001.jpg', photo.stat().st_size, photo.stat().st_mtime_ns, photo.stat().st_ctime_ns] \
        in manifest['photos']


def _flip_a_byte(path):
    data = bytearray(open(path, 'rb').read())
    data[len(data) // 2] ^= 0xFF  # Inside the JPEG bytes of a record: its checksum no longer matches.
    open(path, 'wb').write(data)


def test_a_damaged_shard_of_the_right_size_is_named_and_rebuilt(shared_photos, builds, capsys):
    files = flowers_tfrecord_files()
    _flip_a_byte(files[5])
    capsys.readouterr()
    assert flowers_tfrecord_files() == files
    assert len(builds) == 2
    assert f'{files[5]} is damaged: corrupted record' in capsys.readouterr().out
    check_tfrecord_files(files)
    _flip_a_byte(files[5])
    check_tfrecord_files(files[:5])
    with pytest.raises(DamagedTFRecordError, match=re.escape(f'{files[5]} is damaged: corrupted record')) as error:
        check_tfrecord_files(files)
    assert f'Delete the folder {default_tfrecords_dir()} and run all the cells again' in str(error.value)


def test_a_shard_holding_fewer_records_than_its_name_says_is_named(shared_photos, tmp_path):
    files = flowers_tfrecord_files()
    mislabelled = tmp_path / 'flowers00-5.tfrec'
    shutil.copy(files[0], mislabelled)
    found = count_records(files[:1])
    with pytest.raises(DamagedTFRecordError, match=re.escape(f'{mislabelled} holds {found} records, its name says 5')):
        check_tfrecord_files([str(mislabelled)])


# Builds in other processes: one killed halfway, two at the same time.

BUILD_SCRIPT = '''
import os, pathlib, sys, time
from utils import flowers_tfrecords

delay, barrier = float(sys.argv[1]), sys.argv[2:]
real_to_tfrecord = flowers_tfrecords.to_tfrecord

def slow_to_tfrecord(*args):  # A slow write, so that the test can catch it halfway.
    time.sleep(delay)
    return real_to_tfrecord(*args)

flowers_tfrecords.to_tfrecord = slow_to_tfrecord
if barrier:  # Start the build only when the other process is ready too.
    folder = pathlib.Path(barrier[0])
    (folder / str(os.getpid())).touch()
    while len(list(folder.iterdir())) < 2:
        time.sleep(0.01)
files = flowers_tfrecords.flowers_tfrecord_files()
print('records read back:', sum(1 for _ in flowers_tfrecords.load_dataset(files)))
'''


def _start_build(log, delay, *barrier):
    """Runs flowers_tfrecord_files() in a new Python process, with this test's data and cache."""
    env = {**os.environ, 'PYTHONPATH': str(ROOT), 'TF_CPP_MIN_LOG_LEVEL': '2'}
    with open(log, 'w') as output:
        return subprocess.Popen([sys.executable, '-c', BUILD_SCRIPT, str(delay), *map(str, barrier)],
                                cwd=log.parent, env=env, stdout=output, stderr=subprocess.STDOUT)


def test_a_build_killed_while_writing_is_cleaned_up_by_the_next_run(shared_photos, capsys):
    directory = default_tfrecords_dir()
    process = _start_build(shared_photos / 'build.log', 0.2)
    deadline = time.monotonic() + 240
    while not list(directory.parent.glob(directory.name + '.partial-*')):  # Converting the photos.
        assert process.poll() is None, (shared_photos / 'build.log').read_text()
        assert time.monotonic() < deadline, 'no staging folder in 240 s'
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    (staging,) = directory.parent.glob(directory.name + '.partial-*')
    old = directory.with_name(directory.name + '.old')  # As if killed while replacing the folder.
    old.mkdir()
    (old / 'flowers00-1.tfrec').write_bytes(b'stale')

    files = flowers_tfrecord_files()
    assert count_records(files) == 20 and sum(1 for _ in load_dataset(files)) == 20
    assert sorted(path.name for path in directory.parent.iterdir()) == [directory.name, directory.name + '.lock']
    out = capsys.readouterr().out
    assert f'Removing {staging}, left behind by an interrupted run.' in out
    assert f'Removing {old}, left behind by an interrupted run.' in out


def test_two_notebooks_building_at_the_same_time_both_get_the_tfrecords(shared_photos):
    barrier = shared_photos / 'barrier'
    barrier.mkdir()
    logs = [shared_photos / f'build{number}.log' for number in range(2)]
    processes = [_start_build(log, 0.25, barrier) for log in logs]
    for process in processes:
        process.wait(timeout=600)
    outputs = [log.read_text() for log in logs]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert all('records read back: 20' in out for out in outputs), outputs
    assert sum('Wrote flowers00-' in out for out in outputs) == 1, outputs  # Built once,
    assert sum('Another notebook is building the TFRecords' in out for out in outputs) == 1, outputs  # waited for.
    directory = default_tfrecords_dir()
    assert sorted(path.name for path in directory.parent.iterdir()) == [directory.name, directory.name + '.lock']
    check_tfrecord_files(sorted(str(path) for path in directory.glob('*.tfrec')))


# Faults of issue 19: TFRecords tied to the photos they came from, messages that name the real cause.

def _flowers(root):
    return root / 'shared' / 'flowers' / 'flower_photos'


def test_other_photos_in_the_data_folder_are_built_in(shared_photos, builds, monkeypatch, capsys):
    assert count_records(flowers_tfrecord_files()) == 20
    synthetic_flowers(shared_photos / 'more', per_class=8, seed=1)  # Another folder, more photos.
    monkeypatch.setenv('CODELAB_DATA_DIR', str(shared_photos / 'more'))
    capsys.readouterr()
    files = flowers_tfrecord_files()
    assert count_records(files) == 40 and sum(1 for _ in load_dataset(files)) == 40
    out = capsys.readouterr().out
    assert f'The photos in {shared_photos / "more" / "flowers" / "flower_photos"} are not those the TFRecords ' \
           'were built from: 20 added (daisy/daisy_004.jpg, ' in out
    assert len(builds) == 2
    assert flowers_tfrecord_files() == files and len(builds) == 2  # Then used as they are.


def test_a_photo_fixed_by_the_learner_reaches_the_records_on_the_next_run(shared_photos, builds, capsys):
    corrupt = _flowers(shared_photos) / 'roses' / 'corrupt.jpg'
    corrupt.write_bytes(b'\xff\xd8\xff\xe0 not really a JPEG')
    assert count_records(flowers_tfrecord_files()) == 20
    assert 'To include these, replace them by valid JPEG files and run this cell again.' in capsys.readouterr().out
    assert json.loads((default_tfrecords_dir() / 'manifest.json').read_text())['skipped'] == ['roses/corrupt.jpg']
    shutil.copy(_flowers(shared_photos) / 'roses' / 'roses_000.jpg', corrupt)  # The learner's fix.
    assert count_records(flowers_tfrecord_files()) == 21
    assert '1 changed (roses/corrupt.jpg)' in capsys.readouterr().out
    assert len(builds) == 2


def test_a_photo_replaced_by_one_of_the_same_size_is_noticed(shared_photos, builds, capsys):
    flowers_tfrecord_files()
    photo = _flowers(shared_photos) / 'tulips' / 'tulips_002.jpg'
    other = (_flowers(shared_photos) / 'daisy' / 'daisy_000.jpg').read_bytes()
    size = photo.stat().st_size
    photo.write_bytes((other * 2)[:size])  # Same size, other contents, a new modification time.
    capsys.readouterr()
    flowers_tfrecord_files()
    assert '1 changed (tulips/tulips_002.jpg)' in capsys.readouterr().out
    assert len(builds) == 2


def _relabel_a_shard(files):
    """Rewrites a shard with daisies and roses swapped: valid records, the same size and count, wrong labels."""
    swap = {b'daisy': b'roses', b'roses': b'daisy'}
    for name in files:
        examples = [tf.train.Example.FromString(record.numpy()) for record in tf.data.TFRecordDataset(name)]
        if not any(example.features.feature['label'].bytes_list.value[0] in swap for example in examples):
            continue
        size = os.path.getsize(name)
        with tf.io.TFRecordWriter(name) as out:
            for example in examples:
                feature = example.features.feature
                label = feature['label'].bytes_list.value[0]
                if label in swap:
                    feature['label'].bytes_list.value[0] = swap[label]
                    feature['class'].int64_list.value[0] = FLOWER_CLASSES.index(swap[label].decode())
                out.write(example.SerializeToString())
        assert os.path.getsize(name) == size
        return name
    raise AssertionError('no shard holds a daisy or a rose')


def test_a_shard_swapped_for_another_of_the_same_size_and_count_is_rebuilt(shared_photos, builds, capsys):
    files = flowers_tfrecord_files()
    swapped = _relabel_a_shard(files)
    capsys.readouterr()
    assert flowers_tfrecord_files() == files
    assert f'{swapped} is not the file that was written there' in capsys.readouterr().out
    assert len(builds) == 2
    for image, label in load_dataset(files):  # The labels match the pixels again.
        expected = np.array([(label * 53) % 256, (label * 101 + 60) % 256, (label * 31 + 120) % 256]) / 255
        assert np.abs(image.numpy().mean(axis=(0, 1)) - expected).max() < 0.06


def test_a_shard_removed_with_its_manifest_entry_is_rebuilt(shared_photos, builds, capsys):
    files = flowers_tfrecord_files()
    directory = default_tfrecords_dir()
    manifest = json.loads((directory / 'manifest.json').read_text())
    removed = manifest['shards'].pop(3)
    os.remove(directory / removed['file'])
    manifest.update(shard_count=15, records=manifest['records'] - removed['records'])
    (directory / 'manifest.json').write_text(json.dumps(manifest))
    capsys.readouterr()
    assert flowers_tfrecord_files() == files
    assert 'manifest.json was changed after it was written' in capsys.readouterr().out
    assert len(builds) == 2


def test_shards_are_cut_from_the_photos_that_decoded(shared_photos, builds, capsys):
    """macOS's ._*.jpg files outnumber the photos: the shards hold the photos, and deleting the files rebuilds."""
    folder = _flowers(shared_photos)
    for name in FLOWER_CLASSES:
        for photo in sorted((folder / name).iterdir())[1:]:
            photo.unlink()  # 1 photo per class,
        for number in range(20):  # and 20 files that are not photos.
            (folder / name / f'._{name}_{number:03d}.jpg').write_bytes(b'\x00\x05\x16\x07 AppleDouble')
    files = flowers_tfrecord_files()
    assert len(files) == 5 and count_records(files) == 5
    training, validation = split_by_files(files, 0.2)
    assert len(training) == 4 and len(validation) == 1
    assert 'Skipped 100 of 105 photos that could not be decoded' in capsys.readouterr().out
    for junk in folder.glob('*/._*'):
        junk.unlink()
    assert count_records(flowers_tfrecord_files()) == 5
    assert '0 added, 100 removed (daisy/._daisy_000.jpg, ' in capsys.readouterr().out
    assert len(builds) == 2


def test_too_few_decodable_photos_is_an_error_naming_the_folder_the_count_and_the_fix(shared_photos):
    folder = _flowers(shared_photos)
    for name in FLOWER_CLASSES:
        for photo in sorted((folder / name).iterdir()):
            if name != 'daisy' or photo.name != 'daisy_000.jpg':
                photo.unlink()
        (folder / name / f'._{name}.jpg').write_bytes(b'\x00\x05\x16\x07 AppleDouble')
    with pytest.raises(ValueError) as error:
        flowers_tfrecord_files()
    message = str(error.value)
    assert f'Only 1 of the 6 photos in {folder} could be decoded: the TFRecords need at least 2' in message
    assert f'{folder / "tulips" / "._tulips.jpg"}: ' in message
    assert '5 of them are named ._*' in message and f'Put valid JPEG photos in {folder}/<class>/' in message
    assert not default_tfrecords_dir().exists()


def test_a_file_name_that_is_not_utf8_is_skipped_and_named(shared_photos, capsys):
    folder = _flowers(shared_photos)
    latin1 = os.fsencode(folder / 'roses') + b'/caf\xe9.jpg'
    with open(latin1, 'wb') as photo:
        photo.write((folder / 'roses' / 'roses_000.jpg').read_bytes())
    files = flowers_tfrecord_files()
    assert count_records(files) == 20
    assert f'Skipping the photo {latin1!r}: its name is not valid UTF-8' in capsys.readouterr().out
    patterns = photo_patterns(folder)  # Part 1's listing: the other photos, without a crash.
    assert sorted(tf.io.gfile.glob(patterns)) == sorted(str(path) for path in folder.glob('*/*_00[0-3].jpg'))
    assert int(tf.data.Dataset.list_files(patterns).cardinality()) == 20
    assert flowers_tfrecord_files() == files


def test_valid_tfrecords_in_a_read_only_cache_are_read(shared_photos, builds):
    from tests.mounts import read_only
    files = flowers_tfrecord_files()
    (default_tfrecords_dir().parent / 'flowers-tfrecords-jpeg-192x192.lock').unlink()
    with read_only(default_tfrecords_dir().parent):
        assert flowers_tfrecord_files() == files
        assert sum(1 for _ in load_dataset(files)) == 20
    assert len(builds) == 1


def test_a_build_in_a_read_only_cache_names_codelab_cache_dir(shared_photos):
    from tests.mounts import read_only
    cache = shared_photos / 'cache'
    cache.mkdir()
    with read_only(cache), pytest.raises(PermissionError) as error:
        flowers_tfrecord_files()
    message = str(error.value)
    assert f'No TFRecords in {default_tfrecords_dir()}. The TFRecords must be built again' in message
    assert f'the folder {cache} cannot be created or written to' in message and 'Read-only file system' in message
    assert "To fix it: set CODELAB_CACHE_DIR to a folder you can write to, for example in Colab run " \
           "os.environ['CODELAB_CACHE_DIR'] = '/content/data'" in message


def test_a_cache_path_that_is_a_file_names_codelab_cache_dir(shared_photos, monkeypatch):
    (shared_photos / 'a_file').write_text('')
    monkeypatch.setenv('CODELAB_CACHE_DIR', str(shared_photos / 'a_file'))
    with pytest.raises(PermissionError) as error:
        flowers_tfrecord_files()
    message = str(error.value)
    assert f'the folder {shared_photos / "a_file"} cannot be created or written to (FileExistsError' in message
    assert 'To fix it: set CODELAB_CACHE_DIR to a folder you can write to' in message


def test_a_full_disk_is_named_with_the_space_needed_and_free(shared_photos):
    from tests.mounts import small_tmpfs
    cache = shared_photos / 'cache'
    with small_tmpfs(cache, 64 * 1024):
        with pytest.raises(OSError) as error:
            flowers_tfrecord_files()
        message = str(error.value)
        assert f'Cannot write the TFRecords: no space is left on the disk of {cache}: ' in message
        assert re.search(r'\d+\.\d MB needed, 0\.\d MB free', message), message
        assert 'To fix it: free some space on that disk' in message and 'CODELAB_CACHE_DIR' in message
        assert sorted(path.name for path in cache.iterdir()) == ['flowers-tfrecords-jpeg-192x192.lock']


def test_a_disk_that_fills_up_while_writing_leaves_nothing_half_written(shared_photos, monkeypatch):
    """The free space looked enough (another program wrote meanwhile, say): the write itself fails."""
    from tests.mounts import small_tmpfs
    cache = shared_photos / 'cache'
    monkeypatch.setattr(flowers_tfrecords, 'free_bytes', lambda folder: 1 << 40)
    with small_tmpfs(cache, 64 * 1024):
        with pytest.raises(OSError) as error:
            flowers_tfrecord_files()
        assert f'no space is left on the disk of {cache}: ' in str(error.value)
        assert '(nothing was written)' in str(error.value)
        assert sorted(path.name for path in cache.iterdir()) == ['flowers-tfrecords-jpeg-192x192.lock']


@pytest.mark.parametrize('shards', [0, 2.5])
def test_a_number_of_shards_that_is_not_a_whole_number_of_1_or_more_is_named(photos, tmp_path, shards):
    with pytest.raises(ValueError, match=re.escape(f'shards={shards}: the records need at least 1 file')):
        convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=shards)
    assert not (tmp_path / 'records').exists()


def test_a_cache_path_that_is_not_utf8_is_named_before_anything_is_written(shared_photos, monkeypatch):
    cache = os.fsdecode(os.fsencode(shared_photos) + b'/cach\xe9')
    monkeypatch.setenv('CODELAB_CACHE_DIR', cache)
    with pytest.raises(PermissionError) as error:
        flowers_tfrecord_files()
    assert f"the folder {os.fsencode(cache)!r} cannot be created or written to (its path is not valid UTF-8" \
        in str(error.value)
    assert 'To fix it: set CODELAB_CACHE_DIR to a folder you can write to' in str(error.value)
    assert not os.path.exists(cache)

FIRST_BATCH_ONLY = '''
import sys
sys.path.insert(0, {root!r})
from utils import flowers_tfrecords
flowers_tfrecords.SHUFFLE_BUFFER = 2  # far fewer than the photos: one batch reads only part of them
dataset = flowers_tfrecords.get_training_dataset({files!r}, 2)
iterator = iter(dataset)
next(iterator)
del iterator  # as Keras does on JAX after its first look at a batch
print('first batch read')
'''


def test_reading_one_training_batch_leaves_no_unfinished_cache(photos, tmp_path):
    """TensorFlow warns (a C++ log line, in the learner's output) about a cache an iterator left half-filled."""
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=4)
    script = FIRST_BATCH_ONLY.format(root=str(ROOT), files=files)
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True, timeout=120)
    assert 'first batch read' in result.stdout, result.stderr
    assert native_log_lines(result.stderr) == []
