import ast
import json
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from tools import helper_cells, playground
from tools.helper_cells import BuildError

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / 'tools'))
import build_notebooks  # noqa: E402 (tools/ is a folder of scripts)

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUILDER = ROOT / 'tools' / 'build_notebooks.py'


def run_builder(root, *args):
    return subprocess.run([sys.executable, str(BUILDER), '--root', str(root), *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path):
    """A copy of what the builder reads and writes: notebooks, utils, README, pyproject, files the notebooks link to."""
    for name in ('notebooks', 'utils'):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns('__pycache__'))
    for name in ('README.md', 'pyproject.toml', 'LICENSE', 'benchmarks/RESULTS.md'):  # the last two: linked to
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_repository_is_up_to_date():
    result = run_builder(ROOT, '--check')
    assert result.returncode == 0, result.stderr


def test_check_catches_a_stale_playground(project):
    playground_path = project / 'notebooks' / '01_tfdata_tfrecords_playground.ipynb'
    notebook = json.loads(playground_path.read_text())
    notebook['cells'][2]['source'] = ['# hand-edited\n']
    playground_path.write_text(json.dumps(notebook))
    result = run_builder(project, '--check')
    assert result.returncode == 1
    assert 'stale: notebooks/01_tfdata_tfrecords_playground.ipynb' in result.stderr
    assert run_builder(project).returncode == 0
    assert run_builder(project, '--check').returncode == 0


def test_check_catches_a_stale_hidden_cell(project):
    with open(project / 'utils' / 'speed_test.py', 'a') as module:
        module.write('\n\nSPEED_TEST_VERSION = 2\n')
    result = run_builder(project, '--check')
    assert result.returncode == 1
    assert 'stale: notebooks/01_tfdata_tfrecords_solution.ipynb' in result.stderr
    assert 'stale: notebooks/01_tfdata_tfrecords_playground.ipynb' in result.stderr
    run_builder(project)
    solution = (project / 'notebooks' / '01_tfdata_tfrecords_solution.ipynb').read_text()
    assert 'SPEED_TEST_VERSION = 2' in solution


def test_generated_notebooks_have_no_outputs_and_folded_helpers():
    for path in sorted((ROOT / 'notebooks').glob('*.ipynb')):
        notebook = json.loads(path.read_text())
        for cell in notebook['cells']:
            source = ''.join(cell['source'])
            if cell['cell_type'] == 'code':
                assert cell['outputs'] == [] and cell['execution_count'] is None, path.name
                if helper_cells.generated_module(source):
                    assert cell['metadata']['cellView'] == 'form', path.name

def test_learner_notebooks_have_no_builder_markers():
    """No `### BEGIN SOLUTION`, `### WORK REQUIRED`, `### BASELINE`, `### FROM` in what learners open."""
    learner_notebooks = sorted((ROOT / 'notebooks').glob('*.ipynb'))
    assert len(learner_notebooks) == 2 * len(list((ROOT / 'notebooks' / 'source').glob('*.ipynb')))
    for path in learner_notebooks:
        for cell in json.loads(path.read_text())['cells']:
            if cell['cell_type'] == 'code':
                markers = [line for line in ''.join(cell['source']).splitlines() if line.strip().startswith('### ')]
                assert markers == [], path.name


def test_a_hand_edited_solution_is_stale(project):
    path = project / 'notebooks' / '04_modern_convnets_solution.ipynb'
    path.write_text(path.read_text().replace('def fire(x, squeeze, expand):', 'def fire(x, s, e):'))
    result = run_builder(project, '--check')
    assert result.returncode == 1 and 'stale: notebooks/04_modern_convnets_solution.ipynb' in result.stderr


def test_sources_keep_only_the_origin_of_generated_code(project):
    source = (project / 'notebooks' / 'source' / '01_tfdata_tfrecords.ipynb').read_text()
    assert '# Generated from utils/flowers_tfrecords.py' in source and 'def write_tfrecords(' not in source
    solution = (project / 'notebooks' / '01_tfdata_tfrecords_solution.ipynb').read_text()
    assert 'def write_tfrecords(' in solution


def test_solution_regions():
    source = textwrap.dedent('''\
        x = 1
        ### BEGIN SOLUTION
        ### WORK REQUIRED: build the model.
        ### BASELINE
        # model = small()
        ### END BASELINE
        ### FROM utils/speed_test.py::images_per_second
        def images_per_second(): pass
        model = big()
        ### END SOLUTION
        print(model)''')
    assert playground.solution_source(source) == 'x = 1\ndef images_per_second(): pass\nmodel = big()\nprint(model)'


def test_playground_regions():
    source = textwrap.dedent('''\
        x = 1
        ### BEGIN SOLUTION
        ### WORK REQUIRED: build the model.
        ### BASELINE
        # model = small()
        #
        # model.compile()
        ### END BASELINE
        model = big()
        ### END SOLUTION
        if x:
            ### BEGIN SOLUTION
            y = 2
            ### END SOLUTION
        print(model)''')
    assert playground.playground_source(source) == textwrap.dedent('''\
        x = 1
        # WORK REQUIRED: build the model.
        model = small()

        model.compile()
        if x:
            # WORK REQUIRED: write your code here.
        print(model)''')


@pytest.mark.parametrize('source, problem', [
    ('### BEGIN SOLUTION\nx = 1', 'without ### END SOLUTION'),
    ('x = 1\n### END SOLUTION', 'outside a solution region'),
    ('### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION', 'nested'),
    ('### BEGIN SOLUTION\n### BASELINE\n# a\n### END SOLUTION', 'without ### END BASELINE'),
    ('### BEGIN SOLUTION\n### BASELINE\na = 1\n### END BASELINE\n### END SOLUTION', 'not commented'),
])
def test_unpaired_markers_are_errors(source, problem):
    with pytest.raises(playground.RegionError, match=problem):
        playground.playground_source(source)


def test_hidden_cell_is_the_module_without_package_imports():
    title = '#@title TFRecords [RUN ME]'
    source = helper_cells.refresh_cell(
        title + '\n' + helper_cells.GENERATED_LINE.format(module='utils/flowers_tfrecords.py'), ROOT)
    lines = source.splitlines()
    assert lines[0] == title
    assert not re.search(r'^(from utils\.|import utils)', source, re.MULTILINE)
    assert 'from utils.data_sources import' in (ROOT / 'utils' / 'flowers_tfrecords.py').read_text()
    assert 'def write_tfrecords(' in source
    module = (ROOT / 'utils' / 'flowers_tfrecords.py').read_text()
    assert source.count('\n') < module.count('\n') + 2


def test_function_region_is_refreshed_from_utils():
    source = ('### BEGIN SOLUTION\n### FROM utils/speed_test.py::images_per_second\n'
              'def images_per_second(): pass  # stale\n### END SOLUTION\nrest()')
    refreshed = helper_cells.refresh_cell(source, ROOT)
    assert 'stale' not in refreshed and 'time.perf_counter()' in refreshed
    assert refreshed.endswith('### END SOLUTION\nrest()')
    with pytest.raises(BuildError, match='no top-level function'):
        helper_cells.refresh_cell('### BEGIN SOLUTION\n### FROM utils/speed_test.py::nope\n### END SOLUTION', ROOT)


def test_hidden_cells_must_follow_their_dependencies(project):
    path = project / 'notebooks' / 'source' / '01_tfdata_tfrecords.ipynb'
    notebook = json.loads(path.read_text())
    hidden = [i for i, cell in enumerate(notebook['cells'])
              if helper_cells.generated_module(''.join(cell['source'])) == 'utils/data_sources.py']
    notebook['cells'].append(notebook['cells'].pop(hidden[0]))  # data_sources moved after its users
    path.write_text(json.dumps(notebook))
    result = run_builder(project, '--check')
    assert result.returncode == 2
    assert 'needs the one for utils/data_sources.py before it' in result.stderr


def test_multi_line_package_imports_are_removed_whole():
    source = ('import numpy as np\n\nfrom utils.data_sources import (\n    FLOWER_CLASSES,\n'
              '    find_flowers_photos,\n)\n\nX = 1\n')
    assert helper_cells.inline_module(source) == 'import numpy as np\n\n\nX = 1'


def test_links_are_made_absolute_for_learners(project):
    config = build_notebooks.settings(project)
    text = '[Part 2](02_transfer_learning_playground.ipynb), [results](../../benchmarks/RESULTS.md), [web](https://x.org)'
    assert build_notebooks.learner_links(text, config, project, 'x.ipynb') == (
        f'[Part 2]({build_notebooks.colab_url(config, "02_transfer_learning_playground.ipynb")}), '
        f'[results]({build_notebooks.github_url(config, "benchmarks/RESULTS.md")}), [web](https://x.org)')
    for broken in ('[a](../../nowhere.md)', '[b](07_nothing_playground.ipynb)', '[c](../../../outside.md)'):
        with pytest.raises(build_notebooks.helper_cells.BuildError, match='names no'):
            build_notebooks.learner_links(broken, config, project, 'x.ipynb')


def _hidden_modules(source_path):
    """The utils modules whose hidden cells a source notebook has, in order."""
    cells = json.loads(source_path.read_text())['cells']
    return [module for module in (helper_cells.generated_module(''.join(cell['source'])) for cell in cells) if module]


def _top_level_names(module):
    """The functions, classes and variables a utils module defines."""
    names = set()
    for node in ast.parse((ROOT / module).read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names


@pytest.mark.parametrize('source_path', sorted((ROOT / 'notebooks' / 'source').glob('*.ipynb')), ids=lambda p: p.stem)
def test_each_notebook_carries_the_checks_it_calls_and_no_other(source_path):
    sources = [''.join(cell['source']) for cell in json.loads(source_path.read_text())['cells']
               if cell['cell_type'] == 'code']
    called = {name for source in sources if not helper_cells.generated_module(source)
              for name in re.findall(r'\b(check_\w+)\(', source)}
    carried = {name for module in _hidden_modules(source_path) if module.endswith('checks.py')
               for name in _top_level_names(module) if name.startswith('check_')}
    assert called and carried == called


@pytest.mark.parametrize('source_path', sorted((ROOT / 'notebooks' / 'source').glob('*.ipynb')), ids=lambda p: p.stem)
def test_the_check_modules_of_a_notebook_define_each_name_once(source_path):
    """A notebook runs its hidden cells in one namespace: a check module must not redefine another's names."""
    modules = _hidden_modules(source_path)
    for module in [module for module in modules if module.endswith('checks.py')]:
        for other in modules:
            if other != module:
                assert not _top_level_names(module) & _top_level_names(other), (module, other)
