"""Find the course's data sets on disk, or download them once into a local cache.

Lookup order, for both the flower photos and the MNIST files:
  1. the folder named by the CODELAB_DATA_DIR environment variable, laid out as
     flowers/flower_photos/<class>/*.jpg and mnist/*-ubyte.gz (read, never changed);
  2. the local cache: CODELAB_CACHE_DIR, else the repository's data/ folder,
     else ./data (in Colab: /content/data);
  3. a download into that cache with keras.utils.get_file, from the public URLs,
     or, when the CODELAB_DOWNLOAD_MIRROR environment variable holds a base URL,
     from <mirror>/flower_photos.tgz and <mirror>/mnist/<file name> (for machines
     that reach the internet through a mirror, and for tests).

Each copy is checked wherever it is found: the flower photos need at least one
photo (.jpg or .jpeg, in any case) in each class folder, and each MNIST file its
known md5. In the cache, a damaged copy (a download or an unpacking cut short)
is deleted, with a message, and downloaded again. In CODELAB_DATA_DIR nothing is
ever deleted. A download fails when no data arrives for DOWNLOAD_TIMEOUT_SECONDS.
"""
import contextlib
import fcntl
import gzip
import hashlib
import os
import pathlib
import shutil
import socket
import tarfile
import tempfile
import zlib

import keras

DATA_DIR_VARIABLE = 'CODELAB_DATA_DIR'
CACHE_DIR_VARIABLE = 'CODELAB_CACHE_DIR'
DOWNLOAD_MIRROR_VARIABLE = 'CODELAB_DOWNLOAD_MIRROR'
DOWNLOAD_TIMEOUT_SECONDS = 60  # A download fails after this many seconds without receiving any data.

FLOWER_CLASSES = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
TARGET_SIZE = [192, 192]  # height and width of the flower images the models take (Part 1 resizes them)
FLOWERS_URL = 'https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz'
PHOTO_SUFFIXES = ('.jpg', '.jpeg')  # Compared in lower case: .JPG counts too.
# Unpacking happens in a folder named so in the cache, moved into place only once complete.
UNPACKING_PREFIX = 'flower_photos.unpacking-'

MNIST_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/'
# File name and md5 of the original gzipped IDX files.
MNIST_FILES = {
    'train_images': ('train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'),
    'train_labels': ('train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'),
    'test_images': ('t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'),
    'test_labels': ('t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'),
}


class DataNotFoundError(FileNotFoundError):
    """No usable copy of a data set was found on disk, and none could be downloaded."""


class _DownloadFailed(Exception):
    """A download into the cache failed: args are (what was tried and what happened, what to do)."""


class _DamagedArchive(Exception):
    """flower_photos.tgz cannot be read to its end, or lacks a class of photos."""


def data_cache_dir():
    """Returns the folder where downloads and generated TFRecords are kept.

    CODELAB_CACHE_DIR if set; otherwise the data/ folder of this repository when
    running from inside a checkout; otherwise ./data (for example in Colab).
    The folder may not exist yet: the helpers create it when they download.
    """
    if os.environ.get(CACHE_DIR_VARIABLE):
        return pathlib.Path(os.environ[CACHE_DIR_VARIABLE])
    here = pathlib.Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / 'utils' / 'data_sources.py').is_file() and (folder / 'data').is_dir():
            return folder / 'data'
    return here / 'data'


_held_locks = set()  # Lock files this process holds: a second flock of one would wait for itself.


@contextlib.contextmanager
def cache_lock(path, what):
    """Holds the lock file beside `path` (a file or folder of the cache), waiting while another notebook holds it.

    Whoever holds it is the only one writing `path`. `what` says, in the message
    printed while waiting, what the other notebook is doing. Re-entrant within a
    process. The operating system releases the lock when the process ends,
    however it ends.
    """
    path = pathlib.Path(path).absolute()
    lock_path = path.with_name(path.name + '.lock')
    if lock_path in _held_locks:
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, 'a') as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f'Another notebook is {what} in {path}: waiting for it to finish.', flush=True)
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        _held_locks.add(lock_path)
        try:
            yield
        finally:
            _held_locks.discard(lock_path)


def _not_found(what, tried, fix):
    lines = '\n'.join(f'  - {attempt}' for attempt in tried)
    return DataNotFoundError(f'Could not find {what}. Tried, in order:\n{lines}\nTo fix it: {fix}')


def _download_url(public_url, mirror_path):
    """public_url, or <CODELAB_DOWNLOAD_MIRROR>/mirror_path when that variable is set."""
    mirror = os.environ.get(DOWNLOAD_MIRROR_VARIABLE)
    return f'{mirror.rstrip("/")}/{mirror_path}' if mirror else public_url


def _writable_cache_folder(folder):
    """Creates folder (and its parents) and writes a file in it; raises _DownloadFailed if either fails."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise _DownloadFailed(
            f'downloading into the cache: nothing was downloaded, because the cache folder {folder} '
            f'cannot be created or written to ({error})',
            f'set {CACHE_DIR_VARIABLE} to a folder you can write to, for example in Colab run '
            f"os.environ[{CACHE_DIR_VARIABLE!r}] = '/content/data', then run this cell again.") from error


def _timed_out(error):
    """Whether error, or an error it was raised from or while handling, is a socket timeout."""
    while error is not None:
        if isinstance(error, TimeoutError):  # socket.timeout is TimeoutError.
            return True
        error = error.__cause__ or error.__context__
    return False


@contextlib.contextmanager
def download_timeout():
    """Makes a download in the `with` block fail when no data arrives for DOWNLOAD_TIMEOUT_SECONDS."""
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous_timeout)


def _download_into(folder, url):
    """Downloads url into folder with keras.utils.get_file, unless the file is there; returns its path.

    Gives up when no data arrives for DOWNLOAD_TIMEOUT_SECONDS. Raises _DownloadFailed.
    """
    try:
        with download_timeout():
            return pathlib.Path(keras.utils.get_file(url.rsplit('/', 1)[-1], url,
                                                     cache_dir=str(folder.parent), cache_subdir=folder.name))
    except Exception as error:  # get_file raises a bare Exception when the download fails.
        if _timed_out(error):
            reason = f'the server did not answer within {DOWNLOAD_TIMEOUT_SECONDS} seconds'
        else:
            reason = f'{type(error).__name__}: {error}'
        raise _DownloadFailed(f'downloading {url}: {reason}',
                              'check the internet connection, then run this cell again.') from error


def _missing_flower_classes(folder):
    """The classes of FLOWER_CLASSES without any photo in folder/<class>/."""
    def has_photos(class_folder):
        return class_folder.is_dir() and any(
            path.suffix.lower() in PHOTO_SUFFIXES for path in class_folder.iterdir() if path.is_file())
    return [name for name in FLOWER_CLASSES if not has_photos(folder / name)]


def _flowers_problem(folder):
    """What is wrong with folder as flower_photos/ (a sentence), or None if it holds every class."""
    if not folder.is_dir():
        return f'no folder {folder}'
    missing = _missing_flower_classes(folder)
    if missing:
        return f'{folder} has no photos of {", ".join(missing)} (looked for {folder}/<class>/*.jpg)'
    return None


def find_flowers_photos():
    """Returns the folder holding flower_photos/<class>/*.jpg for the 5 classes.

    Downloads and unpacks flower_photos.tgz (218 MB) into the cache the first
    time if no local copy exists, and again if the cached copy lacks a class.
    Raises DataNotFoundError saying what was tried and how to fix it.
    """
    tried = []
    if os.environ.get(DATA_DIR_VARIABLE):
        folder = pathlib.Path(os.environ[DATA_DIR_VARIABLE]) / 'flowers' / 'flower_photos'
        problem = _flowers_problem(folder)
        if problem is None:
            return folder
        tried.append(f'{DATA_DIR_VARIABLE}={os.environ[DATA_DIR_VARIABLE]}: {problem}')
    else:
        tried.append(f'{DATA_DIR_VARIABLE} (not set)')
    cache = data_cache_dir() / 'flowers'
    folder = cache / 'flower_photos'
    problem = _flowers_problem(folder)
    if problem is None:
        _remove_unpacking_leftovers(cache)
        return folder
    tried.append(f'the local cache: {problem}')
    try:
        _writable_cache_folder(cache)
        with cache_lock(folder, 'downloading the flower photos'):
            problem = _flowers_problem(folder)
            if problem is None:
                return folder  # Another notebook downloaded them while this one waited.
            if folder.exists():
                print(f'The flower photos in the cache are incomplete: {problem}. '
                      f'Deleting {folder} and downloading the photos again.')
                shutil.rmtree(folder)
            _remove_unpacking_leftovers(cache)
            return _download_flowers(cache)
    except _DownloadFailed as failure:
        attempt, fix = failure.args
        tried.append(attempt)
    raise _not_found('the flower photos', tried,
                     f'{fix} Or set {DATA_DIR_VARIABLE} to a folder containing flowers/flower_photos/<class>/*.jpg.')


def _remove_unpacking_leftovers(cache):
    """Deletes the unpacking folders that an interrupted run left in the cache.

    Only while holding the photos' lock: no other notebook is unpacking then.
    """
    if not any(cache.glob(UNPACKING_PREFIX + '*')):
        return
    with cache_lock(cache / 'flower_photos', 'downloading the flower photos'):
        for leftover in cache.glob(UNPACKING_PREFIX + '*'):
            if leftover.is_dir():
                print(f'Deleting {leftover}: a half-unpacked copy of the photos, left by an interrupted run.')
                shutil.rmtree(leftover)


def _download_flowers(cache):
    """Downloads flower_photos.tgz into cache (reusing one already there) and unpacks it.

    A damaged archive is deleted and downloaded once more. Returns cache/flower_photos.
    """
    url = _download_url(FLOWERS_URL, 'flower_photos.tgz')
    for attempt in (1, 2):
        archive = _download_into(cache, url)
        try:
            return _unpack_flowers(archive, cache)
        except _DamagedArchive as damage:
            problem = f'{archive} is damaged or incomplete ({damage})'
        archive.unlink()
        if attempt == 1:
            print(f'{problem}. Deleted it; downloading it again.')
    raise _DownloadFailed(f'downloading {url}, twice: {problem}; it is deleted',
                          'run this cell again later (the download may have been cut short).')


def _unpack_flowers(archive, cache):
    """Unpacks archive into a new folder in cache, checks it, and moves its flower_photos into cache.

    Deletes the archive once the photos are in place; returns their folder.
    Raises _DamagedArchive if the archive cannot be read to its end or lacks a class.
    """
    staging = pathlib.Path(tempfile.mkdtemp(prefix=UNPACKING_PREFIX, dir=cache))
    try:
        try:
            with gzip.open(archive) as stream, tarfile.open(fileobj=stream, mode='r|') as photos:
                # The 'data' filter keeps every file inside staging (Python 3.11.4 and newer have it).
                photos.extraction_filter = getattr(tarfile, 'data_filter', None)
                photos.extractall(staging)
                while stream.read(1 << 20):  # Reading to the end reveals an archive cut short.
                    pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise _DamagedArchive(f'{type(error).__name__}: {error}') from error
        missing = _missing_flower_classes(staging / 'flower_photos')
        if missing:
            raise _DamagedArchive(f'it holds no flower_photos/<class>/*.jpg for {", ".join(missing)}')
        folder = cache / 'flower_photos'
        os.replace(staging / 'flower_photos', folder)
    finally:
        shutil.rmtree(staging)
    archive.unlink()
    return folder


def _md5(path):
    with open(path, 'rb') as file:
        return hashlib.file_digest(file, 'md5').hexdigest()


def find_mnist_files():
    """Returns {'train_images', 'train_labels', 'test_images', 'test_labels'} -> path.

    The files are the original gzipped IDX files, each checked against its md5
    in MNIST_FILES. Downloads them into the cache the first time if no local copy
    exists, and again if a cached one is damaged. Raises DataNotFoundError saying
    what was tried and how to fix it.
    """
    tried = []
    layout = f'mnist/{{{",".join(name for name, _ in MNIST_FILES.values())}}}'
    if os.environ.get(DATA_DIR_VARIABLE):
        description = f'{DATA_DIR_VARIABLE}={os.environ[DATA_DIR_VARIABLE]}'
        folder = pathlib.Path(os.environ[DATA_DIR_VARIABLE]) / 'mnist'
        missing = [name for name, _ in MNIST_FILES.values() if not (folder / name).is_file()]
        if not missing:
            for name, md5 in MNIST_FILES.values():
                actual = _md5(folder / name)
                if actual != md5:
                    tried.append(f'{description}: {folder / name} is damaged or not the original file: '
                                 f'its md5 is {actual}, expected {md5}')
                    raise _not_found(
                        'the MNIST files', tried,
                        f'replace {folder / name} with the original file, or unset {DATA_DIR_VARIABLE} '
                        f'(os.environ.pop({DATA_DIR_VARIABLE!r})) to download the files into the cache.')
            return {key: folder / name for key, (name, _) in MNIST_FILES.items()}
        tried.append(f'{description}: {folder} lacks {", ".join(missing)}')
    else:
        tried.append(f'{DATA_DIR_VARIABLE} (not set)')
    cache = data_cache_dir() / 'mnist'
    paths = _cached_mnist_files(cache, repair=False)
    if len(paths) == len(MNIST_FILES):
        return paths
    tried.append(f'the local cache: {cache} lacks '
                 f'{", ".join(name for key, (name, _) in MNIST_FILES.items() if key not in paths)}')
    try:
        _writable_cache_folder(cache)
        with cache_lock(cache, 'downloading the MNIST files'):
            paths = _cached_mnist_files(cache, repair=True)  # Another notebook may have downloaded some.
            for key, (name, md5) in MNIST_FILES.items():
                if key not in paths:
                    paths[key] = _download_mnist_file(cache, name, md5)
            return {key: paths[key] for key in MNIST_FILES}
    except _DownloadFailed as failure:
        attempt, fix = failure.args
        tried.append(attempt)
    raise _not_found('the MNIST files', tried,
                     f'{fix} Or set {DATA_DIR_VARIABLE} to a folder containing {layout}.')


def _cached_mnist_files(cache, repair):
    """{key: path} of the MNIST files in the cache whose md5 is right.

    With repair=True (only while holding the cache's lock), a damaged file is
    named in a message and deleted, to be downloaded again.
    """
    paths = {}
    for key, (name, md5) in MNIST_FILES.items():
        path = cache / name
        if not path.is_file():
            continue
        actual = _md5(path)
        if actual == md5:
            paths[key] = path
        elif repair:
            print(f'{path} in the cache is damaged or incomplete (md5 {actual}, expected {md5}). '
                  'Deleting it and downloading it again.')
            path.unlink()
    return paths


def _download_mnist_file(cache, name, md5):
    """Downloads one MNIST file into cache and checks its md5; returns its path or raises _DownloadFailed."""
    url = _download_url(MNIST_URL + name, f'mnist/{name}')
    path = _download_into(cache, url)
    actual = _md5(path)
    if actual != md5:
        path.unlink()
        raise _DownloadFailed(f'downloading {url}: the file arrived damaged (md5 {actual}, expected {md5}); '
                              f'{path} is deleted',
                              'run this cell again later (the download may have been cut short).')
    return path
