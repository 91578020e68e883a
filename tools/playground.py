"""Turn a source notebook's cells into the playground's and the solution's: nbgrader-style regions.

In a source code cell, a region

    ### BEGIN SOLUTION
    ### WORK REQUIRED: what the learner must do        (optional, repeatable)
    ### BASELINE                                       (optional block)
    # code the playground runs instead, commented out
    ### END BASELINE
    the solution code
    ### END SOLUTION

becomes, in the playground, the WORK REQUIRED lines as comments followed by
the baseline code uncommented, so that every playground runs as shipped.
A region with no baseline leaves only the WORK REQUIRED comment: use it where
the code after it still runs without the learner's code. In the solution, the
region becomes its code alone: every `### ` marker line and the baseline go.
"""
import re

BEGIN, END = '### BEGIN SOLUTION', '### END SOLUTION'
BEGIN_BASELINE, END_BASELINE = '### BASELINE', '### END BASELINE'
_WORK_RE = re.compile(r'^(\s*)### WORK REQUIRED:\s*(.*)$')
DEFAULT_WORK = 'WORK REQUIRED: write your code here.'
FROM_PREFIX = '### FROM '  # a function copied from utils/ (tools/helper_cells.py)


class RegionError(Exception):
    """Solution or baseline markers that do not pair up."""


def _uncomment(line, indent):
    body = line[len(indent):] if line.startswith(indent) else line.lstrip()
    if body == '#':
        return indent
    if not body.startswith('# '):
        raise RegionError(f'baseline line is not commented with "# ": {line!r}')
    return indent + body[2:]


def has_solution(source):
    return any(line.strip() == BEGIN for line in source.splitlines())


def _regions(source):
    """Yields (kind, line) for each line: kind is 'code', 'solution', 'baseline' or 'marker'."""
    in_region = in_baseline = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN:
            if in_region:
                raise RegionError(f'nested {BEGIN}')
            in_region, in_baseline = True, False
            yield 'marker', line
        elif not in_region:
            if marker in (END, BEGIN_BASELINE, END_BASELINE):
                raise RegionError(f'{marker} outside a solution region')
            yield 'code', line
        elif marker == END:
            if in_baseline:
                raise RegionError(f'{BEGIN_BASELINE} without {END_BASELINE}')
            in_region = False
            yield 'marker', line
        elif marker in (BEGIN_BASELINE, END_BASELINE):
            in_baseline = marker == BEGIN_BASELINE
            yield 'marker', line
        elif in_baseline:
            yield 'baseline', line
        elif _WORK_RE.match(line) or marker.startswith(FROM_PREFIX):
            yield 'marker', line
        else:
            yield 'solution', line
    if in_region:
        raise RegionError(f'{BEGIN} without {END}')


def solution_source(source):
    """The cell as the solution notebook shows it: the solution code, without markers or baseline."""
    return '\n'.join(line for kind, line in _regions(source) if kind in ('code', 'solution'))


def playground_source(source):
    """The cell as the playground shows it: each solution region replaced by its stub."""
    out = []
    for kind, line in _regions(source):
        marker = line.strip()
        if kind == 'code':
            out.append(line)
        elif marker == BEGIN:
            indent, work, baseline = line[:len(line) - len(line.lstrip())], [], []
        elif kind == 'baseline':
            baseline.append(_uncomment(line, indent))
        elif _WORK_RE.match(line):
            work.append(indent + '# WORK REQUIRED: ' + _WORK_RE.match(line).group(2))
        elif marker == END:
            out.extend(work or [indent + '# ' + DEFAULT_WORK])
            out.extend(baseline)
    return '\n'.join(out)
