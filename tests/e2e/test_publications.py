"""What machines read: the Atom feeds, versions.json, the sitemap, robots.txt, 404."""
from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.e2e.helpers import BASE_URL, FULL_SITE, MISSING_SITE, build

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def full(make_site, tmp_path: Path) -> Path:
    out = tmp_path / "public"
    build(make_site(FULL_SITE), out)
    return out


def test_feed_is_atom_with_an_entry_per_published_version(full: Path) -> None:
    feed = ET.parse(full / "en" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE_URL}en/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids)) == 3                    # 1.0, 2.0 and the upcoming 3.0
    assert ids[0] == f"{BASE_URL}en/3.0/"                    # newest first
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated").endswith("T00:00:00Z")
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    second = next(e for e in entries if e.findtext(f"{ATOM}id") == f"{BASE_URL}en/2.0/")
    assert second.find(f"{ATOM}link[@rel='related']").get("href") == f"{BASE_URL}en/diff/1.0-2.0/"
    assert "What changed in your rights" in second.findtext(f"{ATOM}summary")
    # each entry says when its version is, was or will be in force
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert "comes into force on" in titles[0] and "effective" in titles[1]
    assert "in force from May 25, 2018 to January 1, 2020" in titles[2]


def test_pages_announce_their_feed(full: Path) -> None:
    page = (full / "nl" / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml" href="feed.xml"' in page


def test_versions_json_lists_versions_and_hashes_their_sources(full: Path) -> None:
    data = json.loads((full / "versions.json").read_text("utf-8"))
    assert data["current"] == "2.0" and data["upcoming"] == ["3.0"]
    assert [v["id"] for v in data["versions"]] == ["1.0", "2.0", "3.0"]
    for version in data["versions"]:
        for lang, entry in version["languages"].items():
            source = full / entry["source"][len(BASE_URL):]
            assert hashlib.sha256(source.read_bytes()).hexdigest() == entry["sha256"]
            assert entry["url"] == f"{BASE_URL}{lang}/{version['id']}/"
        for diff in version["diffs"]:
            assert (full / diff["url"][len(BASE_URL):] / "index.html").is_file()


def test_versions_json_is_json_as_the_standard_library_indents_it(full: Path) -> None:
    """Each version's entry is encoded apart (and kept between builds); the file
    must be exactly what one ``json.dumps`` of the whole would write."""
    text = (full / "versions.json").read_text("utf-8")
    whole = json.dumps(json.loads(text), ensure_ascii=False, indent=2).replace("<", "\\u003c")
    assert text == whole + "\n"


def test_sitemap_alternates_only_languages_that_exist(make_site, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(make_site(MISSING_SITE), out)
    urlset = ET.parse(out / "sitemap.xml").getroot()
    by_loc = {u.findtext(f"{SITEMAP}loc"): u for u in urlset.findall(f"{SITEMAP}url")}
    for loc, url in by_loc.items():
        path = out / loc[len(BASE_URL):] / "index.html"
        assert path.is_file(), loc
        for link in url.findall(f"{XHTML}link"):
            target = out / link.get("href")[len(BASE_URL):] / "index.html"
            assert target.is_file() and 'name="robots" content="noindex"' not in \
                target.read_text("utf-8"), link.get("href")


def test_robots_and_404(full: Path) -> None:
    assert (full / "robots.txt").read_text() == \
        f"User-agent: *\nAllow: /\nSitemap: {BASE_URL}sitemap.xml\n"
    page = (full / "404.html").read_text("utf-8")
    assert 'lang="nl"' in page and 'lang="en"' in page
    assert 'href="/nl/index.html"' in page and 'href="/en/index.html"' in page


def test_versions_json_hashes_the_published_text_also_of_a_file_saved_with_crlf_and_bom(
        make_site, tmp_path: Path) -> None:
    site = make_site(FULL_SITE)
    saved = site / "versions" / "2.0" / "en.md"
    text = saved.read_text("utf-8")
    saved.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "public"
    build(site, out)
    data = json.loads((out / "versions.json").read_text("utf-8"))
    for version in data["versions"]:
        for lang, entry in version["languages"].items():
            published = (out / lang / version["id"] / "source.md").read_bytes()
            assert hashlib.sha256(published).hexdigest() == entry["sha256"]
            assert b"\r" not in published and not published.startswith(b"\xef\xbb\xbf")
    second = next(v for v in data["versions"] if v["id"] == "2.0")
    assert second["languages"]["en"]["sha256"] == hashlib.sha256(text.encode()).hexdigest()
