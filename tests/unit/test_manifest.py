"""What an output folder holds, read again only where a folder changed."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sitegen import manifest
from sitegen.manifest import MANIFEST, Listings, survey


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


def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders count as settled at once (the clock's tick is waited for by hand)."""
    monkeypatch.setattr(manifest, "SETTLED_NS", 0)


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    real = manifest._read_folder
    monkeypatch.setattr(manifest, "_read_folder",
                        lambda path, prefix, odd: read.append(prefix) or real(path, prefix, odd))
    return read


def test_folders_unchanged_since_they_were_listed_are_not_read(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(monkeypatch)
    first = Listings()
    walked = survey(site, first)
    read = reads(monkeypatch)
    again = Listings(first.seen)
    assert survey(site, again) == walked and read == []
    assert again.seen == first.seen


def test_a_file_added_to_a_listed_folder_is_found(site: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    settled(monkeypatch)
    listings = Listings()
    survey(site, listings)
    time.sleep(0.05)                                     # past the clock's tick
    (site / "nl" / "diff" / "3.0...3.1" / "notes.txt").write_text("mine", "utf-8")
    (site / "nl" / "3.1" / "index.html").unlink()
    read = reads(monkeypatch)
    found = survey(site, Listings(listings.seen))
    assert sorted(read) == ["nl/3.1/", "nl/diff/3.0...3.1/"]   # only the folders changed
    assert found.foreign == ["nl/diff/3.0...3.1/notes.txt"] and not found.complete
    assert found == survey(site)


def test_a_folder_changed_just_now_is_not_listed(site: Path) -> None:
    """It could change again within the clock's tick and keep its times."""
    listings = Listings()
    survey(site, listings)
    assert listings.seen == {}


def test_a_folder_holding_a_link_is_read_every_time(site: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    settled(monkeypatch)
    os.symlink(site / "versions.json", site / "nl" / "link.json")
    listings = Listings()
    assert survey(site, listings).foreign == ["nl/link.json"]
    read = reads(monkeypatch)
    assert survey(site, Listings(listings.seen)).foreign == ["nl/link.json"]
    assert read == ["nl/"]


def test_listings_survive_a_save_and_a_damaged_file_is_ignored(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(monkeypatch)
    listings = Listings()
    survey(site, listings)
    listings.save(tmp_path / "cache" / "folders")
    assert Listings.load(tmp_path / "cache" / "folders").known == listings.seen
    (tmp_path / "cache" / "folders").write_bytes(b"\x00broken")
    assert Listings.load(tmp_path / "cache" / "folders").known == {}
