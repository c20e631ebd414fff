"""A file's history, as git gave it, -> the versions of a statement: pure.

Given each language's changes (commits that changed its file, oldest first,
with the text at each), it decides what a version is, numbers the versions,
picks each translation's text as it stood for each version (leaving out one
that lags), and shapes every text: title and front matter out, the effective
date line out where it was used, HTML and kramdown syntax in their Markdown
form. Everything it did that the source did not say is a note.

It never runs git and never reads or writes a file (``gitlog`` does the one,
``target`` the other).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..errors import Problem, SitegenError
from .effective import DateLine
from .shaping import Shaped, shape
from .target import Imported, Text

NUMBERINGS = ("major", "date")
Shaper = Callable[[str, str, str], Shaped]     # (text, language, origin) -> shaped


@dataclass(frozen=True)
class Change:
    """One commit that changed one language's file."""

    sha: str
    position: int             # in the history of the ref, oldest first
    date: dt.date             # the commit date, in the committer's own time zone
    path: str                 # the file's path in this commit
    text: str | None          # None: this commit deleted the file

    @property
    def origin(self) -> str:
        return f"{self.sha[:7]}:{self.path}"


@dataclass(frozen=True)
class Dated:
    """A change of the primary file, shaped, and the date it gives its version."""

    change: Change
    shaped: Shaped
    date: dt.date


def versions(changes: Mapping[str, Sequence[Change]], by_effective_date: bool = False,
             numbering: str = "major", links_from: str | None = None) -> Imported:
    """The versions that ``changes`` (language: its changes; the first language is
    the primary one) make, as ``Text``s, with notes on what was done; relative
    links made whole against ``links_from``, the address the texts were published at."""
    def shaped(text: str, lang: str, origin: str) -> Shaped:
        return shape(text, lang, origin, by_effective_date, links_from)

    langs = list(changes)
    notes: list[Problem] = []
    dated = _dated(_content_changes(changes[langs[0]], notes), langs[0], by_effective_date, shaped,
                   notes)
    groups = group(dated, by_effective_date, notes)
    ids = number([g[0].date for g in groups], numbering)
    texts: list[Text] = []
    for version, members in zip(ids, groups):
        last = members[-1]                      # later changes of one version fix it
        notes.extend(last.shaped.notes)
        texts.append(_text(version, langs[0], members[0].date, last.shaped, last.change, texts))
    for lang in langs[1:]:
        texts.extend(_translations(lang, changes[lang], groups, ids, shaped, notes,
                                   texts))
    return Imported(texts=tuple(texts), notes=tuple(notes))


def check_numbering(numbering: str) -> None:
    if numbering not in NUMBERINGS:
        raise SitegenError(f"`{numbering}` is no numbering: use {' or '.join(NUMBERINGS)}",
                           "--numbering")


def _content_changes(changes: Sequence[Change], notes: list[Problem]) -> list[Change]:
    """The changes that gave the file a new text: not a deletion, not a move alone."""
    kept: list[Change] = []
    for change in changes:
        if change.text is None:
            continue
        if kept and kept[-1].text == change.text:
            if kept[-1].path != change.path:
                notes.append(Problem(change.origin, 0, f"moved from {kept[-1].path} without "
                                     "a change to its text: not a version", "note"))
            continue
        kept.append(change)
    return kept


def _dated(changes: Sequence[Change], lang: str, by_effective_date: bool,
           shaper: Shaper, notes: list[Problem]) -> list[Dated]:
    dated = []
    for change in changes:
        shaped = shaper(change.text or "", lang, change.origin)
        date = shaped.date_line.date if shaped.date_line else change.date
        if by_effective_date and shaped.date_line is None:
            notes.append(Problem(change.origin, 0, "the text states no effective date: dated "
                                 f"by its commit date, {change.date.isoformat()}", "note"))
        dated.append(Dated(change, shaped, date))
    return dated


def group(dated: Sequence[Dated], by_effective_date: bool, notes: list[Problem]
          ) -> list[list[Dated]]:
    """The versions: one per change, or, by effective date, the run of changes
    that state one date (a later change stating a date not after its version's
    is a fix of that version, with a note when the date differs)."""
    groups: list[list[Dated]] = []
    for item in dated:
        if not (by_effective_date and groups and item.date <= groups[-1][0].date):
            groups.append([item])
            continue
        if item.date != groups[-1][0].date:
            notes.append(Problem(item.change.origin, 0, f"states {item.date.isoformat()}, not "
                                 f"after {groups[-1][0].date.isoformat()} of the version before:"
                                 " taken as a fix of that version", "note"))
        groups[-1].append(item)
    return groups


def number(dates: Sequence[dt.date], numbering: str) -> list[str]:
    """Version ids for versions with ``dates``, in order: ``major`` 1.0, 2.0, ...;
    ``date`` 2026.5.4, and 2026.5.4.1, 2026.5.4.2 for two on one day."""
    check_numbering(numbering)
    if numbering == "major":
        return [f"{index}.0" for index in range(1, len(dates) + 1)]
    ids, seen = [], {d: 0 for d in dates}
    for date in dates:
        seen[date] += 1
        day = f"{date.year}.{date.month}.{date.day}"
        ids.append(day if dates.count(date) == 1 else f"{day}.{seen[date]}")
    return ids


def pick(changes: Sequence[Change], before: int | None) -> Change | None:
    """The last of ``changes`` made before position ``before`` (None: the last)."""
    made = [c for c in changes if before is None or c.position < before]
    return made[-1] if made else None


def last_changed(changes: Sequence[Change], chosen: Change) -> Change:
    """The change that gave ``chosen``'s text (a move alone keeps the text)."""
    index = changes.index(chosen)
    while index and changes[index - 1].text == chosen.text:
        index -= 1
    return changes[index]


def _translations(lang: str, changes: Sequence[Change], groups: Sequence[Sequence[Dated]],
                  ids: Sequence[str], shaper: Shaper, notes: list[Problem],
                  texts: Sequence[Text]) -> list[Text]:
    """``lang``'s text of each version: as it stood when the next version began."""
    made: list[Text] = []
    absent: list[str] = []
    previous: Change | None = None
    for index, (version, members) in enumerate(zip(ids, groups)):
        following = groups[index + 1][0].change.position if index + 1 < len(groups) else None
        chosen = pick(changes, following)
        if chosen is None or chosen.text is None:
            absent.append(version)
        elif previous is not None and previous.text == chosen.text:
            notes.append(_lag_note(lang, version, made[-1].version,
                                   last_changed(changes, chosen), members[0].change))
        else:
            source = last_changed(changes, chosen)
            shaped = shaper(chosen.text, lang, source.origin)
            notes.extend([*shaped.notes, *_date_differs(shaped.date_line, members[0], source)])
            made.append(_text(version, lang, members[0].date, shaped, source, [*texts, *made]))
        previous = chosen
    if absent:
        notes.append(Problem(changes[-1].path if changes else lang, 0, f"`{lang}` has no text "
                             f"in version{'s' * (len(absent) > 1)} {', '.join(absent)}: its "
                             "file did not exist then", "note"))
    return made


def _lag_note(lang: str, version: str, shown: str, changed: Change, primary: Change
              ) -> Problem:
    return Problem(changed.origin, 0, f"`{lang}` left out of version {version}: its text is "
                   f"still that of version {shown}, last changed in {changed.sha[:7]}, and did "
                   f"not follow the change of the primary text in {primary.sha[:7]}; add "
                   f"versions/{version}/{lang}.md when it is translated", "note")


def _date_differs(line: DateLine | None, version: Dated, chosen: Change) -> list[Problem]:
    if line is None or line.date == version.date:
        return []
    return [Problem(chosen.origin, 0, f"states the effective date {line.date.isoformat()}, "
                    f"where its version is dated {version.date.isoformat()}: the version's date "
                    "is used", "note")]


def _text(version: str, lang: str, date: dt.date, shaped: Shaped, change: Change,
          texts: Sequence[Text]) -> Text:
    title = shaped.title or next((t.title for t in reversed(texts) if t.lang == lang),
                                 change.path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    return Text(version=version, lang=lang, title=title, date=date, body=shaped.body,
                origin=change.origin)
