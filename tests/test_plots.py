import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

from utils import plots
from utils.plots import (
    PlotTraining,
    display_9_images_from_dataset,
    display_9_images_with_predictions,
    display_training_curves,
    plot_learning_rate,
)


@pytest.fixture
def shown(monkeypatch):
    """Collects the figures that plt.show() would display."""
    figures = []
    monkeypatch.setattr(plt, 'show', lambda: figures.append(plt.gcf()))
    yield figures
    plt.close('all')


def _titles(figure):
    return [(ax.get_title(), ax.title.get_color()) for ax in figure.axes if ax.get_title()]


def test_9_images_of_different_sizes_with_any_kind_of_label(shown):
    images = [np.full([20 + i, 30, 3], 200, np.uint8) for i in range(9)]
    labels = [b'roses', 3, np.eye(5)[1]] * 3
    for label_kind in range(3):
        dataset = tf.data.Dataset.from_generator(
            lambda k=label_kind: ((image, labels[k]) for image in images),
            output_signature=(tf.TensorSpec([None, 30, 3], tf.uint8),
                              tf.TensorSpec.from_tensor(tf.constant(labels[label_kind]))))
        display_9_images_from_dataset(dataset)
    assert [title for title, _ in _titles(shown[0])] == ['roses'] * 9
    assert [title for title, _ in _titles(shown[1])] == ['sunflowers'] * 9
    assert [title for title, _ in _titles(shown[2])] == ['dandelion'] * 9


def test_wrong_predictions_are_red_with_the_right_answer(shown):
    images = np.random.default_rng(0).random([9, 8, 8, 3])
    labels = np.arange(9) % 5
    predictions = np.eye(5)[labels]
    predictions[4] = np.eye(5)[0]  # Image 4, tulips, predicted daisy.
    display_9_images_with_predictions(images, predictions, labels)
    titles = _titles(shown[0])
    assert titles[4] == ('daisy (should be tulips)', 'red')
    assert all(color == 'black' for i, (_, color) in enumerate(titles) if i != 4)
    assert titles[0] == ('daisy', 'black')


def test_training_curves(shown):
    history = keras.callbacks.History()
    history.history = {'loss': [1.0, 0.5], 'val_loss': [1.1, 0.7], 'accuracy': [0.5, 0.7], 'val_accuracy': [0.4, 0.6]}
    display_training_curves(history)
    axes = shown[0].axes
    assert [ax.get_title() for ax in axes] == ['model loss', 'model accuracy']
    assert [len(ax.lines) for ax in axes] == [2, 2]


def test_learning_rate_plot_uses_the_function_it_is_given(shown):
    plot_learning_rate(lambda epoch: 0.01 * 0.5 ** epoch, 4)
    (line,) = shown[0].axes[0].lines
    assert line.get_ydata() == pytest.approx([0.01, 0.005, 0.0025, 0.00125])


def test_plot_training_records_live_values(monkeypatch):
    updates = []

    class Handle:
        def update(self, figure):
            updates.append(figure)
    monkeypatch.setattr(plots, 'display', lambda figure, display_id: Handle())
    x = np.random.default_rng(0).random([64, 4]).astype(np.float32)
    y = (x[:, 0] > 0.5).astype(np.int32)
    model = keras.Sequential([keras.Input(shape=[4]), keras.layers.Dense(2, activation='softmax')])
    model.compile(optimizer='sgd', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    callback = PlotTraining(sample_rate=2, zoom=4)
    model.fit(x, y, batch_size=16, epochs=2, validation_data=(x, y), callbacks=[callback], verbose=0)
    assert [step for step, _ in callback.samples['loss']] == [2, 4, 6, 8]
    assert [step for step, _ in callback.validation['val_accuracy']] == [4, 8]
    assert len(updates) == 2
    assert callback.axes[1].get_ylim() == pytest.approx((0.75, 1.0))
    plt.close('all')
