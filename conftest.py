"""Loads the notebook test harness (tests/notebook_harness.py) for every pytest run."""
pytest_plugins = ['tests.notebook_harness']
