"""Content reaches the programs that read sitegen's output inert.

``sitegen diff --format markdown`` is posted by CI as a pull-request comment;
``sitegen diff`` and ``sitegen check`` print to terminals and CI logs. A statement
is content anyone with write access to the text may edit, so hostile text goes
into the latest version of the example site: a heading that opens a code fence
and an HTML comment, a right whose title mentions a team and an issue, words with
ANSI and OSC escape sequences (colour, concealed text, window title, clipboard
write), bidirectional overrides, GitHub Actions workflow commands (``::error::``,
``##[error]``) as paragraphs, a heading and lines of code, a table, links, images,
emphasis and math. The Markdown must keep sitegen's structure and mention or link
no one; the terminal forms must hold no control character but sitegen's own
colours, and no line a CI runner would take for a command.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner, Result

from sitegen.cli import main
from sitegen.content.load import load_site
from sitegen.engine.comparison import compare_versions
from sitegen.errors import Problem
from sitegen.inert import shown
from sitegen.redline.diff import Redline
from sitegen.redline.forms import markdown_text, to_text

REPO = Path(__file__).resolve().parents[2]

RIGHT = "Recht op @connectis/legal inzage #12 \\| `x` \x1b]0;title\x07"
WORDS = ("Woorden \x1b[31mrood\x1b[0m, \x1b[8mverborgen\x1b[28m, \x1b]52;c;ZXZpbA==\x07, "
         "\x1b]0;title\x07, \u202eevil\u202c \u2066x\u2069, \x9b31m, \x7f en \x00. "
         "cc @octocat, @connectis/legal, GH-12, owner/repo#1, &#64;team, "
         "<!-- verborgen --> <b>vet</b>.")
HOSTILE = f"""\
## Kop ``` <!-- verborgen

::error::boom

## ::set-output name=x::y

{WORDS}

::set-output name=x::y

  ::add-mask::geheim

\u200b::error::onzichtbaar

| a | b |
|---|---|
| c | d |

#12 is een nummer en ##[error]legacy

---

> [!NOTE] citaat @octocat

```
::error::in code
##[set-output name=x;]y
```

- **vet** [klik](https://example.org) ![img](https://x/y.png) $x^2$ en $y$ ~~weg~~ _schuin_
1. genummerd

"""

# What no output may hold raw: C0 and C1 controls but newline and tab, DEL, line and
# paragraph separators, bidirectional overrides and isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# The colours click.style gives the text redline: red struck out, green underlined.
OWN_COLOURS = ("\x1b[31m\x1b[24m\x1b[9m", "\x1b[32m\x1b[4m\x1b[29m", "\x1b[0m")


def hostile_site(root: Path, front_matter: str = "") -> Path:
    """The example site with the hostile text in its latest version (3.1, Dutch)."""
    for folder in ("content", "versions", "theme"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "versions" / "3.1" / "nl.md"
    text = path.read_text("utf-8")
    assert "### Recht op inzage {art=15}" in text and "## Beveiliging" in text
    text = text.replace("### Recht op inzage {art=15}", f"### {RIGHT} {{art=15}}")
    text = text.replace("## Beveiliging", HOSTILE + "## Beveiliging", 1)
    if front_matter:
        text = text.replace("\n---\n", f"\n{front_matter}---\n", 1)
    path.write_text(text, "utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_site(tmp_path_factory.mktemp("hostile"))


def run(*args: str, tty: bool = False, monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    """``sitegen ARGS``; with ``tty``, as if standard output were a terminal (the text
    redline is coloured then: the CLI asks ``sys.stdout.isatty()``)."""
    if tty:
        assert monkeypatch is not None
        monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True,
                            raising=False)
    return CliRunner().invoke(main, list(args), color=tty)


def redline(site: Path) -> Redline:
    return compare_versions(load_site(site), "3.0", "3.1", "nl").redline


INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u206f\ufeff]")


def no_workflow_command(output: str) -> list[str]:
    """The lines a GitHub Actions runner would act on: ``::`` first after white space
    (``TrimStart``), or the legacy ``##[`` anywhere, invisible characters skipped (its
    comparisons are culture-sensitive); lines as any reader splits them."""
    lines = [INVISIBLE.sub("", line) for line in output.splitlines()]
    return [line for line in lines if line.lstrip().startswith("::") or "##[" in line]


# --- the Markdown redline, posted on pull requests ---------------------------------------------

ALLOWED_TAGS = {"<del>", "</del>", "<ins>", "</ins>", "<br>", "<span>", "</span>"}
ALLOWED_ENTITIES = {"&lt;", "&gt;", "&amp;", "&#8203;", "&#9;"}
BLOCK_START = re.compile(r"[#>+*=|:`~\s-]|[0-9]{1,9}[.)](\s|$)|<(?!(?:del|ins)>)")


def unescaped(line: str, chars: str) -> list[str]:
    """Each of ``chars`` in ``line`` that no backslash escapes."""
    found, index = [], 0
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        if line[index] in chars:
            found.append(line[index])
        index += 1
    return found


def expected_blocks(result: Redline) -> int:
    """Top-level blocks of the Markdown form, as sitegen builds it: the title, the
    counts, the table of rights, and per changed section its heading and each
    changed block (consecutive list items form one list)."""
    count = 2 + bool(result.rights)
    for section in result.sections:
        if not section.changed:
            continue
        count += 1
        listed = False
        for block in section.blocks:
            if block.status == "equal":
                continue
            is_item = block.kind in ("ul", "ol")
            count += not (is_item and listed)
            listed = is_item
    return count + result.unchanged


def line_blocks(markdown: str) -> list[list[str]]:
    """The blocks of sitegen's Markdown read by its lines: groups between blank lines,
    consecutive list items as one group."""
    groups: list[list[str]] = []
    for group in re.split(r"\n\s*\n", markdown.strip("\n")):
        lines = group.split("\n")
        if groups and lines[0].startswith("- ") and groups[-1][0].startswith("- "):
            groups[-1].extend(lines)
        else:
            groups.append(lines)
    return groups


def test_markdown_redline_keeps_its_structure_and_mentions_no_one(site: Path) -> None:
    result = run("diff", "3.0", "3.1", "--site", str(site), "--format", "markdown")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert RAW.search(md) is None, repr(RAW.search(md))
    assert no_workflow_command(md) == []
    assert re.findall(r"(?<![A-Za-z0-9])@[A-Za-z0-9]", md) == [], "an @mention"
    assert re.findall(r"(?<![&\\])#[0-9]|\\#[0-9]|(?i:gh)-[0-9]", md) == [], "an issue reference"
    assert "<!--" not in md and "```" not in md
    assert set(re.findall(r"<[^>]*>", md)) <= ALLOWED_TAGS
    assert set(re.findall(r"&[^;\s&]*;", md)) <= ALLOWED_ENTITIES
    assert md.count("<del>") == md.count("</del>") and md.count("<ins>") == md.count("</ins>")

    groups = line_blocks(md)
    assert len(groups) == expected_blocks(redline(site))
    table = [group for group in groups if group[0].startswith("| Right")]
    assert len(table) == 1 and len(table[0]) == 2 + len(redline(site).rights)
    for group in groups:
        if group is table[0]:
            for row in group:                      # two cells, whatever a title holds
                assert len(unescaped(row, "|")) == 3, row
            continue
        if group[0].startswith("| "):             # a table of the statement: its own rows
            columns = len(unescaped(group[0], "|"))
            assert group[1] == "|" + "---|" * (columns - 1), group
            assert all(len(unescaped(row, "|")) == columns for row in group), group
            continue
        if not group[0].startswith("- "):
            assert len(group) == 1, group          # a block is one line: no line break
        for line in group:
            body = re.sub(r"^(?:#{3,4} |- )", "", line)
            assert not BLOCK_START.match(body), line
            unspanned = body.replace("<span>$</span>", "")
            assert unescaped(unspanned, "`*_~[]|$") in ([], ["`", "`"]), line
    header = md.split("\n", 1)[0]
    assert header == "### Redline `nl`: version 3.0 → 3.1"      # the one code span

    # what was written is shown, each escape as GitHub renders it
    assert "Recht op @&#8203;connectis/legal inzage \\#&#8203;12 \\\\\\| \\`x\\` \\x1b\\]0;title\\x07" in md
    assert "Kop \\`\\`\\` &lt;!-- verborgen" in md
    assert "\\::error::boom" in md and "\\::set-output name=x::y" in md
    assert "\\x1b\\[31mrood\\x1b\\[0m" in md and "\\x1b\\]52;c;ZXZpbA==\\x07" in md
    assert "\\u202eevil\\u202c" in md and "\\x9b31m" in md and "\\x7f" in md
    assert "GH-&#8203;12, owner/repo\\#&#8203;1, &amp;\\#&#8203;64;team" in md
    assert "\\`\\`\\`<br>::error::in code<br>\\#\\#\\[set-output name=x;\\]y<br>\\`\\`\\`" in md
    assert "\\*\\*vet\\*\\* \\[klik\\](https://example.org) !\\[img\\](https://x/y.png)" in md
    assert "<span>$</span>x^2<span>$</span>" in md and "\\~\\~weg\\~\\~ \\_schuin\\_" in md


class TopLevel(HTMLParser):
    """The top-level elements of rendered HTML, and every tag."""

    VOID = frozenset({"br", "hr", "img", "input", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__()
        self.depth, self.top, self.tags = 0, [], []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if self.depth == 0:
            self.top.append(tag)
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            self.depth -= 1


@pytest.mark.skipif(shutil.which("cmark-gfm") is None,
                    reason="cmark-gfm (GitHub's Markdown parser; Debian package cmark-gfm)")
def test_github_renders_the_markdown_redline_as_sitegen_built_it(site: Path) -> None:
    md = run("diff", "3.0", "3.1", "--site", str(site), "--format", "markdown").stdout
    html = subprocess.run(["cmark-gfm", "--unsafe", "-e", "table", "-e", "strikethrough",
                           "-e", "autolink", "-e", "tagfilter"], input=md, text=True,
                          capture_output=True, check=True).stdout
    parsed = TopLevel(html)
    assert len(parsed.top) == expected_blocks(redline(site)), parsed.top
    assert set(parsed.top) <= {"h3", "p", "table", "h4", "ul"}
    tags = {tag for tag, _ in parsed.tags}
    assert tags <= {"h3", "code", "p", "table", "thead", "tbody", "tr", "th", "td", "h4", "ul",
                    "li", "del", "ins", "br", "span", "a"}, tags
    assert sum(tag == "code" for tag, _ in parsed.tags) == 1       # the language, in the title
    assert html.count("<del>") == md.count("<del>")                 # no ~~strikethrough~~
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    for href in links:                                 # bare addresses, shown as they are
        assert f'<a href="{href}">{href}</a>' in html
    assert "Recht op @\u200bconnectis/legal inzage #\u200b12 \\| `x` \\x1b]0;title\\x07" in html


# --- the text redline, on a terminal and in a CI log -------------------------------------------

def changed_segments(result: Redline) -> int:
    """Deleted and inserted runs in what the text redline lists."""
    count = 0
    for section in result.sections:
        if section.changed:
            runs = list(section.title) if section.level else []
            for block in section.blocks:
                if block.status != "equal":
                    runs.extend(block.segments)
            count += sum(segment.op != "equal" for segment in runs)
    return count


@pytest.mark.parametrize("tty", [False, True], ids=["piped", "terminal"])
def test_text_redline_shows_escapes_not_sequences(site: Path, tty: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("diff", "3.0", "3.1", "--site", str(site), tty=tty, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    out = result.stdout
    if tty:                 # sitegen's own colours stay, four codes to a changed run
        assert out.count("\x1b") == 4 * changed_segments(redline(site))
        for own in OWN_COLOURS:
            out = out.replace(own, "")
    else:
        assert "{+" in out and "[-" in out
    assert RAW.search(out) is None, repr(RAW.search(out))
    assert no_workflow_command(result.output) == []
    for visible in ("\\x1b[31mrood\\x1b[0m", "\\x1b[8mverborgen\\x1b[28m",
                    "\\x1b]52;c;ZXZpbA==\\x07", "\\x1b]0;title\\x07", "\\u202eevil\\u202c",
                    "\\u2066x\\u2069", "\\x9b31m", "\\x7f", "\\x00"):
        assert visible in out, visible
    assert "\\x3a:error::boom" in out and "\\x3a:set-output name=x::y" in out
    assert "\u200b\\x3a:error::onzichtbaar" in out
    assert "\\x23#[error]legacy" in out and "\\x23#[set-output name=x;]y" in out
    assert "\n    \\x3a:error::in code\n" in out      # a line of code, indented under its block


def test_text_form_with_colour_keeps_only_its_own_sequences(site: Path) -> None:
    text = to_text(redline(site), color=True)
    for own in OWN_COLOURS:
        text = text.replace(own, "")
    assert "\x1b" not in text and RAW.search(text) is None


# --- problems: `sitegen check`, and the warnings of `sitegen diff` -----------------------------

KEY = '"x-\\e[8mkey\\n::error::k\\u202e": 1\n'


def test_check_quotes_hostile_text_in_one_inert_line(tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site", KEY)
    result = run("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert RAW.search(result.output) is None, repr(RAW.search(result.output))
    assert no_workflow_command(result.output) == []
    assert ("versions/3.1/nl.md:7: error: unknown key `x-\\x1b[8mkey\\n::error::k\\u202e`"
            in result.output)
    diff = run("diff", "3.0", "3.1", "--site", str(site))
    assert diff.exit_code == 1 and RAW.search(diff.output) is None
    assert no_workflow_command(diff.output) == []


def test_diff_warnings_are_inert(tmp_path: Path) -> None:
    """The reworded right is a warning that quotes its hostile id (an error of
    `check` where a site's anchors are strict)."""
    site = hostile_site(tmp_path / "strict")
    with (site / "content" / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("anchors: strict\n")
    result = run("diff", "3.0", "3.1", "--site", str(site), "--format", "markdown")
    assert "warning: #recht-op-inzage now answers #" in result.stderr
    assert RAW.search(result.output) is None and no_workflow_command(result.output) == []


# --- the rules, one by one ---------------------------------------------------------------------

PLAIN = ("Op basis van de Algemene Verordening Gegevensbescherming (AVG) heeft u op grond van "
         "art. 15 het recht op inzage; mail privacy@connectis.nl of bel 030-1234567, "
         "versie 3.1, 25 mei 2018. Zie ook: https://autoriteitpersoonsgegevens.nl/ — €5,-.")


def test_plain_text_reads_as_written() -> None:
    assert markdown_text(PLAIN) == PLAIN
    assert shown(PLAIN) == PLAIN and shown("tab\there", lines=True) == "tab\there"


MARKDOWN = {             # content: how the Markdown redline writes it
    "```": "\\`\\`\\`",
    "<!-- x -->": "&lt;!-- x --&gt;",
    "<b onclick=x>": "&lt;b onclick=x&gt;",
    "@octocat": "@&#8203;octocat",
    "cc @connectis/legal": "cc @&#8203;connectis/legal",
    "privacy@connectis.nl": "privacy@connectis.nl",
    "#12": "\\#&#8203;12",
    "GH-12 gh-3": "GH-&#8203;12 gh-&#8203;3",
    "owner/repo#1": "owner/repo\\#&#8203;1",
    "&#64;team": "&amp;\\#&#8203;64;team",
    "a | b": "a \\| b",
    "![x](y)": "!\\[x\\](y)",
    "[x](javascript:y)": "\\[x\\](javascript:y)",
    "# kop": "\\# kop",
    "- item": "\\- item",
    "+ item": "\\+ item",
    "15. mei": "15\\. mei",
    "15) mei": "15\\) mei",
    "3.1": "3.1",
    "=====": "\\=====",
    "> quote": "&gt; quote",
    "*nadruk* _ook_ ~~weg~~": "\\*nadruk\\* \\_ook\\_ \\~\\~weg\\~\\~",
    "$x$": "<span>$</span>x<span>$</span>",
    "C:\\pad": "C:\\\\pad",
    "regel\nregel": "regel<br>regel",
    "::error::boom": "\\::error::boom",
    "a ##[error]b": "a \\#\\#\\[error\\]b",
    "\x1b[31mrood": "\\x1b\\[31mrood",
    "\u202eevil": "\\u202eevil",
    "\ttab": "&#9;tab",
}


@pytest.mark.parametrize("content", sorted(MARKDOWN))
def test_markdown_rule(content: str) -> None:
    assert markdown_text(content) == MARKDOWN[content]


TERMINAL = {             # content: how a terminal or CI log is shown it
    "\x1b]52;c;ZXZpbA==\x07": "\\x1b]52;c;ZXZpbA==\\x07",
    "\x1b[8mverborgen": "\\x1b[8mverborgen",
    "\x9b31m \x7f \x00": "\\x9b31m \\x7f \\x00",
    "a\rb": "a\\rb",
    "\u202eevil\u202c \u2066x\u2069": "\\u202eevil\\u202c \\u2066x\\u2069",
    "a\u2028b": "a\\u2028b",
    "::error::boom": "\\x3a:error::boom",
    "  ::add-mask::x": "  \\x3a:add-mask::x",
    "a ::b": "a ::b",
    "x ##[error]y ###[z]": "x \\x23#[error]y #\\x23#[z]",
}


@pytest.mark.parametrize("content", sorted(TERMINAL))
def test_terminal_rule(content: str) -> None:
    assert shown(content) == TERMINAL[content]
    assert shown(content, lines=True) == TERMINAL[content]


def test_newlines_are_escaped_in_a_line_and_kept_in_lines() -> None:
    assert shown("a\n::error::b") == "a\\n::error::b"
    assert shown("a\n::error::b", lines=True) == "a\n\\x3a:error::b"


@pytest.mark.parametrize("problem, line", [
    (Problem("nl.md", 3, "unknown key `\x1b[8mx\n::error::y`"),
     "nl.md:3: error: unknown key `\\x1b[8mx\\n::error::y`"),
    (Problem("::error::x/nl.md", 0, "bad", "warning"), "\\x3a:error::x/nl.md: warning: bad"),
    (Problem("", 0, "##[error]x"), "error: \\x23#[error]x"),
    (Problem("nl.md", 1, "plain"), "nl.md:1: error: plain"),
])
def test_a_problem_is_one_inert_line(problem: Problem, line: str) -> None:
    assert str(problem) == line
