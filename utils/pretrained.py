"""Build a Keras application with ImageNet weights when they can be had, else untrained."""


def pretrained_model(application, **kwargs):
    """Returns application(weights='imagenet', **kwargs), or weights=None if that fails.

    `application` is a constructor such as tf.keras.applications.MobileNetV2.
    The ImageNet weights load from the Keras cache (~/.keras/models, or
    $KERAS_HOME/models) or are downloaded there; without network access and
    without a cached copy, the model is built with random weights instead and a
    notice says so: it trains, but transfer learning then has nothing to transfer.
    The returned model's `imagenet_weights` attribute says which happened (True
    or False), for code that reports results.
    """
    try:
        model = application(weights='imagenet', **kwargs)
    except Exception as error:  # get_file raises a bare Exception when the download fails.
        print(f'NOTICE: the ImageNet weights of {application.__name__} could not be loaded '
              f'({type(error).__name__}: {str(error)[:200]}).\n'
              'The model starts from random weights instead: it will run, but reach a much lower '
              'accuracy than with pretrained weights (on Colab, or online, they load by themselves).')
        model = application(weights=None, **kwargs)
        model.imagenet_weights = False
    else:
        model.imagenet_weights = True
    return model
