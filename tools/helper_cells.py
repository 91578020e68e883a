"""Generate notebook cells from the utils/ package, so helper code has one source.

Two kinds of generated code:
  * hidden helper cells: a code cell whose second line is GENERATED_LINE for a
    module gets that module's source (minus imports from inside the package),
    under its `#@title ... [RUN ME]` line, folded as a Colab form;
  * function regions: inside a solution region, a line
    `### FROM utils/<module>.py::<function>` is followed by that function's source.

The hidden cell of CELL_ORDER_MODULE, which every notebook gets (inserted before
its first hidden cell if missing), ends with a call listing which cell defines
each name, so that a NameError from a skipped cell says which cell to run.
"""
import ast
import re

GENERATED_LINE = '# Generated from {module} by tools/build_notebooks.py: edit that file, not this cell.'
_GENERATED_RE = re.compile(r'^# Generated from (utils/\w+\.py) by tools/build_notebooks\.py')
_FROM_RE = re.compile(r'^### FROM (utils/\w+\.py)::(\w+)\s*$')
_END_SOLUTION = '### END SOLUTION'


CELL_ORDER_MODULE = 'utils/cell_order.py'
CELL_ORDER_TITLE = '#@title Help for cells run out of order [RUN ME]'


class BuildError(Exception):
    """A notebook source is inconsistent with the utils package."""


def generated_module(cell_source):
    """Returns 'utils/x.py' if the cell is a hidden helper cell, else None."""
    lines = cell_source.splitlines()
    if len(lines) >= 2 and lines[0].startswith('#@title') and _GENERATED_RE.match(lines[1]):
        return _GENERATED_RE.match(lines[1]).group(1)
    return None


def _package_imports(module_source):
    """The `from utils.x import ...` statements of a module (ast nodes)."""
    return [node for node in ast.parse(module_source).body
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith('utils.')]


def inline_module(module_source):
    """Module source ready for a notebook cell: imports from the package removed.

    The names they imported come from the hidden cells run before this one.
    """
    removed = {line for node in _package_imports(module_source)
               for line in range(node.lineno, node.end_lineno + 1)}
    lines = [line for number, line in enumerate(module_source.splitlines(), start=1) if number not in removed]
    return re.sub(r'\n{4,}', '\n\n\n', '\n'.join(lines)).strip('\n')


def hidden_cell_source(title_line, module, root):
    source = (root / module).read_text()
    return '\n'.join([title_line, GENERATED_LINE.format(module=module), inline_module(source)])


def function_source(module, name, root):
    """The source of top-level function or class `name` in utils module `module`."""
    source = (root / module).read_text()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return ast.get_source_segment(source, node)
    raise BuildError(f'{module} has no top-level function or class {name!r}.')


def refresh_cell(source, root):
    """Returns the cell source with every generated part brought up to date."""
    module = generated_module(source)
    if module is not None:
        if not (root / module).is_file():
            raise BuildError(f'hidden cell refers to {module}, which does not exist.')
        return hidden_cell_source(source.splitlines()[0], module, root)
    out = []
    for line in collapse_cell(source).splitlines():
        out.append(line)
        match = _FROM_RE.match(line)
        if match:
            out.extend(function_source(match.group(1), match.group(2), root).splitlines())
    return '\n'.join(out)


def collapse_cell(source):
    """The cell as a source notebook keeps it: generated code reduced to the line naming its origin.

    A hidden cell keeps its `#@title` and GENERATED_LINE; a "### FROM" region keeps
    its FROM line. `refresh_cell` expands them again.
    """
    if generated_module(source):
        return '\n'.join(source.splitlines()[:2])
    out, skipping = [], False
    for line in source.splitlines():
        if _FROM_RE.match(line):
            out.append(line)
            skipping = True
        elif skipping and line.strip() == _END_SOLUTION:
            out.append(line)
            skipping = False
        elif not skipping:
            out.append(line)
    if skipping:
        raise BuildError(f'"### FROM" region without {_END_SOLUTION}.')
    return '\n'.join(out)


def learner_written(cell_sources):
    """The (module, name) pairs that "### FROM" regions define: in the playground, the learner writes them."""
    return {match.groups() for source in cell_sources for match in map(_FROM_RE.match, source.splitlines()) if match}


def check_module_order(cell_sources, root, notebook_name):
    """Raises BuildError unless each hidden cell's dependencies come before it.

    A name the notebook's learner writes (a "### FROM" region) needs no hidden
    cell: the hidden cell's code finds the learner's version when it runs.
    """
    seen, written = [], learner_written(cell_sources)
    for source in cell_sources:
        module = generated_module(source)
        if module is None:
            continue
        for node in _package_imports((root / module).read_text()):
            dependency = node.module.replace('.', '/') + '.py'
            if dependency not in seen and not all((dependency, alias.name) in written for alias in node.names):
                raise BuildError(f'{notebook_name}: the hidden cell for {module} needs the one for '
                                 f'{dependency} before it.')
        seen.append(module)


def _target_names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []  # An attribute or a subscript defines no name.


def _statement_names(node):
    """Names a top-level statement defines; a `with` block's body counts as top level."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(alias.asname or alias.name).split('.')[0] for alias in node.names]
    if isinstance(node, ast.Assign):
        return [name for target in node.targets for name in _target_names(target)]
    if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For)):
        return _target_names(node.target)
    if isinstance(node, ast.With):  # with strategy.scope(): model = ...
        return ([name for item in node.items for name in _target_names(item.optional_vars)]
                + [name for statement in node.body for name in _statement_names(statement)])
    return []


def defined_names(source):
    """Top-level names a cell defines (assignments, loops, functions, classes, imports, `with` bodies)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:  # IPython magics: no names worth a hint.
        return []
    return [name for node in body for name in _statement_names(node) if not name.startswith('_')]


def name_locations(cells):
    """Maps each name defined in the notebook's code cells to where the first definition is.

    `cells` are (cell_type, source) pairs; a location reads 'the hidden cell "Title"'
    or 'the cell under the heading "Heading"'.
    """
    locations, heading = {}, None
    for cell_type, source in cells:
        if cell_type == 'markdown':
            headings = [line.lstrip('#').strip() for line in source.splitlines() if line.startswith('#')]
            heading = headings[-1] if headings else heading
            continue
        module = generated_module(source)
        if module == CELL_ORDER_MODULE:
            continue
        if module:
            title = source.splitlines()[0].removeprefix('#@title').strip()
            where = f'the hidden cell "{title}" near the top of the notebook'
        elif heading:
            where = f'the cell under the heading "{heading}"'
        else:
            where = 'a cell at the top of the notebook'
        for name in defined_names(source):
            locations.setdefault(name, where)
    return locations


def cell_order_source(cells, root):
    """The source of the cell-order hidden cell for a notebook with these cells."""
    entries = ''.join(f'    {name!r}: {where!r},\n' for name, where in name_locations(cells).items())
    call = 'explain_missing_names({\n' + entries + '})'
    return hidden_cell_source(CELL_ORDER_TITLE, CELL_ORDER_MODULE, root) + '\n\n' + call
