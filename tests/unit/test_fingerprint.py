"""The fingerprint that decides whether anything must be built again."""
from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2
import markdown
import pytest

from sitegen.engine import fingerprint as fp
from sitegen.engine.fingerprint import known_entry
from sitegen.output.files import read_table, write_table


def test_the_rendering_libraries_installed_are_named_with_their_versions() -> None:
    names = [name.lower() for name in fp.libraries()]
    assert f"markdown-{markdown.__version__}.dist-info" in names
    assert f"jinja2-{jinja2.__version__}.dist-info" in names


def test_another_version_of_a_library_gives_another_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages and kept results made with Markdown 3.x are not reused with 4.x."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("languages: [nl]\n", "utf-8")
    before = fp.fingerprint(tmp_path, ["1.0"])
    assert fp.fingerprint(tmp_path, ["1.0"]) == before
    installed = fp.libraries()
    monkeypatch.setattr(fp, "libraries", lambda: [
        "markdown-99.0.dist-info" if name.lower().startswith("markdown-") else name
        for name in installed])
    assert fp.fingerprint(tmp_path, ["1.0"]) != before


# Files unchanged since the last build are not read again ----------------------------

LATER = 2**62          # a clock far ahead: every file on disk looks settled


def site_files(root: Path) -> None:
    versions = root / "versions" / "1.0"
    versions.mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "site.yaml").write_text("languages: [nl]\n", "utf-8")
    (versions / "nl.md").write_text("---\ntitle: T\n---\nTekst.\n", "utf-8")


def fingerprint_with(root: Path, known: fp.Known, now_ns: int = LATER
                     ) -> tuple[str, dict[str, bytes], dict[str, str]]:
    contents: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    found = fp.fingerprints(root, {"": (("1.0",), ("content", "versions"))}, contents,
                            digests, known, now_ns)
    return found[""], contents, digests


def test_a_settled_file_is_not_read_again_and_gives_the_same_fingerprint(tmp_path: Path) -> None:
    site_files(tmp_path)
    statement = str(tmp_path / "versions" / "1.0" / "nl.md")
    cold, contents, digests = fingerprint_with(tmp_path, {}, LATER)
    assert statement in contents                          # read once, to know it
    known: fp.Known = {}
    first, _, _ = fingerprint_with(tmp_path, known)
    again, contents, digests_again = fingerprint_with(tmp_path, known)
    assert cold == first == again and digests_again == digests
    assert statement not in contents                      # known: not read


def test_a_file_rewritten_keeping_its_size_and_time_is_read_again(tmp_path: Path) -> None:
    """Every write sets a file's change time, which no program sets back."""
    site_files(tmp_path)
    statement = tmp_path / "versions" / "1.0" / "nl.md"
    known: fp.Known = {}
    before, _, _ = fingerprint_with(tmp_path, known)
    times = statement.stat()
    time.sleep(0.05)                                      # past the clock's tick
    statement.write_text("---\ntitle: T\n---\nTekst!\n", "utf-8")   # same size
    os.utime(statement, ns=(times.st_atime_ns, times.st_mtime_ns))   # same time
    after, contents, _ = fingerprint_with(tmp_path, known)
    assert after != before and str(statement) in contents
    assert after == fingerprint_with(tmp_path, {})[0]


def test_a_file_changed_just_now_is_always_read(tmp_path: Path) -> None:
    """A second write within the clock's tick could keep every time the same: a
    file changed less than a few seconds ago is read whatever is known of it."""
    site_files(tmp_path)
    statement = tmp_path / "versions" / "1.0" / "nl.md"
    status = statement.stat()
    signature = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
    known: fp.Known = {str(statement): (*signature, b"\0" * 32)}       # a stale digest
    now = max(status.st_ctime_ns, status.st_mtime_ns) + 1               # just after
    found, contents, digests = fingerprint_with(tmp_path, known, now)
    assert str(statement) in contents and digests[str(statement)] != "00" * 32
    assert found == fingerprint_with(tmp_path, {}, now)[0]
    assert str(statement) not in known                    # not kept while it may change


def test_what_is_known_of_a_removed_file_is_forgotten(tmp_path: Path) -> None:
    site_files(tmp_path)
    statement = tmp_path / "versions" / "1.0" / "nl.md"
    known: fp.Known = {}
    fingerprint_with(tmp_path, known)
    assert str(statement) in known
    statement.unlink()
    fingerprint_with(tmp_path, known)
    assert str(statement) not in known


def test_the_known_digests_survive_a_save_and_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    known: fp.Known = {"/a": (1, 2, 3, 4, b"\1" * 32)}
    write_table(tmp_path / "cache" / "files", known)
    assert read_table(tmp_path / "cache" / "files", known_entry) == known
    (tmp_path / "cache" / "files").write_bytes(b"\0garbage")
    assert read_table(tmp_path / "cache" / "files", known_entry) == {}
    write_table(tmp_path / "cache" / "files", {**known, "/b": (1, 2), 3: known["/a"],
                                               "/c": (1, 2, 3, 4, b"short")})
    assert read_table(tmp_path / "cache" / "files", known_entry) == known   # the rest dropped
    assert read_table(tmp_path / "none", known_entry) == {}
