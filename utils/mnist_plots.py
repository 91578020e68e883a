"""Pictures of handwritten digits and of a model's predictions on them (the MNIST notebook).

Digits are 28x28 grayscale images with values in [0, 1], given flat (784 values)
or as 28x28 arrays. They are drawn dark on light, in rows, the predicted digit
under each one, in red when it differs from the label.
"""
import os

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import PIL.Image
import PIL.ImageDraw
import PIL.ImageFont

DIGIT_SIZE = 28
# Two fonts shipped with matplotlib, so that every machine renders the same digits.
LOCAL_FONTS = ['DejaVuSansMono-Oblique.ttf', 'STIXGeneral.ttf']


def digits_from_local_fonts(count=20):
    """Returns (digits, labels): `count` digits 0, 1, .., 9, 0, 1, .. rendered from local fonts.

    Each run of ten digits uses the next of LOCAL_FONTS. `digits` is a float32
    array [count, 784] in [0, 1], white on black like MNIST; `labels` an int array.
    A test of the model on printed digits, which it never saw in training.
    """
    font_dir = os.path.join(os.path.dirname(matplotlib.__file__), 'mpl-data', 'fonts', 'ttf')
    fonts = [PIL.ImageFont.truetype(os.path.join(font_dir, name), 25) for name in LOCAL_FONTS]
    digits, labels = [], []
    for index in range(count):
        label = index % 10
        font = fonts[(index // 10) % len(fonts)]
        image = PIL.Image.new('L', (DIGIT_SIZE, DIGIT_SIZE), color=0)
        # Centre the glyph's ink box in the square, as MNIST digits are centred.
        left, top, right, bottom = font.getbbox(str(label))
        position = ((DIGIT_SIZE - (right - left)) / 2 - left, (DIGIT_SIZE - (bottom - top)) / 2 - top)
        PIL.ImageDraw.Draw(image).text(position, str(label), fill=255, font=font)
        digits.append(np.asarray(image, dtype=np.float32).reshape(DIGIT_SIZE * DIGIT_SIZE) / 255.0)
        labels.append(label)
    return np.stack(digits), np.array(labels)


def _as_label_numbers(values):
    """Labels or predictions as digit numbers, from numbers or one-hot/probability vectors."""
    values = np.asarray(values)
    return np.argmax(values, axis=-1) if values.ndim == 2 else values.astype(int)


def _draw_row(ax, digits, predictions, labels):
    """Draws digits side by side on one axis, each prediction below its digit, red if wrong."""
    images = np.reshape(digits, [-1, DIGIT_SIZE, DIGIT_SIZE])
    ax.imshow(np.concatenate(list(images), axis=1), cmap='gray_r', vmin=0.0, vmax=1.0)
    ax.set_xticks([DIGIT_SIZE * i + DIGIT_SIZE // 2 for i in range(len(images))])
    ax.set_xticklabels([str(p) for p in predictions], fontsize=12)
    ax.set_yticks([])
    ax.tick_params(length=0)
    for tick, predicted, label in zip(ax.get_xticklabels(), predictions, labels):
        if predicted != label:
            tick.set_color('red')
    for spine in ax.spines.values():
        spine.set_visible(False)


def display_digits_grid(digits, predictions, labels, title, per_row=24, rows=1):
    """Shows the first per_row * rows digits in rows, each with its prediction (red if wrong).

    predictions and labels are digit numbers or one-hot/probability vectors.
    Show labels as predictions to look at a dataset with its labels.
    """
    if per_row < 1 or rows < 1:
        raise ValueError(f'per_row and rows must be at least 1, got per_row={per_row}, rows={rows}.')
    predictions, labels = _as_label_numbers(predictions), _as_label_numbers(labels)
    if not len(digits) == len(predictions) == len(labels):
        raise ValueError(f'{len(digits)} digits but {len(predictions)} predictions and {len(labels)} labels.')
    shown = min(len(digits), per_row * rows)
    rows = max(1, -(-shown // per_row))
    figure, axes = plt.subplots(rows, 1, figsize=(13, 0.75 * rows + 0.6), squeeze=False)
    for row, ax in enumerate(axes.flat):
        part = slice(row * per_row, min((row + 1) * per_row, shown))
        _draw_row(ax, digits[part], predictions[part], labels[part])
        if len(digits[part]) < per_row:  # Keep the digits of a short last row the size of the others.
            ax.set_xlim(-0.5, DIGIT_SIZE * per_row - 0.5)
    axes.flat[0].set_title(title)
    figure.tight_layout()
    plt.show()


def display_digits(digits, predictions, labels, title):
    """Shows digits in one row, each with its prediction below it (red if wrong)."""
    display_digits_grid(digits, predictions, labels, title, per_row=max(1, len(digits)), rows=1)


def display_top_unrecognized(digits, predictions, labels, per_row=24, rows=7):
    """Shows digits with their predictions, the wrongly recognised ones first (in red).

    The title counts the errors among all the digits given.
    """
    predictions, labels = _as_label_numbers(predictions), _as_label_numbers(labels)
    wrong = predictions != labels
    order = np.argsort(~wrong, kind='stable')  # Wrong first, each group in its original order.
    title = (f'{int(wrong.sum())} of {len(labels)} digits wrongly recognised '
             f'({wrong.mean():.2%}): they come first, in red')
    display_digits_grid(np.asarray(digits)[order], predictions[order], labels[order], title, per_row, rows)
