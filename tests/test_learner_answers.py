"""Every answer check on every learner answer of the corpus in tests/learner_answers/.

The corpus holds, for every exercise, plausible mistakes and valid answers written differently
from the solution, each with the verdict a teacher would give. Each answer runs as
tests/test_answer_checks.py runs an exercise: the notebook's cells from its first exercise on, as
the solution shows them, with the learner's cell in place of the exercise's, down to the
exercise's check. No training. Each answer must get:

* 'pass' answers: only ✓ lines from the check;
* 'fail' answers: at least one ✗ line, matching the answer's `hint` (the real cause);
* never an exception from the check, but for check_classifier's ValueError (a model whose input
  or output does not fit the data: the next cells could not run), which counts as a ✗ with its
  message.

A learner cell, or a cell after it, that raises does not stop the run: the learner would still
run the check for a hint, on what the cell defined before raising. A valid answer must not raise.
A cell that runs for more than CHECK_SECONDS is stopped: in the check, that is a crash (a hang).
The cells before the exercise run once per exercise; each answer gets a copy of their namespace.

    python -m tests.test_learner_answers   # a summary of the misjudged answers, by kind
"""
import contextlib
import gc
import importlib
import io
import os
import pathlib
import pkgutil
import re
import signal
import sys
import tempfile
import traceback

import keras
import matplotlib.pyplot as plt
import pytest

from tests import learner_answers
from tests.test_answer_checks import SKIPPED, SOURCES, _code_cells, exercises, notebook_namespace
from tools import playground

CORPUS = [importlib.import_module(f'{learner_answers.__name__}.{module.name}')
          for module in pkgutil.iter_modules(learner_answers.__path__)]
FEWEST_ANSWERS_PER_EXERCISE = (5, 3)  # at least 5 mistakes and 3 valid answers for every exercise
# Exceptions that a check raises on purpose: (function raising it, exception type).
DOCUMENTED_RAISES = {('check_classifier', ValueError)}
CHECK_SECONDS = 120  # a cell that takes longer (an endless dataset read to its end, say) has hung: in a check, a crash


class CheckTimeout(Exception):
    """Raised in a cell that ran longer than CHECK_SECONDS."""


@contextlib.contextmanager
def _time_limit(seconds):
    def stop(signum, frame):
        raise CheckTimeout(f'the cell ran for more than {seconds} s')
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _source(notebook):
    return next(path for path in SOURCES if path.stem == notebook)


def locate(module):
    """{exercise id: (source path, index of the WORK REQUIRED cell, index of its check)} for a corpus module."""
    path = _source(module.NOTEBOOK)
    cells, found = _code_cells(path), {}
    for exercise, pattern in module.EXERCISES.items():
        matches = [(start, check) for start, check in exercises(path) if re.search(pattern, cells[start], re.S)]
        assert len(matches) == 1, (f'{module.NOTEBOOK}/{exercise}: the pattern {pattern!r} matches '
                                   f'{len(matches)} WORK REQUIRED cells, not 1')
        found[exercise] = (path, *matches[0])
    return found


ANSWERS = [(module, item) for module in CORPUS for item in module.ANSWERS]
IDS = [f"{module.NOTEBOOK}/{item['exercise']}/{item['name']}" for module, item in ANSWERS]

_prefixes = {}  # (notebook, start) -> the namespace after the cells before the exercise


def _run_cell(source, namespace, label, output):
    """Runs one cell's source in the namespace, its stdout into `output`; returns the exception, if any."""
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(source, label, 'exec'), namespace)
    except Exception as error:  # the learner's cell raised: note it, go on as a learner would
        return error
    finally:
        plt.close('all')  # as Jupyter's inline backend does after each cell
    return None


def _prefix(path, start, folder):
    """The namespace of the cells from the notebook's first exercise to just before this one (solutions)."""
    key = (path.stem, start)
    if key not in _prefixes:
        namespace, cells = notebook_namespace(path, folder), _code_cells(path)
        for index in range(exercises(path)[0][0], start):
            if SKIPPED.search(cells[index]) and not playground.has_solution(cells[index]):
                continue
            error = _run_cell(playground.solution_source(cells[index]), namespace, f'<{path.name} cell {index}>',
                              io.StringIO())
            if error is not None:
                raise error
        _prefixes[key] = namespace
    return dict(_prefixes[key])


def _documented(error):
    frames = [frame.name for frame in traceback.extract_tb(error.__traceback__)]
    return any(name in frames and isinstance(error, kind) for name, kind in DOCUMENTED_RAISES)


def run_answer(path, start, check, code, folder):
    """What happens when the learner's cell replaces the exercise's: {'cell_errors', 'output', 'error'}."""
    namespace, cells = _prefix(path, start, folder), _code_cells(path)
    cell_errors, output = [], io.StringIO()
    for index in range(start, check):
        source = code if index == start else playground.solution_source(cells[index])
        with _time_limit(CHECK_SECONDS):
            error = _run_cell(source, namespace, f'<{path.name} cell {index}>', io.StringIO())
        if error is not None:
            cell_errors.append(f'cell {index}: {type(error).__name__}: {error}'[:300])
    with _time_limit(CHECK_SECONDS):
        error = _run_cell(cells[check], namespace, f'<{path.name} check>', output)
    keras.mixed_precision.set_global_policy('float32')  # whatever the cell left
    return {'cell_errors': cell_errors, 'output': output.getvalue(), 'error': error}


def judge(item, outcome):
    """(kind, explanation): kind is 'right' or how the answer was misjudged."""
    error, output = outcome['error'], outcome['output']
    if isinstance(error, NameError) and outcome['cell_errors']:
        return 'not reached', f'the check did not run ({error}) after {outcome["cell_errors"]}: fix the corpus'
    if error is not None and not _documented(error):
        return 'crash', ''.join(traceback.format_exception(error))[-1500:]
    crosses = [line for line in output.splitlines() if line.startswith('✗')]
    ticks = [line for line in output.splitlines() if line.startswith('✓')]
    if error is not None:
        crosses.append(f'✗ {type(error).__name__}: {error}')
    if item['verdict'] == 'pass':
        if outcome['cell_errors']:
            return 'valid answer raised', f'{outcome["cell_errors"]}: fix the corpus (or the notebook)'
        if crosses:
            return 'false ✗', '\n'.join(crosses)
        if not ticks:
            return 'silent', output[-1000:]
        return 'right', ''
    if not crosses:
        return 'false ✓', output[-1000:] or 'nothing printed'
    if item['hint'] and not re.search(item['hint'], '\n'.join(crosses), re.I):
        return 'hint elsewhere', f'the hint should match {item["hint"]!r}:\n' + '\n'.join(crosses)
    return 'right', ''


def _environment(folder):
    """Working folder and cache of the runs (Part 1 writes its TFRecords in the working folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chdir(folder)
    os.environ['CODELAB_CACHE_DIR'] = str(folder / 'cache')


@pytest.fixture(scope='module')
def corpus_folder(tmp_path_factory):
    folder, cwd, cache = tmp_path_factory.mktemp('learner_answers'), os.getcwd(), os.environ.get('CODELAB_CACHE_DIR')
    yield folder
    os.chdir(cwd)
    if cache is None:
        os.environ.pop('CODELAB_CACHE_DIR', None)
    else:
        os.environ['CODELAB_CACHE_DIR'] = cache


def _run(module, item, folder):
    path, start, check = locate(module)[item['exercise']]
    _environment(folder / module.NOTEBOOK)
    outcome = run_answer(path, start, check, item['code'], folder / module.NOTEBOOK / 'data')
    keras.backend.clear_session()
    gc.collect()
    return outcome


@pytest.mark.parametrize('module, item', ANSWERS, ids=IDS)
def test_the_check_judges_the_learner_answer_right(module, item, corpus_folder):
    outcome = _run(module, item, corpus_folder)
    kind, explanation = judge(item, outcome)
    assert kind == 'right', f"{kind}: {item['why']} (expected: {item['verdict']})\n{explanation}"


@pytest.mark.parametrize('module', CORPUS, ids=[module.NOTEBOOK for module in CORPUS])
def test_every_exercise_has_enough_answers(module):
    fewest_mistakes, fewest_valid = FEWEST_ANSWERS_PER_EXERCISE
    located = locate(module)
    path = _source(module.NOTEBOOK)
    assert sorted(start for _, start, _ in located.values()) == [start for start, _ in exercises(path)], \
        f'{module.NOTEBOOK}: exercises without an entry in EXERCISES'
    names = [(item['exercise'], item['name']) for item in module.ANSWERS]
    assert len(names) == len(set(names)), 'two answers of an exercise have the same name'
    for exercise in located:
        verdicts = [item['verdict'] for item in module.ANSWERS if item['exercise'] == exercise]
        assert verdicts.count('fail') >= fewest_mistakes and verdicts.count('pass') >= fewest_valid, \
            f'{module.NOTEBOOK}/{exercise}: {verdicts.count("fail")} mistakes, {verdicts.count("pass")} valid answers'


def test_every_notebook_has_its_corpus():
    assert sorted(module.NOTEBOOK for module in CORPUS) == sorted(
        path.stem for path in SOURCES if exercises(path))


def main(argv):
    """Runs the corpus (or the answers whose id contains one of argv) and prints the misjudged ones, by kind."""
    folder, results = pathlib.Path(tempfile.mkdtemp(prefix='learner_answers_')), {}
    for (module, item), answer_id in zip(ANSWERS, IDS):
        if argv and not any(word in answer_id for word in argv):
            continue
        kind, explanation = judge(item, _run(module, item, folder))
        results[answer_id] = kind
        if kind != 'right':
            print(f'--- {answer_id}: {kind} (expected {item["verdict"]}: {item["why"]})\n{explanation}\n',
                  flush=True)
    kinds, exercise_counts = {}, {}
    for answer_id, kind in results.items():
        kinds[kind] = kinds.get(kind, 0) + 1
        counts = exercise_counts.setdefault(answer_id.rsplit('/', 1)[0], [0, 0])
        counts[0] += 1
        counts[1] += kind != 'right'
    for exercise, (count, misjudged) in exercise_counts.items():
        print(f'{exercise}: {count} answers, {misjudged} misjudged')
    wrong = len(results) - kinds.get('right', 0)
    print(f'{len(results)} answers, {wrong} misjudged:', ', '.join(f'{count} {kind}' for kind, count in
                                                                    sorted(kinds.items()) if kind != 'right'))
    return 1 if wrong else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
