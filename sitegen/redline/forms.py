"""Presenting a ``Redline``: grouping for pages, and text and Markdown forms.

The HTML page is the theme's ``_redline.html`` template; this module gives it
the pieces (inline links, folded runs of unchanged sections) and the HTML of each
section, which recurs on many pages and is built here, in plain Python, because
a redline site has thousands of them.
"""
from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Iterator, Mapping

import click
from markupsafe import Markup

from .blocks import CELL, ROW
from .diff import Redline, SectionDiff, section_target
from ..inert import shown
from ..markdown.escaping import escape
from .tables import Row, rows
from .textdiff import BlockDiff, Segment
from ..i18n import Translator

LINK = re.compile(r"\[([^\[\]\n]*)\]\(((?:[^)\s\]]|\](?!\())*)\)|<((?:https?|mailto):[^<>\s]*)>")
SAFE_HREF = re.compile(r"^(https?:|mailto:)")


def inline_html(text: str, links: bool = True) -> Markup:
    """Escape ``text``; Markdown links and autolinks inside it become links, or,
    without ``links`` (deleted text: an address no longer given), their labels.
    (Built with f-strings and sitegen's ``escape``: ``Markup.format`` formats in
    pure Python, and redline pages hold tens of thousands of runs.)"""
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(escape(text[last:match.start()]))
        label, href, auto = match.groups()
        href, label = (auto, auto) if auto else (href, label)
        if links and SAFE_HREF.match(href):
            out.append(f'<a href="{escape(href)}">{escape(label)}</a>')
        else:
            out.append(escape(label))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))


@functools.lru_cache(maxsize=1 << 16)       # pure; the same runs recur across pages
def marked(segments: tuple[Segment, ...], added: str, removed: str) -> Markup:
    """Segments as HTML: ``<ins>`` and ``<del>``, each announced to screen readers
    ("added:", "removed:" in the page's language) by visually hidden text."""
    parts = []
    for segment in segments:
        text = inline_html(segment.text, links=segment.op != "delete")
        if segment.op == "equal":
            parts.append(text)
            continue
        tag, label = ("ins", added) if segment.op == "insert" else ("del", removed)
        parts.append(f'<{tag}><span class="visually-hidden">[{escape(label)} </span>{text}'
                     f'<span class="visually-hidden">]</span></{tag}>')
    return Markup("".join(parts))


def block_groups(blocks: Iterable[BlockDiff]) -> list[tuple[str, list[BlockDiff]]]:
    """Consecutive list items together, so a page shows them as one list."""
    groups: list[tuple[str, list[BlockDiff]]] = []
    for block in blocks:
        if groups and block.kind in ("ul", "ol") and groups[-1][0] == block.kind:
            groups[-1][1].append(block)
        else:
            groups.append((block.kind, [block]))
    return groups


def badges(section: SectionDiff, t: Translator, after: str = "") -> Markup:
    """The status of a section as badges: changed, added, removed, moved (from
    after the section titled ``after``, or from the top), renamed."""
    out = [_badge(section.status, t("status_" + section.status))]
    if section.moved:
        out.append(_badge("moved", t("status_moved_after", title=after) if after
                          else t("status_moved_first")))
    if section.renamed:
        out.append(_badge("renamed", t("status_renamed", old=section.old_heading)))
    return Markup("\n".join(out))


def _badge(status: str, label: str) -> str:
    return f'<span class="badge badge-{escape(status)}">{escape(label)}</span>'


def _blocks_html(blocks: Iterable[BlockDiff], mark: Callable[[tuple[Segment, ...]], Markup]
                 ) -> str:
    out = []
    for kind, group in block_groups(blocks):
        if kind in ("ul", "ol"):
            items = "\n".join(f'<li class="block-{b.status}">{mark(b.segments)}</li>'
                              for b in group)
            out.append(f"<{kind}>\n{items}\n</{kind}>")
        elif kind == "table":
            out.append(_table_html(group[0], mark))
        else:
            tag = "pre" if kind == "code" else "p"
            out.append(f'<{tag} class="block-{group[0].status}">{mark(group[0].segments)}</{tag}>')
    return "\n".join(out)


ROW_CLASSES = {"added": ' class="row-added"', "removed": ' class="row-removed"'}


def _table_html(block: BlockDiff, mark: Callable[[tuple[Segment, ...]], Markup]) -> str:
    """A table's diff as a table, in a box that scrolls sideways as on the site;
    each cell marked as a paragraph is, rows added or removed by their class."""
    header, *body = rows(block)
    out = [f'<div class="table-scroll" tabindex="0"><table class="block-{block.status}">',
           f"<thead>\n{_row_html(header, 'th', mark)}\n</thead>"]
    if body:
        out.append("<tbody>\n" + "\n".join(_row_html(row, "td", mark) for row in body)
                   + "\n</tbody>")
    out.append("</table></div>")
    return "\n".join(out)


def _row_html(row: Row, tag: str, mark: Callable[[tuple[Segment, ...]], Markup]) -> str:
    cells = "".join(f"<{tag}>{mark(cell)}</{tag}>" for cell in row.cells)
    return f"<tr{ROW_CLASSES.get(row.status, '')}>{cells}</tr>"


def section_html(section: SectionDiff, t: Translator, after: str = "") -> tuple[str, str]:
    """One section of a redline page as HTML: its entry in the list of changes
    ("" if it did not change), and the section itself (folded by the page when
    unchanged). Statuses, kinds and levels are sitegen's own words; all text is
    escaped."""
    added, removed = t("ins_label"), t("del_label")

    def mark(segments: tuple[Segment, ...]) -> Markup:
        return marked(segments, added, removed)

    level = min(max(section.level, 2) + 1, 6)
    title = mark(section.title) if section.level else escape(t("preamble"))
    body = _blocks_html(section.blocks, mark)
    if not section.changed:
        heading = f'<h{level} class="diff-heading">{title}</h{level}>\n' if section.level else ""
        return "", f'<section class="diff-section section-unchanged">\n{heading}{body}\n</section>'
    target = escape(section_target(section))
    name = escape(section.heading if section.level else t("preamble"))
    moved = " section-moved" if section.moved else ""
    tags = badges(section, t, after)
    return (f'<li><a href="#{target}">{name}</a> {tags}</li>',
            f'<section class="diff-section section-{section.status}{moved}" id="{target}">\n'
            f'<h{level} class="diff-heading">{title} {tags}</h{level}>\n'
            f'{body}\n</section>')


def sections_html(sections: Iterable[SectionDiff],
                  section: Callable[[SectionDiff, str], tuple[str, str]], t: Translator
                  ) -> tuple[Markup, Markup]:
    """The entries of the list of changes, and the sections of a redline page with
    each run of unchanged sections folded; ``section`` gives a section's HTML
    (``section_html``, memoised), given the title a moved one used to follow."""
    sections = list(sections)
    before = _old_predecessors(sections, t)
    jump, body = [], []
    for changed, run in runs(sections):
        if changed:
            entry, html = section(run[0], before.get(id(run[0]), "") if run[0].moved else "")
            jump.append(entry)
            body.append(html)
            continue
        summary = t("diff_unchanged", count=len(run))
        inner = "\n".join([section(s, "")[1] for s in run])
        body.append(f'<details class="unchanged">\n<summary>{escape(summary)}</summary>\n'
                    f'{inner}\n</details>')
    return Markup("\n".join(jump)), Markup("\n".join(body))


def _old_predecessors(sections: list[SectionDiff], t: Translator) -> dict[int, str]:
    """For each moved section (by ``id()``), the title of the section before it in
    the old version ("" where it came first)."""
    if not any(s.moved for s in sections):
        return {}
    old_order = sorted((s for s in sections if s.old_index >= 0), key=lambda s: s.old_index)
    titles = [s.old_heading if s.level else t("preamble") for s in old_order]
    return {id(s): titles[n - 1] if n else "" for n, s in enumerate(old_order) if s.moved}


def runs(sections: Iterable[SectionDiff]) -> list[tuple[bool, list[SectionDiff]]]:
    """``(changed, sections)`` runs: every unchanged stretch becomes one run to fold."""
    result: list[tuple[bool, list[SectionDiff]]] = []
    for section in sections:
        if not section.changed and result and not result[-1][0]:
            result[-1][1].append(section)
        else:
            result.append((section.changed, [section]))
    return result


def _segments(segments: Iterable[Segment], mark: Callable[[str, str], str]) -> str:
    return "".join(mark(s.op, s.text) for s in segments)


def _changes(redline: Redline, mark: Callable[[str, str], str], quote: Callable[[str], str],
             table: Callable[[BlockDiff], str]
             ) -> Iterator[tuple[SectionDiff, str, str, list[str]]]:
    """Each changed section: its marked-up title, its tags, and its changed blocks.
    ``mark`` escapes the text of each segment for its form, ``quote`` the old anchor,
    ``table`` lays out a table's diff."""
    for section in redline.sections:
        if not section.changed:
            continue
        tags = [section.status] + ["moved"] * section.moved + \
            [f"renamed from {quote('#' + section.old_id)}"] * section.renamed
        title = _segments(section.title, mark) if section.level else "(preamble)"
        blocks = [table(block) if block.kind == "table" else
                  ("- " if block.kind in ("ul", "ol") else "") + _segments(block.segments, mark)
                  for block in section.blocks if block.status != "equal"]
        yield section, title, ", ".join(tags), blocks


def to_text(redline: Redline, color: bool) -> str:
    """A terminal redline: red struck-through deletions, green underlined insertions;
    without colour, ``[-deleted-]`` and ``{+inserted+}`` as in wdiff. The text is
    ``shown``: control characters and bidirectional overrides as escapes, no
    workflow command for CI; the lines of code go on indented under their block."""

    def mark(op: str, text: str) -> str:
        text = shown(text, lines=True)
        if op == "equal":
            return text
        if color:
            return click.style(text, fg="red" if op == "delete" else "green",
                               strikethrough=op == "delete", underline=op == "insert")
        return f"[-{text}-]" if op == "delete" else f"{{+{text}+}}"

    lines = []
    for section, title, tags, blocks in _changes(redline, mark, shown,
                                                 lambda block: _table_text(block, mark)):
        lines.append(f"{'#' * max(section.level, 1)} {title}   [{tags}]")
        lines.extend(f"  {block}".replace("\n", "\n    ") for block in blocks)
        lines.append("")
    if not lines:
        return "No changes.\n"
    return "\n".join(lines)


def _table_text(block: BlockDiff, mark: Callable[[str, str], str]) -> str:
    """A table's diff as lines of cells between " | " (a pipe in a cell as ``\\|``);
    a row removed or added is one run, the break before it unmarked."""
    out = []
    for segment in block.segments:
        text = segment.text.replace("|", "\\|").replace(CELL, " | ")
        if segment.op != "equal" and text.startswith(ROW):
            out.append(ROW)
            text = text[len(ROW):]
        out.append(mark(segment.op, text))
    return "".join(out)


# What GitHub-flavoured Markdown reads as structure, or acts on, in a text: each
# such character becomes the same character shown, by a backslash or, where one
# does not hold, an entity or a tag. Everything else stays as written, so a
# paragraph reads as it does on the site, with its Markdown shown as typed.
_MD_CHARS = {"\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "~": "\\~",   # code, emphasis
             "[": "\\[", "]": "\\]", "|": "\\|", "#": "\\#",           # links, images, cells
             "<": "&lt;", ">": "&gt;", "&": "&amp;",                   # HTML, comments, entities
             "$": "<span>$</span>",      # math: a backslash does not hold; GitHub's docs' way
             "\n": "<br>", "\t": "&#9;"}       # a line break stays inside its line or cell
_MD_SPECIAL = re.compile(
    # an @mention, an issue or pull request (#12, GH-12, owner/repo#12): a zero-width
    # space after @ or # keeps them from notifying anyone or linking (as Dependabot
    # and Renovate write them); a leading @ or # of a text counts, whatever precedes
    r"(?P<ref>(?<![A-Za-z0-9])@|#(?=[0-9]|$)|(?i:gh)-(?=[0-9]|$))"
    # what may start a block at the start of a line: a list item, a heading's
    # underline, a workflow command (::); every text may come first on its line
    r"|(?P<start>^(?:[-+=:]|[0-9]{1,9}[.)](?=[ \t]|$)))"
    r"|[\\`*_~\[\]|#<>&$\n\t]")


def _md_special(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("ref"):
        return ("\\#" if text == "#" else text) + "&#8203;"
    if match.group("start"):
        return text[:-1] + "\\" + text[-1]
    return _MD_CHARS[text]


def markdown_text(text: str) -> str:
    """Content (a title, a block, a name) as inert GitHub Markdown: it shows as written
    and cannot open a code block, an HTML comment, a link, a table cell or a list,
    mention anyone or link an issue, nor (being ``shown`` too) hold control characters
    or a workflow command for the CI log it is printed to."""
    return shown(_MD_SPECIAL.sub(_md_special, text), lines=True)


def to_markdown(redline: Redline, old: str, new: str, lang: str,
                notes: Mapping[str, str] | None = None) -> str:
    """A redline to post as a pull-request comment (GitHub renders <del> and <ins>);
    every text from the content goes through ``markdown_text``. ``notes``: the
    new version's ``rights_notes``, by article, for the reviewers to read too."""

    def mark(op: str, text: str) -> str:
        safe = markdown_text(text)
        return {"equal": safe, "delete": f"<del>{safe}</del>", "insert": f"<ins>{safe}</ins>"}[op]

    md = markdown_text
    out = [f"### Redline `{md(lang)}`: version {md(old)} → {md(new)}", ""]
    counts = redline.counts
    out.append(f"{counts['changed']} sections changed, {counts['added']} added, "
               f"{counts['removed']} removed, {counts['moved']} moved; "
               f"{redline.words_added} words added, {redline.words_removed} removed.")
    out.append("")
    if redline.rights:
        notes = notes or {}
        said = [f" {md(notes[r.article])} |" if r.article in notes else " |"
                for r in redline.rights] if notes else [""] * len(redline.rights)
        out.append("| Right (GDPR article) | Change |" + (" Editors' note |" if notes else ""))
        out.append("|---|---|" + ("---|" if notes else ""))
        out.extend(f"| {md(r.title)} (art. {md(r.article)}) | {r.status} |{note}"
                   for r, note in zip(redline.rights, said))
        out.append("")
    for _, title, tags, blocks in _changes(redline, mark, md,
                                           lambda block: _table_markdown(block, mark)):
        out.extend([f"#### {title} — {tags}", ""])
        for block in blocks:
            out.extend([block, ""])
    if redline.unchanged:
        out.append("No changes to the text.")
    return "\n".join(out).rstrip() + "\n"


def _table_markdown(block: BlockDiff, mark: Callable[[str, str], str]) -> str:
    """A table's diff as a GitHub pipe table: each cell marked as a paragraph is,
    its text inert (``mark``); a row removed or added has every cell marked."""
    header, *body = rows(block)
    lines = [_row_markdown(header, mark), "|" + "---|" * len(header.cells)]
    lines.extend(_row_markdown(row, mark) for row in body)
    return "\n".join(lines)


def _row_markdown(row: Row, mark: Callable[[str, str], str]) -> str:
    return "| " + " | ".join(_segments(cell, mark) for cell in row.cells) + " |"
