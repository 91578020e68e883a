import keras
import pytest

from utils.data_sources import FLOWER_CLASSES as CLASSES
from utils.model_checks import check_classifier


def _model(*layers):
    return keras.Sequential([keras.Input(shape=[8, 8, 3]), *layers])


def test_a_good_classifier_passes(capsys):
    check_classifier(_model(keras.layers.Flatten(), keras.layers.Dense(5, activation='softmax')), CLASSES)
    assert 'outputs 5 class probabilities' in capsys.readouterr().out


@pytest.mark.parametrize('layers, shape', [
    ([keras.layers.Flatten(), keras.layers.Dense(10)], '(None, 10)'),
    ([keras.layers.Dense(5)], '(None, 8, 8, 5)'),
])
def test_a_wrong_output_shape_says_what_to_fix(layers, shape):
    with pytest.raises(ValueError) as error:
        check_classifier(_model(*layers), CLASSES)
    assert f'outputs shape {shape}' in str(error.value)
    assert 'Dense(5, activation="softmax")' in str(error.value)


def test_a_model_without_input_is_explained():
    with pytest.raises(ValueError, match=r'start it with keras\.Input'):
        check_classifier(keras.Sequential([keras.layers.Dense(5)]), CLASSES)
