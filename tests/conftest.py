"""Shared fixtures of the unit tests."""
import matplotlib
import pytest

matplotlib.use('Agg')


@pytest.fixture
def isolated_data(tmp_path, monkeypatch):
    """An environment with no data folder and an empty cache, in tmp_path."""
    monkeypatch.delenv('CODELAB_DATA_DIR', raising=False)
    monkeypatch.setenv('CODELAB_CACHE_DIR', str(tmp_path / 'cache'))
    return tmp_path
