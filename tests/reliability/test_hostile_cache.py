"""A ``.sitegen-cache/`` written to harm never runs code.

What the cache holds is unpickled (memo.pickle, its ``part-*`` files, the records
of its journal), unmarshalled (the tables ``files`` and ``folders``) or run
(compiled templates, Jinja2 bytecode). Each file is believed only if its MAC,
made with a key in the user's cache folder (outside the site), holds. Here a
payload that would create a marker file when loaded is planted in every place
of the cache, in two forms:

- "crc": as the code before the MAC wrote its files: the right code version and
  a valid CRC-32 (what that code read and ran);
- "other-key": as this code writes them, sealed with another user's key (a
  cache restored from another machine's CI cache).

(and, for memo.pickle, "other-code": another code version in its header.)

Then ``sitegen build`` must not run it, nor hand the planted bytes to pickle or
marshal at all; it exits 0, says at most one line about the cache (exactly one
where the file is of this code), gives the bytes a cold build gives, and leaves
a cache the next build reads without a word. Without a key (no folder for it,
one that cannot be made, one inside the site, one open to others) nothing of
the cache is read or written, and the site is built all the same.

The places, as a build of the example site leaves them (``ls -R .sitegen-cache``
after a cold ``--jobs 2`` build and a rebuild): ``files``, ``folders``,
``memo.pickle``, ``memo.pickle.journal``, ``templates/<code>/<key>.cache``; a
cold build on several processes of a large site also leaves
``memo.pickle.part-<token>`` (planted here beside memo.pickle).

XDG_CACHE_HOME points into each test's own folder: the real home is never used.
"""
from __future__ import annotations

import io
import marshal
import os
import pickle
import shlex
import shutil
import stat
import struct
import subprocess
import sys
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from types import CodeType

import jinja2.bccache
import pytest
from click.testing import CliRunner, Result

import sitegen.cli
from sitegen.cli import main
from sitegen.engine import cachefile
from sitegen.engine.compiled import CompiledTemplates
from sitegen.output import files

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-28"
CACHE = ".sitegen-cache"
MAGIC = b"sitegen cache 2\n"
LENGTH = struct.Struct("<Q")
CRC = struct.Struct("<I")
TRACEBACK = "Traceback (most recent call last)"
PLACES = ("memo.pickle", "part", "journal", "files", "folders", "template-pickle",
          "template-code")


class Touch:
    """Unpickled, runs ``touch MARKER`` (as a pickle written to harm would run anything)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {shlex.quote(str(self.marker))}",))


def touching(marker: Path) -> CodeType:
    """Code that, run (as Jinja2 runs a compiled template), creates ``marker``."""
    return compile(f"import os\nos.system({'touch ' + shlex.quote(str(marker))!r})\n",
                   "<hostile>", "exec")


# ------------------------------------------------------------------ the formats before

def old_memo_file(version: str, payload: bytes) -> bytes:
    """A memo file as the code before the MAC wrote one: magic, version, CRC-32 of the rest."""
    head = LENGTH.pack(len(payload)) + payload + LENGTH.pack(0)
    saved = version.encode()
    return MAGIC + LENGTH.pack(len(saved)) + saved + LENGTH.pack(zlib.crc32(head)) + head


def old_record(version: str, payload: bytes) -> bytes:
    """A journal record as the code before the MAC appended one."""
    saved, sealed = version.encode(), CRC.pack(zlib.crc32(payload)) + payload
    return LENGTH.pack(len(saved)) + saved + LENGTH.pack(len(sealed)) + sealed


def old_sealed(payload: bytes) -> bytes:
    """A table or compiled template as the code before the MAC wrote one."""
    return CRC.pack(zlib.crc32(payload)) + payload


# ------------------------------------------------------------------ helpers

def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def ok(result: Result) -> Result:
    assert result.exit_code == 0 and TRACEBACK not in result.output, result.output
    return result


def build(site: Path, out: Path, *extra: str) -> Result:
    return invoke("build", "--site", site, "--today", TODAY, "--drafts", "--out", out, *extra)


def cache_lines(output: str) -> list[str]:
    """The lines a build printed about the cache."""
    return [line for line in output.splitlines() if line.startswith(CACHE)]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_sources(site: Path, to: Path) -> Path:
    for part in ("content", "versions", "theme"):
        if (site / part).is_dir():
            shutil.copytree(site / part, to / part)
    return to


@dataclass(frozen=True)
class Prepared:
    root: Path
    site: Path                # built, and rebuilt with a draft: every place of the cache
    xdg: Path                 # its owner's XDG_CACHE_HOME (its key)
    version: str              # the code's version, as the memo's file names it
    cold: dict[str, bytes]    # what a cold build of its sources gives


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    root = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root / "xdg"))
        site = copy_sources(REPO, root / "site")
        ok(invoke("build", "--site", site, "--today", TODAY, "--jobs", "2"))
        ok(invoke("new", "3.2", "--site", site, "--date", "2026-11-01"))
        draft = site / "versions" / "3.2" / "en.md"
        draft.write_text(draft.read_text("utf-8") + "\nA sentence more.\n", "utf-8")
        ok(invoke("build", "--site", site, "--today", TODAY, "--drafts", "--jobs", "2"))
        cache = site / CACHE
        found = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())
        assert {"files", "folders", "memo.pickle", "memo.pickle.journal"} <= set(found), found
        assert any(name.startswith("templates/") for name in found), found
        memo = (cache / "memo.pickle").read_bytes()
        size = LENGTH.unpack_from(memo, len(MAGIC))[0]
        version = memo[len(MAGIC) + LENGTH.size:len(MAGIC) + LENGTH.size + size].decode()
        patch.setenv("XDG_CACHE_HOME", str(root / "xdg-cold"))
        cold = copy_sources(site, root / "cold")
        ok(build(cold, root / "cold-out"))
        assert not any(cache_lines(build(cold, root / "cold-again").output))
    return Prepared(root, site, root / "xdg", version, tree(root / "cold-out"))


@pytest.fixture
def site(prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the prepared site, its owner's key in this test's XDG_CACHE_HOME."""
    shutil.copytree(prepared.xdg, tmp_path / "xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return shutil.copytree(prepared.site, tmp_path / "site", symlinks=True)


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / f"hostile-cache-ran-{uuid.uuid4().hex}"


def templates(site: Path) -> list[Path]:
    found = sorted((site / CACHE / "templates").glob("*/*.cache"))
    assert found
    return found


def template_payload(legit: bytes, marker: Path, how: str) -> bytes:
    """A compiled template that runs code: in the checksum Jinja2 unpickles on
    loading (``template-pickle``), or as the template's code itself, behind the
    checksum of its source (taken from ``legit``, a file this user's sitegen
    wrote), which Jinja2 runs when it renders (``template-code``)."""
    magic = jinja2.bccache.bc_magic
    if how == "template-pickle":
        return magic + pickle.dumps(Touch(marker))
    body = io.BytesIO(legit[files.TAG:])
    assert body.read(len(magic)) == magic
    checksum = pickle.load(body)                 # this user's own file: safe to read
    return magic + pickle.dumps(checksum, 2) + marshal.dumps(touching(marker))


def plant(site: Path, place: str, variant: str, marker: Path, version: str,
          monkeypatch: pytest.MonkeyPatch, other_xdg: Path) -> None:
    """Put a payload that creates ``marker`` into ``place`` of the site's cache."""
    cache = site / CACHE
    payload = pickle.dumps(Touch(marker))
    code = {"payload": touching(marker)}
    if variant in ("crc", "other-code"):
        written = version if variant == "crc" else "code of another sitegen"
        if place == "memo.pickle":
            (cache / "memo.pickle").write_bytes(old_memo_file(written, payload))
        elif place == "part":
            (cache / "memo.pickle.part-0badc0de").write_bytes(old_memo_file(written, payload))
        elif place == "journal":
            with (cache / "memo.pickle.journal").open("ab") as journal:
                journal.write(old_record(written, payload))
        elif place in ("files", "folders"):
            (cache / place).write_bytes(old_sealed(marshal.dumps(code)))
        else:
            for path in templates(site):
                path.write_bytes(old_sealed(template_payload(path.read_bytes(), marker, place)))
        return
    assert variant == "other-key"               # this code's format, another user's key
    legit = {path.stem: path.read_bytes() for path in templates(site)} \
        if place.startswith("template") else {}
    own = os.environ["XDG_CACHE_HOME"]
    monkeypatch.setenv("XDG_CACHE_HOME", str(other_xdg))
    try:
        if place == "memo.pickle":
            cachefile.write_kept(cache / "memo.pickle", version, Touch(marker))
        elif place == "part":
            cachefile.write_kept(cache / "memo.pickle.part-0badc0de", version, Touch(marker))
        elif place == "journal":
            cachefile.append_record(cache / "memo.pickle.journal", version, Touch(marker))
        elif place in ("files", "folders"):
            files.write_table(cache / place, code)
        else:
            compiled = CompiledTemplates(cache / "templates", version)
            compiled.new = {stem: template_payload(data, marker, place)
                            for stem, data in legit.items()}
            compiled.keep()
    finally:
        monkeypatch.setenv("XDG_CACHE_HOME", own)
    files.refused()                              # what planting it noted is no build's


def spy(monkeypatch: pytest.MonkeyPatch, marker: Path) -> list[str]:
    """Note every call of pickle's and marshal's loaders that is given the planted
    bytes (they name ``marker``): none may be, whether or not they would run code."""
    seen: list[str] = []
    needle = marker.name.encode()

    def watch(name: str, load):
        def watched(data, *args, **kwargs):
            raw = data.getvalue() if hasattr(data, "getvalue") else data
            if isinstance(raw, (bytes, bytearray, memoryview)) and needle in bytes(raw):
                seen.append(name)
            return load(data, *args, **kwargs)
        return watched

    for module, name in ((pickle, "loads"), (pickle, "load"), (marshal, "loads"),
                         (marshal, "load")):
        monkeypatch.setattr(module, name, watch(f"{module.__name__}.{name}",
                                                getattr(module, name)))
    return seen


CASES = [*((place, variant) for place in PLACES for variant in ("crc", "other-key")),
         ("memo.pickle", "other-code"), ("journal", "other-code")]


@pytest.mark.parametrize(("place", "variant"), CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_a_planted_cache_file_is_never_loaded(prepared: Prepared, site: Path, marker: Path,
                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              place: str, variant: str) -> None:
    plant(site, place, variant, marker, prepared.version, monkeypatch, tmp_path / "xdg-other")
    loaded = spy(monkeypatch, marker)
    result = ok(build(site, tmp_path / "out"))
    assert not marker.exists() and loaded == []
    lines = cache_lines(result.output)
    # a file of other code, or a table in the format before (it had no header), is
    # passed over unread as an upgrade leaves it: not a word; any other one word
    quiet = variant == "other-code" or (variant == "crc" and place in ("files", "folders"))
    assert len(lines) == (0 if quiet else 1), result.output
    assert all("could not read" in line for line in lines)
    assert tree(tmp_path / "out") == prepared.cold
    # the refused file was rewritten (or removed): the next build reads the cache in silence
    again = ok(build(site, tmp_path / "out-again"))
    assert cache_lines(again.output) == [] and not marker.exists() and loaded == []
    assert tree(tmp_path / "out-again") == prepared.cold


def plant_everywhere(site: Path, variant: str, marker: Path, prepared: Prepared,
                     monkeypatch: pytest.MonkeyPatch, other_xdg: Path) -> None:
    for place in PLACES:
        if place != "template-code":             # the same files as template-pickle
            plant(site, place, variant, marker, prepared.version, monkeypatch, other_xdg)


@pytest.mark.parametrize("variant", ["crc", "other-key"])
def test_hostile_files_in_every_place_at_once_give_one_warning(
        prepared: Prepared, site: Path, marker: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, variant: str) -> None:
    plant_everywhere(site, variant, marker, prepared, monkeypatch, tmp_path / "xdg-other")
    loaded = spy(monkeypatch, marker)
    result = ok(build(site, tmp_path / "out"))
    assert not marker.exists() and loaded == []
    assert len(cache_lines(result.output)) == 1, result.output
    assert tree(tmp_path / "out") == prepared.cold


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_real_process_does_not_run_a_hostile_cache(prepared: Prepared, site: Path,
                                                     marker: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     jobs: str) -> None:
    """As the console script runs it: every place planted as the code before wrote it."""
    plant_everywhere(site, "crc", marker, prepared, monkeypatch, tmp_path / "xdg-other")
    package_root = str(Path(sitegen.cli.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": package_root, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    done = subprocess.run([sys.executable, "-c", "from sitegen.cli import run; run()",
                           "build", "--site", str(site), "--today", TODAY, "--drafts",
                           "--jobs", jobs, "--out", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0 and TRACEBACK not in output, output
    assert not marker.exists()
    assert len(cache_lines(done.stderr)) == 1, output
    assert tree(tmp_path / "out") == prepared.cold


# ------------------------------------------------------------------ without a key

def no_key(how: str, tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch) -> Path | None:
    """Take the key away: ``how``. Returns a folder that must not come to exist."""
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    if how == "unset":
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.delenv("HOME", raising=False)
        return None
    if how == "uncreatable":                     # below a file: not even root makes it
        (tmp_path / "a-file").write_text("not a folder\n")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file" / "cache"))
        monkeypatch.setenv("HOME", str(tmp_path / "a-file"))
        return None
    if how == "inside-site":
        monkeypatch.setenv("XDG_CACHE_HOME", str(site / ".cache"))
        return site / ".cache"
    assert how == "open-to-others"
    key = Path(os.environ["XDG_CACHE_HOME"]) / "sitegen" / "key"
    key.chmod(0o644)
    return None


KEYLESS = ["unset", "uncreatable", "inside-site", "open-to-others"]


@pytest.mark.parametrize("how", KEYLESS)
def test_without_a_key_the_cache_is_neither_read_nor_written(
        prepared: Prepared, site: Path, marker: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    plant_everywhere(site, "crc", marker, prepared, monkeypatch, tmp_path / "xdg-other")
    before = tree(site / CACHE)
    never = no_key(how, tmp_path, site, monkeypatch)
    loaded = spy(monkeypatch, marker)
    result = ok(build(site, tmp_path / "out"))
    assert not marker.exists() and loaded == []
    lines = cache_lines(result.output)
    assert len(lines) == 1 and "not used" in lines[0], result.output
    assert tree(tmp_path / "out") == prepared.cold
    assert tree(site / CACHE) == before          # nothing written, nothing removed
    assert never is None or not never.exists()


@pytest.mark.parametrize("how", KEYLESS)
def test_without_a_key_a_fresh_site_builds_and_keeps_no_cache(
        prepared: Prepared, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    site = copy_sources(prepared.site, tmp_path / "site")
    if how == "open-to-others":                  # a key there, open to others
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        (tmp_path / "xdg" / "sitegen").mkdir(parents=True, mode=0o700)
        (tmp_path / "xdg" / "sitegen" / "key").write_bytes(os.urandom(32))
    no_key(how, tmp_path, site, monkeypatch)
    for out in ("out", "out-again"):
        result = ok(build(site, tmp_path / out))
        lines = cache_lines(result.output)
        assert len(lines) == 1 and "not used" in lines[0], result.output
        assert tree(tmp_path / out) == prepared.cold
        assert not (site / CACHE).exists()


# ------------------------------------------------------------------ the key

def test_the_key_is_made_private_outside_the_site(prepared: Prepared, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    site = copy_sources(prepared.site, tmp_path / "site")
    ok(build(site, tmp_path / "out"))
    key = tmp_path / "xdg" / "sitegen" / "key"
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert sorted(os.listdir(key.parent)) == ["key"]      # no staged file left
    # HOME is used where XDG_CACHE_HOME is not set
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    ok(build(site, tmp_path / "out-home"))
    assert len((tmp_path / "home" / ".cache" / "sitegen" / "key").read_bytes()) == 32


def test_processes_starting_at_once_agree_on_one_key(tmp_path: Path) -> None:
    """Each makes the key if there is none; all end up with the one made first."""
    package_root = str(Path(sitegen.cli.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": package_root, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    script = ("import sys, time; from pathlib import Path; "
              "from sitegen.output.cachekey import cache_key\n"
              "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
              "print(cache_key(Path(sys.argv[2])).hex())")
    import time
    start = time.time() + 1.5                    # all wait for the same moment
    processes = [subprocess.Popen([sys.executable, "-c", script, str(start),
                                   str(tmp_path / "site" / CACHE / "memo.pickle")],
                                  env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(8)]
    keys = {process.communicate(timeout=60)[0].strip() for process in processes}
    key = tmp_path / "xdg" / "sitegen" / "key"
    assert keys == {key.read_bytes().hex()}
    assert sorted(os.listdir(key.parent)) == ["key"]
