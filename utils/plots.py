"""Pictures of images, predictions, training curves and learning-rate schedules."""
import keras
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import display

from utils.data_sources import FLOWER_CLASSES


def dataset_to_numpy(dataset, count):
    """Returns lists of the first `count` images and labels of an unbatched dataset, as numpy.

    Lists rather than arrays, as photos not yet resized differ in size.
    """
    pairs = [(image.numpy(), label.numpy()) for image, label in dataset.take(count)]
    return [image for image, _ in pairs], [label for _, label in pairs]


def _label_text(label, classes):
    """A label as text: a class name for a number or a one-hot vector, else the string."""
    if isinstance(label, bytes):
        return label.decode('utf-8')
    label = np.asarray(label)
    index = int(np.argmax(label)) if label.ndim else int(label)
    return classes[index] if classes is not None else str(index)


def _displayable(image):
    """Scales an image to [0, 1] floats for imshow, whatever its dtype and range."""
    image = np.asarray(image, dtype=np.float32)
    return np.clip(image / 255.0 if image.max() > 1.0 else image, 0.0, 1.0)


def _grid(images, titles, colors):
    rows = int(np.ceil(len(images) / 3))
    figure, axes = plt.subplots(rows, 3, figsize=(13, 13 * rows / 3), squeeze=False)
    for ax, image, title, color in zip(axes.flat, images, titles, colors):
        ax.imshow(_displayable(image), cmap='gray' if np.asarray(image).shape[-1] == 1 else None)
        ax.set_title(title, fontsize=16, color=color)
    for ax in axes.flat:
        ax.axis('off')
    figure.tight_layout()
    plt.show()


def display_9_images_from_dataset(dataset, classes=FLOWER_CLASSES):
    """Shows the first 9 (image, label) pairs of an unbatched dataset, label as title."""
    images, labels = dataset_to_numpy(dataset, 9)
    _grid(images, [_label_text(label, classes) for label in labels], ['black'] * len(images))


def display_9_images_with_predictions(images, predictions, labels, classes=FLOWER_CLASSES):
    """Shows images titled with the predicted class; wrong ones in red, with the right answer."""
    titles, colors = [], []
    for prediction, label in zip(predictions[:9], labels[:9]):
        predicted, correct = _label_text(prediction, classes), _label_text(label, classes)
        titles.append(predicted if predicted == correct else f'{predicted} (should be {correct})')
        colors.append('black' if predicted == correct else 'red')
    _grid(images[:9], titles, colors)


def display_training_curves(history):
    """Plots training and validation loss and accuracy from a Keras History."""
    metrics = [name for name in ('loss', 'accuracy') if name in history.history]
    figure, axes = plt.subplots(1, len(metrics), figsize=(7 * len(metrics), 4), squeeze=False)
    for ax, name in zip(axes.flat, metrics):
        ax.plot(history.history[name], label='training')
        if 'val_' + name in history.history:
            ax.plot(history.history['val_' + name], label='validation')
        ax.set_title(f'model {name}')
        ax.set_xlabel('epoch')
        ax.grid(True)
        ax.legend()
    figure.tight_layout()
    plt.show()


def plot_learning_rate(lr_function, epochs):
    """Plots the learning rate lr_function(epoch) for epochs 0 .. epochs-1."""
    x = np.arange(epochs)
    y = [lr_function(epoch) for epoch in x]
    plt.figure(figsize=(7, 3))
    plt.plot(x, y, marker='o')
    plt.title(f'Learning rate schedule: {y[0]:.3g} to {y[-1]:.3g}')
    plt.xlabel('epoch')
    plt.ylabel('learning rate')
    plt.grid(True)
    plt.show()


class PlotTraining(keras.callbacks.Callback):
    """Live chart of loss and accuracy while a model trains in a notebook.

    Training values are sampled every `sample_rate` batches; validation values
    are added and the chart redrawn at the end of each epoch. `zoom` narrows the
    accuracy axis to [1 - 1/zoom, 1] so that the last percents stay visible.
    """

    def __init__(self, sample_rate=1, zoom=1):
        super().__init__()
        self.sample_rate = sample_rate
        self.zoom = zoom

    def on_train_begin(self, logs=None):
        self.batches = 0
        self.samples = {'loss': [], 'accuracy': []}
        self.validation = {'val_loss': [], 'val_accuracy': []}
        self.figure, self.axes = plt.subplots(1, 2, figsize=(14, 4))
        self.handle = display(self.figure, display_id=True)
        plt.close(self.figure)  # Shown through the handle only, not again when the cell ends.

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        if self.batches % self.sample_rate == 0:
            for name, values in self.samples.items():
                if name in logs:
                    values.append((self.batches, float(logs[name])))

    def on_epoch_end(self, epoch, logs=None):
        for name, values in self.validation.items():
            if name in logs:
                values.append((self.batches, float(logs[name])))
        self._draw()

    def _draw(self):
        for ax, name in zip(self.axes, ('loss', 'accuracy')):
            ax.clear()
            for series, label in ((self.samples[name], 'training'),
                                  (self.validation['val_' + name], 'validation')):
                if series:
                    ax.plot(*zip(*series), label=label, marker='o' if label == 'validation' else None)
            ax.set_title(name)
            ax.set_xlabel('batch')
            ax.grid(True)
            if name == 'accuracy':
                ax.set_ylim(1 - 1 / self.zoom, 1)
            if ax.lines:
                ax.legend()
        self.figure.tight_layout()
        if self.handle is not None:
            self.handle.update(self.figure)
