"""Turn a solution notebook's cells into the playground's: nbgrader-style regions.

In a solution code cell, a region

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
the code after it still runs without the learner's code.
"""
import re

BEGIN, END = '### BEGIN SOLUTION', '### END SOLUTION'
BEGIN_BASELINE, END_BASELINE = '### BASELINE', '### END BASELINE'
_WORK_RE = re.compile(r'^(\s*)### WORK REQUIRED:\s*(.*)$')
DEFAULT_WORK = 'WORK REQUIRED: write your code here.'


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


def playground_source(source):
    """Replaces each solution region of a code cell's source by its stub."""
    out = []
    region = None  # None outside a region, else the lines of the stub being built.
    indent = ''
    in_baseline = False
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN:
            if region is not None:
                raise RegionError(f'nested {BEGIN}')
            region, indent, in_baseline = [], line[:len(line) - len(line.lstrip())], False
            work = []
        elif region is None:
            if marker in (END, BEGIN_BASELINE, END_BASELINE):
                raise RegionError(f'{marker} outside a solution region')
            out.append(line)
        elif marker == END:
            if in_baseline:
                raise RegionError(f'{BEGIN_BASELINE} without {END_BASELINE}')
            out.extend(work or [indent + '# ' + DEFAULT_WORK])
            out.extend(region)
            region = None
        elif marker == BEGIN_BASELINE:
            in_baseline = True
        elif marker == END_BASELINE:
            in_baseline = False
        elif in_baseline:
            region.append(_uncomment(line, indent))
        elif _WORK_RE.match(line):
            work.append(indent + '# WORK REQUIRED: ' + _WORK_RE.match(line).group(2))
    if region is not None:
        raise RegionError(f'{BEGIN} without {END}')
    return '\n'.join(out)
