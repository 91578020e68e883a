import pathlib
import tarfile

import pytest
import tensorflow as tf

from tests.data_fixtures import MNIST_NAMES, read_idx, synthetic_flowers, synthetic_mnist
from utils import data_sources
from utils.data_sources import DataNotFoundError, data_cache_dir, find_flowers_photos, find_mnist_files


def _offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise Exception('URL fetch failure on https://example: None -- [Errno -2] Name or service not known')
    monkeypatch.setattr(tf.keras.utils, 'get_file', no_network)


def test_data_dir_variable_comes_first(isolated_data, monkeypatch):
    synthetic_flowers(isolated_data / 'shared', per_class=1)
    synthetic_flowers(isolated_data / 'cache', per_class=1)
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    assert find_flowers_photos() == isolated_data / 'shared' / 'flowers' / 'flower_photos'


def test_cache_when_data_dir_is_unset_or_unusable(isolated_data, monkeypatch):
    synthetic_flowers(isolated_data / 'cache', per_class=1)
    expected = isolated_data / 'cache' / 'flowers' / 'flower_photos'
    assert find_flowers_photos() == expected
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'empty'))
    assert find_flowers_photos() == expected


def test_a_class_folder_missing_is_not_a_dataset(isolated_data, monkeypatch):
    folder = synthetic_flowers(isolated_data / 'shared', per_class=1)
    for photo in (folder / 'tulips').iterdir():
        photo.unlink()
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    _offline(monkeypatch)
    with pytest.raises(DataNotFoundError):
        find_flowers_photos()


def test_flowers_error_says_what_was_tried_and_how_to_fix(isolated_data, monkeypatch):
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'nowhere'))
    _offline(monkeypatch)
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    message = str(error.value)
    assert f'CODELAB_DATA_DIR={isolated_data / "nowhere"}' in message
    assert 'the local cache' in message
    assert 'downloading https://storage.googleapis.com/download.tensorflow.org' in message
    assert 'Name or service not known' in message
    assert 'To fix it' in message and 'flowers/flower_photos/<class>/*.jpg' in message


def _fake_flowers_download(extracted_photos_per_class, interrupt=False):
    """A get_file stand-in that leaves what Keras leaves: the archive and its extracted folder."""
    def get_file(fname, origin, extract, cache_dir, cache_subdir):
        folder = pathlib.Path(cache_dir) / cache_subdir
        synthetic_flowers(folder / 'staging', extracted_photos_per_class)
        with tarfile.open(folder / fname, 'w:gz') as archive:
            archive.add(folder / 'staging' / 'flowers' / 'flower_photos', arcname='flower_photos')
        extracted = folder / 'flower_photos_extracted'
        if interrupt:
            (extracted / 'flower_photos' / 'daisy').mkdir(parents=True)
            raise KeyboardInterrupt
        with tarfile.open(folder / fname) as archive:
            archive.extractall(extracted, filter='data')
        return str(extracted)
    return get_file


def test_download_moves_the_photos_into_the_cache(isolated_data, monkeypatch):
    monkeypatch.setattr(tf.keras.utils, 'get_file', _fake_flowers_download(2))
    folder = find_flowers_photos()
    assert folder == isolated_data / 'cache' / 'flowers' / 'flower_photos'
    assert len(list(folder.glob('*/*.jpg'))) == 10
    leftovers = {path.name for path in (isolated_data / 'cache' / 'flowers').iterdir()}
    assert leftovers == {'flower_photos', 'staging'}  # staging is the fake's own folder


def test_interrupted_download_leaves_no_photos_folder(isolated_data, monkeypatch):
    monkeypatch.setattr(tf.keras.utils, 'get_file', _fake_flowers_download(1, interrupt=True))
    with pytest.raises(KeyboardInterrupt):
        find_flowers_photos()
    assert not (isolated_data / 'cache' / 'flowers' / 'flower_photos').exists()
    # The next attempt starts clean, and succeeds.
    monkeypatch.setattr(tf.keras.utils, 'get_file', _fake_flowers_download(1))
    assert len(list(find_flowers_photos().glob('*/*.jpg'))) == 5


def test_mnist_from_data_dir(isolated_data, monkeypatch):
    synthetic_mnist(isolated_data / 'shared', train=20, test=10)
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    files = find_mnist_files()
    assert set(files) == set(MNIST_NAMES)
    images, magic = read_idx(files['test_images'])
    assert magic == 2051 and images.shape == (10, 28, 28)


def test_mnist_partial_folder_is_skipped_and_error_lists_missing_files(isolated_data, monkeypatch):
    synthetic_mnist(isolated_data / 'shared', train=5, test=5)
    (isolated_data / 'shared' / 'mnist' / MNIST_NAMES['test_labels']).unlink()
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    _offline(monkeypatch)
    with pytest.raises(DataNotFoundError) as error:
        find_mnist_files()
    assert 'lacks t10k-labels-idx1-ubyte.gz' in str(error.value)
    assert 'downloading from https://storage.googleapis.com/cvdf-datasets/mnist/' in str(error.value)


def test_mnist_download_checks_each_file_against_its_md5(isolated_data, monkeypatch):
    requests = []

    def get_file(fname, origin, file_hash, cache_dir, cache_subdir):
        requests.append((fname, origin, file_hash))
        path = pathlib.Path(cache_dir) / cache_subdir / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b'')
        return str(path)
    monkeypatch.setattr(tf.keras.utils, 'get_file', get_file)
    files = find_mnist_files()
    assert all(path.parent == isolated_data / 'cache' / 'mnist' for path in files.values())
    assert [(name, origin) for name, origin, _ in requests] == [
        (name, data_sources.MNIST_URL + name) for name, _ in data_sources.MNIST_FILES.values()]
    assert [md5 for _, _, md5 in requests] == [md5 for _, md5 in data_sources.MNIST_FILES.values()]


def test_cache_dir_lookup(tmp_path, monkeypatch):
    monkeypatch.setenv('CODELAB_CACHE_DIR', str(tmp_path / 'explicit'))
    assert data_cache_dir() == tmp_path / 'explicit'
    monkeypatch.delenv('CODELAB_CACHE_DIR')
    repo = tmp_path / 'repo'
    (repo / 'utils').mkdir(parents=True)
    (repo / 'utils' / 'data_sources.py').write_text('')
    (repo / 'data').mkdir()
    (repo / 'notebooks').mkdir()
    monkeypatch.chdir(repo / 'notebooks')
    assert data_cache_dir() == repo / 'data'
    monkeypatch.chdir(tmp_path)
    assert data_cache_dir() == tmp_path / 'data'
