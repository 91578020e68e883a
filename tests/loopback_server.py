"""HTTP servers on 127.0.0.1 for the download tests: a file server and one that never answers.

Both bind to the loopback address only, on a free port, and stop when their
`with` block ends, so that no test sends traffic anywhere else.
"""
import contextlib
import functools
import http.server
import socket
import threading
import time


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files from a folder without logging every request to stderr."""

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve_folder(folder, delay_seconds=0):
    """Serves the files of `folder` over HTTP on 127.0.0.1; yields the base URL ('http://127.0.0.1:PORT/').

    The yielded URL is a ServedURL: its `.requests` lists the path of every
    request received, in order. Each answer waits `delay_seconds` first (a slow
    server, to make downloads overlap).
    """
    requests = []

    class Handler(_QuietHandler):
        def do_GET(self):
            requests.append(self.path)
            time.sleep(delay_seconds)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = ServedURL(f'http://127.0.0.1:{server.server_address[1]}/')
    url.requests = requests
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class ServedURL(str):
    """A base URL that also carries the list of paths requested from it (`.requests`)."""

    requests: list


@contextlib.contextmanager
def silent_server():
    """A server on 127.0.0.1 that accepts connections and never sends a byte; yields its base URL.

    For testing download timeouts: a client waits on it until its own timeout.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            accepted.append(connection)  # Kept open, never answered.

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{listener.getsockname()[1]}/'
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in accepted:
            connection.close()
        listener.close()
