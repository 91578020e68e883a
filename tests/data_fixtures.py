"""Small data sets in the on-disk layout of ../shared/data, for the tests.

With the real data available (CODELAB_DATA_DIR) the tests use a subset of it;
without, synthetic images and digits in the same layout, so tests pass anywhere.
"""
import gzip
import hashlib
import io
import os
import pathlib
import struct
import tarfile

import numpy as np

from utils.data_sources import FLOWER_CLASSES, MNIST_FILES

MNIST_NAMES = {key: name for key, (name, _) in MNIST_FILES.items()}


def _encode_jpeg(image):
    import tensorflow as tf
    return tf.io.encode_jpeg(image).numpy()


def synthetic_flowers(root, per_class, seed=0):
    """Writes per_class JPEGs per class, of varied sizes, each class its own hue."""
    rng = np.random.default_rng(seed)
    folder = pathlib.Path(root) / 'flowers' / 'flower_photos'
    for index, name in enumerate(FLOWER_CLASSES):
        (folder / name).mkdir(parents=True, exist_ok=True)
        color = np.array([(index * 53) % 256, (index * 101 + 60) % 256, (index * 31 + 120) % 256])
        for number in range(per_class):
            height, width = rng.integers(160, 320, size=2)
            noise = rng.integers(-40, 40, size=(height, width, 3))
            image = np.clip(color + noise, 0, 255).astype(np.uint8)
            (folder / name / f'{name}_{number:03d}.jpg').write_bytes(_encode_jpeg(image))
    return folder


def subset_flowers(source_root, root, per_class):
    """Links the first per_class photos of each class of the real data into root."""
    source = pathlib.Path(source_root) / 'flowers' / 'flower_photos'
    folder = pathlib.Path(root) / 'flowers' / 'flower_photos'
    for name in FLOWER_CLASSES:
        (folder / name).mkdir(parents=True, exist_ok=True)
        for photo in sorted((source / name).glob('*.jpg'))[:per_class]:
            os.symlink(photo, folder / name / photo.name)
    return folder


def write_flowers_archive(photos, archive):
    """Packs a flower_photos folder as the original flower_photos.tgz is laid out; returns `archive`.

    One top folder, flower_photos/, holding <class>/*.jpg and a LICENSE.txt (a
    stand-in one when the folder has none). Links are followed.
    """
    with tarfile.open(archive, 'w:gz', dereference=True) as tar:
        tar.add(photos, arcname='flower_photos')
        if not (pathlib.Path(photos) / 'LICENSE.txt').exists():
            text = b'Test images, licensed under the Creative Commons By-Attribution License.\n'
            info = tarfile.TarInfo('flower_photos/LICENSE.txt')
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text))
    return archive


def mnist_file_table(mnist_folder):
    """MNIST_FILES for the MNIST files in mnist_folder: their names and their own md5s.

    Test MNIST files are not the original ones, whose md5s the helpers check;
    rebinding MNIST_FILES (which find_mnist_files reads when called) to this
    table makes them accepted.
    """
    return {key: (name, hashlib.md5((pathlib.Path(mnist_folder) / name).read_bytes()).hexdigest())
            for key, name in MNIST_NAMES.items()}


def write_idx(path, array, magic):
    """Writes a gzipped IDX file: big-endian magic, dimensions, then uint8 data."""
    header = struct.pack('>I', magic) + b''.join(struct.pack('>I', size) for size in array.shape)
    with gzip.open(path, 'wb') as file:
        file.write(header + array.astype(np.uint8).tobytes())


def read_idx(path):
    with gzip.open(path, 'rb') as file:
        data = file.read()
    magic = struct.unpack('>I', data[:4])[0]
    dims = struct.unpack('>' + 'I' * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    return np.frombuffer(data[4 + 4 * len(dims):], dtype=np.uint8).reshape(dims), magic


def synthetic_mnist(root, train, test, seed=0):
    """Writes MNIST-layout IDX files: digit d is a bright bar at row 2 + 2d, plus noise."""
    rng = np.random.default_rng(seed)
    folder = pathlib.Path(root) / 'mnist'
    folder.mkdir(parents=True, exist_ok=True)
    for split, count in (('train', train), ('test', test)):
        labels = rng.integers(0, 10, size=count)
        images = rng.integers(0, 60, size=(count, 28, 28))
        for image, label in zip(images, labels):
            image[2 + 2 * label:4 + 2 * label, 4:24] = 255
        write_idx(folder / MNIST_NAMES[f'{split}_images'], images, 2051)
        write_idx(folder / MNIST_NAMES[f'{split}_labels'], labels, 2049)
    return folder


def subset_mnist(source_root, root, train, test):
    """Writes the first `train` / `test` digits of the real MNIST files into root."""
    folder = pathlib.Path(root) / 'mnist'
    folder.mkdir(parents=True, exist_ok=True)
    for key, name in MNIST_NAMES.items():
        array, magic = read_idx(pathlib.Path(source_root) / 'mnist' / name)
        write_idx(folder / name, array[:train if key.startswith('train') else test], magic)
    return folder


def small_data_dir(root, source_root=None, photos_per_class=16, mnist_train=4096, mnist_test=1024):
    """Makes a small data folder in root: a subset of source_root if given, else synthetic."""
    if source_root:
        subset_flowers(source_root, root, photos_per_class)
        subset_mnist(source_root, root, mnist_train, mnist_test)
    else:
        synthetic_flowers(root, photos_per_class)
        synthetic_mnist(root, mnist_train, mnist_test)
    return pathlib.Path(root)
