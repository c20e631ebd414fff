"""A statement's history in a git repository -> imported versions:
``sitegen import git``.

This is the only code that runs git, and it only reads: ``rev-parse``,
``rev-list``, ``ls-tree``, ``log`` and ``show``, each as ``git -C REPO ...``
with literal paths, in a working copy or a bare repository. Paths are relative
to the top of the repository, as ``git show REF:PATH`` takes them. Each file's
history is followed across renames and moves (``git log --follow``); a commit's
date is its committer date, in the committer's own time zone (the day that
``git log`` shows). A merge counts as a change where its text differs from
its first parent's (two branches' changes merged make a text neither had). What a version is, and what becomes of each text, is
decided by ``history``, which sees no git.

It never changes the repository (no checkout, no index, no config) and never
writes a file.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import subprocess
from pathlib import Path, PurePosixPath

from ..errors import SitegenError
from .history import Change, check_numbering, versions
from .target import Imported

RECORD = "\x1e"               # starts each commit in ``git log`` output


def from_git(repo: Path, files: dict[str, str], ref: str = "HEAD",
             by_effective_date: bool = False, numbering: str = "major",
             links_from: str | None = None) -> Imported:
    """The versions of the statement whose language files (language tag: path in
    the repository, the primary language first) have their history at ``ref``
    of ``repo``, with notes on what was converted, left out or guessed; relative
    links made whole against ``links_from``."""
    check_numbering(numbering)
    files = {lang: PurePosixPath(path).as_posix() for lang, path in files.items()}
    _check_languages(files)
    git = Git(repo)
    commit = git.commit(ref)
    present = git.paths(commit)
    for path in files.values():
        if path not in present:
            raise _missing(path, ref, present)
    order = git.order(commit)
    changes = {lang: git.changes(commit, path, order) for lang, path in files.items()}
    primary, path = next(iter(files.items()))
    if not any(change.text is not None for change in changes[primary]):
        raise SitegenError(f"git has no commit of {path} at {ref}: import a file that has "
                           "a history", path)
    return versions(changes, by_effective_date, numbering, links_from)


def _check_languages(files: dict[str, str]) -> None:
    if not files:
        raise SitegenError("name at least one language and its file (e.g. en=privacy.md)",
                           "FILES")
    tags, paths = [lang.casefold() for lang in files], list(files.values())
    for index, (lang, path) in enumerate(files.items()):
        if tags.index(lang.casefold()) < index:
            raise SitegenError(f"the language `{lang}` is given twice: name each language "
                               "once, with its file", lang)
        if paths.index(path) < index:
            raise SitegenError(f"the file `{path}` is given twice: each language has a file "
                               "of its own", lang)


def _missing(path: str, ref: str, present: list[str]) -> SitegenError:
    close = difflib.get_close_matches(path, present, n=3, cutoff=0.5)
    close += [p for p in present if p.rsplit("/", 1)[-1] == path.rsplit("/", 1)[-1]
              and p not in close][:3]
    hint = f"did you mean {' or '.join(f'`{p}`' for p in close)}?" if close else \
        "give its path from the top of the repository (see `git ls-tree -r --name-only " \
        f"{ref}`)"
    return SitegenError(f"{path} does not exist at {ref}: {hint}", path)


class Git:
    """Read-only git commands on one repository."""

    def __init__(self, repo: Path) -> None:
        self.repo = Path(repo)
        probe = self._run("rev-parse", "--is-bare-repository")
        if probe.returncode:
            raise SitegenError(f"{repo} is not a git repository ({_said(probe)}): give the "
                               "folder of a working copy or of a bare repository", str(repo))
        top = self._run("rev-parse", "--show-toplevel")
        if top.returncode == 0 and top.stdout.strip():
            self.repo = Path(_text(top.stdout).strip("\n"))

    def commit(self, ref: str) -> str:
        """The full hash of the commit that ``ref`` names."""
        found = self._run("rev-parse", "--verify", "--quiet", "--end-of-options",
                          f"{ref}^{{commit}}")
        if found.returncode or ref.startswith("-"):
            raise SitegenError(f"`{ref}` names no commit in {self.repo}: give a branch, tag "
                               "or commit (see `git log --oneline`)", "--ref")
        return found.stdout.decode().strip()

    def paths(self, commit: str) -> list[str]:
        """Every file's path at ``commit``."""
        listing = self._out("ls-tree", "-r", "-z", "--full-tree", "--name-only", commit)
        return [_text(p) for p in listing.split(b"\0") if p]

    def order(self, commit: str) -> dict[str, int]:
        """Each commit of the history of ``commit``: its place, oldest first."""
        listing = self._out("rev-list", "--topo-order", "--reverse", commit)
        return {sha: index for index, sha in enumerate(listing.decode().split())}

    def changes(self, commit: str, path: str, order: dict[str, int]) -> list[Change]:
        """The commits that changed ``path`` (as it is named at ``commit``), oldest
        first, following renames; each with the file's path and text there."""
        log = self._out("log", "-z", "--follow", "--no-show-signature", "--name-status",
                        "--diff-merges=first-parent", f"--format={RECORD}%H %cI", commit,
                        "--", path)
        found = []
        for record in log.split(RECORD.encode())[1:]:
            head, *fields = [f.lstrip(b"\n") for f in record.split(b"\0") if f.strip(b"\n")]
            if not fields:
                continue
            sha, stamp = head.decode().split(" ")
            name = _text(fields[-1])            # a rename gives the old path, then the new
            text = None if fields[0].startswith(b"D") else self.show(sha, name)
            found.append(Change(sha, order[sha], dt.date.fromisoformat(stamp[:10]), name, text))
        return sorted(found, key=lambda change: change.position)

    def show(self, commit: str, path: str) -> str:
        """The text of ``path`` at ``commit``."""
        return self._out("show", "--no-textconv", f"{commit}:{path}").decode("utf-8", "replace")

    def _out(self, *args: str) -> bytes:
        done = self._run(*args)
        if done.returncode:
            raise SitegenError(f"git {args[0]} failed ({_said(done)})", str(self.repo))
        return done.stdout

    def _run(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "GIT_LITERAL_PATHSPECS": "1", "GIT_TERMINAL_PROMPT": "0",
               "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
        try:
            return subprocess.run(["git", "--no-pager", "-C", str(self.repo), *args],
                                  capture_output=True, env=env, stdin=subprocess.DEVNULL,
                                  check=False)
        except FileNotFoundError:
            raise SitegenError("git is not installed, or not on PATH: install git "
                               "(https://git-scm.com) and try again", "git") from None


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """The last line git wrote on stderr, or its exit code."""
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"exit code {done.returncode}"


def _text(data: bytes) -> str:
    """A path as git gave it (bytes that are not UTF-8 kept, for git to read back)."""
    return data.decode("utf-8", "surrogateescape")
