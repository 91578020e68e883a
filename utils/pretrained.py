"""Build a Keras application with ImageNet weights when they can be had, else untrained."""
import contextlib
import importlib
import os
import sys

from utils.data_sources import download_timeout


def pretrained_model(application, **kwargs):
    """Returns application(weights='imagenet', **kwargs), or weights=None if the weights cannot be had.

    `application` is a constructor such as keras.applications.MobileNetV2.
    The ImageNet weights load from the Keras cache (~/.keras/models, or
    $KERAS_HOME/models) or are downloaded there. A cached file that does not load
    (say, from a download cut short) is deleted and downloaded once more. When
    the weights cannot be had (no network access, a download that fails or
    stalls: see download_timeout), the model is built with random weights
    instead and a notice says so: it trains, but transfer learning then has
    nothing to transfer. The returned model's `imagenet_weights` attribute says
    which happened (True or False), for code that reports results.

    Arguments that `application` refuses (say, include_top=True with classes=5,
    or an input_shape without its channels) raise a ValueError that says what to
    change: those are mistakes to fix, not missing weights.
    """
    with download_timeout():
        model, problem = _imagenet_model(application, kwargs)
    if model is None:
        print(f'NOTICE: the ImageNet weights of {application.__name__} could not be loaded ({problem}).\n'
              'The model starts from random weights instead: it will run, but reach a much lower '
              'accuracy than with pretrained weights (on Colab, or online, they load by themselves).')
        model = application(weights=None, **kwargs)
    model.imagenet_weights = problem is None
    return model


def _imagenet_model(application, kwargs):
    """Returns (application(weights='imagenet', **kwargs), None), or (None, why the weights could not be had).

    Which weights file Keras asked for, and whether it got one, tells the three
    failures apart: an error before any file was asked for comes from the
    arguments (raised as a ValueError); one inside the request is a failed
    download; one after the file was found is a damaged file, deleted and
    downloaded once more.
    """
    file_utils = _weights_file_module(application)
    if file_utils is None:  # Another Keras than expected: any failure counts as missing weights.
        try:
            return application(weights='imagenet', **kwargs), None
        except Exception as error:  # get_file raises a bare Exception when the download fails.
            return None, _describe(error)
    for retry in (False, True):
        with _recorded_requests(file_utils) as request:
            try:
                return application(weights='imagenet', **kwargs), None
            except Exception as error:  # get_file raises a bare Exception when the download fails.
                if not request:
                    raise _argument_error(application, kwargs, error) from None
                if 'path' not in request:
                    return None, f'the file {request["name"]} could not be downloaded: {_describe(error)}'
                damaged, problem = request['path'], _describe(error)
        os.remove(damaged)
        if retry:
            return None, f'the file {damaged} was downloaded again but does not load either ({problem}); it is deleted'
        print(f'NOTICE: the ImageNet weights file {damaged} does not load ({problem}): it is probably '
              'damaged, for example by a download cut short. It is deleted and downloaded again.')


def _weights_file_module(application):
    """The module whose get_file `application` fetches its weights file with, or None if unknown.

    Keras 3's applications call keras.src.utils.file_utils.get_file, a private
    module that other Keras versions may not have.
    """
    try:
        file_utils = importlib.import_module('keras.src.utils.file_utils')
    except ImportError:
        return None
    module = sys.modules.get(getattr(application, '__module__', None))
    if getattr(module, 'file_utils', None) is not file_utils or not hasattr(file_utils, 'get_file'):
        return None
    return file_utils


@contextlib.contextmanager
def _recorded_requests(file_utils):
    """Records, in the yielded dict, the last file_utils.get_file call of the `with` block.

    The dict gets 'name' (the file asked for) when get_file is called, and 'path'
    (where the file is) when get_file returns it.
    """
    get_file = file_utils.get_file
    request = {}

    def recording_get_file(*args, **kwargs):
        request.clear()
        request['name'] = args[0] if args else kwargs.get('fname')
        request['path'] = get_file(*args, **kwargs)
        return request['path']

    file_utils.get_file = recording_get_file
    try:
        yield request
    finally:
        file_utils.get_file = get_file


def _argument_error(application, kwargs, error):
    """A ValueError saying that `application` refused these arguments, and how to fix the usual mistakes."""
    arguments = ', '.join(f'{name}={value!r}' for name, value in kwargs.items())
    lines = [f"{application.__name__}({arguments}) cannot be built with weights='imagenet': {error}"]
    shape = kwargs.get('input_shape')
    if kwargs.get('include_top', True) and (kwargs.get('classes', 1000) != 1000 or shape is not None):
        lines.append("include_top=True (the default) keeps ImageNet's own classifier, which only takes ImageNet's "
                     '1000 classes and image size. For your own classes, use include_top=False and add your own '
                     'Dense layer on top, with one unit per class.')
    if shape is not None and (not isinstance(shape, (list, tuple)) or len(shape) != 3 or shape[-1] != 3):
        lines.append('input_shape is [height, width, channels], for example [192, 192, 3]: the ImageNet weights '
                     'are for colour images, with 3 channels.')
    return ValueError('\n'.join(lines))


def _describe(error):
    """'Type: message' of an exception, cut to 300 characters."""
    return f'{type(error).__name__}: {str(error)[:300]}'
