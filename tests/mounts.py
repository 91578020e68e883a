"""Mounts for the fault tests: a small tmpfs (a disk that fills up) and a read-only view of a folder.

Permissions do not stop root, who runs the tests in CI, so a read-only cache
is a read-only bind mount. Both need root and the mount command: where they
are unavailable the test is skipped, saying why.
"""
import contextlib
import subprocess

import pytest


def _mount(*arguments):
    result = subprocess.run(['mount', *map(str, arguments)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f'cannot mount here ({result.stderr.strip()}): this test needs root and the mount command')


@contextlib.contextmanager
def small_tmpfs(folder, size_bytes):
    """Mounts a tmpfs of size_bytes (rounded up to pages) on folder, created if needed; unmounts it afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount('-t', 'tmpfs', '-o', f'size={size_bytes}', 'tmpfs', folder)
    try:
        yield folder
    finally:
        subprocess.run(['umount', '-l', str(folder)], check=True)


@contextlib.contextmanager
def read_only(folder):
    """Makes folder read-only, for root too, by bind-mounting it read-only on itself; undone afterwards."""
    _mount('--bind', folder, folder)
    try:
        result = subprocess.run(['mount', '-o', 'remount,ro,bind', str(folder)], capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f'cannot remount read-only ({result.stderr.strip()})')
        yield folder
    finally:
        subprocess.run(['umount', '-l', str(folder)], check=True)
