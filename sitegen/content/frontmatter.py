"""Pure parsing of YAML front matter and YAML mappings, keeping line numbers.

Dates stay strings here (the timestamp resolver is off), so that ``load``
decides what a valid date is and can name the line of a bad one. PyYAML is
imported on the first parse: a rebuild finds its mappings kept by the engine.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from ..errors import ContentError
from ..reuse import Reuse, afresh

FENCE = "---"


@functools.lru_cache(maxsize=None)
def _loader() -> type:
    """SafeLoader (libyaml's parser where it is built) without implicit
    timestamps: "2018-02-30" is left a string."""
    import yaml
    loader = type("Loader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return loader


@dataclass(frozen=True)
class Parsed:
    """A parsed YAML mapping and the source line of each top-level key."""

    data: dict[str, Any]
    key_lines: dict[str, int]


def parse_mapping(text: str, path: str, first_line: int = 1, reuse: Reuse = afresh) -> Parsed:
    """Parse ``text`` as a YAML mapping, through ``reuse`` (a mapping that has an
    error raises it, every time); lines are counted from ``first_line``."""
    return reuse("yaml mapping", (first_line, text), lambda: _parse(text, path, first_line))


def _parse(text: str, path: str, first_line: int) -> Parsed:
    import yaml
    last = first_line + max(text.count("\n") - (1 if text.endswith("\n") else 0), 0)
    loader = _loader()(text)
    try:
        if "*" in text:                          # an alias is written *name
            _refuse_aliases(text, path, first_line)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        if mark is None or (err.context_mark is not None and first_line + mark.line > last):
            mark = err.context_mark or mark     # at the end of the text: where it opened
        line = min(first_line + (mark.line if mark else 0), last)
        raise ContentError(path, line, _explained(err.problem, text, line - first_line)) from None
    except yaml.reader.ReaderError as err:
        line = first_line + text[: err.position].count("\n")
        raise ContentError(path, line, f"invalid character {err.character!r}: remove it "
                           "or write it as an escape in quotes") from None
    except yaml.YAMLError as err:
        raise ContentError(path, first_line, f"invalid YAML: {err}") from None
    finally:
        loader.dispose()
    if data is None:
        data, node = {}, None
    if not isinstance(data, dict):
        raise ContentError(path, first_line, "expected a mapping of `key: value` lines")
    key_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        _refuse_twice(node, path, first_line)
        key_lines = {str(key.value): first_line + key.start_mark.line for key, _ in node.value}
    return Parsed({str(k): v for k, v in data.items()}, key_lines)


def _refuse_twice(node: Any, path: str, first_line: int) -> None:
    """A key given twice in the mapping or in one nested in it (``renames:``,
    ``title:``) is an error: YAML would silently keep the last."""
    import yaml
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value in current.value:
                key, line = str(key_node.value), first_line + key_node.start_mark.line
                if key in seen:
                    raise ContentError(path, line, f"`{key}` is given twice (first on line "
                                       f"{seen[key]}); keep one")
                seen[key] = line
                pending.append(value)


def _refuse_aliases(text: str, path: str, first_line: int) -> None:
    """YAML aliases (``*name``) are refused: a statement has no use for them, and a
    few hundred bytes of nested ones expand to billions of items."""
    import yaml
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            raise ContentError(path, first_line + event.start_mark.line, "a YAML alias "
                               f"(*{event.anchor}) is not allowed here: write the value out")


def _explained(problem: str | None, text: str, index: int) -> str:
    """YAML's reason, said plainly where the cause is a common one: a tab."""
    lines = text.split("\n")
    if "\t" in (lines[index] if index < len(lines) else ""):
        return ("a tab in the indentation: YAML allows spaces only; replace the tab "
                "with spaces")
    return f"invalid YAML: {problem or 'the text cannot be read as YAML'}"


@dataclass(frozen=True)
class Split:
    """A Markdown file cut in two: front matter text and body, with line numbers."""

    meta: str
    meta_line: int
    body: str
    body_line: int


def split(text: str, path: str) -> Split:
    """Cut ``---`` front matter off the top of ``text``."""
    if not text.strip():
        raise ContentError(path, 1, "the file is empty; it needs front matter "
                           "(title, date) between `---` lines, then the text")
    end = text.find("\n")                # line by line up to the fence: not the whole text
    if (text if end < 0 else text[:end]).rstrip() != FENCE:
        raise ContentError(path, 1, "no front matter: the file must start with a `---` "
                           "line, then `title:` and `date:`, then a closing `---`")
    meta_start, index = end + 1, 1
    while end >= 0:
        start, end = end + 1, text.find("\n", end + 1)
        if (text[start:] if end < 0 else text[start:end]).rstrip() in (FENCE, "..."):
            meta = text[meta_start:start - 1] if start > meta_start else ""
            return Split(meta, 2, "" if end < 0 else text[end + 1:], index + 2)
        index += 1
    raise ContentError(path, 1, "the front matter is never closed: add a `---` line "
                       "after the last `key: value` line")
