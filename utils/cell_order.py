"""Explain the NameError a learner gets by running notebook cells out of order."""
from IPython import get_ipython


def explain_missing_names(defined_in):
    """Adds a hint to every NameError: which cell defines the missing name.

    `defined_in` maps a name to a description of the cell that defines it
    (tools/build_notebooks.py computes it for each notebook).
    """
    shell = get_ipython()
    if shell is None:
        return

    def show_with_hint(shell, etype, value, tb, tb_offset=None):
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        name = getattr(value, 'name', None)
        if name in defined_in:
            print(f'\n"{name}" is defined in {defined_in[name]}. Run that cell first (in Colab: '
                  'Runtime > Run before), then this one again.')

    shell.set_custom_exc((NameError,), show_with_hint)
