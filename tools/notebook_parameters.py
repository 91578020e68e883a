"""The parameters cell of a notebook, and papermill-style injection of new values.

A notebook's parameters cell is its first code cell starting with "# Parameters"
(nbfmt, which keeps notebooks canonical, drops cell tags, so the comment marks it).
"""
import ast

from papermill.parameterize import parameterize_notebook

PARAMETERS_COMMENT = '# Parameters'


def assigned_names(source):
    """Names assigned at the top level of a cell's source."""
    names = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, 'target', None)]
        names.update(target.id for target in targets if isinstance(target, ast.Name))
    return names


def inject_parameters(notebook, values):
    """Injects the values whose names the parameters cell assigns, right after it.

    `notebook` must be read with papermill.iorw.load_notebook_node. Tags the
    parameters cell 'parameters' and returns (notebook, injected values).
    """
    cells = [cell for cell in notebook.cells
             if cell.cell_type == 'code' and cell.source.startswith(PARAMETERS_COMMENT)]
    if not cells:
        return notebook, {}
    cells[0].metadata.tags.append('parameters')
    wanted = {name: value for name, value in values.items() if name in assigned_names(cells[0].source)}
    if wanted:
        notebook = parameterize_notebook(notebook, wanted, kernel_name='python3', language='python')
    return notebook, wanted
