"""How long a training takes: an estimate after the first epoch, and a short run where there is no accelerator."""
import time

import keras

# Without a GPU or TPU, fine-tuning Xception is a demonstration: at most this many epochs of this many steps.
CPU_DEMONSTRATION_EPOCHS = 2
CPU_DEMONSTRATION_STEPS = 5


def count_of(count, noun):
    """'1 step', '5 steps': a count and its noun, singular or plural (nouns taking an s)."""
    return f'{count} {noun}' + ('' if count == 1 else 's')


def duration(seconds):
    """'45 s', '12 min' or '3.5 h'."""
    if seconds < 90:
        return f'{seconds:.0f} s'
    if seconds < 90 * 60:
        return f'{seconds / 60:.0f} min'
    return f'{seconds / 3600:.1f} h'


class RemainingTime(keras.callbacks.Callback):
    """After the first epoch, prints how long the remaining epochs should take."""

    def on_train_begin(self, logs=None):
        self._first_epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        if self._first_epoch is None:
            self._first_epoch, self._started = epoch, time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        remaining = self.params['epochs'] - epoch - 1
        if epoch == self._first_epoch and remaining > 0:
            seconds = time.perf_counter() - self._started
            others = 'the other one' if remaining == 1 else f'the {remaining} others'
            print(f'The first epoch took {duration(seconds)}: {others} should take about '
                  f'{duration(seconds * remaining)} (a little less, as the first one also compiles the model).')


def fine_tuning_length(accelerator, epochs, steps, full_on_cpu):
    """(epochs, steps per epoch) to fine-tune: all of them with an accelerator, a demonstration without."""
    if accelerator != 'CPU' or full_on_cpu:
        return epochs, steps
    short_epochs, short_steps = min(epochs, CPU_DEMONSTRATION_EPOCHS), min(steps, CPU_DEMONSTRATION_STEPS)
    print(f'No GPU or TPU here: on a CPU, {count_of(epochs, "epoch")} of {count_of(steps, "step")} would take '
          f'many hours. This is a demonstration instead, {count_of(short_epochs, "epoch")} of '
          f'{count_of(short_steps, "step")}: it shows the training work, not '
          'what it can reach. For the real thing, choose a GPU or TPU runtime (Runtime > Change runtime type) '
          'and run the notebook again, or set FULL_FINE_TUNING_ON_CPU = True.')
    return short_epochs, short_steps
