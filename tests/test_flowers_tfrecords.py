import numpy as np
import pytest
import tensorflow as tf

from tests.data_fixtures import FLOWER_CLASSES, synthetic_flowers
from utils import flowers_tfrecords
from utils.flowers_tfrecords import (
    convert_photos_to_tfrecords,
    count_records,
    default_tfrecords_dir,
    flowers_tfrecord_files,
    get_training_dataset,
    get_validation_dataset,
    load_dataset,
    resize_and_crop_image,
    split_by_files,
)


@pytest.fixture
def photos(tmp_path):
    """3 synthetic photos per class, plus one corrupt JPEG among the roses."""
    folder = synthetic_flowers(tmp_path / 'data', per_class=3)
    (folder / 'roses' / 'corrupt.jpg').write_bytes(b'\xff\xd8\xff\xe0 not really a JPEG')
    return folder


def test_round_trip_skips_and_counts_the_corrupt_jpeg(photos, tmp_path, capsys):
    files = convert_photos_to_tfrecords(photos, tmp_path / 'records', shards=4)
    out = capsys.readouterr().out
    assert 'Skipped 1 of 16 images that could not be decoded.' in out
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
    before = convert_photos_to_tfrecords(photos, target, shards=4)
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
    assert sorted(path.name for path in tmp_path.iterdir()) == ['data', 'records']


def test_no_decodable_image_is_an_error_and_writes_nothing(tmp_path):
    folder = tmp_path / 'flower_photos'
    for name in FLOWER_CLASSES:
        (folder / name).mkdir(parents=True)
        (folder / name / 'broken.jpg').write_bytes(b'garbage')
    with pytest.raises(ValueError, match='No image could be decoded'):
        convert_photos_to_tfrecords(folder, tmp_path / 'records')
    assert not (tmp_path / 'records').exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ['flower_photos']


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
    assert 'building them from the photos' in capsys.readouterr().out

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
