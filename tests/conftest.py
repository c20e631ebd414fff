"""Shared fixtures: the repository's example site and a factory for small sites."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Callable

import pytest

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 28)

SITE_YAML = """\
organisation: Example B.V.
base_url: https://privacy.example.org/
languages: [nl, en]
title:
  nl: Privacyverklaring Example
  en: Example privacy statement
"""


def page(title: str, date: str, body: str, extra: str = "") -> str:
    """A statement file: front matter and a Markdown body."""
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{textwrap.dedent(body).strip()}\n"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write a site from ``{relative path: text}`` into a fresh folder and return it."""

    def make(files: dict[str, str], site_yaml: str = SITE_YAML) -> Path:
        root = tmp_path / "site"
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "content" / "site.yaml").write_text(site_yaml, "utf-8")
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        return root

    return make
