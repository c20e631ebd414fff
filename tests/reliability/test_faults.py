"""A build that fails, for any reason, leaves the previous site byte for byte as it was.

Each test builds a good site, snapshots the output (every path and its SHA-256),
makes the next build fail (bad input, a full disk, a read-only output, kill -9),
and compares. Faults are simulated with monkeypatch (root ignores chmod).
"""
from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import sitegen.output.write
from sitegen.cli import main
from tests.conftest import page

TODAY = "2026-01-01"
NL = "## Uw rechten\n\n### Recht op inzage {art=15}\n\nU mag uw gegevens inzien.\n"
EN = "## Your rights\n\n### Right of access {art=15}\n\nYou may see your data.\n"
SMALL = {"versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL),
         "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN)}


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and link below ``folder``: relative path -> sha256 (or link target)."""
    result = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            result[rel] = "link:" + os.readlink(path)
        elif path.is_file():
            result[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def differences(state: dict[str, str], *expected: dict[str, str]) -> list[list[str]]:
    """For each expected snapshot, the paths where ``state`` differs from it."""
    return [sorted(p for p in {*state, *other} if state.get(p) != other.get(p))[:8]
            for other in expected]


def temp_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock")


def build(site: Path, out: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                     "--today", TODAY, *args])


def shown(result: Result) -> str:
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += "".join(traceback.format_exception(*result.exc_info))
    return text


def assert_clean_failure(result: Result, *needles: str) -> None:
    text = shown(result)
    assert "Traceback" not in text, text
    assert result.exit_code == 1, text
    for needle in needles:
        assert needle in text, text


@pytest.fixture
def built(make_site, tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    site = make_site(SMALL)
    out = tmp_path / "public"
    assert build(site, out).exit_code == 0
    # the next build has something new to write, so a half-done swap would show
    (site / "versions/1.0/nl.md").write_text(page("Privacyverklaring", "2018-05-25",
                                                  NL + "\nNieuw.\n"), "utf-8")
    return site, out, snapshot(out)


@pytest.mark.parametrize("jobs", ["1", "2"])     # the staging folder made here, or apart
def test_bad_input_after_a_good_build(built, jobs: str) -> None:
    site, out, before = built
    assert build(site, out).exit_code == 0            # a folder kept aside to recycle
    before = snapshot(out)
    (site / "versions/1.0/en.md").write_text("---\ntittle: x\n---\n", "utf-8")
    assert_clean_failure(build(site, out, "--jobs", jobs),
                         "versions/1.0/en.md:2: error: unknown key `tittle`")
    assert snapshot(out) == before
    assert not any(".new-" in name for name in temp_folders(out))   # no staging folder left


def test_full_disk(built, monkeypatch) -> None:
    site, out, before = built
    real, calls = sitegen.output.write._write_new, []

    def write_new(path, data):                   # every page goes through it
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(path, data)

    monkeypatch.setattr(sitegen.output.write, "_write_new", write_new)
    result = build(site, out)
    assert len(calls) == 3
    assert_clean_failure(result, f"could not write the site to {out}", "No space left on device",
                         "the previous site is untouched")
    assert snapshot(out) == before
    assert temp_folders(out) == [], "a .public.new-* folder was left behind"


def fail_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail


def test_read_only_output_at_the_swap(built, monkeypatch) -> None:
    site, out, before = built
    monkeypatch.setattr(sitegen.output.write, "_exchange", lambda a, b: False)  # no renameat2
    monkeypatch.setattr(os, "rename", fail_with(errno.EROFS))
    assert_clean_failure(build(site, out), "Read-only file system",
                         "the previous site is untouched")
    assert snapshot(out) == before
    assert temp_folders(out) == []


@pytest.mark.parametrize("failing_call", [1, 2])
def test_rename_fails_midway_through_the_swap(built, monkeypatch, failing_call: int) -> None:
    """Without renameat2 the swap is two renames; if the second fails, the first is undone."""
    site, out, before = built
    real, calls = os.rename, []

    def rename(src, dst):
        calls.append((src, dst))
        if len(calls) == failing_call:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        return real(src, dst)

    monkeypatch.setattr(sitegen.output.write, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", rename)
    assert_clean_failure(build(site, out), "Read-only file system")
    assert snapshot(out) == before
    assert temp_folders(out) == []


def test_read_only_parent_folder(built, monkeypatch) -> None:
    """The staging folder beside the output cannot be made (read-only mount)."""
    site, out, before = built
    monkeypatch.setattr(tempfile, "mkdtemp", fail_with(errno.EROFS))
    assert_clean_failure(build(site, out), str(out), "Read-only file system")
    assert snapshot(out) == before


def test_output_path_below_a_file(built, tmp_path: Path) -> None:
    """``--out notes.txt/public``: a user's typo, not a crash."""
    site, _, _ = built
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    result = build(site, tmp_path / "notes.txt" / "public")
    assert_clean_failure(result, "notes.txt")
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine"


@pytest.mark.parametrize("jobs", ["1", "2"])     # refused here, or by the process apart
def test_output_with_a_stray_file_is_refused(built, jobs: str) -> None:
    site, out, before = built
    (out / "nl" / "notes.txt").write_text("mine, not sitegen's", "utf-8")
    assert_clean_failure(build(site, out, "--jobs", jobs), f"refusing to replace {out}",
                         "nl/notes.txt")
    assert (out / "nl" / "notes.txt").read_text("utf-8") == "mine, not sitegen's"
    assert snapshot(out) == {**before, "nl/notes.txt": snapshot(out)["nl/notes.txt"]}
    assert temp_folders(out) == []


# ---------------------------------------------------------------- kill -9 mid-build

def big_site(root: Path, versions: int = 60, marker: str = "") -> Path:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "content/site.yaml").write_text(
        "organisation: Example B.V.\nbase_url: https://privacy.example.org/\n"
        "languages: [nl, en]\ntitle:\n  nl: Privacyverklaring\n  en: Privacy statement\n")
    for number in range(1, versions + 1):
        date = f"{2000 + number // 12}-{number % 12 + 1:02d}-01"
        for lang, text in (("nl", NL), ("en", EN)):
            more = "\n\n".join(f"Alinea {j} van versie {number}{marker}. " * 6 for j in range(8))
            path = root / f"versions/{number}.0/{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page("Privacy", date, text + "\n" + more), "utf-8")
    return root


def start_build(site: Path, out: Path, *args: str) -> subprocess.Popen:
    code = "import sys; from sitegen.cli import main; sys.exit(main())"
    return subprocess.Popen([sys.executable, "-c", code, "build", "--site", str(site), "--out",
                             str(out), "--today", TODAY, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def complete_build(site: Path, out: Path) -> float:
    """Run a whole build as a subprocess; return how long it took."""
    started = time.monotonic()
    process = start_build(site, out)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 0, output
    return time.monotonic() - started


def kill_after(site: Path, out: Path, wait) -> tuple[bool, float]:
    """Start a build, call ``wait(process)``, kill -9 it; (was it still running, when)."""
    started = time.monotonic()
    process = start_build(site, out)
    try:
        wait(process)
        landed = process.poll() is None
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    return landed, time.monotonic() - started


def until_staging_exists(out: Path):
    def wait(process: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and not temp_folders(out):
            time.sleep(0.001)
    return wait


def test_kill_9_mid_build_leaves_the_previous_site(tmp_path: Path) -> None:
    site = big_site(tmp_path / "site")
    template = tmp_path / "template"
    assert complete_build(site, template) > 0
    before = snapshot(template)
    big_site(site, marker=" (gewijzigd)")             # what the killed builds would write
    duration = complete_build(site, tmp_path / "reference")
    after = snapshot(tmp_path / "reference")
    assert after != before

    delays = [0.05, 0.2, 0.5] + [duration * f for f in (0.6, 0.9, 1.2)]
    waits = [(f"{d:.2f}s", lambda p, d=d: time.sleep(d)) for d in delays]
    report = []
    for attempt, (label, wait) in enumerate(waits + [("staging", None)] * 2):
        out = tmp_path / f"out{attempt}"
        shutil.copytree(template, out, symlinks=True)
        landed, when = kill_after(site, out, wait or until_staging_exists(out))
        state = snapshot(out)
        assert state in (before, after), \
            f"kill at {label} left a mixed site in {out}: {differences(state, before, after)}"
        # "new" after a kill that landed is the atomic swap done, its cleanup cut short
        report.append((label, landed, round(when, 2), "old" if state == before else "new",
                       temp_folders(out)))
    print("\nkill -9 report (label, still running, seconds, output, leftovers):")
    for row in report:
        print("  ", row)
    assert any(landed for _, landed, *_ in report), "no kill landed mid-build"
    assert any(row[1] and row[3] == "old" and row[4] for row in report), \
        "no kill landed while the new site was being written"

    last = tmp_path / f"out{len(report) - 1}"
    leftovers = temp_folders(last)
    assert build(site, last).exit_code == 0, "a normal build after the kill failed"
    assert snapshot(last) == after, differences(snapshot(last), after)
    print("leftovers beside the output before/after the next build:", leftovers,
          temp_folders(last))


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(child) for child in text.split()]
    return found


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status                       # a zombie is dead


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_stop_when_a_build_is_killed(tmp_path: Path) -> None:
    """Workers rendering into the staging folder die with their build, so the next
    build can clear that folder (not race them) and succeeds."""
    site = big_site(tmp_path / "site")
    out = tmp_path / "out"
    process = start_build(site, out, "--jobs", "4")         # three workers, each a share
    deadline, workers = time.monotonic() + 60, []
    while process.poll() is None and time.monotonic() < deadline and not workers:
        staging = [tmp_path / name for name in temp_folders(out) if ".new-" in name]
        rendering = staging and sum(1 for _ in staging[0].rglob("*.html")) > 20
        workers = children(process.pid) if rendering else []
        time.sleep(0.002)
    assert workers, "the build rendered in no worker"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)                 # not communicate(): orphans hold its stdout
    time.sleep(0.1)
    survivors = [pid for pid in workers if alive(pid)]
    process.communicate(timeout=60)
    assert not survivors, "workers outlived the killed build"
    assert build(site, out).exit_code == 0
    assert temp_folders(out) in ([], [".out.previous"])
