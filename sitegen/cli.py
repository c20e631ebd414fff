"""The command line: parses options and calls the core. Nothing else lives here."""
from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import click

from . import __version__
from .content import SITE_FILE
from .errors import SitegenError, counted
from .inert import shown

# The core is imported inside each command: `sitegen build` on an unchanged site
# answers from a fingerprint before the libraries that render are even loaded.

PROGRESS_FROM = 100   # pages; smaller builds finish before a bar is worth drawing
INTERNAL = "internal error"


def site_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--site", "site_dir", default=None, callback=_find_site,
                        type=click.Path(file_okay=False, path_type=Path),
                        help="The site's folder (holding content/ and versions/). Default: "
                        "the current folder or the nearest one above it that holds a site.")(func)


def _find_site(ctx: click.Context, param: click.Parameter, given: Path | None) -> Path:
    """The folder given, or, like git, the nearest folder upward that holds a site."""
    if given is not None:
        return given
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / SITE_FILE).is_file():
            return folder
    raise SitegenError(f"no sitegen site in {here} or any folder above it (a site holds "
                       f"{SITE_FILE}): run the command inside a site, or give --site DIR",
                       "--site")


def today_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        metavar="YYYY-MM-DD",
                        help="Build as if it were this day (decides the current version); "
                        "default: the real date.")(func)


def as_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value else dt.date.today()


class Commands(click.Group):
    """The commands, with a last resort: an exception that is not a user's error
    is a bug in sitegen, reported in one paragraph instead of a traceback
    (``SITEGEN_DEBUG=1`` shows it)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise _misused(err) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:                  # `sitegen diff ... | head`: the reader is done
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as bug:                 # noqa: BLE001 -- reported, not hidden
            if os.environ.get("SITEGEN_DEBUG"):
                raise
            raise SitegenError(f"{INTERNAL}: {type(bug).__name__}: {bug}. This is a bug in "
                               "sitegen, not in your site: please report it with the command "
                               "you ran; SITEGEN_DEBUG=1 shows the traceback", "sitegen") from bug


def _misused(err: click.UsageError) -> SitegenError:
    """A wrong option or argument, in the one error format, naming it; exit 2."""
    param, text = getattr(err, "param", None), err.format_message()
    where = getattr(err, "option_name", None) or "sitegen"       # no such option
    if isinstance(param, click.Option):
        where = param.opts[0]
    elif isinstance(param, click.Argument):
        where = param.human_readable_name
    if param is not None and not isinstance(err, click.MissingParameter):
        text = err.message                       # what is wrong, without the name again
    command = err.ctx.command_path if err.ctx else "sitegen"
    error = SitegenError(f"{text} (`{command} --help` lists what it takes)", where)
    error.exit_code = 2
    return error


def failing(outcome: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A command's errors end with what it did not do: "1 error: the site was not built"."""
    def wrap(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def run_command(*args: Any, **kwargs: Any) -> Any:
            try:
                return command(*args, **kwargs)
            except SitegenError as err:
                err.outcome = err.outcome or outcome
                raise
        return run_command
    return wrap


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sitegen")
def main() -> None:
    """Publish versioned, multilingual privacy statements as a static website.

    A site is a folder with content/site.yaml and versions/<version>/<lang>.md.
    """
    # Checks and previews make millions of objects that live until they end; the
    # cycle collector, run every 7,000 allocations instead of 700, then spends
    # 0.15 s instead of 0.41 s of a cold 200 x 4 build on one core (same peak
    # memory; bench/gc_time.py). ``build`` turns it off while it builds.
    gc.set_threshold(7000, 10, 10)


def _progress(pages: Sequence[Any]) -> Iterator[Any]:
    """``pages`` one by one, under a progress bar that advances as they are rendered."""
    with click.progressbar(pages, label="rendering", show_pos=True) as bar:
        yield from bar


@main.command()
@site_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output folder. Default: public/ in the site; public-drafts/ with --drafts.")
@click.option("--base-url", default=None, help="Override base_url of content/site.yaml.")
@click.option("--drafts", is_flag=True, help="Also build versions marked draft, into "
              "public-drafts/ (never public/); their pages are marked noindex.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes to render with (default: one per core). The output is the "
              "same whatever the number.")
@today_option
@failing("the site was not built")
def build(site_dir: Path, out: Path | None, base_url: str | None, drafts: bool,
          jobs: int | None, today: dt.datetime | None) -> None:
    """Build the site into a folder ready for any static host."""
    from .engine.heap import keep_freed_memory
    from .engine.pipeline import build_folder
    started = time.perf_counter()

    def track(pages):
        if len(pages) < PROGRESS_FROM or not sys.stdout.isatty():
            return pages
        return _progress(pages)

    def waiting(pid: int | None) -> None:
        who = f"the build in process {pid}" if pid else "another build"
        click.echo(f"waiting for {who} to finish writing the same folder…", err=True)

    # A build makes millions of objects that live until it ends, and almost no
    # cycles: without the collector, a cold 200 x 4 build on one core peaks at
    # 222 MB instead of 220 MB and spends nothing instead of 0.16 s collecting
    # (bench/gc_time.py --threshold 0). It is back on once the build is done.
    collecting = gc.isenabled()
    gc.disable()
    keep_freed_memory()                          # see engine/heap.py
    try:
        outcome = build_folder(site_dir, out, as_date(today), drafts, base_url,
                               jobs or os.cpu_count() or 1, track, on_wait=waiting)
    finally:
        if collecting:
            gc.enable()
    elapsed = time.perf_counter() - started
    if outcome.up_to_date:
        click.echo(f"{outcome.out} is up to date: nothing changed since it was built "
                   f"({elapsed:.2f} s)")
        return
    for warning in outcome.warnings:
        click.echo(str(warning), err=True)
    kept = f", {outcome.kept} unchanged" if outcome.kept else ""
    click.echo(f"built {outcome.pages} pages ({outcome.files} files{kept}) in {outcome.out} "
               f"in {elapsed:.2f} s")


@main.command()
@site_option
@today_option
@click.option("--strict", is_flag=True,
              help="Treat warnings (a link that leads nowhere, a missing translation) as errors.")
def check(site_dir: Path, today: dt.datetime | None, strict: bool) -> None:
    """Validate everything without writing; exit 1 on errors, 0 with warnings.

    Notes say what sitegen did that nobody declared (a reworded heading paired
    with its old id, a removed section's tombstone)."""
    from .engine.build import check_site
    from .content.load import load_site
    try:
        problems = check_site(load_site(site_dir), as_date(today))
    except SitegenError as err:
        problems = err.problems
    if strict:
        problems = [replace(p, severity="error") if p.severity == "warning" else p
                    for p in problems]
    for problem in problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = sum(p.severity == "error" for p in problems)
    warnings = sum(p.severity == "warning" for p in problems)
    notes = len(problems) - errors - warnings
    click.echo(f"{counted(errors)}, {warnings} warning{'s' * (warnings != 1)}"
               + (f", {notes} note{'s' * (notes != 1)}" if notes else ""))
    if errors:
        sys.exit(1)


@main.command()
@site_option
@click.argument("old")
@click.argument("new")
@click.option("--lang", default=None, help="Language to compare. Default: the site's first.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text",
              show_default=True, help="text: a terminal redline (coloured on a terminal); "
              "markdown: for a pull-request comment; html: the fragment the site shows.")
@failing("nothing was compared")
def diff(site_dir: Path, old: str, new: str, lang: str | None, fmt: str) -> None:
    """Show what changed from version OLD to version NEW (drafts included).

    OLD may be `previous`: the version before NEW in that language. Named newer
    first, the versions are compared oldest first all the same. Problems that
    `sitegen check` reports in the two texts are shown first, as warnings.
    """
    from .redline import forms as redline
    from .engine.comparison import compare_versions
    from .content.load import load_site
    from .site.context import redline_fragment
    site = load_site(site_dir)
    lang = lang or site.config.default_language
    found = compare_versions(site, old, new, lang)
    for problem in found.problems:
        click.echo(str(problem), err=True)
    if found.swapped:
        click.echo(shown(f"note: {found.old} is the older version: showing what changed "
                         f"from {found.old} to {found.new}"), err=True)
    old, new, result = found.old, found.new, found.redline
    if fmt == "markdown":
        notes = site.version(new).documents[lang].rights_notes
        click.echo(redline.to_markdown(result, old, new, lang, notes), nl=False)
    elif fmt == "html":
        click.echo(redline_fragment(site, lang, result), nl=False)
    else:
        color = sys.stdout.isatty()
        click.echo(redline.to_text(result, color), nl=False, color=color)


@main.command()
@site_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is reachable from this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@today_option
@failing("nothing was served")
def serve(site_dir: Path, host: str, port: int, today: dt.datetime | None) -> None:
    """Preview the site (drafts included), rebuilding on every save.

    Pages in the browser reload by themselves; a broken edit shows its errors on
    the page and here, while the last good build stays up. Ctrl-C stops.
    """
    from .serve import serve as serve_site

    def log(message: str) -> None:
        stamp = time.strftime("%H:%M:%S")
        click.echo(f"[{stamp}] {shown(message, lines=True)}", err=message.count(":") > 1)

    serve_site(site_dir, host, port, today.date() if today else None, log,
               ready=lambda url: click.echo(f"Serving {site_dir.resolve()} on {url} "
                                            "(Ctrl-C to stop)"))
    click.echo("stopped")


@main.command()
@site_option
@click.argument("version")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="Effective date of the new version. Default: today.")
@failing("no version was created")
def new(site_dir: Path, version: str, date: dt.datetime | None) -> None:
    """Start VERSION as a draft copy of the latest version, in every language."""
    from .scaffold import new_version
    for path in new_version(site_dir, version, as_date(date)):
        click.echo(f"created {path}")
    click.echo("The new version is a draft: `sitegen serve` shows it; remove `draft: true` "
               "to publish it.")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--languages", default="nl,en", show_default=True,
              help="Comma-separated language codes; the first is the default.")
@failing("no site was created")
def init(directory: Path, languages: str) -> None:
    """Create a new site in DIRECTORY, ready to fill in."""
    from .scaffold import init_site
    codes = [code.strip() for code in languages.split(",") if code.strip()]
    for path in init_site(directory, codes, dt.date.today()):
        click.echo(f"created {path}")
    click.echo(f"Next: fill in the TODO lines, then `sitegen check --site {directory}`.")


@main.command()
@site_option
@failing("nothing was locked")
def lock(site_dir: Path) -> None:
    """Record the SHA-256 of every published text in versions/published.yaml.

    Commit that file: from then on, `sitegen check` fails when a published text
    changes without a `corrections:` entry in its front matter.
    """
    from .scaffold import lock as lock_site
    click.echo(f"locked the published texts in {lock_site(site_dir)}")


def _import_site(ctx: click.Context, param: click.Parameter, given: Path | None) -> Path:
    """The folder given, else the nearest site upward, else the current folder."""
    if given is not None:
        return given
    try:
        return _find_site(ctx, param, None)
    except SitegenError:
        return Path.cwd()


import_site_option = click.option(
    "--site", "site_dir", default=None, callback=_import_site,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site to import into; made if the folder has none. Default: the nearest "
    "site at or above the current folder, else the current folder.")


@main.group("import")
def import_group() -> None:
    """Bring existing statements into a site: a git history or a document.

    An import only adds new versions (never over one that exists), writes
    nothing outside the site's folder, and on any error leaves the site as it was.
    """


def _written(imported: Any, site_dir: Path, languages: Sequence[str]) -> None:
    from .importer import report, target
    for note in imported.notes:
        click.echo(str(note), err=note.severity != "note")
    for path in target.write(site_dir, imported.texts, languages):
        click.echo(f"created {path}")
    for line in report.summary(imported, site_dir):
        click.echo(line)


def _language_files(ctx: click.Context, param: click.Parameter,
                    given: Sequence[str]) -> dict[str, str]:
    from .content.values import canonical_tag
    files: dict[str, str] = {}
    for item in given:
        lang, sep, path = item.partition("=")
        if not sep or not lang.strip() or not path.strip():
            raise click.BadParameter(f"`{item}` is not LANG=PATH, e.g. nl=privacy/nl.md")
        tag = canonical_tag(lang.strip()) or lang.strip()          # pt-br: pt-BR
        if tag in files:
            raise click.BadParameter(f"the language `{tag}` is given twice")
        files[tag] = path.strip()
    return files


def _whole_url(ctx: click.Context, param: click.Parameter, given: str | None) -> str | None:
    from urllib.parse import urlsplit
    if given is not None and (urlsplit(given).scheme not in ("http", "https")
                              or not urlsplit(given).netloc):
        raise click.BadParameter(f"`{given}` is not a whole http(s) address, e.g. "
                                 "https://example.org/privacy/")
    return given


links_from_option = click.option(
    "--links-from", metavar="URL", callback=_whole_url,
    help="The address the texts were published at: their relative links (/terms) "
    "become whole addresses against it.")


@import_group.command("git", short_help="Versions from a statement's history in git.")
@click.argument("repo", type=click.Path(file_okay=False, path_type=Path))
@click.option("--file", "files", multiple=True, required=True, metavar="LANG=PATH",
              callback=_language_files,
              help="A language and its file in the repository (at --ref); repeat per "
              "language, the first is the one whose commits make versions.")
@click.option("--ref", default="HEAD", show_default=True, help="The branch, tag or commit to read.")
@click.option("--by-effective-date", is_flag=True,
              help="One version per effective date the text states (\"Effective 4 May "
              "2026\"); later commits with the same date are fixes of it.")
@click.option("--numbering", type=click.Choice(["major", "date"]), default="major",
              show_default=True, help="major: 1.0, 2.0, ...; date: 2026.5.4.")
@links_from_option
@import_site_option
@failing("nothing was imported")
def import_git(repo: Path, files: dict[str, str], ref: str, by_effective_date: bool,
               numbering: str, links_from: str | None, site_dir: Path) -> None:
    """Import the history of a statement's files in the git repository REPO."""
    from .importer.gitlog import from_git
    imported = from_git(repo, files, ref, by_effective_date, numbering, links_from)
    _written(imported, site_dir, list(files))


@import_group.command("document", short_help="A Word, HTML or Markdown file as a draft.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--version", "version", required=True, help="The version it becomes, e.g. 3.2.")
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              metavar="YYYY-MM-DD", help="Its effective date.")
@click.option("--lang", required=True, help="Its language, e.g. nl.")
@links_from_option
@import_site_option
@failing("nothing was imported")
def import_document(file: Path, version: str, date: dt.datetime, lang: str,
                    links_from: str | None, site_dir: Path) -> None:
    """Import a Word (.docx), HTML or Markdown FILE as a draft of a new version."""
    from .importer.document import from_document
    from .content.values import canonical_tag
    tag = canonical_tag(lang) or lang
    _written(from_document(file, version, date.date(), tag, links_from), site_dir, [tag])


def run() -> None:
    """The ``sitegen`` console script: ``main``, then an immediate exit.

    Python would free the objects a build leaves (the caches of its pure
    functions, the libraries' tables) one by one before exiting: 50 ms of a
    one-file rebuild of 200 x 4 (0.49 s against 0.55 s, medians of 8 in turns);
    the kernel frees the process's memory at once. Output is flushed first;
    every file sitegen writes is closed before ``main`` returns.
    """
    try:
        main()
        code: int = 0
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            code = done.code or 0
        else:                                    # a message, as sys.exit("...") prints it
            print(done.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):            # a closed pipe, a closed stream
            pass
    os._exit(code)
