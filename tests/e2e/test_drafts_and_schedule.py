"""Drafts (``draft: true``) and scheduled versions (a date still to come), through the
CLI: what a plain build publishes, what ``--drafts`` adds, and how ``--today`` moves
a scheduled version from "upcoming" to "current"."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from tests.conftest import SITE_YAML as BASE_SITE_YAML
from tests.conftest import page
from tests.e2e.helpers import SHORT_EN, SHORT_NL

TODAY = "2026-11-28"
SITE_YAML = BASE_SITE_YAML + "locales:\n  en: en_GB\n"

EN_1, NL_1 = SHORT_EN, SHORT_NL
EN_2 = EN_1.replace("You may see your data.", "You may see and copy your data.")
NL_2 = NL_1.replace("U mag uw gegevens inzien.", "U mag uw gegevens inzien en kopiëren.")
EN_DRAFT = EN_2.replace("We are Example B.V.", "We are Example B.V. Secret draft wording.")
NL_DRAFT = NL_2.replace("Wij zijn Example B.V.", "Wij zijn Example B.V. Geheime conceptzin.")
EN_NEXT = EN_2.replace("You may see and copy your data.", "You may see, copy and move your data.")
NL_NEXT = NL_2.replace("inzien en kopiëren.", "inzien, kopiëren en meenemen.")

PUBLISHED = {
    "versions/1.0/nl.md": page("Privacyverklaring", "2018-05-25", NL_1, "summary: Eerste.\n"),
    "versions/1.0/en.md": page("Privacy statement", "2018-05-25", EN_1, "summary: First.\n"),
    "versions/2.0/nl.md": page("Privacyverklaring", "2020-01-01", NL_2, "summary: Tweede.\n"),
    "versions/2.0/en.md": page("Privacy statement", "2020-01-01", EN_2, "summary: Second.\n"),
}
# 2.1 is a draft whose date has already come: it must still not be published.
DRAFT = {
    **PUBLISHED,
    "versions/2.1/nl.md": page("Privacyverklaring", "2026-06-01", NL_DRAFT,
                               "summary: Conceptsamenvatting.\ndraft: true\n"),
    "versions/2.1/en.md": page("Privacy statement", "2026-06-01", EN_DRAFT,
                               "summary: Draft summary.\ndraft: true\n"),
}
# 3.0 takes effect on 1 January 2030.
SCHEDULED = {
    **PUBLISHED,
    "versions/3.0/nl.md": page("Privacyverklaring", "2030-01-01", NL_NEXT, "summary: Derde.\n"),
    "versions/3.0/en.md": page("Privacy statement", "2030-01-01", EN_NEXT, "summary: Third.\n"),
}
DRAFT_SECRETS = ("Secret draft wording", "Geheime conceptzin", "Draft summary",
                 "Conceptsamenvatting")


def sitegen(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def build(site: Path, out: Path, *args: str, today: str = TODAY) -> Path:
    result = sitegen("build", "--site", site, "--out", out, "--today", today, *args)
    assert result.exit_code == 0, result.output
    return out


class Html(HTMLParser):
    """Links (href, text), the text of elements by class, and the whole text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.by_class: dict[str, list[str]] = {}
        self.text_parts: list[str] = []
        self._open: list[tuple[str, list[str], list[str]]] = []   # tag, classes, text
        self._href: list[tuple[str, list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("br", "meta", "link", "img", "hr", "input"):
            return
        self._open.append((tag, a.get("class", "").split(), []))
        if tag == "a":
            self._href.append((a.get("href", ""), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            href, text = self._href.pop()
            self.links.append((href, " ".join("".join(text).split())))
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                for _, classes, text in self._open[index:]:
                    for cls in classes:
                        self.by_class.setdefault(cls, []).append(" ".join("".join(text).split()))
                del self._open[index:]
                break

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        for _, _, text in self._open:
            text.append(data)
        for _, text in self._href:
            text.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.text_parts).split())

    def hrefs(self, text: str) -> list[str]:
        return [href for href, label in self.links if text in label]


def parse(path: Path) -> Html:
    assert path.is_file(), f"{path} was not built"
    return Html(path.read_text("utf-8"))


def history_row(out: Path, lang: str, version: str) -> str:
    """The ``<tr>`` of ``version`` in the history page, as HTML."""
    html = (out / lang / "versions" / "index.html").read_text("utf-8")
    rows = re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", html, re.S)
    found = [row for row in rows if re.search(rf">{re.escape(version)}</a>", row)]
    assert len(found) == 1, f"{version}: {len(found)} rows in /{lang}/versions/"
    return found[0]


def follow(out: Path, page_file: Path, href: str) -> Path:
    target = (page_file.parent / href.split("#")[0]).resolve()
    assert target.is_file(), f"{href} from {page_file} leads nowhere"
    assert out.resolve() in target.parents
    return target


# --------------------------------------------------------------------------- drafts

@pytest.fixture
def draft_site(make_site) -> Path:
    return make_site(DRAFT, SITE_YAML)


def test_plain_build_leaves_the_draft_out(draft_site: Path, tmp_path: Path) -> None:
    out = build(draft_site, tmp_path / "public")
    for lang in ("nl", "en"):
        assert not (out / lang / "2.1").exists(), f"/{lang}/2.1/ was built"
        assert (out / lang / "2.0" / "index.html").is_file()
        assert not any("2.1" in p.name for p in (out / lang / "diff").iterdir()), \
            "a diff page against the draft was built"
        history = parse(out / lang / "versions" / "index.html")
        assert not any(re.search(r"(^|/)2\.1/", href) for href, _ in history.links)
        assert ">2.1<" not in (out / lang / "versions" / "index.html").read_text("utf-8")
    current = parse(out / "en" / "index.html")
    assert "Version 2.0, effective 1 January 2020" in current.text
    assert "You may see and copy your data." in current.text
    assert "notice-draft" not in current.by_class
    entry = parse(out / "index.html")
    assert "U mag uw gegevens inzien en kopiëren." in entry.text
    assert "notice-draft" not in entry.by_class


def test_plain_build_never_leaks_the_draft(draft_site: Path, tmp_path: Path) -> None:
    """Not in any page, feed, sitemap, JSON or source file of the published site."""
    out = build(draft_site, tmp_path / "public")
    for file in sorted(out.rglob("*")):
        if not file.is_file():
            continue
        data = file.read_bytes().decode("utf-8", "replace")
        rel = file.relative_to(out).as_posix()
        for secret in DRAFT_SECRETS:
            assert secret not in data, f"{rel} holds draft text {secret!r}"
        assert not re.search(r"/2\.1/|\b2\.0-2\.1\b|\"2\.1\"", data), f"{rel} mentions draft 2.1"


def test_build_with_drafts_shows_the_draft_with_a_banner_and_a_diff(draft_site: Path,
                                                                    tmp_path: Path) -> None:
    out = build(draft_site, tmp_path / "public", "--drafts")
    for lang in ("nl", "en"):
        assert (out / lang / "2.1" / "index.html").is_file()
    file = out / "en" / "2.1" / "index.html"
    draft = parse(file)
    assert "Secret draft wording" in draft.text
    banners = draft.by_class.get("notice-draft", [])
    assert len(banners) == 1 and banners[0].startswith("DRAFT"), banners
    links = draft.hrefs("What changed from version 2.0 to 2.1")
    assert links, draft.links
    diff = parse(follow(out, file, links[0]))
    assert follow(out, file, links[0]) == (out / "en" / "diff" / "2.0-2.1" / "index.html").resolve()
    assert "Secret draft wording" in diff.text
    # the draft's date has come, but a draft is never the current version
    current = parse(out / "en" / "index.html")
    assert "Version 2.0, effective 1 January 2020" in current.text
    assert "Secret draft wording" not in current.text
    assert "notice-draft" not in current.by_class
    assert "notice-upcoming" not in current.by_class, "a draft is announced as upcoming"
    # the history lists it, marked as a draft
    assert "badge-draft" in history_row(out, "en", "2.1")
    assert "badge-current" in history_row(out, "en", "2.0")
    # the Dutch draft has its banner in Dutch, not the English one
    nl = parse(out / "nl" / "2.1" / "index.html")
    assert len(nl.by_class.get("notice-draft", [])) == 1
    assert "this version has not been published" not in nl.text


def test_diff_command_compares_the_draft_with_the_current_version(draft_site: Path) -> None:
    result = sitegen("diff", "2.0", "2.1", "--site", draft_site, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Secret draft wording" in result.output
    result = sitegen("diff", "2.0", "2.1", "--site", draft_site, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "Geheime conceptzin" in result.output                 # default language: nl
    assert "2.0" in result.output and "2.1" in result.output
    result = sitegen("diff", "2.0", "2.1", "--site", draft_site, "--lang", "en", "--format",
                     "html")
    assert result.exit_code == 0, result.output
    assert "<ins" in result.output and "Secret draft wording" in result.output


def test_drafts_go_to_their_own_folder_never_into_public(draft_site: Path) -> None:
    """`build --drafts` without --out writes public-drafts/; public/ stays production."""
    assert sitegen("build", "--site", draft_site, "--today", TODAY).exit_code == 0
    production = {p.relative_to(draft_site / "public"): p.read_bytes()
                  for p in (draft_site / "public").rglob("*") if p.is_file()}
    result = sitegen("build", "--site", draft_site, "--drafts", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "public-drafts" in result.output
    assert (draft_site / "public-drafts" / "en" / "2.1" / "index.html").is_file()
    assert production == {p.relative_to(draft_site / "public"): p.read_bytes()
                          for p in (draft_site / "public").rglob("*") if p.is_file()}
    refused = sitegen("build", "--site", draft_site, "--drafts", "--out",
                      draft_site / "public", "--today", TODAY)
    assert refused.exit_code == 1, refused.output
    assert refused.output.startswith("--out: error: public/ is the production folder")
    assert "1 error: the site was not built" in refused.output


def test_draft_pages_are_noindex_and_outside_the_sitemap(draft_site: Path,
                                                         tmp_path: Path) -> None:
    out = build(draft_site, tmp_path / "preview", "--drafts")
    noindex = '<meta name="robots" content="noindex">'
    for lang in ("nl", "en"):
        for page_file in (out / lang / "2.1" / "index.html",
                          out / lang / "diff" / "2.0-2.1" / "index.html"):
            assert noindex in page_file.read_text("utf-8"), page_file
        for page_file in (out / lang / "index.html", out / lang / "2.0" / "index.html"):
            assert noindex not in page_file.read_text("utf-8"), page_file
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    assert "/2.0/" in sitemap and "/2.1/" not in sitemap and "2.0-2.1" not in sitemap
    production = build(draft_site, tmp_path / "public")
    assert [p.name for p in production.rglob("*.html")
            if noindex in p.read_text("utf-8")] == ["404.html"]


def test_diff_named_newer_first_compares_older_to_newer(draft_site: Path) -> None:
    forward = sitegen("diff", "2.0", "2.1", "--site", draft_site, "--lang", "en")
    backward = CliRunner().invoke(
        main, ["diff", "2.1", "2.0", "--site", str(draft_site), "--lang", "en"])
    assert backward.exit_code == 0, backward.output
    assert backward.stdout == forward.stdout
    assert "note: 2.0 is the older version: showing what changed from 2.0 to 2.1" \
        in backward.stderr


def test_diff_shows_a_draft_with_check_errors_and_warns_first(draft_site: Path) -> None:
    """An editor compares the draft while fixing it: the rename it did not
    declare (on a site whose anchors are strict) is a warning of `diff` (and an
    error of `check`), the redline is shown."""
    path = draft_site / "versions" / "2.1" / "en.md"
    text = path.read_text("utf-8")
    heading = re.search(r"^## .*$", text, re.MULTILINE).group(0)
    path.write_text(text.replace(heading, "## A heading never seen before"), "utf-8")
    with (draft_site / "content" / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("anchors: strict\n")
    assert sitegen("check", "--site", draft_site, "--today", TODAY).exit_code == 1
    result = CliRunner().invoke(
        main, ["diff", "2.0", "2.1", "--site", str(draft_site), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "versions/2.1/en.md" in result.stderr and ": warning: #" in result.stderr
    assert "A heading never seen before" in result.stdout


def test_diff_command_refuses_an_unknown_version(draft_site: Path) -> None:
    result = sitegen("diff", "2.0", "9.9", "--site", draft_site)
    assert result.exit_code == 1, result.output
    assert "9.9" in result.output and "Traceback" not in result.output


def test_check_reports_a_broken_draft(draft_site: Path) -> None:
    """Drafts are checked too: an editor learns about a problem before publishing."""
    path = draft_site / "versions" / "2.1" / "en.md"
    path.write_text(path.read_text("utf-8").replace("date: 2026-06-01", "date: 2026-06-31"),
                    "utf-8")
    result = sitegen("check", "--site", draft_site, "--today", TODAY)
    assert result.exit_code == 1, result.output
    assert "versions/2.1/en.md:3" in result.output


def test_publishing_a_draft_by_removing_the_flag(draft_site: Path, tmp_path: Path) -> None:
    for lang in ("nl", "en"):
        path = draft_site / "versions" / "2.1" / f"{lang}.md"
        path.write_text(path.read_text("utf-8").replace("draft: true\n", ""), "utf-8")
    out = build(draft_site, tmp_path / "public")
    current = parse(out / "en" / "index.html")
    assert "Version 2.1, effective 1 June 2026" in current.text
    assert "Secret draft wording" in current.text
    assert "notice-draft" not in current.by_class
    assert "notice-old" in parse(out / "en" / "2.0" / "index.html").by_class


# --------------------------------------------------------------------------- scheduled

@pytest.fixture
def scheduled_site(make_site) -> Path:
    return make_site(SCHEDULED, SITE_YAML)


def test_scheduled_version_is_published_as_upcoming(scheduled_site: Path,
                                                    tmp_path: Path) -> None:
    out = build(scheduled_site, tmp_path / "public")
    # its own page: takes effect on its date, until then 2.0 applies
    own_file = out / "en" / "3.0" / "index.html"
    own = parse(own_file)
    notices = own.by_class.get("notice-upcoming", [])
    assert any("This version takes effect on 1 January 2030" in n and "version 2.0 applies" in n
               for n in notices), notices
    assert "notice-old" not in own.by_class and "notice-draft" not in own.by_class
    assert own.hrefs("Read the current version (2.0)")
    # the current page is still 2.0 and announces 3.0 with a link to the redline 2.0 -> 3.0
    for current_file in (out / "en" / "index.html", out / "en" / "2.0" / "index.html"):
        current = parse(current_file)
        assert "Version 2.0, effective 1 January 2020" in current.text
        assert "You may see and copy your data." in current.text
        assert "move your data" not in current.text
        notices = current.by_class.get("notice-upcoming", [])
        assert any("A new version (3.0) takes effect on 1 January 2030" in n for n in notices), \
            (current_file, notices)
        links = current.hrefs("See what changes")
        assert len(links) == 1, current.links
        target = follow(out, current_file, links[0])
        assert target == (out / "en" / "diff" / "2.0-3.0" / "index.html").resolve()
        assert "move" in parse(target).text and "copy" in parse(target).text
    # the entry page (default language) announces it too
    entry = parse(out / "index.html")
    assert any("3.0" in n and "2030" in n for n in entry.by_class.get("notice-upcoming", []))
    # an old version does not announce it (it points at the current one instead)
    assert "notice-old" in parse(out / "en" / "1.0" / "index.html").by_class
    # the history marks it upcoming, and 2.0 current
    row = history_row(out, "en", "3.0")
    assert 'class="is-upcoming"' in row and "badge-upcoming" in row, row
    assert "badge-current" not in row
    assert "badge-current" in history_row(out, "en", "2.0")
    assert "badge-upcoming" not in history_row(out, "en", "2.0")


def test_scheduled_version_in_dutch(scheduled_site: Path, tmp_path: Path) -> None:
    out = build(scheduled_site, tmp_path / "public")
    own = parse(out / "nl" / "3.0" / "index.html")
    assert any("1 januari 2030" in n for n in own.by_class.get("notice-upcoming", [])), \
        own.by_class.get("notice-upcoming")
    current = parse(out / "nl" / "index.html")
    assert any("3.0" in n and "1 januari 2030" in n
               for n in current.by_class.get("notice-upcoming", []))


@pytest.mark.parametrize("today", ["2030-01-01", "2030-01-02", "2031-06-15"])
def test_scheduled_version_becomes_current_on_its_date(scheduled_site: Path, tmp_path: Path,
                                                       today: str) -> None:
    out = build(scheduled_site, tmp_path / "public", today=today)
    current_file = out / "en" / "index.html"
    current = parse(current_file)
    assert "Version 3.0, effective 1 January 2030" in current.text
    assert "move your data" in current.text
    assert "notice-upcoming" not in current.by_class
    assert "notice-old" not in current.by_class
    old_file = out / "en" / "2.0" / "index.html"
    old = parse(old_file)
    notices = old.by_class.get("notice-old", [])
    assert any("This is version 2.0, which is no longer in force." in n for n in notices), notices
    link = old.hrefs("Read the current version (3.0)")
    assert link and follow(out, old_file, link[0]) == current_file.resolve()
    assert "notice-upcoming" not in old.by_class
    own = parse(out / "en" / "3.0" / "index.html")
    assert "notice-upcoming" not in own.by_class and "notice-old" not in own.by_class
    assert "badge-current" in history_row(out, "en", "3.0")
    assert "badge-upcoming" not in (out / "en" / "versions" / "index.html").read_text("utf-8")
    assert "meenemen" in parse(out / "index.html").text


def test_the_day_before_it_is_still_upcoming(scheduled_site: Path, tmp_path: Path) -> None:
    out = build(scheduled_site, tmp_path / "public", today="2029-12-31")
    current = parse(out / "en" / "index.html")
    assert "Version 2.0, effective 1 January 2020" in current.text
    assert any("3.0" in n for n in current.by_class.get("notice-upcoming", []))
    assert "badge-upcoming" in history_row(out, "en", "3.0")


def test_a_draft_between_current_and_scheduled_is_not_announced(make_site,
                                                                tmp_path: Path) -> None:
    files = {**SCHEDULED,
             "versions/2.5/nl.md": DRAFT["versions/2.1/nl.md"].replace("2026-06-01", "2027-01-01"),
             "versions/2.5/en.md": DRAFT["versions/2.1/en.md"].replace("2026-06-01", "2027-01-01")}
    site = make_site(files, SITE_YAML)
    for args in ((), ("--drafts",)):
        out = build(site, tmp_path / ("public" + "".join(args)), *args)
        current = parse(out / "en" / "index.html")
        notices = current.by_class.get("notice-upcoming", [])
        assert len(notices) == 1 and "(3.0)" in notices[0], (args, notices)
        assert "2.5" not in notices[0]
    # with --drafts the draft is there, as a draft and not as "upcoming"
    draft = parse(out / "en" / "2.5" / "index.html")
    assert "notice-draft" in draft.by_class
    assert "badge-draft" in history_row(out, "en", "2.5")


def test_check_accepts_a_scheduled_version(scheduled_site: Path) -> None:
    result = sitegen("check", "--site", scheduled_site, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


# --------------------------------------------------------------------------- drafts at the edges

def clean_failure(result: Result) -> str:
    """A refusal a user can act on: exit 1 with a message, no Python traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), \
        f"crashed with {result.exception!r} instead of an error message"
    assert result.output.strip()
    return result.output


def test_a_draft_that_adds_a_language(make_site, tmp_path: Path) -> None:
    """The English translation is being prepared in draft 1.1; 1.0 is Dutch only."""
    site = make_site({
        "versions/1.0/nl.md": PUBLISHED["versions/1.0/nl.md"],
        "versions/1.1/nl.md": DRAFT["versions/2.1/nl.md"],
        "versions/1.1/en.md": DRAFT["versions/2.1/en.md"],
    }, SITE_YAML)
    out = build(site, tmp_path / "public")
    assert not (out / "en" / "1.1").exists() and not (out / "nl" / "1.1").exists()
    result = sitegen("check", "--site", site, "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    out = build(site, tmp_path / "preview", "--drafts")
    assert "notice-draft" in parse(out / "en" / "1.1" / "index.html").by_class


def test_a_site_whose_only_version_is_a_draft(make_site, tmp_path: Path) -> None:
    site = make_site({"versions/1.0/nl.md": DRAFT["versions/2.1/nl.md"],
                      "versions/1.0/en.md": DRAFT["versions/2.1/en.md"]}, SITE_YAML)
    out = tmp_path / "public"
    result = sitegen("build", "--site", site, "--out", out, "--today", TODAY)
    output = clean_failure(result)
    assert "draft" in output.lower()
    assert not out.exists()


def test_a_site_whose_only_version_is_a_draft_can_be_checked_and_previewed(
        make_site, tmp_path: Path) -> None:
    site = make_site({"versions/1.0/nl.md": DRAFT["versions/2.1/nl.md"],
                      "versions/1.0/en.md": DRAFT["versions/2.1/en.md"]}, SITE_YAML)
    result = sitegen("check", "--site", site, "--today", TODAY)
    assert result.exit_code == 0, (result.output, result.exception)
    assert "versions/1.0/nl.md:5: warning: every version is a draft" in result.output
    plain = sitegen("build", "--site", site, "--out", tmp_path / "public", "--today", TODAY)
    assert plain.exit_code == 1 and "versions/1.0/nl.md:5: error: every version is a draft" \
        in plain.output, plain.output
    out = build(site, tmp_path / "preview", "--drafts")
    assert "notice-draft" in parse(out / "en" / "1.0" / "index.html").by_class
