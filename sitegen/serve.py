"""``sitegen serve``: build in memory, serve on loopback, rebuild on save.

The server holds the last good build as ``{path: bytes}`` and serves only
those paths, so nothing outside the build can be reached. A failed rebuild
keeps the last good pages and shows the errors on top of them (and on the
terminal); the next good save clears them. Pages reload themselves through a
long poll that only the served pages carry.

The server is for the editor's own machine, and a web page the editor visits
must not be able to read the drafts through it: only requests whose ``Host`` is
a loopback name or address (or the ``--host`` it was told) are answered, so a
DNS-rebinding page gets ``421``. One thread accepts connections and reads each
request head without blocking; only a whole request goes to one of a fixed
pool of workers, so idle or slow connections cost a descriptor, never a
thread, and are closed after ``REQUEST_TIMEOUT``.
"""
from __future__ import annotations

import datetime as dt
import errno
import io
import json
import threading
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from markupsafe import escape
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import __version__
from .engine.build import build_site
from .engine.fingerprint import fingerprint
from .errors import SitegenError
from .content import SITE_FILE
from .content.load import load_site
from .engine.memo import Memo
from .httpd import PreviewServer, REQUEST_TIMEOUT, allowed_host, lookup

WATCHED = ("content", "versions", "theme")
DEBOUNCE = 0.15          # seconds of quiet after the last event before a rebuild
POLL_TIMEOUT = 25.0      # seconds a reload long-poll is held open
LONG_POLLS = 8           # of httpd.WORKERS at most this many hold a reload long-poll
                         # (one per open tab)
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".xml": "application/xml; charset=utf-8", ".json": "application/json",
         ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8",
         ".js": "text/javascript; charset=utf-8",
         ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}
RELOAD = """<script>(function(){var g=%d;function poll(){fetch('/__sitegen/wait?since='+g)
.then(function(r){if(!r.ok){throw r}return r.json()}).then(function(d){if(d.generation!==g){location.reload()}
else{poll()}}).catch(function(){setTimeout(poll,1000)})}poll()})();</script>"""
OVERLAY = """<div role="alert" style="position:fixed;inset:0 0 auto 0;z-index:9999;max-height:60vh;
overflow:auto;background:#fff0f0;color:#600;border-bottom:3px solid #c00;padding:1rem;
font:14px/1.4 monospace"><strong>sitegen: the last edit did not build; showing the last good
build.</strong><pre style="white-space:pre-wrap">%s</pre></div>"""


@dataclass
class State:
    """The last good build, the last error, and a counter that pages poll."""

    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""
    generation: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)
    closing: bool = False                         # set when the server stops: no more waiting


class Builder:
    """Rebuilds the site into ``state``; never raises, reports to ``log``."""

    def __init__(self, root: Path, today: dt.date | None, log: Callable[[str], None]) -> None:
        self.root, self.today, self.log = root, today, log
        self.state, self.memo = State(), Memo(sweeping=True)
        self.keys: dict[str, str] = {}            # of the pages in state.files
        self.lock = threading.Lock()

    def rebuild(self) -> None:
        """Re-render what the change touched; take every other page over as it was."""
        with self.lock:
            files, error, rendered = None, "", 0
            try:
                site = load_site(self.root, reuse=self.memo.reuse)
                today = self.today or dt.date.today()
                base = fingerprint(self.root, [__version__, str(today), "serve"],
                                   folders=("content", "theme"))
                result = build_site(site, today, drafts=True, memo=self.memo, base=base,
                                    previous=self.keys)
                files = {**{p: self.state.files[p] for p in result.kept}, **result.files}
                rendered, self.keys = len(result.files), dict(result.keys)
                self.memo.sweep()
            except SitegenError as err:
                error = err.format_message()
            except Exception:                     # a bug must not stop the preview
                error = traceback.format_exc()
            with self.state.changed:
                if files is not None:
                    self.state.files = files
                self.state.error = error
                self.state.generation += 1
                self.state.changed.notify_all()
            self.log(error if error else f"rebuilt: {rendered} of {len(files or {})} files "
                     "rendered, the rest unchanged")


class Debouncer(FileSystemEventHandler):
    """Editors save in bursts (temp file, rename, save twice): rebuild once after."""

    def __init__(self, action: Callable[[], None], delay: float = DEBOUNCE) -> None:
        self.action, self.delay = action, delay
        self.timer: threading.Timer | None = None
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return                  # a file inside changed: that file's own event counts
        paths = [event.src_path] + ([event.dest_path] if event.event_type == "moved" else [])
        if all(self.ignored(Path(str(path)).name) for path in paths):
            return
        self.schedule()

    @staticmethod
    def ignored(name: str) -> bool:
        """Editors' swap, backup and temporary files."""
        return name.startswith((".#", "#")) or name.endswith(IGNORED_SUFFIXES) or \
            (name.startswith(".") and name.endswith((".swp", ".swx")))

    def schedule(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.delay, self.action)
            self.timer.daemon = True
            self.timer.start()


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    polls = threading.BoundedSemaphore(LONG_POLLS)

    class Handler(BaseHTTPRequestHandler):
        server_version = "sitegen"
        timeout = REQUEST_TIMEOUT               # the socket's, while the answer is written
        server: PreviewServer

        def setup(self) -> None:
            # PreviewServer has read the request head already: the request is
            # (socket, head), and the head is all that this handler reads.
            self.request, head = self.request  # type: ignore[misc]
            super().setup()
            self.rfile.close()
            self.rfile = io.BytesIO(head)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (library API)
            pass

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")   # every answer, errors too
            super().end_headers()

        def do_GET(self) -> None:  # noqa: N802 (library API)
            if not self.host_allowed():
                return None
            if self.path.startswith("/__sitegen/wait"):
                return self.wait()
            with state.changed:
                files, error, generation = state.files, state.error, state.generation
            kind, key = lookup(files, self.path)
            if kind == "redirect":
                self.send(301, b"", TYPES[".txt"], {"Location": key})
                return None
            status, body = (200, files[key]) if kind == "file" else (404, b"")
            if kind == "none":
                key = "404.html"
                body = files.get(key, b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>")
            if key.endswith(".html") or not files:
                body = inject(body, generation, error)
                key = key if key.endswith(".html") else "error.html"
            self.send(status, body, TYPES.get(Path(key).suffix, "application/octet-stream"))
            return None

        def host_allowed(self) -> bool:
            """Refuse, with 421 and nothing of the site, a Host that is not this server's."""
            hosts = self.headers.get_all("Host") or []
            port = self.server.server_address[1]
            if len(hosts) < 2 and allowed_host(hosts[0] if hosts else None,
                                               self.server.listen_host, port):
                return True
            self.server.refused(", ".join(hosts))
            self.send(421, f"Misdirected Request: this preview answers only requests for "
                           f"http://127.0.0.1:{port}/, localhost or its --host address\n"
                      .encode(), TYPES[".txt"])
            return False

        def wait(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["0"])[0] or 0)
            except ValueError:
                self.send(400, b'{"error": "since must be a number"}', TYPES[".json"])
                return
            with state.changed:
                generation = state.generation
            if generation == since:
                # Each open page holds one; the cap keeps workers free for pages. A page
                # over it is told at once to retry (its script waits a second).
                if not polls.acquire(blocking=False):
                    self.send(503, b'{"error": "too many pages are waiting, retry"}',
                              TYPES[".json"], {"Retry-After": "1"})
                    return
                try:
                    with state.changed:
                        state.changed.wait_for(
                            lambda: state.generation != since or state.closing,
                            timeout=POLL_TIMEOUT)
                        generation = state.generation
                finally:
                    polls.release()
            self.send(200, json.dumps({"generation": generation}).encode(), TYPES[".json"])

        def send(self, status: int, body: bytes, content_type: str,
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def inject(page: bytes, generation: int, error: str) -> bytes:
    """The reload script, and the error overlay when the last rebuild failed."""
    extra = (OVERLAY % escape(error) if error else "") + RELOAD % generation
    if b"</body>" in page:
        return page.replace(b"</body>", extra.encode() + b"</body>", 1)
    return page + extra.encode()


def listen(host: str, port: int, handler: type[BaseHTTPRequestHandler],
           log: Callable[[str], None] = lambda message: None) -> PreviewServer:
    """The server, bound before the first build so that a busy port is said at once."""
    try:
        return PreviewServer((host, port), handler, log)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            raise SitegenError(f"port {port} is in use by another program: choose another "
                               f"with --port, e.g. --port {port + 1 if port < 65535 else 8001}",
                               "--port") from None
        if err.errno == errno.EACCES:
            raise SitegenError(f"port {port} needs privileges this user does not have: "
                               "choose one above 1023 with --port", "--port") from None
        raise SitegenError(f"cannot listen on {host}: {err.strerror or err}; give an address "
                           "of this machine, e.g. --host 127.0.0.1", "--host") from None


def serve(root: Path, host: str, port: int, today: dt.date | None,
          log: Callable[[str], None], ready: Callable[[str], None] | None = None,
          stop: threading.Event | None = None) -> None:
    """Serve until Ctrl-C (or until ``stop`` is set, for tests)."""
    builder = Builder(root.resolve(), today, log)
    if not (builder.root / SITE_FILE).is_file():
        raise SitegenError(f"no {SITE_FILE} in {builder.root}: is this a sitegen site? Run "
                           "the command in the site's folder or give --site DIR", "--site")
    server = listen(host, port, make_handler(builder.state), log)
    builder.rebuild()
    observer = Observer()
    debouncer = Debouncer(builder.rebuild)
    for name in WATCHED:
        if (builder.root / name).is_dir():
            observer.schedule(debouncer, str(builder.root / name), recursive=True)
    observer.start()
    url = f"http://{host}:{server.server_address[1]}/"
    (ready or log)(url)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="sitegen-accept")
    thread.start()
    try:
        while not (stop.wait(0.2) if stop else False):
            if stop is None:
                threading.Event().wait(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        server.shutdown()
        thread.join(5)
        with builder.state.changed:                # answer the waiting long-polls now
            builder.state.closing = True
            builder.state.changed.notify_all()
        server.server_close()
        observer.join(timeout=5)
