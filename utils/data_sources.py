"""Find the course's data sets on disk, or download them once into a local cache.

Lookup order, for both the flower photos and the MNIST files:
  1. the folder named by the CODELAB_DATA_DIR environment variable, laid out as
     flowers/flower_photos/<class>/*.jpg and mnist/*-ubyte.gz (read, never changed);
  2. the local cache: CODELAB_CACHE_DIR, else the repository's data/ folder,
     else ./data (in Colab: /content/data);
  3. a download into that cache with keras.utils.get_file, from the public URLs,
     or, when the CODELAB_DOWNLOAD_MIRROR environment variable holds a base URL,
     from <mirror>/flower_photos.tgz and <mirror>/mnist/<file name> (for machines
     that reach the internet through a mirror, and for tests).

Each copy is checked wherever it is found: the flower photos need at least one
photo (.jpg or .jpeg, in any case) in each class folder, and each MNIST file its
known md5. In the cache, a damaged copy (a download or an unpacking cut short)
is deleted, with a message, and downloaded again. In CODELAB_DATA_DIR nothing is
ever deleted. A download fails when no data arrives for DOWNLOAD_TIMEOUT_SECONDS.
Every failure names its cause and its fix: an HTTP error, a mirror URL that is
not one, a web page instead of the file, a full disk, an unwritable cache.

Whoever writes into the cache holds a lock file beside what it writes, which
names the holder (process, host); another notebook waits for it, at most
CODELAB_LOCK_TIMEOUT_SECONDS, and takes over a lock whose holder has died.
"""
import contextlib
import datetime
import errno
import fcntl
import gzip
import hashlib
import json
import os
import pathlib
import shutil
import socket
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib

import keras

DATA_DIR_VARIABLE = 'CODELAB_DATA_DIR'
CACHE_DIR_VARIABLE = 'CODELAB_CACHE_DIR'
DOWNLOAD_MIRROR_VARIABLE = 'CODELAB_DOWNLOAD_MIRROR'
DOWNLOAD_TIMEOUT_SECONDS = 60  # A download fails after this many seconds without receiving any data.
LOCK_TIMEOUT_VARIABLE = 'CODELAB_LOCK_TIMEOUT_SECONDS'
LOCK_TIMEOUT_SECONDS = 1800  # Waiting for another notebook's lock gives up after this, unless set by the variable.
STOPPED_HOLDER_SECONDS = 60  # ... or after this long, when the holder is a stopped process on this machine.
LOCK_POLL_SECONDS = 0.5

FLOWER_CLASSES = ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
TARGET_SIZE = [192, 192]  # height and width of the flower images the models take (Part 1 resizes them)
FLOWERS_URL = 'https://storage.googleapis.com/download.tensorflow.org/example_images/flower_photos.tgz'
PHOTO_SUFFIXES = ('.jpg', '.jpeg')  # Compared in lower case: .JPG counts too.
# Unpacking happens in a folder named so in the cache, moved into place only once complete.
UNPACKING_PREFIX = 'flower_photos.unpacking-'

MNIST_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist/'
# File name and md5 of the original gzipped IDX files.
MNIST_FILES = {
    'train_images': ('train-images-idx3-ubyte.gz', 'f68b3c2dcbeaaa9fbdd348bbdeb94873'),
    'train_labels': ('train-labels-idx1-ubyte.gz', 'd53e105ee54ea40749a09fcbcd1e9432'),
    'test_images': ('t10k-images-idx3-ubyte.gz', '9fb629c4189551a2d022fa330f9573f3'),
    'test_labels': ('t10k-labels-idx1-ubyte.gz', 'ec29112dd5afa0611ce80d1b7f02629c'),
}


class DataNotFoundError(FileNotFoundError):
    """No usable copy of a data set was found on disk, and none could be downloaded."""


class UnwritableCacheError(PermissionError):
    """The cache folder cannot be created or written to: the message names it and CODELAB_CACHE_DIR."""


class DiskFullError(OSError):
    """No space is left on the disk being written to: the message names the folder, the space needed and free."""


class LockWaitTimeout(TimeoutError):
    """Another process held a lock file of the cache for too long: the message names the file and the holder."""


class _DownloadFailed(Exception):
    """A download into the cache failed: args are (what was tried and what happened, what to do)."""


class _DamagedArchive(Exception):
    """flower_photos.tgz cannot be read to its end, or lacks a class of photos."""


def data_cache_dir():
    """Returns the folder where downloads and generated TFRecords are kept.

    CODELAB_CACHE_DIR if set; otherwise the data/ folder of this repository when
    running from inside a checkout; otherwise ./data (for example in Colab).
    The folder may not exist yet: the helpers create it when they download.
    """
    if os.environ.get(CACHE_DIR_VARIABLE):
        return pathlib.Path(os.environ[CACHE_DIR_VARIABLE])
    here = pathlib.Path.cwd().resolve()
    for folder in [here, *here.parents]:
        if (folder / 'utils' / 'data_sources.py').is_file() and (folder / 'data').is_dir():
            return folder / 'data'
    return here / 'data'


_held_locks = set()  # Lock files this process holds: a second flock of one would wait for itself.


def _unwritable_fix(folder):
    """How to fix a folder that cannot be written to: another cache folder if it is in the cache."""
    folder = pathlib.Path(folder).absolute()
    cache = data_cache_dir().absolute()
    if folder == cache or cache in folder.parents:
        return (f'set {CACHE_DIR_VARIABLE} to a folder you can write to, for example in Colab run '
                f"os.environ[{CACHE_DIR_VARIABLE!r}] = '/content/data', then run this cell again.")
    return 'choose a folder you can write to, then run this cell again.'


def unwritable_cache_error(folder, problem, doing):
    """An UnwritableCacheError: `folder` cannot be written to (`problem`), needed for `doing`, and the fix."""
    return UnwritableCacheError(f'{doing}: the folder {shown_path(folder)} cannot be created or written to '
                                f'({problem}). To fix it: {_unwritable_fix(folder)}')


def writable_folder_problem(folder):
    """Why folder cannot hold data written by the helpers, in words, or None; creates it if needed.

    It must be created and written to, and its path must be valid UTF-8 (TensorFlow reads no other).
    """
    if shown_path(folder) != str(folder):
        return 'its path is not valid UTF-8, which TensorFlow cannot read'
    try:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f'{type(error).__name__}: {error}'
    return None


def _megabytes(size):
    return f'{size / 1e6:.1f} MB'


def free_bytes(folder):
    """Free bytes on the disk of folder (or of its nearest existing parent)."""
    folder = pathlib.Path(folder).absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def disk_full_problem(folder, needed):
    """'no space is left on the disk of <folder>: <needed> needed, <free> free' (needed in bytes, or None)."""
    needed_text = f'{_megabytes(needed)} needed' if needed else 'the space needed is unknown'
    return f'no space is left on the disk of {folder}: {needed_text}, {_megabytes(free_bytes(folder))} free'


def disk_full_fix(folder):
    """How to get out of a full disk when writing into folder."""
    fix = 'free some space on that disk (delete files you no longer need)'
    folder = pathlib.Path(folder).absolute()
    cache = data_cache_dir().absolute()
    if folder == cache or cache in folder.parents:
        fix += f', or set {CACHE_DIR_VARIABLE} to a folder on a disk with more space'
    return fix + ', then run this cell again.'


def is_disk_full(error):
    """Whether error, or an error it was raised from or while handling, is 'No space left on device'."""
    while error is not None:
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return True
        if 'No space left on device' in str(error):  # TensorFlow's errors carry no errno.
            return True
        error = error.__cause__ or error.__context__
    return False


def _lock_timeout():
    """Seconds to wait for another process's lock: CODELAB_LOCK_TIMEOUT_SECONDS, else LOCK_TIMEOUT_SECONDS."""
    value = os.environ.get(LOCK_TIMEOUT_VARIABLE)
    if not value:
        return LOCK_TIMEOUT_SECONDS
    try:
        return float(value)
    except ValueError:
        raise ValueError(f'{LOCK_TIMEOUT_VARIABLE}={value!r} is not a number of seconds: set it to one, '
                         f'for example os.environ[{LOCK_TIMEOUT_VARIABLE!r}] = "600", or unset it.') from None


def _pid_namespace():
    """This process's PID namespace (Linux), so that a PID is compared only within its own; None elsewhere."""
    try:
        return os.readlink('/proc/self/ns/pid')
    except OSError:
        return None


def _this_holder(what):
    return {'pid': os.getpid(), 'host': socket.gethostname(), 'pid_namespace': _pid_namespace(),
            'since': datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M:%S UTC'),
            'doing': what}


def _read_holder(lock_file):
    """The holder a lock file names ({'pid', 'host', ...}), or None if it names none (yet)."""
    try:
        lock_file.seek(0)
        holder = json.loads(lock_file.read())
        return holder if isinstance(holder, dict) and isinstance(holder.get('pid'), int) else None
    except (OSError, ValueError):
        return None


def _flock_holder(lock_file):
    """The holder of lock_file's flock as the kernel lists it (Linux's /proc/locks), or None.

    For a lock file that names no holder: one written by older code, or by a
    holder that could not write its name.
    """
    stat = os.fstat(lock_file.fileno())
    device = f'{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}'
    try:
        lines = pathlib.Path('/proc/locks').read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == 'FLOCK' and fields[5] == device and fields[4].isdigit() \
                and int(fields[4]) > 0:
            return {'pid': int(fields[4]), 'host': socket.gethostname(), 'pid_namespace': _pid_namespace(),
                    'since': 'a time the lock file does not say'}
    return None


def _holder_state(holder):
    """'running', 'stopped' or 'dead' for a holder on this machine; None when it is elsewhere (unknowable)."""
    if holder is None or holder.get('host') != socket.gethostname() \
            or holder.get('pid_namespace') != _pid_namespace():
        return None
    try:
        os.kill(holder['pid'], 0)
    except ProcessLookupError:
        return 'dead'
    except PermissionError:  # Alive, owned by another user.
        pass
    try:
        state = pathlib.Path(f'/proc/{holder["pid"]}/stat').read_text().rsplit(')', 1)[1].split()[0]
    except (OSError, IndexError):
        return 'running'
    return {'T': 'stopped', 't': 'stopped', 'Z': 'dead', 'X': 'dead'}.get(state, 'running')


def _describe_holder(holder, state):
    if holder is None:
        return 'a process that does not say which (the lock file names none)'
    where = 'on this machine' if state else f'on the host {holder.get("host")}'
    text = f'process {holder["pid"]} {where}, since {holder.get("since")}'
    return text + (' (it is stopped: resume it with kill -CONT, or end it)' if state == 'stopped' else '')


def _same_file(path, open_file):
    """Whether path still names the file open_file has open."""
    try:
        on_disk, opened = os.stat(path), os.fstat(open_file.fileno())
    except OSError:
        return False
    return (on_disk.st_dev, on_disk.st_ino) == (opened.st_dev, opened.st_ino)


def _open_lock_file(lock_path, doing):
    if lock_path.is_dir() and not lock_path.is_symlink():
        raise IsADirectoryError(f'{doing}: its lock file {lock_path} is a folder. To fix it: delete that folder, '
                                'then run this cell again.')
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        return open(lock_path, 'a+')
    except OSError as error:
        raise unwritable_cache_error(lock_path.parent, f'{type(error).__name__}: {error}', doing) from error


def _acquire_lock(lock_path, path, what):
    """Opens and locks lock_path, waiting for its holder as cache_lock says; returns the locked file."""
    timeout, started = _lock_timeout(), time.monotonic()
    announced, suspect, stopped_since = None, None, None
    while True:
        lock_file = _open_lock_file(lock_path, f'Cannot start {what} in {path}')
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        else:
            if _same_file(lock_path, lock_file):
                with contextlib.suppress(OSError):  # Naming the holder helps; a full disk must not stop the work.
                    lock_file.seek(0)
                    lock_file.truncate()
                    lock_file.write(json.dumps(_this_holder(what)))
                    lock_file.flush()
                return lock_file
            lock_file.close()  # Another process replaced the lock file meanwhile: lock the new one.
            continue
        holder = _read_holder(lock_file) or _flock_holder(lock_file)
        state = _holder_state(holder)
        identity = (os.fstat(lock_file.fileno()).st_ino, json.dumps(holder, sort_keys=True))
        now = time.monotonic()
        if state == 'dead':
            # Seen twice, a second apart: not a new holder that has not written its name yet.
            if suspect is not None and suspect[0] == identity and now - suspect[1] >= 1:
                print(f'The lock file {lock_path} is held, but names process {holder["pid"]} on this machine, '
                      'which has ended: taking the lock over.', flush=True)
                with contextlib.suppress(OSError), open(lock_path) as current:
                    # Still that file, still naming the ended process: not one that another waiter took over.
                    if (os.fstat(current.fileno()).st_ino, json.dumps(_read_holder(current), sort_keys=True)) \
                            == identity:
                        os.unlink(lock_path)
                lock_file.close()
                suspect = None
                continue
            if suspect is None or suspect[0] != identity:
                suspect = (identity, now)
        stopped_since = (stopped_since or now) if state == 'stopped' else None
        waited = now - started
        stopped_too_long = stopped_since is not None and now - stopped_since >= STOPPED_HOLDER_SECONDS
        if waited >= timeout or stopped_too_long:
            lock_file.close()
            if stopped_too_long:
                advice = (f'It has been stopped for {now - stopped_since:.0f} s, and a stopped process does not '
                          f'finish: resume it (kill -CONT {holder["pid"]}) or end it (kill {holder["pid"]}), then '
                          'run this cell again.')
            else:
                advice = ('If that notebook is still working, wait for it and run this cell again. If it is stuck, '
                          'stop it (interrupt or restart its runtime' + (f', or kill {holder["pid"]}' if holder else '')
                          + f'), or delete {lock_path} if no notebook is {what}, then run this cell again. To wait '
                          f'longer, set {LOCK_TIMEOUT_VARIABLE} (now {timeout:.0f}).')
            raise LockWaitTimeout(f'Gave up {what} in {path} after waiting {waited:.0f} s for the lock file '
                                  f'{lock_path}, held by {_describe_holder(holder, state)}. {advice}')
        if announced != identity[1]:
            announced = identity[1]
            print(f'Another notebook is {what} in {path}: waiting for it to finish, at most {timeout:.0f} s '
                  f'(the lock file {lock_path} is held by {_describe_holder(holder, state)}).', flush=True)
        lock_file.close()
        time.sleep(LOCK_POLL_SECONDS)


@contextlib.contextmanager
def cache_lock(path, what):
    """Holds the lock file beside `path` (a file or folder of the cache), waiting while another notebook holds it.

    Whoever holds it is the only one writing `path`; the lock file names it
    (process, host, since when). `what` says, in the messages, what the holder
    is doing. Re-entrant within a process. The operating system releases the
    lock when the process ends, however it ends; a lock still held in the name
    of an ended process of this machine (by a child it left behind) is taken
    over. Waiting gives up with LockWaitTimeout after CODELAB_LOCK_TIMEOUT_SECONDS
    (LOCK_TIMEOUT_SECONDS if unset), or after STOPPED_HOLDER_SECONDS when the
    holder is a stopped process. A lock file that cannot be created raises
    UnwritableCacheError.
    """
    path = pathlib.Path(path).absolute()
    lock_path = path.with_name(path.name + '.lock')
    if lock_path in _held_locks:
        yield
        return
    lock_file = _acquire_lock(lock_path, path, what)
    _held_locks.add(lock_path)
    try:
        yield
    finally:
        _held_locks.discard(lock_path)
        lock_file.close()


def _not_found(what, tried, fix):
    lines = '\n'.join(f'  - {attempt}' for attempt in tried)
    return DataNotFoundError(f'Could not find {what}. Tried, in order:\n{lines}\nTo fix it: {fix}')


def _download_url(public_url, mirror_path):
    """public_url, or <CODELAB_DOWNLOAD_MIRROR>/mirror_path when that variable is set.

    Raises _DownloadFailed when the variable holds something that is not an http(s) URL.
    """
    mirror = os.environ.get(DOWNLOAD_MIRROR_VARIABLE)
    if not mirror:
        return public_url
    parts = urllib.parse.urlsplit(mirror)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        example = 'http://' + mirror.strip().lstrip('/') if ':/' not in mirror else 'http://HOST:PORT/'
        raise _DownloadFailed(
            f'{DOWNLOAD_MIRROR_VARIABLE}={mirror!r}: nothing was downloaded, because this is not a URL '
            '(it must begin with http:// or https://)',
            f'set {DOWNLOAD_MIRROR_VARIABLE} to the mirror\'s base URL, for example '
            f'os.environ[{DOWNLOAD_MIRROR_VARIABLE!r}] = {example!r}, or unset it '
            f'(os.environ.pop({DOWNLOAD_MIRROR_VARIABLE!r})) to download from the public URLs, then run this '
            'cell again.')
    return f'{mirror.rstrip("/")}/{mirror_path}'


def _writable_cache_folder(folder):
    """Creates folder (and its parents) and writes a file in it; raises _DownloadFailed if either fails."""
    problem = writable_folder_problem(folder)
    if problem is not None:
        raise _DownloadFailed(
            f'downloading into the cache: nothing was downloaded, because the cache folder {shown_path(folder)} '
            f'cannot be created or written to ({problem})', _unwritable_fix(folder))


def _caused_by(error, kind):
    """The first error of type `kind` among error and those it was raised from or while handling, or None."""
    while error is not None:
        if isinstance(error, kind):
            return error
        error = error.__cause__ or error.__context__
    return None


@contextlib.contextmanager
def download_timeout():
    """Makes a download in the `with` block fail when no data arrives for DOWNLOAD_TIMEOUT_SECONDS."""
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous_timeout)


def _mirror_hint():
    mirror = os.environ.get(DOWNLOAD_MIRROR_VARIABLE)
    if not mirror:
        return ''
    return (f' {DOWNLOAD_MIRROR_VARIABLE}={mirror} is set: check that this mirror is right and serves the file, '
            f'or unset it (os.environ.pop({DOWNLOAD_MIRROR_VARIABLE!r})) to download from the public URL.')


def _remote_size(url):
    """The Content-Length the server gives for url, or None."""
    try:
        with download_timeout(), urllib.request.urlopen(urllib.request.Request(url, method='HEAD')) as answer:
            return int(answer.headers['Content-Length'])
    except Exception:  # Only to say how much space a download needs: unknown is an answer too.
        return None


def _download_into(folder, url):
    """Downloads url into folder with keras.utils.get_file, unless the file is there; returns its path.

    Gives up when no data arrives for DOWNLOAD_TIMEOUT_SECONDS. Raises _DownloadFailed
    saying why (no answer, an HTTP error, a full disk, no connection) and what to do.
    """
    try:
        with download_timeout():
            return pathlib.Path(keras.utils.get_file(url.rsplit('/', 1)[-1], url,
                                                     cache_dir=str(folder.parent), cache_subdir=folder.name))
    except Exception as error:  # get_file raises a bare Exception when the download fails.
        http_error = _caused_by(error, urllib.error.HTTPError)
        cut_short = _caused_by(error, urllib.error.ContentTooShortError)
        if is_disk_full(error):
            reason = disk_full_problem(folder, _remote_size(url))
            fix = disk_full_fix(folder)
        elif cut_short is not None:
            reason = f'the download was cut short ({cut_short.reason})'
            fix = 'run this cell again (if it happens again, the connection or the server is unreliable).'
        elif _caused_by(error, TimeoutError):  # socket.timeout is TimeoutError.
            reason = (f'the server did not answer within {DOWNLOAD_TIMEOUT_SECONDS} seconds (no data arrived for '
                      'that long)')
            fix = 'check the internet connection, then run this cell again.' + _mirror_hint()
        elif http_error is not None:
            reason = f'the server answered HTTP {http_error.code} ({http_error.reason})'
            if http_error.code not in (404, 410):
                fix = 'the server has a problem or refuses the download: run this cell again later.' + _mirror_hint()
            elif os.environ.get(DOWNLOAD_MIRROR_VARIABLE):
                fix = f'the file is not at {url}.' + _mirror_hint()
            else:
                fix = (f'the file is not at {url} any more: set {DATA_DIR_VARIABLE} to a folder holding a copy of '
                       'the data, or download it from where it has moved.')
        else:
            reason = f'{type(error).__name__}: {error}'
            fix = 'check the internet connection, then run this cell again.' + _mirror_hint()
        raise _DownloadFailed(f'downloading {url}: {reason}', fix) from error


def _web_page_instead(path):
    """Whether the file at path is an HTML page (perhaps gzipped) rather than the data asked for."""
    try:
        with open(path, 'rb') as file:
            head = file.read(4096)
        if head[:2] == b'\x1f\x8b':
            with contextlib.suppress(OSError, EOFError, zlib.error):
                head = gzip.decompress(head) if len(head) < 4096 else gzip.open(path).read(4096)
    except OSError:
        return False
    head = head.lstrip(b'\xef\xbb\xbf \t\r\n').lower()
    return head.startswith((b'<!doctype html', b'<html', b'<head', b'<body', b'<!--', b'<?xml')) \
        or b'<html' in head[:1024]


def _not_gzip_failure(url, path):
    """The _DownloadFailed for a file that is not gzipped at all (path, which is deleted), or None if it is."""
    with open(path, 'rb') as file:
        head = file.read(40)
    if head[:2] == b'\x1f\x8b':
        return None
    path.unlink()
    return _DownloadFailed(
        f'downloading {url}: what arrived is not a gzip file (it begins with {head!r}); {path} is deleted',
        'check that the address gives the file in a browser, then run this cell again.' + _mirror_hint())


def _web_page_failure(url, path):
    """The _DownloadFailed for a web page received instead of the file (path, which is deleted)."""
    path.unlink(missing_ok=True)
    return _DownloadFailed(
        f'downloading {url}: the server answered with a web page (HTML), not the file; {path} is deleted',
        'the network may ask you to sign in first (a login page of a hotel, airport or company network: open '
        'any web site in a browser and sign in), or a proxy answered instead of the server. Check that the '
        'address gives the file in a browser, then run this cell again.' + _mirror_hint())


def _missing_flower_classes(folder):
    """The classes of FLOWER_CLASSES without any photo in folder/<class>/."""
    def has_photos(class_folder):
        return class_folder.is_dir() and any(
            path.suffix.lower() in PHOTO_SUFFIXES for path in class_folder.iterdir() if path.is_file())
    return [name for name in FLOWER_CLASSES if not has_photos(folder / name)]


def shown_path(path):
    """The path as text; a path that is not valid UTF-8 as its bytes (b'...'), which print shows as they are."""
    text = str(path)
    try:
        text.encode('utf-8')
        return text
    except UnicodeEncodeError:
        return repr(os.fsencode(text))


def _flowers_problem(folder):
    """What is wrong with folder as flower_photos/ (a sentence), or None if it holds every class."""
    if shown_path(folder) != str(folder):
        return f'the path {shown_path(folder)} is not valid UTF-8, which TensorFlow cannot read'
    if not folder.is_dir():
        return f'no folder {folder}'
    missing = _missing_flower_classes(folder)
    if missing:
        return f'{folder} has no photos of {", ".join(missing)} (looked for {folder}/<class>/*.jpg)'
    return None


def local_flowers_photos():
    """The folder of flower_photos/<class>/*.jpg found on disk (CODELAB_DATA_DIR, then the cache), or None.

    Never downloads. An unusable CODELAB_DATA_DIR is said, with what is wrong.
    """
    return _local_flowers_photos([])


def _local_flowers_photos(tried):
    """local_flowers_photos, appending to `tried` what was looked at and why it did not do."""
    if os.environ.get(DATA_DIR_VARIABLE):
        folder = pathlib.Path(os.environ[DATA_DIR_VARIABLE]) / 'flowers' / 'flower_photos'
        problem = _flowers_problem(folder)
        if problem is None:
            return folder
        tried.append(f'{DATA_DIR_VARIABLE}={shown_path(os.environ[DATA_DIR_VARIABLE])}: {problem}')
        print(f'Not using the photos of {tried[-1]}. Looking in the cache instead (to use that folder, fix it '
              f'and run this cell again; to stop this message, unset {DATA_DIR_VARIABLE}).')
    else:
        tried.append(f'{DATA_DIR_VARIABLE} (not set)')
    folder = data_cache_dir() / 'flowers' / 'flower_photos'
    problem = _flowers_problem(folder)
    if problem is None:
        return folder
    tried.append(f'the local cache: {problem}')
    return None


def find_flowers_photos():
    """Returns the folder holding flower_photos/<class>/*.jpg for the 5 classes.

    Downloads and unpacks flower_photos.tgz (218 MB) into the cache the first
    time if no local copy exists, and again if the cached copy lacks a class.
    An unusable CODELAB_DATA_DIR is said before anything else is tried.
    Raises DataNotFoundError saying what was tried and how to fix it.
    """
    tried = []
    cache = data_cache_dir() / 'flowers'
    folder = _local_flowers_photos(tried)
    if folder is not None:
        if folder.parent == cache:
            _remove_unpacking_leftovers(cache)
        return folder
    folder = cache / 'flower_photos'
    try:
        url = _download_url(FLOWERS_URL, 'flower_photos.tgz')
        _writable_cache_folder(cache)
        with cache_lock(folder, 'downloading the flower photos'):
            problem = _flowers_problem(folder)
            if problem is None:
                return folder  # Another notebook downloaded them while this one waited.
            if folder.exists():
                print(f'The flower photos in the cache are incomplete: {problem}. '
                      f'Deleting {folder} and downloading the photos again.')
                shutil.rmtree(folder)
            _remove_unpacking_leftovers(cache)
            return _download_flowers(cache, url)
    except _DownloadFailed as failure:
        attempt, fix = failure.args
        tried.append(attempt)
    raise _not_found('the flower photos', tried,
                     f'{fix} Or set {DATA_DIR_VARIABLE} to a folder containing flowers/flower_photos/<class>/*.jpg.')


def _remove_unpacking_leftovers(cache):
    """Deletes the unpacking folders that an interrupted run left in the cache.

    Only while holding the photos' lock: no other notebook is unpacking then.
    In a cache that cannot be written to, they are left: they do no harm.
    """
    if not any(cache.glob(UNPACKING_PREFIX + '*')):
        return
    try:
        with cache_lock(cache / 'flower_photos', 'downloading the flower photos'):
            for leftover in cache.glob(UNPACKING_PREFIX + '*'):
                if leftover.is_dir():
                    print(f'Deleting {leftover}: a half-unpacked copy of the photos, left by an interrupted run.')
                    shutil.rmtree(leftover)
    except UnwritableCacheError:
        pass


def _download_flowers(cache, url):
    """Downloads flower_photos.tgz from url into cache (reusing one already there) and unpacks it.

    A damaged archive is deleted and downloaded once more; a web page instead
    of the archive is an error at once. Returns cache/flower_photos.
    """
    for attempt in (1, 2):
        archive = _download_into(cache, url)
        try:
            return _unpack_flowers(archive, cache)
        except _DamagedArchive as damage:
            if _web_page_instead(archive):
                raise _web_page_failure(url, archive) from None
            if (failure := _not_gzip_failure(url, archive)) is not None:
                raise failure from None
            problem = f'{archive} is damaged or incomplete ({damage})'
        archive.unlink()
        if attempt == 1:
            print(f'{problem}. Deleted it; downloading it again.')
    raise _DownloadFailed(f'downloading {url}, twice: {problem}; it is deleted',
                          'run this cell again later (the download may have been cut short).')


def _unpacked_size(archive):
    """Bytes that the files of a readable archive take once unpacked, or None."""
    try:
        with tarfile.open(archive, 'r:gz') as photos:
            return sum(member.size for member in photos)
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        return None


def _unpack_flowers(archive, cache):
    """Unpacks archive into a new folder in cache, checks it, and moves its flower_photos into cache.

    Deletes the archive once the photos are in place; returns their folder.
    Raises _DamagedArchive if the archive cannot be read to its end or lacks a
    class; _DownloadFailed if the disk is full (the archive is kept, to be
    unpacked once there is space).
    """
    try:
        staging = pathlib.Path(tempfile.mkdtemp(prefix=UNPACKING_PREFIX, dir=cache))
    except OSError as error:
        if is_disk_full(error):
            raise _DownloadFailed(f'unpacking {archive}: {disk_full_problem(cache, _unpacked_size(archive))}',
                                  disk_full_fix(cache)) from error
        raise _DownloadFailed(f'unpacking {archive}: {error}', _unwritable_fix(cache)) from error
    try:
        try:
            with gzip.open(archive) as stream, tarfile.open(fileobj=stream, mode='r|') as photos:
                # The 'data' filter keeps every file inside staging (Python 3.11.4 and newer have it).
                photos.extraction_filter = getattr(tarfile, 'data_filter', None)
                photos.extractall(staging)
                while stream.read(1 << 20):  # Reading to the end reveals an archive cut short.
                    pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise _DamagedArchive(f'{type(error).__name__}: {error}') from error
        except OSError as error:
            if not is_disk_full(error):
                raise
            shutil.rmtree(staging, ignore_errors=True)
            raise _DownloadFailed(
                f'unpacking {archive}: {disk_full_problem(cache, _unpacked_size(archive))} (the half-unpacked '
                'photos are deleted; the archive is kept, to be unpacked on the next run)',
                disk_full_fix(cache)) from error
        missing = _missing_flower_classes(staging / 'flower_photos')
        if missing:
            raise _DamagedArchive(f'it holds no flower_photos/<class>/*.jpg for {", ".join(missing)}')
        folder = cache / 'flower_photos'
        os.replace(staging / 'flower_photos', folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    archive.unlink()
    return folder


def _md5(path):
    with open(path, 'rb') as file:
        return hashlib.file_digest(file, 'md5').hexdigest()


def find_mnist_files():
    """Returns {'train_images', 'train_labels', 'test_images', 'test_labels'} -> path.

    The files are the original gzipped IDX files, each checked against its md5
    in MNIST_FILES. Downloads them into the cache the first time if no local copy
    exists, and again if a cached one is damaged. Raises DataNotFoundError saying
    what was tried and how to fix it.
    """
    tried = []
    layout = f'mnist/{{{",".join(name for name, _ in MNIST_FILES.values())}}}'
    if os.environ.get(DATA_DIR_VARIABLE):
        description = f'{DATA_DIR_VARIABLE}={os.environ[DATA_DIR_VARIABLE]}'
        folder = pathlib.Path(os.environ[DATA_DIR_VARIABLE]) / 'mnist'
        missing = [name for name, _ in MNIST_FILES.values() if not (folder / name).is_file()]
        if not missing:
            for name, md5 in MNIST_FILES.values():
                actual = _md5(folder / name)
                if actual != md5:
                    tried.append(f'{description}: {folder / name} is damaged or not the original file: '
                                 f'its md5 is {actual}, expected {md5}')
                    raise _not_found(
                        'the MNIST files', tried,
                        f'replace {folder / name} with the original file, or unset {DATA_DIR_VARIABLE} '
                        f'(os.environ.pop({DATA_DIR_VARIABLE!r})) to download the files into the cache.')
            return {key: folder / name for key, (name, _) in MNIST_FILES.items()}
        tried.append(f'{description}: {folder} lacks {", ".join(missing)}')
        print(f'Not using the MNIST files of {tried[-1]}. Looking in the cache instead (to use that folder, fix '
              f'it and run this cell again; to stop this message, unset {DATA_DIR_VARIABLE}).')
    else:
        tried.append(f'{DATA_DIR_VARIABLE} (not set)')
    cache = data_cache_dir() / 'mnist'
    paths = _cached_mnist_files(cache, repair=False)
    if len(paths) == len(MNIST_FILES):
        return paths
    tried.append(f'the local cache: {cache} lacks '
                 f'{", ".join(name for key, (name, _) in MNIST_FILES.items() if key not in paths)}')
    try:
        _download_url(MNIST_URL, 'mnist/')  # Checks CODELAB_DOWNLOAD_MIRROR before anything is written.
        _writable_cache_folder(cache)
        with cache_lock(cache, 'downloading the MNIST files'):
            paths = _cached_mnist_files(cache, repair=True)  # Another notebook may have downloaded some.
            for key, (name, md5) in MNIST_FILES.items():
                if key not in paths:
                    paths[key] = _download_mnist_file(cache, name, md5)
            return {key: paths[key] for key in MNIST_FILES}
    except _DownloadFailed as failure:
        attempt, fix = failure.args
        tried.append(attempt)
    raise _not_found('the MNIST files', tried,
                     f'{fix} Or set {DATA_DIR_VARIABLE} to a folder containing {layout}.')


def _cached_mnist_files(cache, repair):
    """{key: path} of the MNIST files in the cache whose md5 is right.

    With repair=True (only while holding the cache's lock), a damaged file is
    named in a message and deleted, to be downloaded again.
    """
    paths = {}
    for key, (name, md5) in MNIST_FILES.items():
        path = cache / name
        if not path.is_file():
            continue
        actual = _md5(path)
        if actual == md5:
            paths[key] = path
        elif repair:
            print(f'{path} in the cache is damaged or incomplete (md5 {actual}, expected {md5}). '
                  'Deleting it and downloading it again.')
            path.unlink()
    return paths


def _download_mnist_file(cache, name, md5):
    """Downloads one MNIST file into cache and checks its md5; returns its path or raises _DownloadFailed."""
    url = _download_url(MNIST_URL + name, f'mnist/{name}')
    path = _download_into(cache, url)
    actual = _md5(path)
    if actual != md5:
        if _web_page_instead(path):
            raise _web_page_failure(url, path)
        if (failure := _not_gzip_failure(url, path)) is not None:
            raise failure
        path.unlink()
        raise _DownloadFailed(f'downloading {url}: the file that arrived is not the original (md5 {actual}, '
                              f'expected {md5}): the download was cut short, or the server sent another file; '
                              f'{path} is deleted',
                              'run this cell again later (if it happens again, the server does not have the '
                              'original file).' + _mirror_hint())
    return path
