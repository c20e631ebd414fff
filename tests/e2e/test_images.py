"""Images from content/assets/: published once, at one address from every page."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from sitegen.cli import main
from tests.conftest import page

SITE_YAML = """\
organisation: Example Ltd
base_url: https://example.org/privacy/
languages: [en]
title: Example privacy statement
"""
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))   # the bytes are published as they are
BODY = """
## Cookies

This is the banner you see on your first visit:

![The cookie banner, with the buttons Accept and Refuse](assets/cookie%20banner.png)
"""


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--today", "2026-11-28"])
    return result.exit_code, result.output


def site_with(make_site, body: str, files: dict | None = None) -> Path:
    site = make_site({"versions/1.0/en.md": page("Privacy statement", "2020-01-01", body),
                      "versions/2.0/en.md": page("Privacy statement", "2021-01-01", body)},
                     SITE_YAML)
    for name, data in (files if files is not None else {"cookie banner.png": PNG}).items():
        (site / "content" / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / "assets" / name).write_bytes(data)
    return site


def test_an_image_has_one_address_from_every_page(make_site, tmp_path: Path) -> None:
    site = site_with(make_site, BODY)
    out = tmp_path / "out"
    code, output = run("build", "--site", str(site), "--out", str(out))
    assert code == 0 and "warning" not in output, output
    assert (out / "media" / "cookie banner.png").read_bytes() == PNG
    for path in ("en/index.html", "en/1.0/index.html", "en/2.0/index.html"):
        html = (out / path).read_text("utf-8")
        srcs = re.findall(r'<img alt="([^"]*)" src="([^"]*)"', html)
        assert srcs == [("The cookie banner, with the buttons Accept and Refuse",
                         "/privacy/media/cookie%20banner.png")], path


def test_a_missing_image_is_an_error_at_its_line(make_site) -> None:
    site = site_with(make_site, BODY, {"cookie-banner.png": PNG})
    code, output = run("check", "--site", str(site))
    assert code == 1
    assert ("versions/1.0/en.md:10: error: the image `assets/cookie%20banner.png` leads "
            "to no file: did you mean assets/cookie-banner.png?") in output


def test_an_image_must_say_what_it_shows(make_site) -> None:
    site = site_with(make_site, BODY.replace("The cookie banner, with the buttons Accept "
                                             "and Refuse", ""))
    code, output = run("check", "--site", str(site))
    assert code == 1 and "versions/2.0/en.md:10: error: the image" in output
    assert "has no text: say what it shows" in output


def test_images_elsewhere_are_refused_or_warned(make_site) -> None:
    site = site_with(make_site, "## Logo\n\n![Logo](../logo.png)\n\n"
                     "![Map](https://maps.example.com/tile.png)\n")
    code, output = run("check", "--site", str(site))
    assert code == 1
    assert "en.md:8: error: the image `../logo.png` is relative, and so leads elsewhere from each page: put the file in content/assets/" in output
    assert ("en.md:10: warning: the image `https://maps.example.com/tile.png` is on another "
            "site, which then sees every reader") in output


def test_a_link_to_a_file_in_assets_has_its_address_and_other_relative_links_are_errors(
        make_site, tmp_path: Path) -> None:
    body = ("## Forms\n\nUse [the request form](assets/forms/request.pdf) or "
            "[our terms](terms.html).\n")
    site = site_with(make_site, body, {"forms/request.pdf": b"%PDF-1.4"})
    code, output = run("check", "--site", str(site))
    assert code == 1
    assert ("en.md:8: error: the link `terms.html` is relative, and so leads elsewhere "
            "from each page: write a whole address") in output
    assert "request.pdf" not in output
    fixed = site_with(make_site, body.replace("terms.html", "https://example.org/terms"),
                      {"forms/request.pdf": b"%PDF-1.4"})
    code, output = run("build", "--site", str(fixed), "--out", str(tmp_path / "out"))
    assert code == 0, output
    html = (tmp_path / "out" / "en" / "1.0" / "index.html").read_text("utf-8")
    assert '<a href="/privacy/media/forms/request.pdf">the request form</a>' in html
    assert (tmp_path / "out" / "media" / "forms" / "request.pdf").read_bytes() == b"%PDF-1.4"
