"""Catch a classifier whose output does not fit the labels, before training starts."""


def check_classifier(model, classes):
    """Raises ValueError unless the model outputs one probability per class.

    Without this check, a wrong last layer (say Dense(10) for 5 classes) only
    fails inside model.fit, with a message about tensor shapes.
    """
    outputs = getattr(model, 'outputs', None)
    if not outputs:
        raise ValueError('The model has no defined output yet: start it with keras.Input(shape=...) '
                         'so that Keras knows the shape of its input.')
    shape = tuple(outputs[0].shape)
    if len(outputs) != 1 or len(shape) != 2 or shape[-1] != len(classes):
        raise ValueError(
            f'The model outputs shape {shape}, but there are {len(classes)} classes: its last layer '
            f'should be Dense({len(classes)}, activation="softmax"), giving shape (None, {len(classes)}).')
    print(f'The model outputs {len(classes)} class probabilities: good.')
