"""Acceptance: a long history whose headings were reworded, merged and deleted
by the hundred builds with nothing declared, and every id of every published
version lands on the current page: on its section, or on a tombstone."""
from __future__ import annotations

import random
import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from sitegen.markdown.anchors import slugify
from tests.conftest import page

SITE_YAML = """\
organisation: Example Ltd
base_url: https://privacy.example.org/
languages: [en]
title: Example privacy statement
"""
VERSIONS = 25
WORDS = ("data retention purpose consent controller processor transfer cookie analytics "
         "newsletter account invoice payment security breach officer request erasure access "
         "portability objection complaint authority profile marketing supplier contract "
         "backup server log camera visitor applicant employee customer partner").split()


class History:
    """A statement's sections through versions, and where each id should land."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.count = 0
        self.sections = [self.new_section() for _ in range(30)]     # [title, body]
        self.fate: dict[str, str] = {}        # every id ever published -> its heading id now
        self.merged: set[str] = set()         # ids whose text went into another section

    def new_section(self) -> list[str]:
        self.count += 1
        title = f"{self.rng.choice(WORDS).title()} {self.rng.choice(WORDS)} {self.count}"
        body = " ".join(self.rng.choice(WORDS) for _ in range(40)) + f" ({self.count})."
        return [title, body]

    def text(self) -> str:
        return "\n\n".join(f"## {title}\n\n{body}" for title, body in self.sections) + "\n"

    def publish(self) -> None:
        """The current sections' ids land on themselves; earlier ids follow them."""
        for title, _ in self.sections:
            self.fate[slugify(title)] = slugify(title)

    def reword(self, index: int) -> None:
        title, body = self.sections[index]
        old = slugify(title)
        new_title = f"{title.rsplit(' ', 1)[0]} and {self.rng.choice(WORDS)} {self.count + 1}"
        self.count += 1
        words = body.split(" ")
        words[self.rng.randrange(len(words) - 1)] = self.rng.choice(WORDS)   # a small edit too
        self.sections[index] = [new_title, " ".join(words)]
        self.follow(old, slugify(new_title))

    def merge(self, index: int) -> None:
        """A section takes in the next one's text; the next one's id is gone."""
        (title, body), (gone, gone_body) = self.sections[index], self.sections[index + 1]
        self.sections[index] = [title, body + " " + gone_body]
        del self.sections[index + 1]
        self.merged.update(a for a, target in self.fate.items() if target == slugify(gone))
        self.follow(slugify(gone), slugify(title))

    def delete(self, index: int) -> None:
        del self.sections[index]

    def follow(self, old: str, new: str) -> None:
        for anchor, target in self.fate.items():
            if target == old:
                self.fate[anchor] = new

    def step(self) -> None:
        for _ in range(12):
            self.reword(self.rng.randrange(len(self.sections)))
        self.merge(self.rng.randrange(len(self.sections) - 1))
        self.delete(self.rng.randrange(len(self.sections)))
        for _ in range(2):
            self.sections.insert(self.rng.randrange(len(self.sections)), self.new_section())


def sections(html: str) -> dict[str, str]:
    """The statement's headings (those with a self-link), by id: their inner HTML."""
    return {anchor: inner for anchor, inner in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html)
            if 'class="self-link"' in inner}


def test_hundreds_of_rewordings_merges_and_deletions_with_nothing_declared(
        make_site, tmp_path: Path) -> None:
    history, files, published = History(7), {}, []
    for n in range(1, VERSIONS + 1):
        if n > 1:
            history.step()
        files[f"versions/{n}.0/en.md"] = page("Privacy statement", f"{2000 + n}-01-01",
                                              history.text())
        history.publish()
        published.append(f"{n}.0")
    site = make_site(files, SITE_YAML)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--site", str(site), "--out", str(out),
                                       "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    current = (out / "en" / "index.html").read_text("utf-8")
    headings = sections(current)
    aliases = {alias: heading for heading, inner in headings.items()
               for alias in re.findall(r'class="alias" id="([^"]+)"', inner)}
    stones = set(re.findall(r'<section class="tombstone" id="([^"]+)"', current))
    rewordings = sum(1 for anchor, target in history.fate.items() if anchor != target)
    assert rewordings >= 250 and len(stones) >= 40
    walked = 0
    for version in published:                # every id of every published version...
        earlier = (out / "en" / version / "index.html").read_text("utf-8")
        for anchor in sections(earlier):
            walked += 1
            target = history.fate[anchor]          # ...lands where its section went
            if anchor in history.merged and anchor in stones:
                continue                           # or, merged away, on a tombstone
            if target in headings:
                assert anchor == target or aliases.get(anchor) == target, (version, anchor)
            else:
                assert anchor in stones, (version, anchor)
    assert walked >= VERSIONS * 30
