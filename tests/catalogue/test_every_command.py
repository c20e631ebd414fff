"""Every command, every option, every state: an answer, never a traceback.

The rule this test guards: whatever the site, its ``.sitegen-cache/`` and its
output folder look like, every command of the CLI, with each of its options,
either succeeds (exit 0) or prints a clear message and exits non-zero. It never
lets a Python exception escape, never prints "Traceback", and never falls back
on the last-resort "internal error" line (``INTERNAL_ERROR``).

Three matrices, each (input, command) pair its own test id:

- ``test_catalogue_case``: every bad-input case of ``cases/`` (see README.md)
  against the commands of ``CASE_COMMANDS`` (a cut of ``SITE_COMMANDS`` to keep
  the file fast);
- ``test_state``: a copy of the repository's example site put in one of the
  ``STATES`` (a damaged cache, a foreign output folder, a changed lock file, a
  draft with errors, no site at all, ...) against every command of
  ``SITE_COMMANDS``;
- ``test_standalone``: what does not depend on a site (``--version``, every
  ``--help``, ``init`` with bad language codes), and ``serve`` without a site,
  run as a subprocess so that it can be stopped.

Where a pair is meant to succeed (a command on a good site, a build with a
damaged cache) or to be refused (an unknown version, a foreign output folder),
``expectation()`` says so and the test asserts it; elsewhere either outcome is
allowed, as long as a refusal says what is wrong.
"""
from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import sitegen
from sitegen import __version__
from sitegen.cli import INTERNAL, main
from tests.catalogue.test_catalogue import CASES, NAMES, shown

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-06-01"

# The last-resort line sitegen prints for an unexpected exception: a bug's
# symptom just like a traceback, so no command may ever print it.
INTERNAL_ERROR = INTERNAL
TRACEBACK = "Traceback"

# One command may take this long before it counts as hung (SIGALRM, main thread).
COMMAND_TIMEOUT_S = 60
# How long `serve` without a site gets to give up by itself.
SERVE_TIMEOUT_S = 5

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_modes = pytest.mark.skipif(AS_ROOT, reason="root ignores file modes")


# --------------------------------------------------------------------------- helpers

def version_ids(site: Path) -> list[str]:
    """The version folders of ``site`` that look like version ids, oldest first
    (dotted numbers sort as numbers: 3.9 < 3.10)."""
    folder = site / "versions"
    try:
        names = [p.name for p in folder.iterdir() if p.is_dir()]
    except OSError:
        return []
    ids = [n for n in names if re.fullmatch(r"\d+(\.\d+)*", n)]
    return sorted(ids, key=lambda v: tuple(int(part) for part in v.split(".")))


def latest_two(site: Path) -> tuple[str, str]:
    """The two latest versions of ``site`` as (older, newer); made-up ids where the
    site has fewer, so that a command still runs and must say what is wrong."""
    ids = version_ids(site)
    if len(ids) >= 2:
        return ids[-2], ids[-1]
    if len(ids) == 1:
        return ids[0], ids[0]
    return "1.0", "2.0"


def invoke(args: list[str]) -> Result:
    """Run ``sitegen ARGS`` in-process, as CliRunner does, under a time limit: a
    command that hangs raises TimeoutError, which then counts as a traceback."""

    def hung(signum, frame):
        raise TimeoutError(f"sitegen {' '.join(args)} ran over {COMMAND_TIMEOUT_S} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(COMMAND_TIMEOUT_S)
    try:
        return CliRunner().invoke(main, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def describe(args: list[str], tmp: Path) -> str:
    """The command line as a user would type it, the scratch folder written TMP."""
    return "sitegen " + shlex.join(a.replace(str(tmp), "TMP") for a in args)


def excerpt(text: str, lines: int = 3) -> str:
    """The first lines of a traceback (from "Traceback" on), or of the output."""
    start = text.find(TRACEBACK)
    body = text[start:] if start >= 0 else text
    shown_lines = [line for line in body.splitlines() if line.strip()]
    if start >= 0:                       # the exception line is the telling one
        return "\n".join(shown_lines[-lines:])
    return "\n".join(shown_lines[:lines])


def assert_no_crash(result: Result, what: str) -> str:
    """Fail when the command let an exception escape, printed a traceback or the
    last-resort INTERNAL_ERROR line; return everything it showed."""
    text = shown(result)
    escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not escaped and TRACEBACK not in text, (
        f"{what} crashed:\n{excerpt(text)}\n--- everything it printed ---\n{text}")
    assert INTERNAL_ERROR not in text.lower(), (
        f"{what} printed {INTERNAL_ERROR!r}:\n{excerpt(text)}\n--- output ---\n{text}")
    return text


def assert_clear_refusal(result: Result, text: str, what: str) -> None:
    """A non-zero exit must come with a message that says it is an error."""
    if result.exit_code == 0:
        return
    assert result.exit_code in (1, 2), f"{what} exited {result.exit_code}:\n{text}"
    assert text.strip(), f"{what} exited {result.exit_code} without a word"
    assert "error" in text.lower(), (
        f"{what} exited {result.exit_code} without saying what is wrong:\n{text}")


@dataclass(frozen=True)
class Expect:
    """What a command must do: ``outcome`` "ok" (exit 0), "refused" (exit != 0
    with a message) or "either"; ``says`` substrings the output must hold."""

    outcome: str = "either"
    says: tuple[str, ...] = ()


def check_result(result: Result, expect: Expect, what: str) -> None:
    """Assert the rule (no crash, a clear refusal) and then the expectation."""
    text = assert_no_crash(result, what)
    assert_clear_refusal(result, text, what)
    if expect.outcome == "ok":
        assert result.exit_code == 0, (
            f"{what} must succeed but exited {result.exit_code}:\n{excerpt(text)}\n"
            f"--- output ---\n{text}")
    elif expect.outcome == "refused":
        assert result.exit_code != 0, f"{what} must refuse but exited 0:\n{text}"
    missing = [s for s in expect.says if s not in text]
    assert not missing, f"{what} did not say {missing}:\n{excerpt(text)}\n--- output ---\n{text}"


def copy_example(root: Path, parts=("content", "versions", "theme")) -> Path:
    """The repository's example site (content/, versions/ with published.yaml,
    theme/) copied into ``root/site``."""
    site = root / "site"
    site.mkdir()
    for part in parts:
        shutil.copytree(REPO / part, site / part)
    return site


def setup_run(args: list[str], what: str) -> None:
    """A command that puts the site into a state: it must work."""
    result = invoke(args)
    text = assert_no_crash(result, f"setup `{what}`")
    assert result.exit_code == 0, f"setup `{what}` exited {result.exit_code}:\n{text}"


def build_once(site: Path) -> None:
    """Build ``site`` into its default ``public/``, leaving ``.sitegen-cache/``."""
    setup_run(["build", "--site", str(site), "--today", TODAY], "build")
    assert (site / ".sitegen-cache").is_dir()


def edit_front_matter(path: Path, key: str, value: str) -> None:
    """Replace the value of a top-level front-matter key (or add the key)."""
    text = path.read_text("utf-8")
    head, sep, body = text[4:].partition("\n---\n")
    lines = head.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[i] = f"{key}: {value}"
            break
    else:
        lines.append(f"{key}: {value}")
    path.write_text("---\n" + "\n".join(lines) + sep + body, "utf-8")


def set_contact_email(site: Path, address: str) -> None:
    """Edit content/site.yaml (every page's footer changes): the next build must
    render again rather than find the output up to date."""
    path = site / "content" / "site.yaml"
    lines = [line for line in path.read_text("utf-8").split("\n")
             if not line.startswith("contact_email:")]
    path.write_text("\n".join(lines).rstrip("\n") + f"\ncontact_email: {address}\n", "utf-8")


def every_file(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- commands
# Each takes (site, scratch folder) and returns the arguments of one invocation.

def _site(site: Path) -> list[str]:
    return ["--site", str(site)]


def _diff(old_new: Callable[[Path], tuple[str, str]], *extra: str):
    def args(site: Path, tmp: Path) -> list[str]:
        old, new = old_new(site)
        return ["diff", old, new, *_site(site), *extra]
    return args


def _base_url(value: str):
    return lambda site, tmp: ["build", *_site(site), "--out", str(tmp / "out"),
                              "--today", TODAY, "--base-url", value]


BAD_BASE_URLS = {
    "base-url-no-scheme": "privacy.example.org",
    "base-url-ftp": "ftp://x",
    "base-url-empty": "",
    "base-url-newline": "https://privacy.example.org/\nX-Injected: 1",
}

def _document(tmp: Path) -> str:
    """A Markdown statement to import, written into the scratch folder."""
    path = tmp / "imported.md"
    path.write_text("# Privacyverklaring\n\n## Inleiding\n\nWij bewaren niets.\n", "utf-8")
    return str(path)


SITE_COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "check": lambda site, tmp: ["check", *_site(site), "--today", TODAY],
    # the default output folder, public/ in the site (the output-folder states)
    "build": lambda site, tmp: ["build", *_site(site), "--today", TODAY],
    "build-out": lambda site, tmp: ["build", *_site(site), "--out", str(tmp / "out"),
                                    "--today", TODAY],
    "build-drafts": lambda site, tmp: ["build", *_site(site), "--drafts",
                                       "--out", str(tmp / "out"), "--today", TODAY],
    "build-jobs-2": lambda site, tmp: ["build", *_site(site), "--jobs", "2",
                                       "--out", str(tmp / "out"), "--today", TODAY],
    **{name: _base_url(value) for name, value in BAD_BASE_URLS.items()},
    "diff-latest": _diff(latest_two),
    "diff-reversed": _diff(lambda site: latest_two(site)[::-1]),
    "diff-previous": _diff(lambda site: ("previous", latest_two(site)[1])),
    "diff-unknown": _diff(lambda site: ("9.8", "9.9")),
    "diff-same": _diff(lambda site: (latest_two(site)[1],) * 2),
    "diff-lang-unknown": _diff(latest_two, "--lang", "xx"),
    "diff-markdown": _diff(latest_two, "--format", "markdown"),
    "diff-html": _diff(latest_two, "--format", "html"),
    "new": lambda site, tmp: ["new", "99.0", *_site(site), "--date", "2030-01-01"],
    "new-not-a-version": lambda site, tmp: ["new", "volgende", *_site(site),
                                            "--date", "2030-01-01"],
    "new-lower-than-latest": lambda site, tmp: ["new", "0.1", *_site(site),
                                                "--date", "2030-01-01"],
    "new-date-before-latest": lambda site, tmp: ["new", "99.0", *_site(site),
                                                 "--date", "2000-01-01"],
    "lock": lambda site, tmp: ["lock", *_site(site)],
    "init-into-site": lambda site, tmp: ["init", str(site)],
    "import-document": lambda site, tmp: ["import", "document", _document(tmp), "--version",
                                          "99.0", "--date", "2030-01-01", "--lang", "nl",
                                          *_site(site)],
    "import-git-not-a-repo": lambda site, tmp: ["import", "git", str(tmp), "--file",
                                                "nl=privacy.md", *_site(site)],
}

# The cut run on every catalogue case (~50 cases): each reads the site in another way.
CASE_COMMANDS = ["check", "build-out", "build-drafts", "diff-latest", "diff-previous",
                 "new", "lock"]

# The builds that succeed on a good site.
GOOD_BUILDS = ("build", "build-out", "build-drafts", "build-jobs-2")

# What each command must do on the good example site.
GOOD: dict[str, Expect] = {
    "check": Expect("ok", ("0 errors",)),
    "build": Expect("ok", ("built ",)),
    "build-out": Expect("ok", ("built ",)),
    "build-drafts": Expect("ok", ("built ",)),
    "build-jobs-2": Expect("ok", ("built ",)),
    # a bad --base-url is the option's fault, not content/site.yaml's
    **{name: Expect("refused", ("--base-url",)) for name in BAD_BASE_URLS},
    "diff-latest": Expect("ok"),
    # named newer first: the change from the older to the newer, and a note saying so
    "diff-reversed": Expect("ok", ("note: ",)),
    "diff-previous": Expect("ok"),
    "diff-unknown": Expect("refused", ("9.8",)),
    "diff-same": Expect("ok"),
    "diff-lang-unknown": Expect("refused", ("xx",)),
    "diff-markdown": Expect("ok"),
    "diff-html": Expect("ok"),
    "new": Expect("ok", ("created ",)),
    "new-not-a-version": Expect("refused", ("volgende",)),
    "new-lower-than-latest": Expect("refused", ("0.1",)),
    "new-date-before-latest": Expect("refused", ("2000-01-01",)),
    "lock": Expect("ok", ("published.yaml",)),
    "init-into-site": Expect("refused"),
    "import-document": Expect("ok", ("created ",)),
    "import-git-not-a-repo": Expect("refused", ("git",)),
}
assert set(GOOD) == set(SITE_COMMANDS)


# --------------------------------------------------------------------------- states
# Each takes the scratch folder, makes the site there and returns it.

def state_good(tmp: Path) -> Path:
    return copy_example(tmp)


def state_built_locked(tmp: Path) -> Path:
    """build, then lock: the `build` command is then the rebuild with the kept
    .sitegen-cache/ (reported: AttributeError: text)."""
    site = copy_example(tmp)
    build_once(site)
    setup_run(["lock", *_site(site)], "lock")
    return site


def state_built_locked_rebuilt(tmp: Path) -> Path:
    """build, lock, build: every command then runs on the twice-built site."""
    site = state_built_locked(tmp)
    build_once(site)
    return site


def _damaged_cache(damage: Callable[[Path], None]):
    """A state: the site built, its cache damaged by ``damage``, then one edit to
    site.yaml, so that `build` into public/ must rebuild (not answer "up to date")
    and read the damaged cache, as every build into a new folder does."""
    def state(tmp: Path) -> Path:
        site = copy_example(tmp)
        build_once(site)
        damage(site / ".sitegen-cache")
        set_contact_email(site, "privacy@example.org")
        return site
    return state


def _cache_is_a_file(cache: Path) -> None:
    shutil.rmtree(cache)
    cache.write_bytes(b"not a folder\n")


def _cache_garbage(cache: Path) -> None:
    for i, path in enumerate(every_file(cache)):
        path.write_bytes(bytes((i * 37 + n * 101) % 256 for n in range(600)))


def _cache_empty_files(cache: Path) -> None:
    for path in every_file(cache):
        path.write_bytes(b"")


def _cache_cut_short(cache: Path) -> None:
    for path in every_file(cache):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])


def _cache_folder_for_file(cache: Path) -> None:
    """Every file of the cache (memo.pickle, files, folders, ...) becomes a folder."""
    for path in every_file(cache):
        path.unlink()
        path.mkdir()
        (path / "inside").write_bytes(b"x")


def _cache_unreadable(cache: Path) -> None:
    cache.chmod(0)


def state_public_is_a_file(tmp: Path) -> Path:
    site = copy_example(tmp)
    (site / "public").write_text("not a folder\n", "utf-8")
    return site


def state_public_foreign_file(tmp: Path) -> Path:
    site = copy_example(tmp)
    build_once(site)
    (site / "public" / "notes.txt").write_text("mine, not sitegen's\n", "utf-8")
    set_contact_email(site, "privacy@example.org")
    return site


def state_public_read_only(tmp: Path) -> Path:
    site = copy_example(tmp)
    build_once(site)
    for folder in [site / "public", *(p for p in (site / "public").rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    set_contact_email(site, "privacy@example.org")
    return site


def state_previous_foreign_file(tmp: Path) -> Path:
    """Two builds (so .public.previous exists), a foreign file in it, then an edit
    so that the next build starts from that folder."""
    site = copy_example(tmp)
    build_once(site)
    set_contact_email(site, "privacy@example.org")
    build_once(site)
    previous = site / ".public.previous"
    previous.mkdir(exist_ok=True)
    (previous / "notes.txt").write_text("mine, not sitegen's\n", "utf-8")
    set_contact_email(site, "privacy@example.net")
    return site


def _published(data: bytes):
    def state(tmp: Path) -> Path:
        site = copy_example(tmp)
        (site / "versions" / "published.yaml").write_bytes(data)
        return site
    return state


def state_published_text_changed(tmp: Path) -> Path:
    site = copy_example(tmp)
    latest = latest_two(site)[1]
    with (site / "versions" / latest / "nl.md").open("a", encoding="utf-8") as handle:
        handle.write("\nEen zin die er na het vastleggen bij kwam.\n")
    return site


def _front_matter_changed(key: str, value: str):
    def state(tmp: Path) -> Path:
        site = copy_example(tmp)
        latest = latest_two(site)[1]
        edit_front_matter(site / "versions" / latest / "nl.md", key, value)
        if key == "date":                 # a date must be the same in every language
            edit_front_matter(site / "versions" / latest / "en.md", key, value)
        return site
    return state


def state_draft_with_check_error(tmp: Path) -> Path:
    """The latest version copied to a higher id as a draft, with one heading
    removed, and a removal declared of a section no version had: a check error
    in a draft."""
    site = copy_example(tmp)
    latest = latest_two(site)[1]
    draft = str(int(latest.split(".")[0])) + "." + str(int(latest.split(".")[1]) + 1)
    shutil.copytree(site / "versions" / latest, site / "versions" / draft)
    for path in sorted((site / "versions" / draft).glob("*.md")):
        edit_front_matter(path, "draft", "true")
        edit_front_matter(path, "removed", "[no-such-section]")
        text = path.read_text("utf-8")
        # drop the second "## " heading line (its section text joins the one before)
        headings = [m.start() for m in re.finditer(r"^## .*\n", text, re.MULTILINE)]
        start = headings[1]
        end = text.index("\n", start) + 1
        path.write_text(text[:start] + text[end:], "utf-8")
    return site


def state_no_site(tmp: Path) -> Path:
    site = tmp / "site"
    site.mkdir()
    return site


def state_content_only(tmp: Path) -> Path:
    return copy_example(tmp, parts=("content",))


def state_version_unreadable(tmp: Path) -> Path:
    site = copy_example(tmp)
    (site / "versions" / latest_two(site)[1] / "nl.md").chmod(0)
    return site


STATES: dict[str, Callable[[Path], Path]] = {
    "good": state_good,
    "built-locked": state_built_locked,
    "built-locked-rebuilt": state_built_locked_rebuilt,
    "cache-is-a-file": _damaged_cache(_cache_is_a_file),
    "cache-garbage": _damaged_cache(_cache_garbage),
    "cache-empty-files": _damaged_cache(_cache_empty_files),
    "cache-cut-short": _damaged_cache(_cache_cut_short),
    "cache-folder-for-file": _damaged_cache(_cache_folder_for_file),
    "cache-unreadable": _damaged_cache(_cache_unreadable),
    "public-is-a-file": state_public_is_a_file,
    "public-foreign-file": state_public_foreign_file,
    "public-read-only": state_public_read_only,
    "previous-foreign-file": state_previous_foreign_file,
    "published-garbage": _published(b"\x89PNG\r\n\x1a\n\x00\xff\xfe{[: garbage\x00\n"),
    "published-list": _published(b"- 3.0\n- 3.1\n"),
    "published-empty": _published(b""),
    "published-text-changed": state_published_text_changed,
    "published-date-changed": _front_matter_changed("date", "2018-06-01"),
    "published-title-changed": _front_matter_changed("title", "Een andere titel"),
    "published-summary-changed": _front_matter_changed("summary", "Een andere samenvatting."),
    "draft-with-check-error": state_draft_with_check_error,
    "no-site": state_no_site,
    "content-only": state_content_only,
    "from-subfolder": state_good,          # run in versions/ without --site
    "version-unreadable": state_version_unreadable,
}
NEEDS_MODES = {"cache-unreadable", "public-read-only", "version-unreadable"}

# States of a good site whose commands must all behave as on the good site.
LIKE_GOOD = {"good", "built-locked", "built-locked-rebuilt", "from-subfolder",
             # README: the cache is safe to delete; whatever a damaged cache holds,
             # a build prints a warning and gives the same output as without it
             "cache-is-a-file", "cache-garbage", "cache-empty-files", "cache-cut-short",
             "cache-folder-for-file",
             # a fault in the output folder concerns only the build into it
             "public-is-a-file", "public-foreign-file", "public-read-only",
             "previous-foreign-file"}


def expectation(state: str, command: str) -> Expect:
    """What ``command`` must do in ``state``: the rule alone ("either") unless the
    README promises more."""
    if state in LIKE_GOOD:
        if state.startswith("cache-") and command in GOOD_BUILDS:
            # README: a damaged cache file is not read; the build says so in one
            # warning line and makes what it would have held
            return Expect("ok", ("built ", ".sitegen-cache: warning"))
        if state == "public-is-a-file" and command == "build":
            return Expect("refused", ("public",))
        if state == "public-foreign-file" and command == "build":
            return Expect("refused", ("notes.txt",))
        if state in ("public-read-only", "previous-foreign-file") and command == "build":
            return Expect("either")
        return GOOD[command]
    if state in ("published-garbage", "published-list") and command in ("check", *GOOD_BUILDS):
        return Expect("refused", ("published.yaml",))
    # the text, and the date, title and summary readers see, are all locked
    if fnmatch.fnmatch(state, "published-*-changed") and command in ("check", *GOOD_BUILDS):
        return Expect("refused", ("has changed since it was locked",))
    if state == "draft-with-check-error":
        # the redline of a draft is what an editor needs to see while fixing it
        if command in ("diff-latest", "diff-previous", "diff-markdown", "diff-html"):
            return Expect("ok", ("warning: #no-such-section is declared removed",))  # as warnings
        if command in ("build", "build-out"):
            return Expect("ok", ("built ",))      # drafts are not built without --drafts
    if state in ("no-site", "content-only") and command.startswith("import-"):
        return GOOD[command]                     # an import makes what is missing
    if state == "no-site":
        if command == "init-into-site":
            return Expect("ok", ("created ",))     # an empty folder is fine for init
        return Expect("refused", ("content/site.yaml",))
    if state == "content-only":
        if command in BAD_BASE_URLS or command == "init-into-site":
            return Expect("refused")             # another fault may come first
        return Expect("refused", ("versions",))
    return Expect("either")


def state_params() -> list:
    params = []
    for state in STATES:
        for command in SITE_COMMANDS:
            marks = []
            if state in NEEDS_MODES:
                marks.append(needs_modes)
            params.append(pytest.param(state, command, marks=marks, id=f"{state}-{command}"))
    return params


# --------------------------------------------------------------------------- tests

@pytest.mark.parametrize("command", CASE_COMMANDS)
@pytest.mark.parametrize("name", NAMES)
def test_catalogue_case(name: str, command: str, tmp_path: Path) -> None:
    """A bad-input case: no traceback; check and build must refuse it."""
    site = tmp_path / "site"
    shutil.copytree(CASES / name, site, ignore=shutil.ignore_patterns("expected.txt"))
    args = SITE_COMMANDS[command](site, tmp_path)
    result = invoke(args)
    expect = Expect("refused") if command in ("check", "build-out") else Expect("either")
    check_result(result, expect, f"[{name}] {describe(args, tmp_path)}")


@pytest.mark.parametrize(("state", "command"), state_params())
def test_state(state: str, command: str, tmp_path: Path,
               monkeypatch: pytest.MonkeyPatch) -> None:
    """One state of the site, its cache and its output folder, one command."""
    site = STATES[state](tmp_path)
    try:
        args = SITE_COMMANDS[command](site, tmp_path)
        if state == "from-subfolder":
            monkeypatch.chdir(site / "versions")
            args = [a for i, a in enumerate(args)
                    if a != "--site" and (i == 0 or args[i - 1] != "--site")]
        result = invoke(args)
        what = f"[{state}] {describe(args, tmp_path)}"
        check_result(result, expectation(state, command), what)
        if command in GOOD_BUILDS and result.exit_code == 0:
            written = tmp_path / "out" if "--out" in args else site / "public"
            assert not (written / "notes.txt").exists(), (
                f"{what} published a file it did not write (notes.txt)")
    finally:                               # let pytest remove what chmod locked
        for path in [site, *site.rglob("*")] if site.exists() else []:
            try:
                if not path.is_symlink():
                    path.chmod(0o755 if path.is_dir() else 0o644)
            except OSError:
                pass


def _help(command: str) -> Callable[[Path], list[str]]:
    return lambda tmp: [command, "--help"]


def _init_fresh(tmp: Path, *extra: str) -> list[str]:
    return ["init", str(tmp / "fresh"), *extra]


STANDALONE: dict[str, tuple[Callable[[Path], list[str]], Expect]] = {
    "version": (lambda tmp: ["--version"], Expect("ok", (__version__,))),
    "help": (lambda tmp: ["--help"], Expect("ok", ("Usage:",))),
    **{f"help-{name}": (_help(name), Expect("ok", ("Usage:",)))
       for name in sorted(main.commands)},
    "init": (lambda tmp: _init_fresh(tmp), Expect("ok", ("created ",))),
    "init-languages-bad-code": (lambda tmp: _init_fresh(tmp, "--languages", "nl,english"),
                                Expect("refused", ("english",))),
    "init-languages-unknown": (lambda tmp: _init_fresh(tmp, "--languages", "nl,xx"),
                               Expect("refused", ("xx",))),
    "init-languages-empty": (lambda tmp: _init_fresh(tmp, "--languages", ""),
                             Expect("refused", ("--languages",))),
    "init-languages-commas": (lambda tmp: _init_fresh(tmp, "--languages", " , ,"),
                              Expect("refused", ("--languages",))),
    "init-into-file": (lambda tmp: ["init", str(tmp / "a-file")], Expect("refused")),
    "import-document-new-site": (
        lambda tmp: ["import", "document", _document(tmp), "--version", "1.0", "--date",
                     "2026-01-01", "--lang", "nl", "--site", str(tmp / "fresh")],
        Expect("ok", ("created ",))),
    "import-git-bad-file": (lambda tmp: ["import", "git", str(tmp), "--file", "nl"],
                            Expect("refused", ("--file",))),
    "import-help": (lambda tmp: ["import", "git", "--help"], Expect("ok", ("Usage:",))),
    "unknown-command": (lambda tmp: ["publish"], Expect("refused", ("publish",))),
    "bad-today": (lambda tmp: ["check", "--site", str(tmp), "--today", "2026-02-30"],
                  Expect("refused", ("--today",))),
    "bad-jobs": (lambda tmp: ["build", "--site", str(tmp), "--jobs", "0"],
                 Expect("refused", ("--jobs",))),
    "bad-format": (lambda tmp: ["diff", "1.0", "2.0", "--site", str(tmp), "--format", "pdf"],
                   Expect("refused", ("--format",))),
}


@pytest.mark.parametrize("name", list(STANDALONE))
def test_standalone(name: str, tmp_path: Path) -> None:
    """Commands and options that do not depend on a site's state."""
    (tmp_path / "a-file").write_text("x", "utf-8")
    make_args, expect = STANDALONE[name]
    args = make_args(tmp_path)
    result = invoke(args)
    check_result(result, expect, describe(args, tmp_path))
    if name == "init":                       # what init made is a site check accepts
        fresh = invoke(["check", "--site", str(tmp_path / "fresh"), "--today", TODAY])
        check_result(fresh, Expect("ok"), "sitegen check of a fresh init")
    if expect.outcome == "refused" and name.startswith("init-languages"):
        assert not (tmp_path / "fresh").exists() or not any((tmp_path / "fresh").iterdir()), \
            "a refused init left files behind"


def test_serve_without_a_site(tmp_path: Path) -> None:
    """`serve` in a folder without a site must say so and exit, not serve forever.
    Run as a subprocess so that it can be stopped when it does not return."""
    empty = tmp_path / "empty"
    empty.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-c", "from sitegen.cli import run; run()",
         "serve", "--site", str(empty), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(Path(sitegen.__file__).parents[1])})
    try:
        output, _ = process.communicate(timeout=SERVE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"serve still ran after {SERVE_TIMEOUT_S} s:\n{output}")
    assert TRACEBACK not in output and INTERNAL_ERROR not in output.lower(), output
    assert process.returncode != 0, f"serve exited 0 without a site:\n{output}"
    assert "content/site.yaml" in output, output
