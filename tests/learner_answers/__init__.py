"""A corpus of learner answers to the notebooks' exercises, each with the verdict a teacher would give.

One module per notebook. Each defines

* NOTEBOOK: the source notebook's stem, e.g. '00_mnist';
* EXERCISES: {exercise id: regular expression}. The expression must match the source of exactly
  one WORK REQUIRED cell of the notebook (its text, markers included): that is how an answer finds
  its exercise, whatever the cell's position;
* ANSWERS: a list of answer(...) dicts.

An answer is what a learner would type in the playground: the full text of the WORK REQUIRED
cell, replacing it. 'pass' answers do what the exercise asks, written differently from the
solution; 'fail' answers are plausible mistakes, with `hint`, a regular expression (searched,
case-insensitive, in the check's ✗ lines) that a hint naming the real cause must match.
Expected verdicts come from the codelab texts and the exercises' instructions, not from what
the checks happen to print. tests/test_learner_answers.py runs them all.
"""


def answer(exercise, name, verdict, code, why, hint=None):
    """One learner answer. verdict: 'pass' or 'fail'; hint: a regex the ✗ message must match."""
    assert verdict in ('pass', 'fail'), verdict
    assert verdict == 'fail' or hint is None, 'only a failing answer has a hint'
    return {'exercise': exercise, 'name': name, 'verdict': verdict, 'code': code.strip('\n') + '\n',
            'why': why, 'hint': hint}
