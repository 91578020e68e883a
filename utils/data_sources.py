"""Find the course's data sets on disk, or download them once into a local cache.

Lookup order, for both the flower photos and the MNIST files:
  1. the folder named by the CODELAB_DATA_DIR environment variable, laid out as
     flowers/flower_photos/<class>/*.jpg and mnist/*-ubyte.gz;
  2. the local cache (CODELAB_CACHE_DIR, else the repository's data/ folder,
     else ./data);
  3. a download from the public URLs into that cache (tf.keras.utils.get_file).
"""
import os
import pathlib
import shutil

import tensorflow as tf

DATA_DIR_VARIABLE = 'CODELAB_DATA_DIR'
CACHE_DIR_VARIABLE = 'CODELAB_CACHE_DIR'

FLOWER_CLASSES = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
FLOWERS_URL = 'https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz'

MNIST_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/'
# File name and md5 of the original gzipped IDX files.
MNIST_FILES = {
    'train_images': ('train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'),
    'train_labels': ('train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'),
    'test_images': ('t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'),
    'test_labels': ('t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'),
}


class DataNotFoundError(FileNotFoundError):
    """No usable copy of a data set was found on disk, and the download failed."""


def data_cache_dir():
    """Returns the folder where downloads and generated TFRecords are kept.

    CODELAB_CACHE_DIR if set; otherwise the data/ folder of this repository when
    running from inside a checkout; otherwise ./data (for example in Colab).
    """
    if os.environ.get(CACHE_DIR_VARIABLE):
        return pathlib.Path(os.environ[CACHE_DIR_VARIABLE])
    here = pathlib.Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / 'utils' / 'data_sources.py').is_file() and (folder / 'data').is_dir():
            return folder / 'data'
    return here / 'data'


def _candidate_roots():
    """Yields (description, folder) for the data folders to search, in order."""
    if os.environ.get(DATA_DIR_VARIABLE):
        yield f'{DATA_DIR_VARIABLE}={os.environ[DATA_DIR_VARIABLE]}', pathlib.Path(os.environ[DATA_DIR_VARIABLE])
    else:
        yield f'{DATA_DIR_VARIABLE} (not set)', None
    yield 'the local cache', data_cache_dir()


def _has_flower_photos(folder):
    return all(any((folder / name).glob('*.jpg')) for name in FLOWER_CLASSES)


def _not_found(what, tried, fix):
    lines = '\n'.join(f'  - {attempt}' for attempt in tried)
    return DataNotFoundError(f'Could not find {what}. Tried, in order:\n{lines}\nTo fix it: {fix}')


def find_flowers_photos():
    """Returns the folder holding flower_photos/<class>/*.jpg for the 5 classes.

    Downloads and unpacks flower_photos.tgz (218 MB) into the cache the first
    time if no local copy exists. Raises DataNotFoundError saying what was tried.
    """
    tried = []
    for description, root in _candidate_roots():
        if root is None:
            tried.append(description)
            continue
        folder = root / 'flowers' / 'flower_photos'
        if _has_flower_photos(folder):
            return folder
        tried.append(f'{description}: no {folder}/<class>/*.jpg for classes {", ".join(FLOWER_CLASSES)}')
    cache = data_cache_dir() / 'flowers'
    try:
        return _download_flowers(cache)
    except Exception as error:  # get_file raises a bare Exception on network failure.
        tried.append(f'downloading {FLOWERS_URL}: {type(error).__name__}: {error}')
    raise _not_found(
        'the flower photos', tried,
        f'connect to the internet, or set {DATA_DIR_VARIABLE} to a folder containing '
        'flowers/flower_photos/<class>/*.jpg.')


def _download_flowers(cache):
    """Downloads and unpacks the photos, moving them into place only once complete."""
    extracted = cache / 'flower_photos_extracted'
    shutil.rmtree(extracted, ignore_errors=True)  # Left over from an interrupted run.
    tf.keras.utils.get_file('flower_photos.tgz', FLOWERS_URL, extract=True,
                            cache_dir=str(cache.parent), cache_subdir=cache.name)
    folder = cache / 'flower_photos'
    os.replace(extracted / 'flower_photos', folder)
    shutil.rmtree(extracted)
    (cache / 'flower_photos.tgz').unlink()
    return folder


def find_mnist_files():
    """Returns {'train_images', 'train_labels', 'test_images', 'test_labels'} -> path.

    The files are the original gzipped IDX files. Downloads them into the cache
    the first time if no local copy exists; raises DataNotFoundError otherwise.
    """
    tried = []
    for description, root in _candidate_roots():
        if root is None:
            tried.append(description)
            continue
        paths = {key: root / 'mnist' / name for key, (name, _) in MNIST_FILES.items()}
        missing = [path.name for path in paths.values() if not path.is_file()]
        if not missing:
            return paths
        tried.append(f'{description}: {root / "mnist"} lacks {", ".join(missing)}')
    cache = data_cache_dir()
    try:
        return {key: pathlib.Path(tf.keras.utils.get_file(
                    name, MNIST_URL + name, file_hash=md5, cache_dir=str(cache), cache_subdir='mnist'))
                for key, (name, md5) in MNIST_FILES.items()}
    except Exception as error:  # get_file raises a bare Exception on network failure.
        tried.append(f'downloading from {MNIST_URL}: {type(error).__name__}: {error}')
    raise _not_found(
        'the MNIST files', tried,
        f'connect to the internet, or set {DATA_DIR_VARIABLE} to a folder containing '
        f'mnist/{{{",".join(name for name, _ in MNIST_FILES.values())}}}.')
