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
