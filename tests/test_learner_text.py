"""What learners read speaks Colab: no repository commands or paths, links that work from Colab, badges."""
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / 'notebooks').glob('*.ipynb'))
SOURCES = sorted((ROOT / 'notebooks' / 'source').glob('*.ipynb'))
COLAB = 'https://colab.research.google.com/github/'


def markdown(path):
    cells = json.loads(path.read_text())['cells']
    return [''.join(cell['source']) for cell in cells if cell['cell_type'] == 'markdown']


@pytest.mark.parametrize('path', NOTEBOOKS, ids=lambda path: path.name)
def test_no_repository_commands_paths_or_relative_links(path):
    for text in markdown(path):
        assert not re.search(r'`make ', text), (path.name, text[:200])
        assert not re.search(r'(?<![/\w])(benchmarks|utils|tools|tests)/', text), (path.name, text[:200])
        for target in re.findall(r'\]\(([^)\s]+)\)', text):
            assert re.match(r'https?://', target), (path.name, target)


@pytest.mark.parametrize('path', NOTEBOOKS, ids=lambda path: path.name)
def test_the_header_opens_the_notebook_in_colab_and_in_kaggle(path):
    header = markdown(path)[0]
    page = f'github.com/keras-on-tpu/working-edition/blob/main/notebooks/{path.name}'
    assert f'https://colab.research.google.com/{page.replace("github.com/", "github/")}' in header
    assert f'https://kaggle.com/kernels/welcome?src=https://{page}' in header


PARTS = [path.stem for path in SOURCES]
ENDINGS = [(f'{part}_{kind}.ipynb', following) for part, following in zip(PARTS, PARTS[1:])
           for kind in ('playground', 'solution')]


@pytest.mark.parametrize('name, following', ENDINGS, ids=[name for name, _ in ENDINGS])
def test_each_notebook_ends_with_a_link_to_the_next_one(name, following):
    """The last markdown cells (What next, License) open the next part's playground in Colab."""
    ending = '\n'.join(markdown(ROOT / 'notebooks' / name)[-2:])
    assert f'/notebooks/{following}_playground.ipynb' in ending and COLAB in ending, name
