"""One build at a time per output folder (``sitegen.output.lock``): a build waits
for the one writing its folder, says whom it waits for, gives up with a clear
error, and takes over at once the lock of a build that was killed."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.engine.pipeline import build_folder
from sitegen.output.lock import hold, lock_path
from sitegen.output.place import OutputError
from tests.conftest import REPO
from tests.e2e.helpers import tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no flock: builds are not locked")

TODAY = "2026-06-01"
# `sitegen ...` once the file named first exists: loaded beforehand, let go at will.
AT_ONCE = ("import os, sys, time; from sitegen.cli import run\n"
           "go = sys.argv.pop(1)\n"
           "while not os.path.exists(go): time.sleep(0.001)\n"
           "run()\n")
# Takes the lock of the folder given, says so, and keeps it until killed.
HOLDER = ("import sys, time; from pathlib import Path; from sitegen.output.lock import hold\n"
          "with hold(Path(sys.argv[1])):\n"
          "    print('held', flush=True)\n"
          "    time.sleep(60)\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The repository's example site, copied."""
    root = tmp_path / "site"
    for folder in ("content", "versions", "theme"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def build(site: Path, out: Path, **options) -> object:
    return build_folder(site, out, dt.date.fromisoformat(TODAY), **options)


def beside(out: Path) -> list[str]:
    """What a build left beside ``out``: its staging folders, lock file and the like."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_a_build_into_a_folder_being_written_gives_up_and_writes_nothing(site: Path,
                                                                         tmp_path: Path) -> None:
    out = tmp_path / "public"
    with hold(out):
        started = time.monotonic()
        with pytest.raises(OutputError) as raised:
            build(site, out, lock_wait=0.3)
        assert time.monotonic() - started < 2
        assert not out.exists()
        assert beside(out) == [".public.lock"]              # the holder's, not the build's
    message = str(raised.value)
    assert str(out) in message and f"process {os.getpid()}" in message, message
    assert "--out" in message
    assert beside(out) == []                                # the holder removed it


def test_the_lock_of_a_killed_build_is_taken_over_at_once(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], cwd=REPO,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        holder.stdout.close()
    assert lock_path(out).read_text("utf-8").split("\n")[0] == str(holder.pid)   # left behind
    outcome = build(site, out, lock_wait=0)                 # no waiting at all
    assert outcome.pages > 0 and (out / ".sitegen-manifest").is_file()
    assert beside(out) == []


def test_builds_started_together_make_the_site_one_build_makes(site: Path, tmp_path: Path) -> None:
    """Four ``sitegen build`` processes into one folder, let go 50 ms apart: each
    then starts while another is writing (without the lock, one would remove the
    other's staging folder, and fail)."""
    alone = tmp_path / "alone"
    shutil.copytree(site, alone / "site")
    build(alone / "site", alone / "public")
    out = tmp_path / "public"
    starts = [tmp_path / f"go-{number}" for number in range(4)]
    runs = [subprocess.Popen([sys.executable, "-c", AT_ONCE, str(start), "build", "--site",
                              str(site), "--out", str(out), "--today", TODAY],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for start in starts]
    time.sleep(0.3)                                         # all loaded (or nearly)
    for start in starts:
        start.touch()
        time.sleep(0.05)
    for run in runs:
        stdout, stderr = run.communicate(timeout=60)
        assert run.returncode == 0, stdout + stderr
    assert tree(out) == tree(alone / "public")
    assert beside(out) in ([], [".public.previous"])


def test_a_build_waits_for_the_lock_and_says_whose_it_is(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    told: list[int | None] = []
    asked = threading.Event()
    held = threading.Event()

    def other_build() -> None:
        with hold(out):
            held.set()
            asked.wait(timeout=5)                           # released once the build waits
            time.sleep(0.1)

    holder = threading.Thread(target=other_build)
    holder.start()
    held.wait(timeout=5)

    def on_wait(pid: int | None) -> None:
        told.append(pid)
        asked.set()

    started = time.monotonic()
    outcome = build(site, out, lock_wait=5, on_wait=on_wait)
    holder.join()
    assert told == [os.getpid()]                            # once, naming the holder
    assert 0.5 <= time.monotonic() - started < 5
    assert outcome.pages > 0 and (out / ".sitegen-manifest").is_file()
    assert beside(out) == []


def test_a_lock_file_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    out = tmp_path / "notes.txt" / "public"
    with pytest.raises(OutputError) as raised:
        with hold(out):
            pass
    message = str(raised.value)
    assert str(lock_path(out)) in message and "Not a directory" in message, message
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"
