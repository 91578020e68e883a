"""Helper code shared by the course notebooks.

Every module here is self-contained (it imports only third-party packages and,
at most, other modules of this package) so that tools/build_notebooks.py can
inline it, verbatim, into a hidden "[RUN ME]" cell of a notebook. Edit the
module, then run `make build`; never edit a hidden cell by hand.
"""
