import pytest
import tensorflow as tf

from utils.speed_test import images_per_second


def test_counts_and_times_the_images(capsys):
    rate = images_per_second(tf.data.Dataset.range(1000), 100)
    assert rate > 0
    assert capsys.readouterr().out.startswith('Read 100 images in ')


def test_fewer_images_than_asked_are_reported_as_read(capsys):
    images_per_second(tf.data.Dataset.range(5), 100)
    assert capsys.readouterr().out.startswith('Read 5 images in ')


def test_empty_dataset_is_an_error():
    with pytest.raises(ValueError, match='empty'):
        images_per_second(tf.data.Dataset.range(0), 10)


def test_a_photo_that_cannot_be_decoded_is_named_and_skipped(tmp_path, capsys):
    """Part 1's speed test, on photos among which one is not a JPEG."""
    names = []
    for number in range(4):
        names.append(str(tmp_path / f'photo{number}.jpg'))
        (tmp_path / f'photo{number}.jpg').write_bytes(tf.io.encode_jpeg(tf.zeros([8, 8, 3], tf.uint8)).numpy())
    (tmp_path / 'photo2.jpg').write_bytes(b'not a JPEG')
    filenames = tf.data.Dataset.from_tensor_slices(names)

    def decode_jpeg(filename):
        return tf.io.decode_jpeg(tf.io.read_file(filename), channels=3)
    images = filenames.map(decode_jpeg)
    assert images_per_second(images, 10, filenames=filenames) > 0
    out = capsys.readouterr().out
    assert 'Skipped 1 images that could not be read (Unknown image file format.' in out and '[[' not in out
    assert f'{tmp_path / "photo2.jpg"}: ' in out and 'Read 3 images in ' in out
