import matplotlib.pyplot as plt
import numpy as np
import pytest

from utils import mnist_plots
from utils.mnist_plots import digits_from_local_fonts, display_digits, display_digits_grid, display_top_unrecognized


@pytest.fixture
def shown(monkeypatch):
    """The figures the display functions show, instead of showing them."""
    figures = []
    monkeypatch.setattr(mnist_plots.plt, 'show', lambda: figures.append(plt.gcf()))
    yield figures
    plt.close('all')


def _tick_texts_and_colors(ax):
    return [(tick.get_text(), tick.get_color()) for tick in ax.get_xticklabels()]


def test_font_digits_are_mnist_shaped_centred_and_labelled():
    digits, labels = digits_from_local_fonts(20)
    assert digits.shape == (20, 784) and digits.dtype == np.float32
    assert digits.min() >= 0.0 and digits.max() <= 1.0
    assert list(labels) == list(range(10)) * 2
    images = digits.reshape(20, 28, 28)
    assert all(image.sum() > 10 for image in images)  # Some ink in every digit.
    assert not np.allclose(images[:10], images[10:])  # The second ten use another font.
    rows, columns = np.nonzero(images[8] > 0.5)
    assert 9 <= rows.mean() <= 18 and 9 <= columns.mean() <= 18  # Ink around the centre.


def test_wrong_predictions_are_red_and_right_ones_not(shown):
    digits = np.zeros((4, 784), np.float32)
    display_digits(digits, np.array([1, 2, 3, 4]), np.array([1, 0, 3, 0]), 'some digits')
    [figure] = shown
    assert _tick_texts_and_colors(figure.axes[0]) == [
        ('1', 'black'), ('2', 'red'), ('3', 'black'), ('4', 'red')]
    assert figure.axes[0].get_title() == 'some digits'


def test_one_hot_labels_and_probabilities_are_read_as_digits(shown):
    digits = np.zeros((2, 28, 28), np.float32)
    probabilities = np.array([[0.1, 0.9] + [0] * 8, [0.8, 0.2] + [0] * 8])
    one_hot = np.eye(10)[[1, 1]]
    display_digits(digits, probabilities, one_hot, 'one-hot')
    assert _tick_texts_and_colors(shown[0].axes[0]) == [('1', 'black'), ('0', 'red')]


def test_grid_shows_at_most_per_row_times_rows_digits_in_rows(shown):
    digits = np.zeros((50, 784), np.float32)
    labels = np.arange(50) % 10
    display_digits_grid(digits, labels, labels, 'grid', per_row=8, rows=3)
    [figure] = shown
    assert len(figure.axes) == 3
    assert [len(ax.get_xticklabels()) for ax in figure.axes] == [8, 8, 8]


def test_grid_of_fewer_digits_uses_fewer_rows(shown):
    digits = np.zeros((10, 784), np.float32)
    labels = np.arange(10)
    display_digits_grid(digits, labels, labels, 'grid', per_row=8, rows=5)
    assert [len(ax.get_xticklabels()) for ax in shown[0].axes] == [8, 2]


def test_top_unrecognized_puts_wrong_digits_first_and_counts_them(shown):
    labels = np.arange(10)
    predictions = labels.copy()
    predictions[[3, 7]] = 0
    display_top_unrecognized(np.zeros((10, 784), np.float32), predictions, labels, per_row=10, rows=1)
    ticks = _tick_texts_and_colors(shown[0].axes[0])
    assert ticks[:2] == [('0', 'red'), ('0', 'red')]
    assert all(color == 'black' for _, color in ticks[2:])
    assert [text for text, _ in ticks[2:]] == ['0', '1', '2', '4', '5', '6', '8', '9']
    assert shown[0].axes[0].get_title().startswith('2 of 10 digits wrongly recognised (20.00%)')


def test_mismatched_lengths_and_empty_grids_are_refused(shown):
    with pytest.raises(ValueError, match='3 digits but 2 predictions'):
        display_digits(np.zeros((3, 784)), [1, 2], [1, 2], 'mismatch')
    with pytest.raises(ValueError, match='at least 1'):
        display_digits_grid(np.zeros((3, 784)), [1, 2, 3], [1, 2, 3], 'none', per_row=0)
    assert shown == []
