"""Time how fast a tf.data pipeline delivers images."""
import time

import tensorflow as tf

from utils.flowers_tfrecords import failure_lines, tf_error_text, undecodable_photos


def images_per_second(dataset, images, filenames=None):
    """Reads `images` elements of an unbatched dataset; prints and returns images/s.

    An element that fails (a photo that cannot be decoded) is skipped and
    counted; with `filenames`, the dataset of photo file names that `dataset`
    was made from, the photos that cannot be decoded are named.
    """
    read, failures = 0, []
    iterator = iter(dataset)
    start = time.perf_counter()
    while read + len(failures) < images:
        try:
            next(iterator)
        except StopIteration:
            break
        except tf.errors.OpError as error:
            failures.append(error)
            continue
        read += 1
    elapsed = time.perf_counter() - start
    if failures:
        _report_failures(failures, filenames)
    if read == 0:
        raise ValueError('The dataset is empty: nothing to time.' if not failures
                         else 'No image could be read: nothing to time.')
    rate = read / elapsed
    print(f'Read {read} images in {elapsed:.2f} s: {rate:.1f} images/s.')
    return rate


def _report_failures(failures, filenames):
    """Prints how many elements failed, and which photos cannot be decoded when `filenames` is given."""
    print(f'Skipped {len(failures)} images that could not be read ({tf_error_text(failures[0])}).')
    if filenames is None:
        print('To see which photos, pass the dataset of their file names: images_per_second(dataset, images, '
              'filenames=filenames_dataset).')
        return
    photos = undecodable_photos(filenames)
    if not photos:
        print('Every photo decodes: the failure is elsewhere in the pipeline.')
        return
    print(f'The photos that cannot be decoded:\n{failure_lines(photos)}\n'
          'Replace them by valid JPEG files, or delete them, then run the cells again.')
