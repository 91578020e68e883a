"""Time how fast a tf.data pipeline delivers images."""
import time


def images_per_second(dataset, images):
    """Reads `images` elements of an unbatched dataset; prints and returns images/s."""
    start = time.perf_counter()
    count = sum(1 for _ in dataset.take(images))
    elapsed = time.perf_counter() - start
    if count == 0:
        raise ValueError('The dataset is empty: nothing to time.')
    rate = count / elapsed
    print(f'Read {count} images in {elapsed:.2f} s: {rate:.1f} images/s.')
    return rate
