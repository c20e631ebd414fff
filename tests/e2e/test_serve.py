"""`sitegen serve`: the preview server on a copy of a small fixture site.

The server runs in a thread on a free port (port 0); the tests talk HTTP to it
and edit the site's files as an editor would, polling (with a generous deadline)
for what happens asynchronously. No test asserts how fast anything happens.
"""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileModifiedEvent,
                             FileMovedEvent, FileOpenedEvent)

from sitegen.cli import main
from sitegen.httpd import lookup
from sitegen.serve import RELOAD, Debouncer, inject
from tests.conftest import TODAY, page
from tests.e2e.helpers import SHORT_EN, SHORT_NL
from tests.serving import running as serving_at

DEADLINE = 10.0          # seconds to wait for anything asynchronous

NL, EN = SHORT_NL, SHORT_EN
SITE = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL, "summary: Eerste.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN, "summary: First.\n"),
}
EN_FILE = "versions/1.0/en.md"
ORIGINAL = "You may see your data."
RELOAD_SCRIPT = "/__sitegen/wait"


# --------------------------------------------------------------------------- helpers

def running(root: Path, logs: list[str] | None = None):
    return serving_at(root, TODAY, logs)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    """GET with urllib, redirects not followed: (status, headers, body text)."""
    try:
        with OPENER.open(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        body = err.read().decode("utf-8", "replace")
        return err.code, dict(err.headers), body


def raw_get(base: str, path: str, host: str | None = None) -> tuple[int, str]:
    """GET ``path`` sent exactly as written (no client-side normalisation)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=host is not None, skip_accept_encoding=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def poll(what: str, probe: Callable[[], object], deadline: float = DEADLINE) -> object:
    """Call ``probe`` until it returns something truthy; fail after ``deadline`` s."""
    end = time.monotonic() + deadline
    last: object = None
    while time.monotonic() < end:
        last = probe()
        if last:
            return last
        time.sleep(0.05)
    pytest.fail(f"waited {deadline:.0f} s for {what}; last probe: {last!r}"[:2000])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def generation(html: str) -> int:
    match = re.search(r"var g=(\d+);", html)
    assert match, "the page carries no reload script"
    return int(match.group(1))


def en_page(url: str) -> str:
    status, _, body = fetch(url + "en/")
    assert status == 200, status
    return body


@pytest.fixture
def site(make_site) -> Path:
    return make_site(SITE)


# --------------------------------------------------------------------------- serving

def test_pages_are_served_with_the_reload_script(site: Path) -> None:
    with running(site) as url:
        for address in ("", "en/", "nl/", "en/1.0/", "en/versions/"):
            status, headers, body = fetch(url + address)
            assert status == 200, address
            assert headers["Content-Type"].startswith("text/html"), address
            assert RELOAD_SCRIPT in body, address
            assert body.index(RELOAD_SCRIPT) < body.index("</body>"), "script after </body>"
            assert 'role="alert"' not in body, "an error overlay on a good build"
        assert ORIGINAL in fetch(url + "en/")[2]
        assert "U mag uw gegevens inzien." in fetch(url + "nl/")[2]


def test_stylesheet_is_served_as_css_without_reload_script(site: Path) -> None:
    with running(site) as url:
        status, headers, body = fetch(url + "assets/site.css")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert RELOAD_SCRIPT not in body


def test_a_folder_without_slash_redirects(site: Path) -> None:
    with running(site) as url:
        for folder in ("en", "nl", "en/1.0", "en/versions"):
            status, headers, _ = fetch(url + folder)
            assert status == 301, folder
            assert headers["Location"] == f"/{folder}/", folder
            assert headers["Cache-Control"] == "no-store", folder   # not cached for ever


def test_answers_are_not_cached(site: Path) -> None:
    with running(site) as url:
        for address in ("", "en/", "assets/site.css", "nope", "__sitegen/wait?since=0"):
            assert fetch(url + address)[1]["Cache-Control"] == "no-store", address


def test_the_url_it_prints_and_localhost_are_answered_other_hosts_are_not(site: Path) -> None:
    with running(site) as url:
        port = urlsplit(url).port
        assert fetch(url + "en/")[0] == 200
        assert fetch(f"http://localhost:{port}/en/")[0] == 200
        status, body = raw_get(url, "/en/", host=f"evil.example:{port}")
        assert status == 421 and ORIGINAL not in body


def test_unknown_path_is_404(site: Path) -> None:
    with running(site) as url:
        for address in ("nope", "en/9.9/", "en/index.htm", "nl/versions/x/"):
            status, _, body = fetch(url + address)
            assert status == 404, address
            assert ORIGINAL not in body


TRAVERSALS = (
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd",
    "//etc/passwd",
    "/en/../../../../etc/passwd",
    "/en/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/etc/passwd%00.html",
)
SOURCES = ("/versions/1.0/en.md", "/content/site.yaml", "/en/../content/site.yaml",
           "/%2e%2e/site/content/site.yaml")


def test_path_traversal_is_404(site: Path) -> None:
    with running(site) as url:
        answers = {path: raw_get(url, path) for path in TRAVERSALS}
    wrong = {path: status for path, (status, _) in answers.items() if status != 404}
    assert not wrong, wrong
    leaked = [path for path, (_, body) in answers.items() if "root:" in body]
    assert not leaked, leaked


def test_site_sources_are_not_served(site: Path) -> None:
    with running(site) as url:
        answers = {path: raw_get(url, path) for path in SOURCES}
    wrong = {path: status for path, (status, _) in answers.items() if status != 404}
    assert not wrong, wrong
    leaked = [path for path, (_, body) in answers.items()
              if "base_url" in body or "summary: First." in body]
    assert not leaked, leaked


# --------------------------------------------------------------------------- rebuilds

def test_an_edit_is_served_after_the_rebuild(site: Path) -> None:
    with running(site) as url:
        assert ORIGINAL in en_page(url)
        edit(site / EN_FILE, ORIGINAL, "You may see and copy your data.")
        poll("the edited text", lambda: "You may see and copy your data." in en_page(url))
        body = en_page(url)
        assert ORIGINAL not in body
        assert 'role="alert"' not in body


def test_a_new_version_folder_is_picked_up(site: Path) -> None:
    with running(site) as url:
        (site / "versions" / "2.0").mkdir()
        (site / "versions" / "2.0" / "en.md").write_text(
            page("Privacy statement", "2020-01-01", EN.replace(ORIGINAL, "Version two."),
                 "summary: Second.\n"), "utf-8")
        poll("/en/2.0/", lambda: fetch(url + "en/2.0/")[0] == 200)
        poll("/en/ showing 2.0", lambda: "Version two." in en_page(url))


def test_an_atomic_save_is_served(site: Path) -> None:
    """Editors that save safely write a temporary file and rename it over the original."""
    with running(site) as url:
        target = site / EN_FILE
        temp = target.with_name("en.md.tmp")
        temp.write_text(target.read_text("utf-8").replace(ORIGINAL, "Saved atomically."), "utf-8")
        os.replace(temp, target)
        poll("the atomically saved text", lambda: "Saved atomically." in en_page(url))


def test_editor_temp_files_do_not_reload_the_preview(site: Path) -> None:
    """Opening a file in vim or emacs creates a swap/lock file next to it; the page
    in the browser must not reload for that."""
    with running(site) as url:
        since = generation(en_page(url))
        folder = site / "versions" / "1.0"
        for name in (".en.md.swp", ".#en.md", "en.md~"):
            (folder / name).write_text("editor state", "utf-8")
        time.sleep(1.5)                     # ten times the debounce delay
        assert generation(en_page(url)) == since, "temp files caused a rebuild"
        # a real edit still does (the test above would pass on a dead watcher otherwise)
        edit(site / EN_FILE, ORIGINAL, "Real edit.")
        poll("the real edit", lambda: "Real edit." in en_page(url))


def test_a_broken_edit_shows_the_overlay_over_the_last_good_build(site: Path) -> None:
    logs: list[str] = []
    with running(site, logs) as url:
        assert 'role="alert"' not in en_page(url)
        edit(site / EN_FILE, "date: 2018-05-25", "date: 2018-13-45")
        body = poll("the error overlay", lambda: (lambda b: 'role="alert"' in b and b)(en_page(url)))
        assert isinstance(body, str)
        overlay = body[body.index('role="alert"'):]
        assert f"{EN_FILE}:3" in overlay, overlay[:1000]           # file and line of the date
        assert "2018-13-45" in overlay
        assert ORIGINAL in body, "the last good text is no longer served"
        assert RELOAD_SCRIPT in body
        # every page carries it, not only the one that was edited
        for address in ("", "nl/", "en/versions/"):
            assert 'role="alert"' in fetch(url + address)[2], address
        assert any(f"{EN_FILE}:3" in line for line in logs), logs   # and the terminal

        fixed = "You may see your data at any time."
        edit(site / EN_FILE, "date: 2018-13-45", "date: 2018-05-25")
        edit(site / EN_FILE, ORIGINAL, fixed)
        poll("the overlay to go and the fixed text",
             lambda: (lambda b: 'role="alert"' not in b and fixed in b)(en_page(url)))
        for address in ("", "nl/", "en/versions/"):
            assert 'role="alert"' not in fetch(url + address)[2], address


def test_error_overlay_escapes_the_message(site: Path) -> None:
    with running(site) as url:
        edit(site / EN_FILE, "date: 2018-05-25", "date: <script>alert(1)</script>")
        body = poll("the error overlay",
                    lambda: (lambda b: 'role="alert"' in b and b)(en_page(url)))
        assert isinstance(body, str)
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_site_broken_at_start_serves_the_overlay_then_recovers(site: Path) -> None:
    edit(site / EN_FILE, "date: 2018-05-25", "date: 25-05-2018")
    with running(site) as url:
        status, _, body = fetch(url)
        assert status == 404                       # nothing was ever built
        assert 'role="alert"' in body and f"{EN_FILE}:3" in body
        assert RELOAD_SCRIPT in body                # so the browser reloads once it is fixed
        edit(site / EN_FILE, "date: 25-05-2018", "date: 2018-05-25")
        poll("the first good build", lambda: fetch(url)[0] == 200)
        assert 'role="alert"' not in fetch(url)[2]


def test_long_poll_returns_a_higher_generation_after_an_edit(site: Path) -> None:
    with running(site) as url:
        since = generation(en_page(url))
        # a stale page is told at once that there is something newer
        status, _, body = fetch(f"{url}__sitegen/wait?since={since - 1}")
        assert status == 200
        assert json.loads(body)["generation"] == since

        answers: queue.Queue[tuple[int, str]] = queue.Queue()
        waiter = threading.Thread(target=lambda: answers.put(
            fetch(f"{url}__sitegen/wait?since={since}")[::2]), daemon=True)
        waiter.start()
        edit(site / EN_FILE, ORIGINAL, "Edited while a page was waiting.")
        status, body = answers.get(timeout=60)
        assert status == 200
        assert json.loads(body)["generation"] > since
        poll("a page of the new generation", lambda: generation(en_page(url)) > since)


def test_long_poll_with_a_bad_since_gets_an_answer(site: Path) -> None:
    """A malformed query must not kill the connection without a response."""
    with running(site) as url:
        try:
            status, _, _ = fetch(f"{url}__sitegen/wait?since=abc")
        except (http.client.HTTPException, ConnectionError, urllib.error.URLError) as err:
            pytest.fail(f"no HTTP response for since=abc: {err!r}")
        assert status in (200, 400)


# --------------------------------------------------------------------------- the command

def sitegen_command() -> list[str]:
    script = Path(sys.executable).parent / "sitegen"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from sitegen.cli import main; sys.exit(main())"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_cli_serve_prints_the_url_answers_and_stops_on_sigint(site: Path, tmp_path: Path) -> None:
    stderr_file = tmp_path / "stderr.txt"
    with stderr_file.open("w") as stderr:
        proc = subprocess.Popen(
            [*sitegen_command(), "serve", "--port", "0", "--site", str(site),
             "--today", TODAY.isoformat()],
            stdout=subprocess.PIPE, stderr=stderr, text=True, env={**os.environ})
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def reader() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        url = ""
        end = time.monotonic() + 30
        while not url and time.monotonic() < end:
            try:
                line = lines.get(timeout=max(0.1, end - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            seen.append(line)
            match = re.search(r"Serving (.+) on (http://127\.0\.0\.1:(\d+)/)", line)
            if match:
                assert Path(match.group(1)) == site.resolve(), line
                assert int(match.group(3)) > 0, line
                url = match.group(2)
        assert url, f"no 'Serving ... on URL' line; stdout {seen}, " \
                    f"stderr {stderr_file.read_text()}"
        status, _, body = fetch(url + "en/")
        assert status == 200
        assert ORIGINAL in body and RELOAD_SCRIPT in body

        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        thread.join(10)
        while True:
            try:
                line = lines.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                seen.append(line)
        errors = stderr_file.read_text()
        assert code == 0, f"exit {code}; stdout {seen}; stderr {errors}"
        assert "stopped" in "".join(seen), seen
        assert "Traceback" not in errors, errors
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


# --------------------------------------------------------------------------- units

FILES = {"index.html": b"root", "en/index.html": b"en", "en/1.0/index.html": b"en 1.0",
         "assets/site.css": b"css", "404.html": b"missing"}


@pytest.mark.parametrize("raw, expected", [
    ("/", ("file", "index.html")),
    ("/index.html", ("file", "index.html")),
    ("/en/", ("file", "en/index.html")),
    ("/en/1.0/", ("file", "en/1.0/index.html")),
    ("/en/?x=1#top", ("file", "en/index.html")),
    ("/%65n/", ("file", "en/index.html")),
    ("/assets/site.css", ("file", "assets/site.css")),
    ("/en", ("redirect", "/en/")),
    ("/en/1.0", ("redirect", "/en/1.0/")),
    ("/nope", ("none", "")),
    ("/en/2.0/", ("none", "")),
    ("/../index.html", ("none", "")),
    ("/../../etc/passwd", ("none", "")),
    ("/%2e%2e/%2e%2e/etc/passwd", ("none", "")),
    ("/en/../index.html", ("none", "")),
    ("/en/%2E%2E/index.html", ("none", "")),
    ("/en/index.html%00", ("none", "")),
    ("//etc/passwd", ("none", "")),
    ("/%2Fen", ("none", "")),                     # was a redirect to //en/: another host
    ("/%2fen/1.0", ("none", "")),
    ("//en", ("none", "")),
    ("//evil.example/", ("none", "")),
    ("/\\evil.example", ("none", "")),
    ("/%5Cevil", ("none", "")),
    ("/en/..%2F..%2F", ("none", "")),
    ("/en//1.0", ("none", "")),
    ("http://evil.example/en", ("none", "")),
])
def test_lookup(raw: str, expected: tuple[str, str]) -> None:
    assert lookup(FILES, raw) == expected


def test_lookup_never_answers_outside_the_build() -> None:
    for raw in ("/etc/passwd", "/../../../../../../etc/passwd", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "/..\\..\\etc\\passwd", "/./index.html/..", "/en/1.0/../../../etc/passwd"):
        kind, key = lookup(FILES, raw)
        assert kind in ("none", "file", "redirect"), raw
        if kind == "file":
            assert key in FILES, raw
        assert "passwd" not in key, raw


RELOAD_HARNESS = """
var fetched = [], waits = [], reloaded = 0, answers = ANSWERS, later = setTimeout;
globalThis.fetch = function (url) {
  fetched.push(url);
  var a = answers.shift();
  if (!a) { return new Promise(function () {}); }          // held for ever: the test ends
  return Promise.resolve({ok: a[0] === 200, status: a[0],
                          json: function () { return Promise.resolve(a[1]); }});
};
globalThis.location = {reload: function () { reloaded += 1; }};
globalThis.setTimeout = function (f, ms) { waits.push(ms); return later(f, 0); };
SCRIPT
later(function () {
  console.log(JSON.stringify({fetched: fetched, waits: waits, reloaded: reloaded}));
}, 300);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_reload_script_retries_a_refused_poll_and_reloads_on_a_new_generation() -> None:
    """503 (too many pages waiting) and 400 are retried after a second, not taken for a
    new generation; the same generation polls again; a new one reloads the page."""
    script = RELOAD % 7
    assert script.startswith("<script>") and script.endswith("</script>")
    answers = [[503, {"error": "too many pages are waiting, retry"}], [400, {"error": "x"}],
               [200, {"generation": 7}], [200, {"generation": 8}]]
    program = RELOAD_HARNESS.replace("ANSWERS", json.dumps(answers)) \
        .replace("SCRIPT", script[len("<script>"):-len("</script>")])
    done = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=30,
                          check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["fetched"] == ["/__sitegen/wait?since=7"] * 4, seen
    assert seen["waits"] == [1000, 1000], seen
    assert seen["reloaded"] == 1, seen


def test_inject_adds_the_reload_script_before_body_end() -> None:
    page_ = b"<!DOCTYPE html><html><body><p>Text</p></body></html>"
    out = inject(page_, 7, "")
    assert out.startswith(b"<!DOCTYPE html><html><body><p>Text</p>")
    assert out.endswith(b"</body></html>")
    assert b"/__sitegen/wait?since=" in out and b"var g=7;" in out
    assert out.index(b"var g=7;") < out.index(b"</body>")
    assert b'role="alert"' not in out


def test_inject_shows_the_escaped_error() -> None:
    out = inject(b"<html><body><p>Last good</p></body></html>", 3,
                 "versions/1.0/en.md:3: error: date `<b>` & more").decode()
    assert '<p>Last good</p>' in out
    assert 'role="alert"' in out
    assert "versions/1.0/en.md:3: error: date `&lt;b&gt;` &amp; more" in out
    assert "<b>" not in out
    assert out.index('role="alert"') < out.index("</body>")
    assert "var g=3;" in out


def test_inject_into_a_page_without_body_end_appends() -> None:
    out = inject(b"plain", 1, "boom")
    assert out.startswith(b"plain")
    assert b'role="alert"' in out and b"boom" in out and b"var g=1;" in out


def test_inject_only_touches_the_first_body_end() -> None:
    page_ = b"<html><body><pre>&lt;/body&gt; and </body></html>"
    out = inject(page_, 2, "")
    assert out.count(b"var g=2;") == 1


class Counter:
    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            self.calls += 1


def test_debouncer_runs_once_for_a_burst(tmp_path: Path) -> None:
    action = Counter()
    debouncer = Debouncer(action, delay=0.5)
    target = str(tmp_path / "versions" / "1.0" / "en.md")
    debouncer.on_any_event(FileCreatedEvent(target + ".tmp"))
    debouncer.on_any_event(FileMovedEvent(target + ".tmp", target))
    for _ in range(5):
        debouncer.on_any_event(FileModifiedEvent(target))
    poll("the debounced action", lambda: action.calls >= 1)
    time.sleep(1.5)                                   # ample time for a stray second call
    assert action.calls == 1


def test_debouncer_runs_again_for_a_later_burst(tmp_path: Path) -> None:
    action = Counter()
    debouncer = Debouncer(action, delay=0.05)
    target = str(tmp_path / "en.md")
    debouncer.on_any_event(FileModifiedEvent(target))
    poll("the first action", lambda: action.calls == 1)
    debouncer.on_any_event(FileModifiedEvent(target))
    poll("the second action", lambda: action.calls == 2)


def test_debouncer_acts_on_a_rename_onto_a_content_file(tmp_path: Path) -> None:
    """Atomic save: the editor writes en.md.tmp and renames it over en.md."""
    action = Counter()
    debouncer = Debouncer(action, delay=0.05)
    folder = tmp_path / "versions" / "1.0"
    debouncer.on_any_event(FileMovedEvent(str(folder / "en.md.tmp"), str(folder / "en.md")))
    poll("the action after a rename onto en.md", lambda: action.calls == 1)


@pytest.mark.parametrize("name", [".#en.md", "#en.md#", "en.md~", ".en.md.swp", "en.md.swx",
                                  "4913.tmp", "en.md.part"])
def test_debouncer_ignores_editor_temp_files(tmp_path: Path, name: str) -> None:
    action = Counter()
    debouncer = Debouncer(action, delay=0.05)
    path = str(tmp_path / "versions" / "1.0" / name)
    debouncer.on_any_event(FileCreatedEvent(path))
    debouncer.on_any_event(FileModifiedEvent(path))
    time.sleep(0.75)                                  # many times the delay
    assert action.calls == 0, name


def test_debouncer_ignores_open_and_close(tmp_path: Path) -> None:
    action = Counter()
    debouncer = Debouncer(action, delay=0.05)
    path = str(tmp_path / "en.md")
    debouncer.on_any_event(FileOpenedEvent(path))
    debouncer.on_any_event(FileClosedEvent(path))
    time.sleep(0.75)
    assert action.calls == 0


def test_a_busy_port_is_one_line_naming_the_port_and_the_option(site: Path) -> None:
    """Said before anything is built, and the command exits 1."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--site", str(site), "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert result.output == (f"--port: error: port {port} is in use by another program: "
                             f"choose another with --port, e.g. --port {port + 1}\n"
                             "1 error: nothing was served\n")
