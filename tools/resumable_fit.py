"""Make every `fit` of a notebook resumable, for benchmark runs longer than one sitting.

tools/bench.py --resumable adds a cell after the notebook's imports that calls
`install(folder)`. From then on, each `keras.Model.fit` call of the notebook
(numbered in the order they run: fit-1, fit-2, ...) gets its own subfolder with

* a `keras.callbacks.BackupAndRestore` backup of the weights, the optimizer
  state and the epoch, written after every epoch. When the notebook runs again,
  the same fit call starts from there. The backup is kept after the last epoch,
  so a fit that had finished trains no further on a rerun;
* `history.csv`, written by `keras.callbacks.CSVLogger`: one row per epoch,
  appended across runs, with the epoch's duration in seconds (`epoch_seconds`).

The `History` that `fit` returns is rebuilt from `history.csv`, so the notebook
sees every epoch of every run, as if it had trained in one go. The rest of the
notebook runs again on each rerun: only the training is carried over.
"""
import csv
import itertools
import pathlib
import time

import keras

HISTORY_FILE = 'history.csv'
BACKUP_FOLDER = 'backup'


class EpochTimer(keras.callbacks.Callback):
    """Adds each epoch's duration in seconds to its logs, as `epoch_seconds`."""

    def on_epoch_begin(self, epoch, logs=None):
        self._started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs['epoch_seconds'] = time.perf_counter() - self._started


def read_history(path):
    """{metric: [value per epoch]} and the epoch numbers from a CSVLogger file.

    An epoch logged twice (a run stopped after its row was written but before
    its backup was) keeps its last row.
    """
    with open(path, newline='') as file:
        rows = {int(row['epoch']): row for row in csv.DictReader(file)}
    epochs = sorted(rows)
    keys = [key for key in (rows[epochs[0]] if epochs else {}) if key != 'epoch']
    return {key: [float(rows[epoch][key]) for epoch in epochs] for key in keys}, epochs


def install(folder):
    """Replaces `keras.Model.fit` by a resumable version backed up under `folder`."""
    folder = pathlib.Path(folder)
    original_fit = keras.Model.fit
    call_numbers = itertools.count(1)

    def resumable_fit(model, *args, callbacks=None, **kwargs):
        fit_folder = folder / f'fit-{next(call_numbers)}'
        fit_folder.mkdir(parents=True, exist_ok=True)
        log = fit_folder / HISTORY_FILE
        callbacks = [*(callbacks or []), EpochTimer(), keras.callbacks.CSVLogger(str(log), append=True),
                     keras.callbacks.BackupAndRestore(str(fit_folder / BACKUP_FOLDER), delete_checkpoint=False)]
        history = original_fit(model, *args, callbacks=callbacks, **kwargs)
        if log.exists():
            history.history, history.epoch = read_history(log)
        return history

    keras.Model.fit = resumable_fit


def training_seconds(folder):
    """The seconds of every epoch logged under `folder`, all fit calls and runs together."""
    return sum(sum(read_history(log)[0].get('epoch_seconds', []))
               for log in sorted(pathlib.Path(folder).glob(f'fit-*/{HISTORY_FILE}')))
