"""Browser checks of the built example site: fixtures and the axe-core helper.

The example site (the repository root) is built once per session into a
temporary folder and served by a plain static server on a free loopback port,
as any static host would serve it. The browser is Debian's Chromium driven by
Playwright; it is never downloaded. Without it (or without Playwright) the
tests are skipped locally and fail in CI (CI=true), where it must be present.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator, NoReturn

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import REPO, TODAY

AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 15_000      # generous: a slow CI machine, never a measure of speed


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> NoReturn:
    """A missing tool: skip on a developer's machine, fail in CI where it must exist."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the CI set-up in .ci/run must provide it)",
                    pytrace=False)
    pytest.skip(f"{reason}; install it as .ci/run does to run these checks")


def chromium_path() -> str:
    """Debian's Chromium: $CHROMIUM if set, else the one on PATH, else /usr/bin/chromium."""
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


# --- the site -----------------------------------------------------------------

@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once for the session; returns the folder."""
    out = tmp_path_factory.mktemp("browser-site") / "public"
    result = CliRunner().invoke(main, ["build", "--site", str(REPO), "--out", str(out),
                                       "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file(), result.output
    return out


def build_one_language(root: Path, site_yaml: str, lang: str, title: str,
                       bodies: dict[str, tuple[str, str]]) -> Path:
    """A site in ``root`` of one language with ``{version: (date, body)}``, built
    on 28 November 2026; returns the built folder."""
    site, out = root / "site", root / "public"
    (site / "content").mkdir(parents=True)
    (site / "content" / "site.yaml").write_text(site_yaml, "utf-8")
    for version, (date, body) in bodies.items():
        (site / "versions" / version).mkdir(parents=True)
        (site / "versions" / version / f"{lang}.md").write_text(
            f"---\ntitle: {title}\ndate: {date}\n---\n{body}", "utf-8")
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2026-11-28"])
    assert result.exit_code == 0, result.output
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1; the base URL ends with '/'."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- the browser --------------------------------------------------------------

@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one instance for the session."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"the playwright Python package is not installed ({error})")
    executable = chromium_path()
    if not Path(executable).is_file():
        unavailable(f"Chromium is not installed (looked for {executable})")
    playwright = sync_playwright().start()
    try:
        try:
            chromium = playwright.chromium.launch(executable_path=executable,
                                                  args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            unavailable(f"Chromium at {executable} does not start: {error}")
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


def new_page(browser: Any, width: int = 1280, height: int = 900, script: bool = True) -> Any:
    """A page in a fresh context (own cookies, storage, media) of the given viewport,
    with JavaScript on or off."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  java_script_enabled=script)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized page (1280x900), closed with its context after the test."""
    tab = new_page(browser)
    try:
        yield tab
    finally:
        tab.context.close()


# --- screenshots --------------------------------------------------------------

@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """$SCREENSHOT_DIR, by default artifacts/screenshots in the repository; created."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "artifacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- axe-core -----------------------------------------------------------------

def run_axe(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page; returns its violations, reduced to what a reader needs.

    Each violation: rule id, impact, help text, help URL, how many nodes fail, and the
    first node's CSS target and failure summary.
    """
    if not AXE_JS.is_file():
        unavailable(f"axe-core is not installed ({AXE_JS} missing; run `npm ci`)")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: tags})).violations", AXE_TAGS)
    reduced = []
    for violation in violations:
        nodes = violation.get("nodes") or [{}]
        first = nodes[0]
        reduced.append({
            "id": violation["id"],
            "impact": violation.get("impact"),
            "help": violation.get("help"),
            "helpUrl": violation.get("helpUrl"),
            "nodes": len(violation.get("nodes") or []),
            "target": first.get("target"),
            "html": (first.get("html") or "")[:200],
            "summary": first.get("failureSummary"),
        })
    return reduced


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """A readable list of axe violations for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{v['nodes']} node(s)]\n"
                     f"    first: {v['target']}  {v['html']}\n"
                     f"    {(v['summary'] or '').replace(chr(10), chr(10) + '    ')}\n"
                     f"    {v['helpUrl']}")
    return "\n".join(lines)
