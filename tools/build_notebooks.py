"""Build the course notebooks from their one source, notebooks/source/NN_name.ipynb.

    python tools/build_notebooks.py          # rewrite what is stale
    python tools/build_notebooks.py --check  # exit 1 if anything is stale

For each source notebook it
  * fills the hidden helper cells and "### FROM" regions from utils/,
  * writes the header cell (title, Open-in-Colab badge, link to the other notebook),
  * writes notebooks/NN_name_solution.ipynb, the solution code without any
    `### ` marker or baseline, and notebooks/NN_name_playground.ipynb, each
    solution region replaced by its stub (tools/playground.py),
  * writes all three in canonical form without outputs (tensorflow-docs nbfmt),
    the source with its generated code reduced to the line naming its origin,
and refreshes the notebook table of README.md. The GitHub repository the
badges point to is [tool.codelab] github_repo in pyproject.toml.
"""
import argparse
import copy
import json
import pathlib
import re
import sys
import tomllib

from tensorflow_docs.tools.nbfmt.__main__ import clean_notebook

import helper_cells
import playground

ROOT = pathlib.Path(__file__).resolve().parents[1]
SOURCE_FOLDER = 'source'
SOLUTION_SUFFIX = '_solution.ipynb'
PLAYGROUND_SUFFIX = '_playground.ipynb'
TABLE_BEGIN, TABLE_END = '<!-- BEGIN NOTEBOOK TABLE -->', '<!-- END NOTEBOOK TABLE -->'
BADGE = '<img src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/>'
KAGGLE_BADGE = '<img src="https://kaggle.com/static/images/open-in-kaggle.svg" alt="Open In Kaggle"/>'
# A markdown link: [text](target). Relative targets are rewritten for learners (learner_links).
LINK = re.compile(r'\]\(([^)\s]+)\)')


def settings(root):
    """The [tool.codelab] table of pyproject.toml: github_repo and branch."""
    with open(root / 'pyproject.toml', 'rb') as file:
        return tomllib.load(file)['tool']['codelab']


def github_url(config, path):
    """The page of a file of the repository on GitHub."""
    return f'https://github.com/{config["github_repo"]}/blob/{config["branch"]}/{path}'


def colab_url(config, filename):
    return f'https://colab.research.google.com/github/{config["github_repo"]}/blob/{config["branch"]}/notebooks/{filename}'


def kaggle_url(config, filename):
    return f'https://kaggle.com/kernels/welcome?src={github_url(config, "notebooks/" + filename)}'


def badges(config, filename):
    """The Open-in-Colab and Open-in-Kaggle badges of a notebook, side by side."""
    return (f'<a href="{colab_url(config, filename)}" target="_parent">{BADGE}</a> '
            f'<a href="{kaggle_url(config, filename)}" target="_parent">{KAGGLE_BADGE}</a>')


def learner_links(text, config, root, source_name):
    """Markdown with its relative links made absolute, for a notebook opened alone in Colab or Kaggle.

    In a source notebook, `[Part 2](02_transfer_learning_playground.ipynb)` names a generated
    notebook: it becomes its Open-in-Colab link. Any other relative target is a file of the
    repository, relative to notebooks/source/ (`../../benchmarks/RESULTS.md`): it becomes its
    page on GitHub. A target that does not exist is an error.
    """
    def absolute(match):
        target = match.group(1)
        if re.match(r'^[a-z]+:|^#', target):
            return match.group(0)
        if '/' not in target and target.endswith(('_playground.ipynb', SOLUTION_SUFFIX)):
            if not (root / 'notebooks' / SOURCE_FOLDER / re.sub(r'_(playground|solution)\.ipynb$', '.ipynb',
                                                               target)).exists():
                raise helper_cells.BuildError(f'{source_name}: the link to {target} names no notebook.')
            return f']({colab_url(config, target)})'
        path = (root / 'notebooks' / SOURCE_FOLDER / target).resolve()
        if not path.exists() or root.resolve() not in path.parents:
            raise helper_cells.BuildError(f'{source_name}: the link to {target} names no file of the repository.')
        return f']({github_url(config, path.relative_to(root.resolve()).as_posix())})'
    return LINK.sub(absolute, text)


def base_title(notebook, path):
    """The notebook's title, from the first cell of its source."""
    first = notebook['cells'][0] if notebook['cells'] else None
    if not first or first['cell_type'] != 'markdown' or not _source(first).startswith('# '):
        raise helper_cells.BuildError(f'{path.name}: the first cell must be markdown starting with "# Title".')
    return _source(first).splitlines()[0][2:].strip()


def header_source(config, title, role, solution_name, playground_name):
    badge = badges(config, solution_name if role == 'solution' else playground_name)
    if role == 'solution':
        note = (f'This is the **solution**. The [playground]({colab_url(config, playground_name)}) '
                'has the same text, with **WORK REQUIRED** cells for you to fill.')
    else:
        note = ('This is the **playground**: it runs as it is, top to bottom (Shift-Enter). Then fill '
                f'the cells marked **WORK REQUIRED**. The [solution]({colab_url(config, solution_name)}) '
                'has the answers.')
    return f'# {title} — {role}\n\n{badge}\n\n{note}'


def _source(cell):
    return ''.join(cell['source']) if isinstance(cell['source'], list) else cell['source']


def _set_source(cell, text):
    cell['source'] = text.splitlines(keepends=True)


def _ensure_cell_order_cell(notebook):
    """Inserts the cell-order hidden cell before the first hidden cell, if it is missing."""
    modules = [helper_cells.generated_module(_source(cell)) for cell in notebook['cells']]
    if helper_cells.CELL_ORDER_MODULE in modules:
        return
    first_hidden = next((i for i, module in enumerate(modules) if module), 1)
    cell = {'cell_type': 'code', 'execution_count': None, 'metadata': {}, 'outputs': [], 'source': []}
    _set_source(cell, helper_cells.CELL_ORDER_TITLE + '\n' +
                helper_cells.GENERATED_LINE.format(module=helper_cells.CELL_ORDER_MODULE))
    notebook['cells'].insert(first_hidden, cell)


def formatted(notebook, path):
    """Canonical bytes of a notebook: nbfmt's formatting, outputs removed."""
    data = copy.deepcopy(notebook)
    return clean_notebook(data, json.dumps(data), path, remove_outputs=True, indent=2)


def _with_cell_sources(notebook, transform):
    """A copy of the notebook with transform(source) applied to each code cell after the first cell."""
    result = copy.deepcopy(notebook)
    for cell in result['cells'][1:]:
        if cell['cell_type'] == 'code':
            _set_source(cell, transform(_source(cell)))
    return result


def _learner_notebook(expanded, config, title, role, names, transform, path, root):
    notebook = _with_cell_sources(expanded, transform)
    for cell in notebook['cells'][1:]:
        if cell['cell_type'] == 'markdown':
            _set_source(cell, learner_links(_source(cell), config, root, path.name))
    _set_source(notebook['cells'][0], header_source(config, title, role, *names))
    return formatted(notebook, path)


def build_notebook(source_path, config, root):
    """Returns {path: bytes} for a source notebook, its solution and its playground."""
    notebook = json.loads(source_path.read_text())
    title = base_title(notebook, source_path)
    stem = source_path.name.removesuffix('.ipynb')
    solution_path = root / 'notebooks' / (stem + SOLUTION_SUFFIX)
    playground_path = root / 'notebooks' / (stem + PLAYGROUND_SUFFIX)
    _ensure_cell_order_cell(notebook)
    for cell in notebook['cells'][1:]:
        if cell['cell_type'] == 'code' and helper_cells.generated_module(_source(cell)):
            cell.setdefault('metadata', {})['cellView'] = 'form'
    # Formatted first, so that every cell has its id before the learner notebooks are made from it.
    notebook = json.loads(formatted(_with_cell_sources(notebook, helper_cells.collapse_cell), source_path))
    expanded = _with_cell_sources(notebook, lambda source: helper_cells.refresh_cell(source, root))
    helper_cells.check_module_order([_source(cell) for cell in expanded['cells']], root, source_path.name)
    cells = [(cell['cell_type'], playground.solution_source(_source(cell)) if cell['cell_type'] == 'code'
              else _source(cell)) for cell in expanded['cells']]
    for cell in expanded['cells']:
        if helper_cells.generated_module(_source(cell)) == helper_cells.CELL_ORDER_MODULE:
            _set_source(cell, helper_cells.cell_order_source(cells, root))
    names = solution_path.name, playground_path.name
    try:
        return {
            source_path: formatted(notebook, source_path),
            solution_path: _learner_notebook(expanded, config, title, 'solution', names,
                                             playground.solution_source, solution_path, root),
            playground_path: _learner_notebook(expanded, config, title, 'playground', names,
                                               playground.playground_source, playground_path, root),
        }, solution_path.name, title
    except playground.RegionError as error:
        raise helper_cells.BuildError(f'{source_path.name}: {error}') from None


def readme_table(config, titles):
    rows = ['| Notebook | Playground | Solution |', '|---|---|---|']
    for solution_name, title in titles:
        playground_name = solution_name.replace(SOLUTION_SUFFIX, PLAYGROUND_SUFFIX)
        rows.append(f'| {title} | {badges(config, playground_name)} [{playground_name}](notebooks/{playground_name}) '
                    f'| {badges(config, solution_name)} [{solution_name}](notebooks/{solution_name}) |')
    return '\n'.join(rows)


def build(root=ROOT):
    """Returns {path: expected bytes} for every generated file."""
    config = settings(root)
    outputs, titles = {}, []
    for source_path in sorted((root / 'notebooks' / SOURCE_FOLDER).glob('*.ipynb')):
        files, solution_name, title = build_notebook(source_path, config, root)
        outputs.update(files)
        titles.append((solution_name, title))
    readme = root / 'README.md'
    text = readme.read_text()
    if TABLE_BEGIN not in text or TABLE_END not in text:
        raise helper_cells.BuildError(f'README.md lacks the {TABLE_BEGIN} ... {TABLE_END} markers.')
    head, rest = text.split(TABLE_BEGIN, 1)
    tail = rest.split(TABLE_END, 1)[1]
    outputs[readme] = f'{head}{TABLE_BEGIN}\n{readme_table(config, titles)}\n{TABLE_END}{tail}'.encode()
    return outputs


def stale_files(outputs):
    return [path for path, content in outputs.items() if not path.exists() or path.read_bytes() != content]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true', help='exit 1 if any generated file is stale')
    parser.add_argument('--root', type=pathlib.Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        outputs = build(args.root)
    except helper_cells.BuildError as error:
        print(f'build_notebooks: {error}', file=sys.stderr)
        return 2
    stale = stale_files(outputs)
    if args.check:
        for path in stale:
            print(f'stale: {path.relative_to(args.root)}', file=sys.stderr)
        if stale:
            print('Run `make build` (python tools/build_notebooks.py) and commit the result.', file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_bytes(outputs[path])
        print(f'wrote {path.relative_to(args.root)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
