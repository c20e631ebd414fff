"""``sitegen serve`` answers only the paths of the build, only for its own Host,
redirects only within the site, and holds up under load, idle and slow clients.

The server runs in a thread on 127.0.0.1, port 0, and is stopped through its
``stop`` Event in a ``finally``. Requests are written on a raw socket, so that no
client normalises ``..`` or percent-escapes away before the server sees them.
Every socket has a timeout, so the tests stop by themselves.
"""
from __future__ import annotations

import concurrent.futures
import errno
import http.client
import json
import os
import re
import resource
import selectors
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

import sitegen.httpd as httpd
import sitegen.serve as serve_module
from sitegen.cli import main
from sitegen.httpd import allowed_host, lookup
from sitegen.serve import State, inject, listen, make_handler
from tests.conftest import TODAY, page
from tests.serving import running

TIMEOUT = 30.0            # seconds, for every connection and every read
NL = "## Inleiding\n\nWij zijn Voorbeeld B.V.\n\n## Uw rechten\n\n### Recht op inzage {art=15}\n\nTekst.\n"
EN = "## Introduction\n\nWe are Example B.V.\n\n## Your rights\n\n### Right of access {art=15}\n\nText.\n"
SECRET = f"TOP-SECRET-{uuid.uuid4()}"


STATEMENTS = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL, "summary: Eerste.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN, "summary: First.\n"),
    "versions/2.0/nl.md": page("Privacyverklaring", "2020-01-01", NL + "\nMeer.\n"),
    "versions/2.0/en.md": page("Privacy statement", "2020-01-01", EN + "\nMore.\n"),
}


@pytest.fixture
def site(make_site, tmp_path: Path) -> Path:
    """Two versions in two languages, and a secret next to the site."""
    root = make_site(STATEMENTS)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    return root


@pytest.fixture
def linked_site(site: Path, tmp_path: Path) -> Path:
    """The site with links from inside it to the secret (which the build refuses)."""
    outside = tmp_path / "outside"
    os.symlink(outside / "secret.txt", site / "versions" / "1.0" / "secret.txt")
    os.symlink(outside, site / "versions" / ".outside")
    os.symlink(outside / "secret.txt", site / "content" / "secret.txt")
    return site


@contextmanager
def serving(root: Path, logs: list[str] | None = None) -> Iterator[int]:
    """``serve`` in a thread; yields the port; always stopped."""
    with running(root, TODAY, logs) as url:
        yield int(url.rstrip("/").rsplit(":", 1)[1])


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """Send ``GET target`` byte for byte; return (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.settimeout(TIMEOUT)
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Connection: close\r\n\r\n".encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


TRAVERSALS = [
    "/..", "/../", "/../../../../../../etc/passwd", "/nl/../../../../etc/passwd",
    "/%2e%2e", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd", "/%252e%252e/%252e%252e/etc/passwd",
    "/nl/..%5c..%5c..%5cetc%5cpasswd", "/..\\..\\etc\\passwd", "/%2e%2e%00/etc/passwd",
    "//etc/passwd", "///etc/passwd", "/etc/passwd", "http://127.0.0.1/../../etc/passwd",
    "/versions/1.0/secret.txt", "/versions/.outside/secret.txt", "/content/secret.txt",
    "/nl/1.0/secret.txt", "/secret.txt", "/content/site.yaml", "/versions/1.0/nl.md",
    "/nl/1.0/../../content/site.yaml", "/.sitegen-manifest",
]


def test_paths_outside_the_build_are_not_found(site: Path) -> None:
    passwd = Path("/etc/passwd").read_bytes()[:32] if Path("/etc/passwd").is_file() else b"\0"
    site_yaml = (site / "content" / "site.yaml").read_bytes()
    with serving(site) as port:
        status, body = raw_get(port, "/nl/")
        assert status == 200 and b"Wij zijn Voorbeeld" in body     # the site is up
        answers = {target: raw_get(port, target) for target in TRAVERSALS}
    wrong = {t: s for t, (s, _) in answers.items() if s != 404}
    assert wrong == {}, f"expected 404 for every path outside the build: {wrong}"
    for target, (_, body) in answers.items():
        assert SECRET.encode() not in body, f"{target} served the file behind the symlink"
        assert passwd not in body, f"{target} served /etc/passwd"
        assert site_yaml not in body, f"{target} served a source file"


def test_links_to_outside_the_site_are_never_served(linked_site: Path) -> None:
    """The build refuses such links; whatever the preview then shows, never the secret."""
    with serving(linked_site) as port:
        answers = {target: raw_get(port, target) for target in ["/", "/nl/", *TRAVERSALS]}
    for target, (_, body) in answers.items():
        assert SECRET.encode() not in body, f"{target} served the file behind the symlink"


PAGES = ["/", "/nl/", "/en/", "/nl/1.0/", "/en/1.0/", "/nl/2.0/", "/nl/versions/",
         "/en/versions/", "/nl/diff/1.0-2.0/", "/nl/feed.xml", "/versions.json",
         "/sitemap.xml", "/assets/site.css", "/nl/1.0/source.md", "/robots.txt"]
REQUESTS, THREADS = 1000, 50


def expected_bodies(site: Path, out: Path) -> dict[str, bytes]:
    """What each address must answer: the file ``sitegen build`` wrote, with the
    reload script that the preview adds to HTML pages (first build: generation 1)."""
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    bodies = {}
    for address in PAGES:
        rel = address.lstrip("/") + ("index.html" if address.endswith("/") else "")
        data = (out / rel).read_bytes()
        bodies[address] = inject(data, 1, "") if rel.endswith(".html") else data
    return bodies


def load(port: int, expected: dict[str, bytes]) -> list[tuple[str, int, bool, float]]:
    """REQUESTS GETs from THREADS threads: (address, status, exact bytes?, connect seconds)."""
    def fetch(number: int) -> tuple[str, int, bool, float]:
        address = PAGES[number % len(PAGES)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        try:
            started = time.monotonic()
            conn.connect()
            connected = time.monotonic() - started
            conn.request("GET", address)
            response = conn.getresponse()
            body = response.read()
            return address, response.status, body == expected[address], connected
        finally:
            conn.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(fetch, n) for n in range(REQUESTS)]
        done, pending = concurrent.futures.wait(futures, timeout=300)
        for future in pending:
            future.cancel()
    assert not pending, f"{len(pending)} requests did not finish in time"
    errors = [f.exception() for f in done if f.exception() is not None]
    assert errors == [], f"{len(errors)} requests failed, e.g. {errors[:3]}"
    return [f.result() for f in done]


def test_a_thousand_concurrent_requests_get_the_exact_pages(site: Path, tmp_path: Path) -> None:
    expected = expected_bodies(site, tmp_path / "public")
    with serving(site) as port:
        results = load(port, expected)
    assert len(results) == REQUESTS
    bad = [(address, status) for address, status, same, _ in results if status != 200 or not same]
    assert bad == [], f"{len(bad)} answers were not 200 with the built bytes: {bad[:5]}"


def test_fifty_concurrent_clients_connect_without_delay(site: Path, tmp_path: Path) -> None:
    """A loopback connect takes microseconds unless the listen backlog is full and the
    kernel drops the SYN: then the client retries after 1 s, 3 s, 7 s... A preview
    server's pages load a dozen resources at once, so 50 clients must all get in."""
    expected = expected_bodies(site, tmp_path / "public")
    with serving(site) as port:
        results = load(port, expected)
    slow = sorted(connected for *_, connected in results if connected >= 0.9)
    assert slow == [], (f"{len(slow)} of {REQUESTS} connections waited for a SYN retry "
                        f"(up to {max(slow):.1f} s): the listen backlog is too small")


# --------------------------------------------------------------------------- raw requests

def request(port: int, target: str, headers: list[tuple[str, str]] | None = None,
            version: str = "HTTP/1.1") -> tuple[int, dict[str, str], bytes]:
    """Send ``GET target`` with exactly ``headers`` (default: Host 127.0.0.1:port);
    return (status, headers with lower-case names, body)."""
    if headers is None:
        headers = [("Host", f"127.0.0.1:{port}")]
    lines = [f"GET {target} {version}", *(f"{k}: {v}" for k, v in headers), "Connection: close"]
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    answer = {}
    for field in fields:
        name, _, value = field.partition(":")
        answer[name.strip().lower()] = value.strip()
    return int(status_line.split(" ", 2)[1]), answer, body


# --------------------------------------------------------------------------- Host: DNS rebinding

# (Host header, the --host the server listens on, answered?) for a server on port 8000.
HOSTS = [
    (None, "127.0.0.1", True),                      # HTTP/1.0 may send none
    ("127.0.0.1", "127.0.0.1", True),
    ("127.0.0.1:8000", "127.0.0.1", True),
    ("localhost", "127.0.0.1", True),
    ("localhost:8000", "127.0.0.1", True),
    ("LocalHost:8000", "127.0.0.1", True),
    ("127.1.2.3:8000", "127.0.0.1", True),          # all of 127/8 is this machine
    ("[::1]", "127.0.0.1", True),
    ("[::1]:8000", "127.0.0.1", True),
    ("evil.example", "127.0.0.1", False),           # the rebinding page's own name
    ("evil.example:8000", "127.0.0.1", False),
    ("127.0.0.1.nip.io:8000", "127.0.0.1", False),
    ("localhost.evil.example:8000", "127.0.0.1", False),
    ("app.localhost:8000", "127.0.0.1", False),     # *.localhost: decided against
    ("localhost.:8000", "127.0.0.1", False),
    ("127.0.0.1:8001", "127.0.0.1", False),         # another port
    ("localhost:80", "127.0.0.1", False),
    ("localhost:", "127.0.0.1", False),
    ("localhost:8000:8000", "127.0.0.1", False),
    ("localhost:\uff18\uff10\uff10\uff10", "127.0.0.1", False),   # full-width digits
    ("localhost:+8000", "127.0.0.1", False),
    ("", "127.0.0.1", False),
    ("2130706433:8000", "127.0.0.1", False),        # 127.0.0.1 as a number: a name here
    ("0x7f.1:8000", "127.0.0.1", False),
    ("::1", "127.0.0.1", False),                    # IPv6 must be in brackets
    ("[::1", "127.0.0.1", False),
    ("[::1]8000", "127.0.0.1", False),
    ("[127.0.0.1]:8000", "127.0.0.1", False),
    ("[localhost]:8000", "127.0.0.1", False),
    ("192.168.1.20:8000", "127.0.0.1", False),
    ("0.0.0.0:8000", "127.0.0.1", False),
    ("192.168.1.20:8000", "0.0.0.0", True),         # every address: any IP literal
    ("[fe80::1]:8000", "0.0.0.0", True),
    ("localhost:8000", "0.0.0.0", True),
    ("laptop.local:8000", "0.0.0.0", False),        # but still no name
    ("evil.example:8000", "", False),
    ("10.0.0.5:8000", "", True),
    ("laptop.local:8000", "laptop.local", True),    # the name it was told
    ("LAPTOP.local", "laptop.local", True),
    ("evil.example:8000", "laptop.local", False),
    ("192.168.1.20:8000", "192.168.1.20", True),
    ("192.168.1.21:8000", "192.168.1.20", False),
    ("localhost:8000", "192.168.1.20", True),
    ("[::1]:8000", "::1", True),
    ("[::1]:8000", "[::1]", True),
]


@pytest.mark.parametrize("host, listening, answered", HOSTS)
def test_allowed_host(host: str | None, listening: str, answered: bool) -> None:
    assert allowed_host(host, listening, 8000) is answered


def test_a_foreign_host_gets_421_and_nothing_of_the_site(site: Path) -> None:
    logs: list[str] = []
    with serving(site, logs) as port:
        good = [[("Host", f"127.0.0.1:{port}")], [("Host", f"localhost:{port}")],
                [("Host", f"[::1]:{port}")], [("Host", f"127.0.0.2:{port}")],
                [("Host", "127.0.0.1")]]
        for headers in good:
            status, _, body = request(port, "/nl/", headers)
            assert status == 200 and b"Wij zijn Voorbeeld" in body, headers
        status, _, body = request(port, "/nl/", [], version="HTTP/1.0")
        assert status == 200 and b"Wij zijn Voorbeeld" in body, "no Host (HTTP/1.0)"

        bad = [[("Host", f"evil.example:{port}")], [("Host", "evil.example")],
               [("Host", f"localhost:{port + 1}")], [("Host", f"app.localhost:{port}")],
               [("Host", f"127.0.0.1.nip.io:{port}")], [("Host", "")],
               [("Host", f"127.0.0.1:{port}"), ("Host", f"evil.example:{port}")]]
        for headers in bad:
            for target in ("/nl/", "/nl", "/versions.json", "/assets/site.css",
                           "/__sitegen/wait?since=0", "/nope"):
                status, answer, body = request(port, target, headers)
                assert status == 421, (headers, target, status)
                assert answer.get("cache-control") == "no-store", (headers, target)
                assert "location" not in answer, (headers, target)
                assert answer["content-type"].startswith("text/plain"), (headers, target)
                assert len(body) < 200 and b"Misdirected" in body, (headers, target, body)
                assert b"<" not in body and b"generation" not in body, (headers, target)
    refused = [line for line in logs if "refused" in line]
    assert len([line for line in refused if f"'evil.example:{port}'" in line]) == 1, refused


# --------------------------------------------------------------------------- redirects

OFF_SITE = ["/%2Fnl", "/%2fnl", "/%2F%2Fevil.example", "/%2F%2Fevil.example/nl", "//nl",
            "//evil.example/", "//evil.example/nl", "///evil.example/nl", "/\\evil.example",
            "/\\\\evil.example/nl", "/%5Cevil", "/%5cnl", "/\\nl", "/nl\\", "/nl/..%2F..%2F",
            "/nl/..%2f..%2fevil.example", "/nl%2F", "/nl//", "/./nl", "/nl/.", "/nl/./1.0",
            "/%2E/nl", "http://evil.example/nl", "//127.0.0.1/nl"]


def test_redirects_stay_on_the_site(site: Path) -> None:
    with serving(site) as port:
        for target, location in [("/nl", "/nl/"), ("/en/1.0", "/en/1.0/"),
                                 ("/nl/diff/1.0-2.0", "/nl/diff/1.0-2.0/"), ("/nl?x=1", "/nl/"),
                                 ("/%6El", "/nl/")]:
            status, answer, _ = request(port, target)
            assert (status, answer.get("location")) == (301, location), target
            assert answer.get("cache-control") == "no-store", target
        answers = {target: request(port, target) for target in OFF_SITE}
    # http.server itself turns a leading "//" into "/" (so "//nl" is "/nl", 301 to "/nl/");
    # whatever the route, nothing redirects off the site
    for target, (status, answer, _) in answers.items():
        if status == 301:
            assert re.fullmatch(r"/[^/\\]+(/[^/\\]+)*/", answer["location"]), (target, answer)
        else:
            assert status == 404 and "location" not in answer, (target, status, answer)
    wrong = {t: s for t, (s, _, _) in answers.items() if s != 404 and not t.startswith("//")}
    assert wrong == {}, wrong


@pytest.mark.parametrize("target", OFF_SITE + ["/nl", "/en/1.0", "/%6El", "/nl/1.0"])
def test_a_redirect_is_always_one_slash_and_a_path_of_the_build(target: str) -> None:
    files = {"nl/index.html": b"", "en/1.0/index.html": b"", "nl/1.0/index.html": b"",
             "index.html": b""}
    kind, location = lookup(files, target)
    if kind == "redirect":
        assert re.fullmatch(r"/[^/\\]+(/[^/\\]+)*/", location), (target, location)
        assert location[1:] + "index.html" in files, (target, location)
    else:
        assert target in OFF_SITE and kind == "none", (target, kind, location)


# --------------------------------------------------------------------------- idle, slow, many

IDLE = 500


@pytest.fixture
def descriptors() -> Iterator[None]:
    """Room for IDLE sockets at both ends (client and server share this process)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = 2 * IDLE + 256
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"the descriptor limit ({hard}) is below {needed}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def closed_by_server(socks: list[socket.socket], at_least: int, within: float) -> set:
    """The sockets the server closed (it sends idle clients nothing): wait until there
    are ``at_least`` or ``within`` seconds have passed."""
    closed: set[socket.socket] = set()
    end = time.monotonic() + within
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        while len(closed) < at_least and (left := end - time.monotonic()) > 0:
            for key, _ in selector.select(left):
                sock = key.fileobj
                selector.unregister(sock)
                try:
                    data = sock.recv(1)               # type: ignore[union-attr]
                except ConnectionError:
                    data = b""
                assert data == b"", f"an idle client was sent {data!r}"
                closed.add(sock)
    return closed


def server_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("sitegen-")]


def test_idle_connections_hold_no_thread_and_do_not_block_pages(site: Path,
                                                                descriptors: None) -> None:
    before = threading.active_count()
    with serving(site) as port:
        assert request(port, "/nl/")[0] == 200
        baseline = threading.active_count()
        assert baseline - before <= httpd.WORKERS + 8
        idle = []
        try:
            for _ in range(IDLE):
                idle.append(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT))
            started = time.monotonic()
            status, _, body = request(port, "/nl/")
            took = time.monotonic() - started
            assert status == 200 and b"Wij zijn Voorbeeld" in body
            assert took < 3.0, f"a page took {took:.1f} s behind {IDLE} idle connections"
            assert threading.active_count() <= baseline + 2, threading.enumerate()
            # beyond MAX_IDLE the oldest idle ones are closed at once, not in 10 s
            excess = IDLE - httpd.MAX_IDLE
            closed = closed_by_server(idle, excess, within=3.0)
            assert len(closed) >= excess
            assert threading.active_count() <= baseline + 2, threading.enumerate()
        finally:
            for sock in idle:
                sock.close()
    assert server_threads() == [], "threads of the server outlived it"


def test_slow_clients_are_dropped_after_the_request_timeout(site: Path, monkeypatch) -> None:
    """A partial request line, then a byte now and then: dropped REQUEST_TIMEOUT after
    connecting (a deadline for the whole head, not per read), holding no thread."""
    monkeypatch.setattr(httpd, "REQUEST_TIMEOUT", 1.0)
    with serving(site) as port:
        assert request(port, "/nl/")[0] == 200
        baseline = threading.active_count()
        slow, closed_after = [], {}
        started = time.monotonic()
        try:
            for _ in range(40):
                sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
                sock.sendall(b"GET /nl/ HT")
                slow.append(sock)
            status, _, _ = request(port, "/nl/")       # a normal client meanwhile
            assert status == 200
            assert time.monotonic() - started < 1.0, "a page waited for the slow clients"
            assert threading.active_count() <= baseline + 2
            while len(closed_after) < len(slow) and time.monotonic() - started < 5.0:
                open_ = [s for s in slow if s not in closed_after]
                for sock in closed_by_server(open_, 1, within=0.2):
                    closed_after[sock] = time.monotonic() - started
                for sock in open_:
                    if sock not in closed_after:
                        try:
                            sock.send(b"T")             # one more byte of "HTTP/1.1"
                        except OSError:
                            closed_after[sock] = time.monotonic() - started
        finally:
            for sock in slow:
                sock.close()
    assert len(closed_after) == len(slow), f"{len(slow) - len(closed_after)} slow clients kept"
    assert max(closed_after.values()) < 2.5, sorted(closed_after.values())[-3:]
    assert min(closed_after.values()) >= 0.9, sorted(closed_after.values())[:3]


def test_long_polls_beyond_the_cap_are_told_to_retry(site: Path) -> None:
    """Each open tab holds a reload long-poll; the held ones are capped so that pages
    still have workers, and the others are answered 503 at once (the script retries)."""
    cap = serve_module.LONG_POLLS
    with serving(site) as port:
        status, _, body = request(port, "/__sitegen/wait?since=-1")
        assert status == 200
        current = json.loads(body)["generation"]
        held = []
        for _ in range(cap):
            sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
            sock.sendall(f"GET /__sitegen/wait?since={current} HTTP/1.1\r\n"
                         f"Host: 127.0.0.1:{port}\r\n\r\n".encode())
            held.append(sock)
        time.sleep(0.3)
        started = time.monotonic()
        for _ in range(4):
            status, answer, body = request(port, f"/__sitegen/wait?since={current}")
            assert status == 503, status
            assert answer.get("retry-after") == "1"
            assert "generation" not in json.loads(body)
        status, _, body = request(port, f"/__sitegen/wait?since={current - 1}")
        assert (status, json.loads(body)["generation"]) == (200, current), "a stale page"
        assert request(port, "/nl/")[0] == 200
        assert time.monotonic() - started < 2.0, "answers waited behind the long-polls"
        assert closed_by_server(held, 1, within=0.1) == set(), "a held poll was answered"
        stopping = time.monotonic()
    took = time.monotonic() - stopping
    assert took < 5.0, f"stopping waited {took:.1f} s for the long-polls"
    for sock in held:
        with sock:
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
            assert data.startswith(b"HTTP/1.0 200"), data[:100]   # answered on stopping
            assert json.loads(data.partition(b"\r\n\r\n")[2])["generation"] == current


def test_running_out_of_descriptors_does_not_spin() -> None:
    """accept() failing with EMFILE: the oldest idle connection is closed to free one,
    the failure is said once, and accept is retried after a pause, not in a busy loop."""
    logs: list[str] = []
    state = State(files={"index.html": b"<html><body>home</body></html>"}, generation=1)
    server = listen("127.0.0.1", 0, make_handler(state), logs.append)
    port = server.server_address[1]
    failing, calls = threading.Event(), []
    accept = server.get_request

    def get_request():  # type: ignore[no-untyped-def]
        if failing.is_set():
            calls.append(time.monotonic())
            raise OSError(errno.EMFILE, "Too many open files")
        return accept()

    server.get_request = get_request              # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        idle = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        time.sleep(0.3)                           # accepted, waiting for its request
        failing.set()
        newcomer = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        cpu = time.process_time()
        time.sleep(1.0)
        cpu = time.process_time() - cpu
        assert 3 <= len(calls) <= 1.0 / httpd.ACCEPT_BACKOFF + 5, len(calls)
        assert cpu < 0.5, f"{cpu:.2f} s of CPU in 1 s while accept() failed"
        assert len([line for line in logs if "cannot accept" in line]) == 1, logs
        assert closed_by_server([idle], 1, within=1.0) == {idle}, "the idle one was kept"
        failing.clear()
        newcomer.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        while chunk := newcomer.recv(65536):
            data += chunk
        assert data.startswith(b"HTTP/1.0 200") and b"home" in data, data[:200]
        idle.close()
        newcomer.close()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert not thread.is_alive()
    assert server_threads() == []


def test_a_full_waiting_room_under_churn_keeps_serving(site: Path, monkeypatch) -> None:
    """Connections that arrive while others are half-way through their request, with
    room for only a few: the oldest are closed, and the server keeps answering."""
    monkeypatch.setattr(httpd, "MAX_IDLE", 3)
    with serving(site) as port:
        socks: list[socket.socket] = []
        try:
            for round_ in range(150):
                for _ in range(3):
                    socks.append(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT))
                for sock in socks[-6:]:
                    try:
                        sock.send(b"GET /nl/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                  (b"\r\n" if round_ % 2 else b""))
                    except OSError:
                        pass                          # closed by the server already
                if len(socks) > 60:
                    for sock in socks[:30]:
                        sock.close()
                    del socks[:30]
            status, _, body = request(port, "/nl/")
            assert status == 200 and b"Wij zijn Voorbeeld" in body
        finally:
            for sock in socks:
                sock.close()
