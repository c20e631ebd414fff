#!/usr/bin/env python
"""How long `sitegen serve` takes to show an edit.

    python bench/rebuild_bench.py [--site DIR] [--runs 5]

On a copy of the site (default: the example site of this repository):

  cold     Builder.rebuild() with a fresh memo (what `serve` does at start)
  nothing  rebuild with nothing changed (memo warm)
  edit     rebuild after a sentence was added to a draft copy of the latest
           version (memo warm)
  served   through a running `serve`: from writing the edit to the first GET of the
           page that holds the new sentence (watchdog + debounce + rebuild + HTTP),
           polled every 10 ms

Each is the median of --runs, in milliseconds. Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from sitegen.content.load import load_site
from sitegen.scaffold import new_version
from sitegen.serve import Builder, serve

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 28)


def copy_site(source: Path, into: Path) -> Path:
    root = into / "site"
    for name in ("content", "versions", "theme"):
        if (source / name).is_dir():
            shutil.copytree(source / name, root / name)
    return root


def latest_file(root: Path) -> Path:
    """A file to edit: a draft copy of the latest version (published text may be
    locked), made once with `sitegen new`'s code."""
    site = load_site(root)
    latest = site.versions[-1]
    if not latest.draft:
        new_version(root, f"{latest.id}.1", max(latest.date, TODAY))
        latest = load_site(root).versions[-1]
    return root / next(iter(latest.documents.values())).path


def append_sentence(path: Path, marker: str) -> None:
    text = path.read_text("utf-8").rstrip("\n")
    path.write_text(f"{text}\n\n{marker}\n", "utf-8")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def builder_runs(root: Path, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {"cold": [], "nothing": [], "edit": []}
    target = latest_file(root)
    original = target.read_text("utf-8")
    quiet = lambda message: None  # noqa: E731
    for run in range(runs):
        builder = Builder(root, TODAY, quiet)
        results["cold"].append(timed(builder.rebuild))
        results["nothing"].append(timed(builder.rebuild))
        append_sentence(target, f"Bench sentence {run}.")
        results["edit"].append(timed(builder.rebuild))
        target.write_text(original, "utf-8")
        assert not builder.state.error, builder.state.error
    return results


def served_runs(root: Path, runs: int) -> list[float]:
    target = latest_file(root)
    lang = target.stem
    urls: list[str] = []
    ready, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=serve, daemon=True, kwargs=dict(
        root=root, host="127.0.0.1", port=0, today=TODAY, log=lambda m: None,
        ready=lambda url: (urls.append(url), ready.set()), stop=stop))
    thread.start()
    if not ready.wait(60):
        raise SystemExit("serve did not start")
    page = f"{urls[0]}{lang}/{target.parent.name}/"
    times = []
    try:
        for run in range(runs):
            marker = f"Served bench sentence {run}."
            start = time.perf_counter()
            append_sentence(target, marker)
            deadline = start + 30
            while time.perf_counter() < deadline:
                with urllib.request.urlopen(page, timeout=30) as response:
                    if marker.encode() in response.read():
                        break
                time.sleep(0.01)
            else:
                raise SystemExit(f"the edit was not served within 30 s ({page})")
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.5)                      # let the watcher settle between runs
    finally:
        stop.set()
        thread.join(30)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_site(args.site.resolve(), Path(tmp))
        results = builder_runs(root, args.runs)
        results["served"] = served_runs(root, args.runs)
    print(f"site: {args.site}  runs: {args.runs}  python {sys.version.split()[0]}")
    for name, values in results.items():
        print(f"  {name:8} median {statistics.median(values):8.1f} ms   "
              f"min {min(values):8.1f}   max {max(values):8.1f}")


if __name__ == "__main__":
    main()
