"""What an output folder holds, read again only where a folder changed (and when
the times of files and folders can be trusted)."""
from __future__ import annotations

import os
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from sitegen.output import manifest
from sitegen.output import stamps
from sitegen.output.manifest import MANIFEST, Listings, survey
from sitegen.output.stamps import settled


@pytest.fixture
def site(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    for rel in ("nl/index.html", "nl/3.1/index.html", "nl/diff/3.0...3.1/index.html",
                "versions.json"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("x", "utf-8")
    (out / MANIFEST).write_text("nl/index.html\nnl/3.1/index.html\n"
                                "nl/diff/3.0...3.1/index.html\nversions.json\n", "utf-8")
    return out


LATER = 2**62          # a clock far ahead: every folder on disk has settled


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = manifest._read_folder
    monkeypatch.setattr(manifest, "_read_folder",
                        lambda path, prefix, odd: read.append(prefix) or real(path, prefix, odd))
    return read


def test_folders_unchanged_since_they_were_listed_are_not_read(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Listings(now_ns=LATER)
    walked = survey(site, first)
    read = reads(monkeypatch)
    again = Listings(first.seen, LATER)
    assert survey(site, again) == walked and read == []
    assert again.seen == first.seen


def test_a_file_added_to_a_listed_folder_is_found(site: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    listings = Listings(now_ns=LATER)
    survey(site, listings)
    time.sleep(0.05)                                     # past the clock's tick
    (site / "nl" / "diff" / "3.0...3.1" / "notes.txt").write_text("mine", "utf-8")
    (site / "nl" / "3.1" / "index.html").unlink()
    read = reads(monkeypatch)
    found = survey(site, Listings(listings.seen, LATER))
    assert sorted(read) == ["nl/3.1/", "nl/diff/3.0...3.1/"]   # only the folders changed
    assert found.foreign == ["nl/diff/3.0...3.1/notes.txt"] and not found.complete
    assert found == survey(site)


def test_a_folder_changed_just_now_is_not_listed(site: Path) -> None:
    """It could change again within the clock's tick and keep its times."""
    just_after = max(os.stat(folder).st_ctime_ns for folder in (site, site / "nl")) + 1
    listings = Listings(now_ns=just_after)
    survey(site, listings)
    assert os.stat(site).st_ino not in listings.seen
    assert os.stat(site / "nl").st_ino not in listings.seen


def test_a_folder_holding_a_link_is_read_every_time(site: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    os.symlink(site / "versions.json", site / "nl" / "link.json")
    listings = Listings(now_ns=LATER)
    assert survey(site, listings).foreign == ["nl/link.json"]
    read = reads(monkeypatch)
    assert survey(site, Listings(listings.seen, LATER)).foreign == ["nl/link.json"]
    assert read == ["nl/"]


def test_listings_survive_a_save_and_a_damaged_file_is_ignored(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listings = Listings(now_ns=LATER)
    survey(site, listings)
    listings.save(tmp_path / "cache" / "folders")
    assert Listings.load(tmp_path / "cache" / "folders").known == listings.seen
    (tmp_path / "cache" / "folders").write_bytes(b"\x00broken")
    assert Listings.load(tmp_path / "cache" / "folders").known == {}


def test_times_are_trusted_once_the_clock_that_stamped_them_moved_on() -> None:
    """Nanosecond stamps settle after a tick of the kernel's clock; stamps in whole
    seconds (FAT) only after seconds."""
    fine = SimpleNamespace(st_ctime_ns=10**18 + 123_456_789, st_mtime_ns=10**18 + 1)
    coarse = SimpleNamespace(st_ctime_ns=10**18, st_mtime_ns=10**18 - 10**9)
    assert not settled(fine, fine.st_ctime_ns + 1_000_000)          # 1 ms later
    assert settled(fine, fine.st_ctime_ns + stamps.TICK_NS + 1)
    assert not settled(coarse, coarse.st_ctime_ns + 2 * 10**9)      # 2 s later
    assert settled(coarse, coarse.st_ctime_ns + stamps.WHOLE_SECONDS_NS + 1)
