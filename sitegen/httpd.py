"""The preview's HTTP server, for one machine: which requests are answered, and
by how many threads.

Only a plain path of the build is looked up (``lookup``), only a request whose
``Host`` is this machine's is answered (``allowed_host``: a web page cannot read
the drafts through DNS rebinding), and one thread accepts connections and
reads each request head without blocking, so that idle or slow connections
cost a descriptor, never a thread (``PreviewServer``).
"""
from __future__ import annotations

import errno
import ipaddress
import queue
import re
import selectors
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Callable
from urllib.parse import quote, unquote

WORKERS = 16             # threads answering requests: a page loads a dozen files at once
LONG_POLLS = 8           # of them at most this many hold a reload long-poll (one per open tab)
QUEUED = 128             # whole requests waiting for a worker; beyond it they are closed
MAX_IDLE = 256           # connections still sending their request; beyond it the oldest is closed
MAX_HEAD = 65536         # bytes of request line and headers
REQUEST_TIMEOUT = 10.0   # seconds from connecting to a whole request head; also the
                         # socket timeout while the answer is written
ACCEPT_BACKOFF = 0.1     # seconds to wait when accept() fails for lack of descriptors


def lookup(files: dict[str, bytes], raw_path: str) -> tuple[str, str]:
    """``(kind, key)``: "file" with the build's key, "redirect" with the Location that
    adds a slash, or "none".

    Only a plain path is looked up: one that starts with a single ``/``, has no
    empty, ``.`` or ``..`` segment, no backslash and no encoded ``/`` or ``\\``.
    So a redirect's Location is always ``/`` + a key of the build + ``/``, never
    ``//host/`` (a protocol-relative URL to another site).
    """
    path = re.split(r"[?#]", raw_path, maxsplit=1)[0]
    if not path.startswith("/") or "\\" in path or re.search(r"%(2f|5c)", path, re.IGNORECASE):
        return "none", ""                   # absolute-form, "*", backslashes, encoded slashes
    path = unquote(path)
    segments = path[1:].split("/")
    if "\x00" in path or any(part in ("", ".", "..") for part in segments[:-1]) \
            or segments[-1] in (".", ".."):
        return "none", ""
    key = path[1:]
    if key == "" or key.endswith("/"):
        key += "index.html"
    if key in files:
        return "file", key
    if f"{key}/index.html" in files:
        return "redirect", quote(f"/{key}/")
    return "none", ""


def allowed_host(value: str | None, listen_host: str, port: int) -> bool:
    """Whether a request with ``Host: value`` may be answered.

    A loopback name or address, or the address the server was told to listen on,
    with or without the server's port. The name is what a DNS-rebinding page
    cannot fake: its requests carry its own name. ``*.localhost`` is refused:
    not every resolver keeps such names on this machine, and nothing here prints
    one. When listening on every address (0.0.0.0), any IP address is accepted:
    a page can only rebind a name, never an address. No Host (HTTP/1.0) is fine.
    """
    if value is None:
        return True
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return False
        given = rest[1:] if rest else None
    else:
        name, colon, given = value.partition(":")
        given = given if colon else None
    if given is not None and not (given.isascii() and given.isdigit() and int(given) == port):
        return False
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if value.startswith("[") != (address is not None and address.version == 6):
        return False                                # IPv6 in brackets, nothing else
    listen = listen_host.strip().lower().strip("[]")
    if name == "localhost" or (name and name == listen):
        return True
    return address is not None and (address.is_loopback or every_address(listen))


def every_address(host: str) -> bool:
    """Whether listening on ``host`` means listening on all of this machine's addresses."""
    try:
        return host == "" or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


class PreviewServer(HTTPServer):
    """An HTTP server with one accepting thread and a fixed pool of workers.

    The accepting thread (``serve_forever``) also reads each connection's request
    head, without blocking, until the blank line that ends it; only then does the
    request go to a worker. So an idle or slow connection holds a descriptor and a
    few bytes, never a thread; it is closed ``REQUEST_TIMEOUT`` after it connected,
    or earlier when ``MAX_IDLE`` newer ones are waiting. Requests that find the
    worker queue full are closed (the browser retries). A failing ``accept()``
    (out of descriptors) closes the oldest waiting connection and waits a moment,
    instead of spinning.
    """

    request_queue_size = 128      # the default (5) drops connections from a busy browser

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 log: Callable[[str], None] = lambda message: None) -> None:
        self.listen_host, self.log = address[0], log
        self.jobs: queue.Queue[tuple[socket.socket, object, bytes] | None] = queue.Queue(QUEUED)
        self.workers: list[threading.Thread] = []
        self.stopping, self.stopped = threading.Event(), threading.Event()
        self.stopped.set()
        self.out_of_descriptors = False
        self.refused_hosts: set[str] = set()
        super().__init__(address, handler)        # last: it calls server_close() on failure

    # ------------------------------------------------------------ the accepting thread

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self.stopped.clear()
        while len(self.workers) < WORKERS:
            worker = threading.Thread(target=self.work, daemon=True,
                                      name=f"sitegen-serve-{len(self.workers)}")
            worker.start()
            self.workers.append(worker)
        waiting: dict[socket.socket, tuple[float, object, bytearray]] = {}  # oldest first
        with selectors.DefaultSelector() as selector:
            self.socket.setblocking(False)
            selector.register(self.socket, selectors.EVENT_READ)
            try:
                while not self.stopping.is_set():
                    timeout = poll_interval
                    if waiting:
                        oldest = next(iter(waiting.values()))[0]
                        timeout = min(timeout, max(0.0, oldest - time.monotonic()))
                    for key, _ in selector.select(timeout):
                        if key.fileobj is self.socket:
                            self.accept(selector, waiting)
                        elif key.fileobj in waiting:     # not dropped by accept() just now
                            self.read_head(selector, waiting, key.fileobj)  # type: ignore[arg-type]
                    now = time.monotonic()
                    while waiting and next(iter(waiting.values()))[0] <= now:
                        self.drop(selector, waiting, next(iter(waiting)))
            finally:
                while waiting:
                    self.drop(selector, waiting, next(iter(waiting)))
                self.stopped.set()

    def accept(self, selector: selectors.BaseSelector,
               waiting: dict[socket.socket, tuple[float, object, bytearray]]) -> None:
        for _ in range(64):                        # a burst, then the others get a turn
            try:
                sock, address = self.get_request()
            except BlockingIOError:
                return
            except OSError as err:
                if err.errno not in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    return                         # e.g. the client gave up already
                if not self.out_of_descriptors:
                    self.out_of_descriptors = True
                    self.log(f"cannot accept connections: {err.strerror}; closing idle ones "
                             "and retrying")
                if waiting:
                    self.drop(selector, waiting, next(iter(waiting)))
                self.stopping.wait(ACCEPT_BACKOFF)
                return
            self.out_of_descriptors = False
            if len(waiting) >= MAX_IDLE:
                self.drop(selector, waiting, next(iter(waiting)))
            sock.setblocking(False)
            waiting[sock] = (time.monotonic() + REQUEST_TIMEOUT, address, bytearray())
            selector.register(sock, selectors.EVENT_READ)

    def read_head(self, selector: selectors.BaseSelector,
                  waiting: dict[socket.socket, tuple[float, object, bytearray]],
                  sock: socket.socket) -> None:
        _, address, head = waiting[sock]
        try:
            data = sock.recv(MAX_HEAD)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            return self.drop(selector, waiting, sock)
        start = max(0, len(head) - 3)
        head += data
        if head.find(b"\r\n\r\n", start) < 0 and head.find(b"\n\n", start) < 0:
            if len(head) > MAX_HEAD:
                self.drop(selector, waiting, sock)
            return None
        selector.unregister(sock)
        del waiting[sock]
        try:
            self.jobs.put_nowait((sock, address, bytes(head)))
        except queue.Full:
            sock.close()
        return None

    @staticmethod
    def drop(selector: selectors.BaseSelector,
             waiting: dict[socket.socket, tuple[float, object, bytearray]],
             sock: socket.socket) -> None:
        selector.unregister(sock)
        del waiting[sock]
        sock.close()

    # ------------------------------------------------------------ the workers

    def work(self) -> None:
        while (job := self.jobs.get()) is not None:
            sock, address, head = job
            try:
                self.finish_request((sock, head), address)  # type: ignore[arg-type]
            except Exception:                      # a bug must not stop a worker
                self.handle_error(sock, address)  # type: ignore[arg-type]
            finally:
                self.shutdown_request(sock)

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return                                 # the client left, or stopped reading
        self.log("error answering a request (a bug in sitegen):\n" + traceback.format_exc())

    def refused(self, host: str) -> None:
        """Say on the terminal, once per Host, that a request was refused."""
        if host not in self.refused_hosts and len(self.refused_hosts) < 20:
            self.refused_hosts.add(host)
            self.log(f"refused a request for Host {host or '(empty)'!r}: only 127.0.0.1, "
                     "localhost and the --host address are answered (a web page trying to "
                     "read the preview?)")

    # ------------------------------------------------------------ stopping

    def shutdown(self) -> None:
        self.stopping.set()
        self.stopped.wait()

    def server_close(self) -> None:
        super().server_close()
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job[0].close()
        for _ in self.workers:
            self.jobs.put(None)
        end = time.monotonic() + 5
        for worker in self.workers:
            worker.join(max(0.0, end - time.monotonic()))
        self.workers = []
