"""``sitegen serve`` answers only the paths of the build, and holds up under load.

The server runs in a thread on 127.0.0.1, port 0, and is stopped through its
``stop`` Event in a ``finally``. Requests are written on a raw socket, so that no
client normalises ``..`` or percent-escapes away before the server sees them.
Every socket has a timeout, so the tests stop by themselves.
"""
from __future__ import annotations

import concurrent.futures
import http.client
import os
import socket
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from sitegen.serve import inject
from tests.conftest import TODAY, page
from tests.serving import running

TIMEOUT = 30.0            # seconds, for every connection and every read
NL = "## Inleiding\n\nWij zijn Voorbeeld B.V.\n\n## Uw rechten\n\n### Recht op inzage {art=15}\n\nTekst.\n"
EN = "## Introduction\n\nWe are Example B.V.\n\n## Your rights\n\n### Right of access {art=15}\n\nText.\n"
SECRET = f"TOP-SECRET-{uuid.uuid4()}"


@pytest.fixture
def site(make_site, tmp_path: Path) -> Path:
    """Two versions in two languages, and symlinks from inside the site to a secret."""
    root = make_site({
        "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL, "summary: Eerste.\n"),
        "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN, "summary: First.\n"),
        "versions/2.0/nl.md": page("Privacyverklaring", "2020-01-01", NL + "\nMeer.\n"),
        "versions/2.0/en.md": page("Privacy statement", "2020-01-01", EN + "\nMore.\n"),
    })
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, "utf-8")
    os.symlink(outside / "secret.txt", root / "versions" / "1.0" / "secret.txt")
    os.symlink(outside, root / "versions" / ".outside")
    os.symlink(outside / "secret.txt", root / "content" / "secret.txt")
    return root


@contextmanager
def serving(root: Path) -> Iterator[int]:
    """``serve`` in a thread; yields the port; always stopped."""
    with running(root, TODAY) as url:
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
