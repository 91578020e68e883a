"""utils/training_time.py: the estimate after the first epoch, and the short fine-tuning without an accelerator."""
import keras
import numpy as np
import pytest

from utils.training_time import RemainingTime, count_of, duration, fine_tuning_length


@pytest.mark.parametrize('seconds, text', [(45, '45 s'), (600, '10 min'), (3 * 3600, '3.0 h')])
def test_durations_read_naturally(seconds, text):
    assert duration(seconds) == text


def test_counts_of_one_are_singular():
    assert (count_of(1, 'step'), count_of(0, 'step'), count_of(23, 'epoch')) == ('1 step', '0 steps', '23 epochs')


def _fit(epochs, initial_epoch=0):
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer='sgd', loss='mse')
    model.fit(np.zeros((8, 2)), np.zeros(8), epochs=epochs, initial_epoch=initial_epoch, verbose=0,
              callbacks=[RemainingTime()])


def test_the_estimate_comes_once_after_the_first_epoch(capsys):
    _fit(epochs=4)
    lines = [line for line in capsys.readouterr().out.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith('The first epoch took ')
    assert ': the 3 others should take about ' in lines[0]


def test_a_resumed_training_counts_from_its_first_epoch(capsys):
    _fit(epochs=5, initial_epoch=3)
    assert ': the other one should take' in capsys.readouterr().out
    _fit(epochs=1)
    assert capsys.readouterr().out == ''  # nothing left to estimate


def test_without_an_accelerator_fine_tuning_is_a_demonstration(capsys):
    assert fine_tuning_length('TPU', 12, 186, full_on_cpu=False) == (12, 186)
    assert fine_tuning_length('GPU', 12, 186, full_on_cpu=False) == (12, 186)
    assert capsys.readouterr().out == ''
    assert fine_tuning_length('CPU', 12, 186, full_on_cpu=False) == (2, 5)
    out = capsys.readouterr().out
    assert 'No GPU or TPU here: on a CPU, 12 epochs of 186 steps would take' in out
    assert 'a demonstration instead, 2 epochs of 5 steps:' in out
    assert fine_tuning_length('CPU', 1, 3, full_on_cpu=False) == (1, 3)  # already shorter: kept
    assert 'a demonstration instead, 1 epoch of 3 steps:' in capsys.readouterr().out
    assert fine_tuning_length('CPU', 12, 186, full_on_cpu=True) == (12, 186)
