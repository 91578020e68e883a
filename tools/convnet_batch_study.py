"""Why does Part 3's convnet learn more slowly per epoch at a TPU's batch? Measure it.

    python tools/convnet_batch_study.py --batch 128 --learning-rate 0.0085 --epochs 4
    python tools/convnet_batch_study.py --batch 128 --learning-rate 0.024 --batch-norm-momentum 0.9227 --epochs 4
    python tools/convnet_batch_study.py --batch 128 --learning-rate 0.024 --warmup-epochs 2 --epochs 2

Trains the model of the Part 3 solution notebook (its `create_model` cell, run
as it is) on the full flowers TFRecords, on TensorFlow, with the notebook's
data pipeline, augmentation and learning-rate schedule, and prints after each
epoch, as one JSON line:
  * the training accuracy, as Keras reports it;
  * the validation accuracy as the notebook measures it (batch normalization
    using its moving averages);
  * the validation accuracy with batch normalization using each validation
    batch's own statistics (the moving averages are restored afterwards): when
    this is much higher than the previous figure, the weights are good and only
    the moving averages lag behind them;
  * for each convolution, how far its weights moved during the epoch (the
    norm of the change over the norm at the start of the epoch), and how many
    of its channels are dead after the relu that follows it (zero on every
    pixel of a validation batch): Adam moves every weight by about the
    learning rate at each step, whatever its size, and a layer without batch
    normalization after it has nothing to undo a step that is too large.
At the end it appends a row with these figures by epoch to benchmarks/RESULTS.md.

On the JAX backend, data parallelism computes batch-norm statistics over the
global batch, so one process at batch 128 is the same computation as 8 cores
at 16 images each.
"""
import argparse
import ast
import datetime
import json
import os
import pathlib
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOLUTION = ROOT / 'notebooks' / '03_convnets_solution.ipynb'


def solution_functions(name):
    """The function definitions of the solution notebook's code cell that defines `name` (nothing else)."""
    import nbformat
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        if cell.cell_type == 'code' and f'def {name}(' in cell.source:
            body = ast.parse(cell.source).body
            return '\n\n'.join(ast.get_source_segment(cell.source, node) for node in body
                                 if isinstance(node, ast.FunctionDef))
    raise SystemExit(f'{SOLUTION.name} has no cell defining {name}().')


def batch_statistics_accuracy(model, dataset):
    """Accuracy with batch normalization in training mode, moving averages left as they were."""
    import numpy as np
    saved = [variable.numpy() for variable in model.non_trainable_variables]
    correct = total = 0
    for images, labels in dataset:
        probabilities = model(images, training=True)
        correct += int(np.sum(np.argmax(probabilities, axis=1) == np.argmax(labels, axis=1)))
        total += len(labels)
    for variable, value in zip(model.non_trainable_variables, saved):
        variable.assign(value)
    return correct / total


def convolutions_and_relus(model):
    """Each Conv2D of the Sequential model, with the layer whose output is its relu (itself, or a later one)."""
    pairs, convolution = [], None
    for layer in model.layers:
        if type(layer).__name__ == 'Conv2D':
            convolution = layer
        activation = getattr(getattr(layer, 'activation', None), '__name__', None)
        if convolution is not None and activation == 'relu':
            pairs.append((convolution, layer))
            convolution = None
    return pairs


def dead_channel_counts(model, pairs, images):
    """For each (convolution, relu) pair: how many channels of the relu's output are zero on all of `images`."""
    import keras
    import numpy as np
    probe = keras.Model(model.inputs[0], [relu.output for _, relu in pairs])
    return [int(np.sum(np.max(np.asarray(output), axis=(0, 1, 2)) <= 0)) for output in probe(images, training=False)]


def weight_change(before, layer):
    import numpy as np
    after = layer.kernel.numpy()
    return round(float(np.linalg.norm(after - before) / np.linalg.norm(before)), 3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--learning-rate', type=float, default=0.003)
    parser.add_argument('--decay', type=float, default=0.85, help='learning-rate factor per epoch')
    parser.add_argument('--warmup-epochs', type=int, default=0, help='linear ramp-up from 0 over these epochs')
    parser.add_argument('--batch-norm-momentum', type=float, default=0.99,
                        help="the model's BATCH_NORM_MOMENTUM (the notebook's on one replica: 0.99)")
    parser.add_argument('--epochs', type=int, default=20)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    import keras
    import tensorflow as tf

    from utils.data_sources import FLOWER_CLASSES, TARGET_SIZE
    from utils.flowers_tfrecords import (
        count_records,
        flowers_tfrecord_files,
        get_training_dataset,
        get_validation_dataset,
        split_by_files,
    )

    keras.utils.set_random_seed(args.seed)
    namespace = {'keras': keras, 'tf': tf, 'TARGET_SIZE': TARGET_SIZE, 'FLOWER_CLASSES': FLOWER_CLASSES,
                 'BATCH_NORM_MOMENTUM': args.batch_norm_momentum}
    exec(solution_functions('augment'), namespace)
    exec(solution_functions('create_model'), namespace)
    training_files, validation_files = split_by_files(flowers_tfrecord_files(), 0.19)
    steps_per_epoch = count_records(training_files) // args.batch
    training = get_training_dataset(training_files, args.batch, one_hot_labels=True, augment=namespace['augment'])
    validation = get_validation_dataset(validation_files, args.batch, one_hot_labels=True)

    model = namespace['create_model']()
    pairs = convolutions_and_relus(model)
    probe_images = next(iter(validation))[0]

    def learning_rate(epoch):
        if epoch < args.warmup_epochs:
            return args.learning_rate * (epoch + 1) / (args.warmup_epochs + 1)
        return args.learning_rate * args.decay ** (epoch - args.warmup_epochs)

    model.compile(optimizer=keras.optimizers.Adam(learning_rate=args.learning_rate),
                  loss='categorical_crossentropy', metrics=['accuracy'])
    print(json.dumps({'settings': vars(args), 'steps per epoch': steps_per_epoch}), flush=True)
    started, epochs = datetime.datetime.now(datetime.UTC), []
    for epoch in range(args.epochs):
        model.optimizer.learning_rate.assign(learning_rate(epoch))
        kernels = [convolution.kernel.numpy() for convolution, _ in pairs]
        start = time.perf_counter()
        history = model.fit(training, steps_per_epoch=steps_per_epoch, initial_epoch=epoch, epochs=epoch + 1,
                            verbose=0, shuffle=False)
        seconds = time.perf_counter() - start
        validation_loss, validation_accuracy = model.evaluate(validation, verbose=0)
        epochs.append({
            'epoch': epoch + 1, 'learning rate': round(learning_rate(epoch), 6),
            'training accuracy %': round(100 * history.history['accuracy'][-1], 1),
            'validation accuracy %': round(100 * validation_accuracy, 1),
            'validation loss': round(validation_loss, 2),
            'validation accuracy with batch statistics %': round(
                100 * batch_statistics_accuracy(model, validation), 1),
            'weight change by convolution': '/'.join(
                str(weight_change(kernel, convolution)) for kernel, (convolution, _) in zip(kernels, pairs)),
            'dead channels by convolution': '/'.join(
                f'{dead} of {convolution.filters}' for dead, (convolution, _) in
                zip(dead_channel_counts(model, pairs, probe_images), pairs)),
            'training s': round(seconds, 1)})
        print(json.dumps(epochs[-1]), flush=True)
    record(started, args, steps_per_epoch, epochs)


def record(started, args, steps_per_epoch, epochs):
    """Appends the study's row to benchmarks/RESULTS.md."""
    import bench
    by_epoch = '; '.join(f'{name} by epoch ' + ', '.join(str(epoch[name]) for epoch in epochs)
                         for name in ('training accuracy %', 'validation accuracy %',
                                      'validation accuracy with batch statistics %', 'validation loss',
                                      'weight change by convolution', 'dead channels by convolution'))
    settings = (f'batch size {args.batch}; steps per epoch {steps_per_epoch}; learning rate {args.learning_rate:g} '
                f'x {args.decay:g} per epoch, warm-up epochs {args.warmup_epochs}; '
                f'batch-norm momentum {args.batch_norm_momentum:g}; seed {args.seed}')
    command = 'python tools/convnet_batch_study.py ' + ' '.join(sys.argv[1:])
    minutes = sum(epoch['training s'] for epoch in epochs) / 60
    bench.append_result(f'| {started:%Y-%m-%d %H:%M} | Part 3 model, `{command}` | {settings}; {by_epoch}; '
                        f'backend tensorflow | {minutes:.1f} min training | {bench.cpu_description()} | '
                        f'{os.environ.get("CODELAB_DATA_DIR", "default lookup (cache or download)")} |')


if __name__ == '__main__':
    main()
