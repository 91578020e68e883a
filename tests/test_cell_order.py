from IPython.core.interactiveshell import InteractiveShell

from tools import helper_cells
from utils import cell_order


def test_a_name_error_says_which_cell_to_run(monkeypatch, capsys):
    shell = InteractiveShell.instance()
    monkeypatch.setattr(cell_order, 'get_ipython', lambda: shell)
    try:
        cell_order.explain_missing_names({'display_9_images_from_dataset': 'the hidden cell "Display utilities"'})
        shell.run_cell('display_9_images_from_dataset(dataset)')
        out = capsys.readouterr().out
        assert 'NameError' in out
        assert ('"display_9_images_from_dataset" is defined in the hidden cell "Display utilities". '
                'Run that cell first') in out
        shell.run_cell('some_unknown_name')
        out = capsys.readouterr().out
        assert 'NameError' in out and 'Run that cell first' not in out
    finally:
        shell.set_custom_exc((), None)


def test_outside_ipython_nothing_happens(monkeypatch):
    monkeypatch.setattr(cell_order, 'get_ipython', lambda: None)
    cell_order.explain_missing_names({'x': 'somewhere'})


def test_name_locations():
    hidden = '\n'.join(['#@title Plots [RUN ME]', helper_cells.GENERATED_LINE.format(module='utils/plots.py'),
                        'def show(): pass'])
    cells = [
        ('markdown', '# Title'),
        ('code', 'import numpy as np\nimport tensorflow as tf'),
        ('code', hidden),
        ('markdown', 'Some text\n## Model [WORK REQUIRED]\nmore text'),
        ('code', 'model, other = build()\nfor step in range(3): pass\n'
                 'model.trainable = False\nmodel[0] = 1\n_private = 1'),
        ('markdown', 'text without heading'),
        ('code', 'def train(): pass\nmodel = 2\n%matplotlib inline'),
        ('code', 'def evaluate(): pass'),
    ]
    assert helper_cells.name_locations(cells) == {
        'np': 'the cell under the heading "Title"',
        'tf': 'the cell under the heading "Title"',
        'show': 'the hidden cell "Plots [RUN ME]" near the top of the notebook',
        'model': 'the cell under the heading "Model [WORK REQUIRED]"',
        'other': 'the cell under the heading "Model [WORK REQUIRED]"',
        'step': 'the cell under the heading "Model [WORK REQUIRED]"',
        'evaluate': 'the cell under the heading "Model [WORK REQUIRED]"',
    }


def test_names_assigned_inside_a_with_block_are_defined_by_its_cell():
    source = ('with strategy.scope():\n    squeezenet = create_squeezenet()\n    squeezenet.compile()\n'
              'with open("f") as file, lock:\n    text, _rest = file.read(), 1\n')
    assert helper_cells.defined_names(source) == ['squeezenet', 'file', 'text']
