"""Tests of utils/data_sources.py: where the data sets are looked for, and how they are downloaded.

The download tests use the real keras.utils.get_file against a server on
127.0.0.1 (tests/loopback_server.py) named by CODELAB_DOWNLOAD_MIRROR, from an
empty working folder, as in Colab.
"""
import gzip
import hashlib
import json
import os
import pathlib
import pwd
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import threading
import time

import keras
import pytest

from tests.data_fixtures import (
    MNIST_NAMES,
    mnist_file_table,
    read_idx,
    synthetic_flowers,
    synthetic_mnist,
    write_flowers_archive,
)
from tests.loopback_server import serve_folder, silent_server
from utils import data_sources
from utils.data_sources import DataNotFoundError, data_cache_dir, find_flowers_photos, find_mnist_files

ROOT = pathlib.Path(__file__).resolve().parents[1]
PHOTOS_PER_CLASS = 2  # in the served flower_photos.tgz


def _offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise Exception('URL fetch failure on https://example: None -- [Errno -2] Name or service not known')
    monkeypatch.setattr(keras.utils, 'get_file', no_network)


def _md5(path):
    return hashlib.md5(pathlib.Path(path).read_bytes()).hexdigest()


def _photos(folder):
    return sorted(path.relative_to(folder).as_posix() for path in folder.glob('*/*') if path.is_file())


@pytest.fixture(scope='module')
def flowers_tgz(tmp_path_factory):
    """The bytes of a small flower_photos.tgz laid out as the real one: flower_photos/<class>/*.jpg, LICENSE.txt."""
    root = tmp_path_factory.mktemp('archive')
    folder = synthetic_flowers(root, per_class=PHOTOS_PER_CLASS)
    return write_flowers_archive(folder, root / 'flower_photos.tgz').read_bytes()


@pytest.fixture
def mirror(isolated_data, monkeypatch):
    """Serves isolated_data/mirror on 127.0.0.1 as CODELAB_DOWNLOAD_MIRROR; works from an empty folder.

    Yields (served folder, base URL); the URL's `.requests` lists the paths asked for.
    """
    served = isolated_data / 'mirror'
    served.mkdir()
    (isolated_data / 'content').mkdir()
    monkeypatch.chdir(isolated_data / 'content')
    monkeypatch.setenv('no_proxy', '127.0.0.1')  # Even where an HTTP proxy is configured.
    with serve_folder(served) as url:
        monkeypatch.setenv('CODELAB_DOWNLOAD_MIRROR', url)
        yield served, url


@pytest.fixture
def served_mnist(mirror, monkeypatch):
    """Serves small MNIST files as <mirror>/mnist/<name>, with MNIST_FILES holding their md5s."""
    served, url = mirror
    folder = synthetic_mnist(served, train=20, test=10)
    monkeypatch.setattr(data_sources, 'MNIST_FILES', mnist_file_table(folder))
    return folder, url


# Lookup order


def _contents(folder):
    """Names in folder, without the lock files the helpers leave beside what they write."""
    return sorted(path.name for path in folder.iterdir() if path.suffix != '.lock')


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


def test_data_dir_missing_a_class_is_named_and_left_alone(isolated_data, monkeypatch):
    folder = synthetic_flowers(isolated_data / 'shared', per_class=1)
    for photo in (folder / 'tulips').iterdir():
        photo.unlink()
    before = _photos(folder)
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    _offline(monkeypatch)
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    assert f'CODELAB_DATA_DIR={isolated_data / "shared"}: {folder} has no photos of tulips' in str(error.value)
    # The learner's folder is never changed; the lookup goes on to the cache.
    assert _photos(folder) == before and (folder / 'tulips').is_dir()
    synthetic_flowers(isolated_data / 'cache', per_class=1)
    assert find_flowers_photos() == isolated_data / 'cache' / 'flowers' / 'flower_photos'


def test_uppercase_photo_extensions_count(isolated_data, monkeypatch):
    folder = synthetic_flowers(isolated_data / 'shared', per_class=1)
    for photo in (folder / 'daisy').iterdir():
        photo.rename(photo.with_suffix('.JPG'))
    for photo in (folder / 'roses').iterdir():
        photo.rename(photo.with_suffix('.jpeg'))
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    _offline(monkeypatch)
    assert find_flowers_photos() == folder


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
    assert 'To fix it: check the internet connection, then run this cell again' in message
    assert 'flowers/flower_photos/<class>/*.jpg' in message


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


# Flower photos: downloads and a cache that heals

def test_download_into_a_cache_folder_that_does_not_exist_yet(mirror, flowers_tgz, isolated_data, monkeypatch):
    """As in Colab: no CODELAB_CACHE_DIR, an empty working folder, so the cache ./data does not exist yet."""
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    monkeypatch.delenv('CODELAB_CACHE_DIR')
    monkeypatch.setenv('KERAS_HOME', str(isolated_data / 'keras_home'))
    (isolated_data / 'keras_home').mkdir()
    keras_fallback = pathlib.Path(tempfile.gettempdir(), '.keras', 'flowers')  # get_file's when it cannot write
    fallback_existed = keras_fallback.exists()
    saved = []
    real_get_file = keras.utils.get_file

    def recording_get_file(*args, **kwargs):
        saved.append(pathlib.Path(real_get_file(*args, **kwargs)))
        return saved[-1]
    monkeypatch.setattr(keras.utils, 'get_file', recording_get_file)

    cache = isolated_data / 'content' / 'data' / 'flowers'
    assert find_flowers_photos() == cache / 'flower_photos'
    assert _photos(cache / 'flower_photos') == sorted(
        [f'{name}/{name}_{number:03d}.jpg' for name in data_sources.FLOWER_CLASSES for number in range(2)])
    assert (cache / 'flower_photos' / 'LICENSE.txt').is_file()
    # No archive, no unpacking folder left; the lock file stays.
    assert sorted(path.name for path in cache.iterdir()) == ['flower_photos', 'flower_photos.lock']
    assert saved == [cache / 'flower_photos.tgz']
    assert url.requests == ['/flower_photos.tgz']
    assert not any((isolated_data / 'keras_home').iterdir())
    assert keras_fallback.exists() == fallback_existed
    # The next run finds the photos in the cache.
    assert find_flowers_photos() == cache / 'flower_photos'
    assert url.requests == ['/flower_photos.tgz']


def test_interrupted_unpacking_leaves_no_photos_folder(mirror, flowers_tgz, isolated_data, monkeypatch):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    cache = isolated_data / 'cache' / 'flowers'

    def interrupted(self, path, *args, **kwargs):
        (pathlib.Path(path) / 'flower_photos' / 'daisy').mkdir(parents=True)
        raise KeyboardInterrupt
    with monkeypatch.context() as patch:
        patch.setattr(tarfile.TarFile, 'extractall', interrupted)
        with pytest.raises(KeyboardInterrupt):
            find_flowers_photos()
    assert sorted(path.name for path in cache.iterdir()) == ['flower_photos.lock', 'flower_photos.tgz']
    # The next run unpacks the archive already downloaded.
    assert len(_photos(find_flowers_photos())) == 5 * PHOTOS_PER_CLASS
    assert url.requests == ['/flower_photos.tgz']


def test_truncated_archive_in_the_cache_is_downloaded_again(mirror, flowers_tgz, isolated_data, capsys):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    cache = isolated_data / 'cache' / 'flowers'
    cache.mkdir(parents=True)
    (cache / 'flower_photos.tgz').write_bytes(flowers_tgz[:len(flowers_tgz) // 2])  # A download cut short.
    folder = find_flowers_photos()
    assert len(_photos(folder)) == 5 * PHOTOS_PER_CLASS
    assert f'{cache / "flower_photos.tgz"} is damaged or incomplete' in capsys.readouterr().out
    assert url.requests == ['/flower_photos.tgz']
    assert _contents(cache) == ['flower_photos']


def test_archive_missing_its_end_is_damaged(mirror, flowers_tgz, isolated_data, capsys):
    """Cut within the gzip trailer: every photo unpacks, but reading to the end finds the cut."""
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    cache = isolated_data / 'cache' / 'flowers'
    cache.mkdir(parents=True)
    (cache / 'flower_photos.tgz').write_bytes(flowers_tgz[:-4])
    assert len(_photos(find_flowers_photos())) == 5 * PHOTOS_PER_CLASS
    assert f'{cache / "flower_photos.tgz"} is damaged or incomplete' in capsys.readouterr().out
    assert url.requests == ['/flower_photos.tgz']


def test_unpacking_leftover_is_removed(isolated_data, capsys):
    folder = synthetic_flowers(isolated_data / 'cache', per_class=1)
    # What a run killed while unpacking leaves: a half-filled unpacking folder.
    leftover = pathlib.Path(tempfile.mkdtemp(prefix=data_sources.UNPACKING_PREFIX, dir=folder.parent))
    shutil.copytree(folder / 'daisy', leftover / 'flower_photos' / 'daisy')
    assert find_flowers_photos() == folder
    assert not leftover.exists()
    assert str(leftover) in capsys.readouterr().out
    assert _contents(folder.parent) == ['flower_photos']


def test_cached_photos_missing_a_class_are_downloaded_again(mirror, flowers_tgz, isolated_data, capsys):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    folder = synthetic_flowers(isolated_data / 'cache', per_class=1)
    shutil.rmtree(folder / 'tulips')
    assert find_flowers_photos() == folder
    assert len(_photos(folder)) == 5 * PHOTOS_PER_CLASS  # The served copy, not the cached one.
    out = capsys.readouterr().out
    assert f'{folder} has no photos of tulips' in out and f'Deleting {folder}' in out
    assert url.requests == ['/flower_photos.tgz']


FIND_PHOTOS = """
from utils.data_sources import find_flowers_photos
print('photos:', len(list(find_flowers_photos().glob('*/*.jpg'))))
"""


def test_two_notebooks_downloading_at_the_same_time_both_get_the_photos(flowers_tgz, isolated_data, tmp_path):
    served = tmp_path / 'served'
    served.mkdir()
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    with serve_folder(served, delay_seconds=3) as url:  # Slow: the second notebook starts while the first downloads.
        environment = dict(os.environ, CODELAB_DOWNLOAD_MIRROR=url, CODELAB_CACHE_DIR=str(isolated_data / 'cache'),
                           PYTHONPATH=str(ROOT), no_proxy='127.0.0.1')
        runs = [subprocess.Popen([sys.executable, '-c', FIND_PHOTOS], cwd=tmp_path, env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all(f'photos: {5 * PHOTOS_PER_CLASS}' in output for output in outputs), outputs
    assert url.requests == ['/flower_photos.tgz']  # Downloaded once: the other notebook waited for it.
    assert any('Another notebook is downloading the flower photos' in output for output in outputs), outputs


def test_archive_damaged_twice_is_a_clear_error(mirror, flowers_tgz, isolated_data, capsys):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz[:len(flowers_tgz) // 2])
    cache = isolated_data / 'cache' / 'flowers'
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    message = str(error.value)
    assert f'downloading {url}flower_photos.tgz, twice: {cache / "flower_photos.tgz"} is damaged' in message
    assert 'To fix it: run this cell again later' in message
    assert 'CODELAB_DATA_DIR' in message
    assert capsys.readouterr().out.count('is damaged or incomplete') == 1  # The first time, before downloading again.
    assert url.requests == ['/flower_photos.tgz'] * 2
    assert _contents(cache) == []


def test_archive_without_a_class_is_damaged(mirror, isolated_data, tmp_path):
    served, url = mirror
    folder = synthetic_flowers(tmp_path / 'incomplete', per_class=1)
    shutil.rmtree(folder / 'roses')
    with tarfile.open(served / 'flower_photos.tgz', 'w:gz') as archive:
        archive.add(folder, arcname='flower_photos')
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    assert 'it holds no flower_photos/<class>/*.jpg for roses' in str(error.value)
    assert url.requests == ['/flower_photos.tgz'] * 2
    assert _contents(isolated_data / 'cache' / 'flowers') == []


# Errors before or during a download

def _wait_for_the_lock(folder):
    """Takes the lock of `folder` in a thread, for at most 30 s; returns (error raised, seconds taken)."""
    def take_the_lock():
        with data_sources.cache_lock(folder, 'building the photos'):
            pass
    return _call_within(30, take_the_lock)


def _call_within(seconds, function):
    """Runs function in a thread for at most `seconds`; returns (error raised, seconds taken)."""
    outcome = {}

    def run():
        try:
            function()
        except BaseException as error:  # Reported to the test.
            outcome['error'] = error
    thread = threading.Thread(target=run, daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f'{function.__name__} still runs after {seconds} s'
    return outcome.get('error'), time.monotonic() - start


@pytest.mark.parametrize('find, file', [(find_flowers_photos, 'flower_photos.tgz'),
                                        (find_mnist_files, 'mnist/train-images-idx3-ubyte.gz')])
def test_a_silent_server_times_out(isolated_data, monkeypatch, find, file):
    monkeypatch.setattr(data_sources, 'DOWNLOAD_TIMEOUT_SECONDS', 2)
    monkeypatch.setenv('no_proxy', '127.0.0.1')
    with silent_server() as url:
        monkeypatch.setenv('CODELAB_DOWNLOAD_MIRROR', url)
        error, seconds = _call_within(30, find)
    assert isinstance(error, DataNotFoundError), error
    assert f'downloading {url}{file}: the server did not answer within 2 seconds' in str(error)
    assert 'To fix it: check the internet connection, then run this cell again' in str(error)
    assert seconds < 30
    assert socket.getdefaulttimeout() is None  # Restored.


@pytest.mark.parametrize('find', [find_flowers_photos, find_mnist_files])
def test_a_cache_that_cannot_be_created_is_an_error_before_any_download(mirror, flowers_tgz, served_mnist,
                                                                        isolated_data, monkeypatch, find):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    (isolated_data / 'a_file').write_text('')
    monkeypatch.setenv('CODELAB_CACHE_DIR', str(isolated_data / 'a_file' / 'cache'))  # mkdir fails, even as root.
    with pytest.raises(DataNotFoundError) as error:
        find()
    message = str(error.value)
    assert f'the cache folder {isolated_data / "a_file" / "cache"}' in message
    assert 'nothing was downloaded' in message
    assert 'To fix it: set CODELAB_CACHE_DIR to a folder you can write to' in message and '/content/data' in message
    assert url.requests == []


_UNPRIVILEGED_RUN = textwrap.dedent('''
    import sys, types

    def get_file(*args, **kwargs):
        raise AssertionError('get_file was called')
    sys.modules['keras'] = types.SimpleNamespace(utils=types.SimpleNamespace(get_file=get_file))
    from utils.data_sources import DataNotFoundError, find_flowers_photos, find_mnist_files
    for find in (find_flowers_photos, find_mnist_files):
        try:
            find()
        except DataNotFoundError as error:
            print(error)
        else:
            print('no error')
''')


def _unprivileged_python():
    """(python, subprocess.run arguments) to run Python 3.11+ as a user whom permissions stop; skips if none."""
    if os.geteuid() != 0:
        return sys.executable, {}
    try:
        nobody = pwd.getpwnam('nobody')
    except KeyError:
        pytest.skip('running as root, and there is no user "nobody" to run as')
    run_as = {'user': nobody.pw_uid, 'group': nobody.pw_gid, 'extra_groups': []}
    # This environment's Python may live in a folder closed to other users (say, /root/.pyenv).
    for python in dict.fromkeys([sys.executable, shutil.which('python3'), shutil.which('python3', path=os.defpath)]):
        try:
            check = subprocess.run([python, '-c', 'import sys; assert sys.version_info >= (3, 11)'],
                                   cwd='/', capture_output=True, timeout=60, **run_as)
        except (OSError, TypeError):  # TypeError: shutil.which found no python3.
            continue
        if check.returncode == 0:
            return python, run_as
    pytest.skip('no Python 3.11 or newer that the user "nobody" may run')


def test_a_read_only_cache_is_an_error_for_an_unprivileged_user():
    """A cache folder without write permission, for a user whom permissions do stop (not root)."""
    python, run_as = _unprivileged_python()
    folder = pathlib.Path(tempfile.mkdtemp())  # tmp_path's parents are closed to other users.
    try:
        folder.chmod(0o755)
        cache = folder / 'read_only'
        for path in (cache / 'flowers', cache / 'mnist', cache):  # Existing folders: only writing a file fails.
            path.mkdir(parents=True, exist_ok=True)
            path.chmod(0o555)
        # A copy of the helpers, readable by that user wherever this checkout is.
        shutil.copytree(ROOT / 'utils', folder / 'code' / 'utils', ignore=shutil.ignore_patterns('__pycache__'))
        env = {'PATH': os.environ['PATH'], 'PYTHONPATH': str(folder / 'code'), 'PYTHONDONTWRITEBYTECODE': '1',
               'HOME': str(folder), 'CODELAB_CACHE_DIR': str(cache)}
        result = subprocess.run([python, '-c', _UNPRIVILEGED_RUN], cwd=folder, env=env,
                                capture_output=True, text=True, timeout=120, **run_as)
    finally:
        shutil.rmtree(folder)
    assert result.returncode == 0, result.stderr
    for subfolder in ('flowers', 'mnist'):
        assert f'the cache folder {cache / subfolder} cannot be created or written to' in result.stdout
    assert result.stdout.count('To fix it: set CODELAB_CACHE_DIR to a folder you can write to') == 2
    assert 'get_file was called' not in result.stdout + result.stderr


# MNIST

def test_mnist_from_data_dir(isolated_data, monkeypatch):
    folder = synthetic_mnist(isolated_data / 'shared', train=20, test=10)
    monkeypatch.setattr(data_sources, 'MNIST_FILES', mnist_file_table(folder))
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
    assert ('downloading https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz: '
            in str(error.value))


def test_mnist_bad_md5_in_data_dir_is_an_error(served_mnist, isolated_data, monkeypatch):
    _, url = served_mnist
    shared = synthetic_mnist(isolated_data / 'shared', train=20, test=10)  # The served files, byte for byte.
    damaged = shared / MNIST_NAMES['test_labels']
    damaged.write_bytes(damaged.read_bytes() + b'extra')
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    with pytest.raises(DataNotFoundError) as error:
        find_mnist_files()
    expected = data_sources.MNIST_FILES['test_labels'][1]
    message = str(error.value)
    assert f'{damaged} is damaged or not the original file: its md5 is {_md5(damaged)}, expected {expected}' in message
    assert f'To fix it: replace {damaged} with the original file, or unset CODELAB_DATA_DIR' in message
    assert damaged.is_file() and url.requests == []


def test_mnist_download(served_mnist, isolated_data):
    served, url = served_mnist
    files = find_mnist_files()
    cache = isolated_data / 'cache' / 'mnist'
    assert list(files.items()) == [(key, cache / name) for key, name in MNIST_NAMES.items()]
    assert all(_md5(path) == _md5(served / path.name) for path in files.values())
    assert url.requests == [f'/mnist/{name}' for name in MNIST_NAMES.values()]
    assert find_mnist_files() == files
    assert len(url.requests) == 4  # The second time, from the cache.


def test_mirror_without_a_final_slash(served_mnist, monkeypatch):
    _, url = served_mnist
    monkeypatch.setenv('CODELAB_DOWNLOAD_MIRROR', url.rstrip('/'))
    find_mnist_files()
    assert url.requests == [f'/mnist/{name}' for name in MNIST_NAMES.values()]


def test_mnist_bad_md5_in_the_cache_is_downloaded_again(served_mnist, isolated_data, capsys):
    served, url = served_mnist
    cache = isolated_data / 'cache' / 'mnist'
    shutil.copytree(served, cache)
    damaged = cache / MNIST_NAMES['test_images']
    damaged.write_bytes(damaged.read_bytes()[:100])  # A download cut short.
    files = find_mnist_files()
    assert list(files) == list(MNIST_NAMES)
    assert all(_md5(path) == _md5(served / path.name) for path in files.values())
    assert f'{damaged} in the cache is damaged or incomplete' in capsys.readouterr().out
    assert url.requests == [f'/mnist/{damaged.name}']


def test_mnist_download_with_a_wrong_md5_is_an_error(served_mnist, isolated_data):
    served, url = served_mnist
    damaged = served / MNIST_NAMES['test_images']
    damaged.write_bytes(damaged.read_bytes()[:100])
    with pytest.raises(DataNotFoundError) as error:
        find_mnist_files()
    cached = isolated_data / 'cache' / 'mnist' / damaged.name
    assert (f'downloading {url}mnist/{damaged.name}: the file that arrived is not the original (md5 '
            f'{_md5(damaged)}, expected {data_sources.MNIST_FILES["test_images"][1]}): the download was cut short, '
            f'or the server sent another file; {cached} is deleted') in str(error.value)
    assert not cached.exists()


# Faults of issue 19: messages that name the real cause, locks that say who holds them and give up.

def test_a_mirror_answering_404_is_named_with_the_url_and_the_variable(mirror):
    _, url = mirror  # Serves nothing.
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    message = str(error.value)
    assert f'downloading {url}flower_photos.tgz: the server answered HTTP 404 (File not found)' in message
    assert f'CODELAB_DOWNLOAD_MIRROR={url} is set: check that this mirror is right' in message
    assert 'internet connection' not in message


@pytest.mark.parametrize('find', [find_flowers_photos, find_mnist_files])
def test_a_mirror_that_is_not_a_url_is_named_before_downloading(mirror, monkeypatch, find):
    _, url = mirror
    monkeypatch.setenv('CODELAB_DOWNLOAD_MIRROR', url.removeprefix('http://'))
    with pytest.raises(DataNotFoundError) as error:
        find()
    message = str(error.value)
    assert f"CODELAB_DOWNLOAD_MIRROR='{url.removeprefix('http://')}': nothing was downloaded, because this is " \
           'not a URL (it must begin with http:// or https://)' in message
    assert f"os.environ['CODELAB_DOWNLOAD_MIRROR'] = '{url}'" in message
    assert 'internet connection' not in message and url.requests == []


def _html_page(gzipped):
    page = b'<!DOCTYPE html>\n<html><head><title>Sign in to the Wi-Fi</title></head><body>...</body></html>\n'
    return gzip.compress(page) if gzipped else page


@pytest.mark.parametrize('gzipped', [False, True], ids=['html', 'gzipped-html'])
def test_a_web_page_instead_of_the_archive_is_named(mirror, isolated_data, gzipped):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(_html_page(gzipped))
    with pytest.raises(DataNotFoundError) as error:
        find_flowers_photos()
    message = str(error.value)
    assert f'downloading {url}flower_photos.tgz: the server answered with a web page (HTML), not the file' in message
    assert 'sign in' in message and 'cut short' not in message
    assert url.requests == ['/flower_photos.tgz']  # Not asked again: the same page would come back.
    assert _contents(isolated_data / 'cache' / 'flowers') == []


def test_a_web_page_instead_of_an_mnist_file_is_named(served_mnist, isolated_data):
    served, url = served_mnist
    (served / MNIST_NAMES['train_images']).write_bytes(_html_page(gzipped=False))
    with pytest.raises(DataNotFoundError) as error:
        find_mnist_files()
    name = MNIST_NAMES['train_images']
    assert f'downloading {url}mnist/{name}: the server answered with a web page' in str(error.value)


def test_a_full_disk_while_downloading_is_named_with_the_space_needed_and_free(mirror, flowers_tgz, isolated_data):
    from tests.mounts import small_tmpfs
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    cache = isolated_data / 'cache'
    with small_tmpfs(cache, 32 * 1024):
        with pytest.raises(DataNotFoundError) as error:
            find_flowers_photos()
        message = str(error.value)
        assert (f'downloading {url}flower_photos.tgz: no space is left on the disk of {cache / "flowers"}: '
                f'{len(flowers_tgz) / 1e6:.1f} MB needed, ') in message
        assert 'To fix it: free some space on that disk' in message and 'CODELAB_CACHE_DIR' in message
        assert 'internet connection' not in message
        assert _contents(cache / 'flowers') == []


def test_a_full_disk_while_unpacking_is_named_and_keeps_the_archive(mirror, flowers_tgz, isolated_data):
    from tests.mounts import small_tmpfs
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    cache = isolated_data / 'cache'
    with small_tmpfs(cache, len(flowers_tgz) + 48 * 1024):  # The archive fits, the photos beside it do not.
        with pytest.raises(DataNotFoundError) as error:
            find_flowers_photos()
        message = str(error.value)
        assert f'unpacking {cache / "flowers" / "flower_photos.tgz"}: no space is left on the disk of ' in message
        assert 'the archive is kept' in message and 'To fix it: free some space on that disk' in message
        assert _contents(cache / 'flowers') == ['flower_photos.tgz']
    assert url.requests == ['/flower_photos.tgz']


def test_an_unusable_data_dir_is_said_before_downloading(mirror, flowers_tgz, isolated_data, monkeypatch, capsys):
    served, url = mirror
    (served / 'flower_photos.tgz').write_bytes(flowers_tgz)
    folder = synthetic_flowers(isolated_data / 'shared', per_class=1)
    shutil.rmtree(folder / 'roses')
    monkeypatch.setenv('CODELAB_DATA_DIR', str(isolated_data / 'shared'))
    assert find_flowers_photos() == isolated_data / 'cache' / 'flowers' / 'flower_photos'
    out = capsys.readouterr().out
    said = out.find(f'Not using the photos of CODELAB_DATA_DIR={isolated_data / "shared"}: {folder} has no photos '
                    'of roses')
    assert 0 <= said < out.find('Downloading data from'), out


HOLD_LOCK = '''
import json, os, signal, sys, time, types
sys.modules['keras'] = types.SimpleNamespace()  # Not needed to hold a lock, and slow to import.
from utils.data_sources import cache_lock
path, holder = sys.argv[1], sys.argv[2]
with cache_lock(path, 'testing the lock'):
    if holder != 'me':  # Another holder's name in the lock file.
        with open(path + '.lock', 'w') as lock_file:
            lock_file.write(holder)
    print('holding', flush=True)
    if holder == 'me':
        os.kill(os.getpid(), signal.SIGSTOP)
    time.sleep(600)
'''


def _hold_lock(path, holder='me'):
    """A process holding the lock of path, stopped once it holds it (holder 'me'), or naming `holder` in the file."""
    process = subprocess.Popen([sys.executable, '-c', HOLD_LOCK, str(path), holder], stdout=subprocess.PIPE,
                               text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert process.stdout.readline() == 'holding\n'
    return process


def _holder(pid, host=None):
    namespace = os.readlink('/proc/self/ns/pid') if os.path.exists('/proc/self/ns/pid') else None
    return json.dumps({'pid': pid, 'host': host or socket.gethostname(), 'pid_namespace': namespace,
                       'since': '2026-12-01 10:00:00 UTC', 'doing': 'testing the lock'})


@pytest.mark.parametrize('timeout, stopped_for', [(2, 60), (30, 2)], ids=['timeout', 'stopped-too-long'])
def test_a_lock_held_by_a_stopped_process_is_given_up_naming_the_file_and_the_holder(tmp_path, monkeypatch, capsys,
                                                                                     timeout, stopped_for):
    monkeypatch.setenv('CODELAB_LOCK_TIMEOUT_SECONDS', str(timeout))
    monkeypatch.setattr(data_sources, 'STOPPED_HOLDER_SECONDS', stopped_for)
    process = _hold_lock(tmp_path / 'photos')
    try:
        deadline = time.monotonic() + 10
        while pathlib.Path(f'/proc/{process.pid}/stat').read_text().split(') ')[1][0] != 'T':
            assert time.monotonic() < deadline, 'the holder did not stop'
            time.sleep(0.05)

        error, seconds = _wait_for_the_lock(tmp_path / 'photos')
    finally:
        process.kill()
        process.wait()
    assert isinstance(error, TimeoutError), error
    message = str(error)
    assert f'after waiting 2 s for the lock file {tmp_path / "photos.lock"}, held by process {process.pid} on ' \
           'this machine, since ' in message
    assert '(it is stopped: resume it with kill -CONT, or end it)' in message
    if timeout == 2:
        assert f'kill {process.pid}' in message and 'set CODELAB_LOCK_TIMEOUT_SECONDS (now 2)' in message
    else:
        assert f'a stopped process does not finish: resume it (kill -CONT {process.pid})' in message
    assert 2 <= seconds < 10
    assert f'the lock file {tmp_path / "photos.lock"} is held by process {process.pid}' in capsys.readouterr().out


def test_a_lock_naming_an_ended_process_of_this_machine_is_taken_over(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv('CODELAB_LOCK_TIMEOUT_SECONDS', '20')
    ended = subprocess.Popen(['true'])
    ended.wait()
    process = _hold_lock(tmp_path / 'photos', holder=_holder(ended.pid))  # As a child left holding it would.
    try:
        def take_the_lock():
            with data_sources.cache_lock(tmp_path / 'photos', 'building the photos'):
                assert json.loads((tmp_path / 'photos.lock').read_text())['pid'] == os.getpid()
        error, seconds = _call_within(30, take_the_lock)
    finally:
        process.kill()
        process.wait()
    assert error is None and seconds < 10
    assert f'names process {ended.pid} on this machine, which has ended: taking the lock over' \
        in capsys.readouterr().out


def test_a_lock_held_on_another_host_is_waited_for_then_given_up(tmp_path, monkeypatch):
    monkeypatch.setenv('CODELAB_LOCK_TIMEOUT_SECONDS', '1')
    process = _hold_lock(tmp_path / 'photos', holder=_holder(1, host='another-host'))
    try:
        error, _ = _wait_for_the_lock(tmp_path / 'photos')
    finally:
        process.kill()
        process.wait()
    assert isinstance(error, TimeoutError), error
    assert 'held by process 1 on the host another-host, since 2026-12-01 10:00:00 UTC' in str(error)


def test_a_lock_file_that_names_no_holder_is_traced_to_its_process(tmp_path, monkeypatch):
    """A lock held by older code, which wrote nothing in the file: the kernel's list of locks names the holder."""
    if not os.path.exists('/proc/locks'):
        pytest.skip('no /proc/locks (not Linux)')
    monkeypatch.setenv('CODELAB_LOCK_TIMEOUT_SECONDS', '1')
    process = _hold_lock(tmp_path / 'photos', holder='')
    try:
        error, _ = _wait_for_the_lock(tmp_path / 'photos')
    finally:
        process.kill()
        process.wait()
    assert isinstance(error, TimeoutError), error
    assert f'held by process {process.pid} on this machine, since a time the lock file does not say' in str(error)
